"""Static checks on save, over the graph: start/conclude, reachability, cycles,
parallel nesting and time limits. Each fault yields its code at its path."""

from __future__ import annotations

import pytest

from tongban.configurator.flows import Flow, check_flow
from tongban.configurator.flows.examples import (
    business_registration_flow,
    promised_flow,
)


def faults(data, **options) -> set[tuple[str, str]]:
    return {(error.path, error.code) for error in check_flow(data, **options)}


def node(node_id, kind, **fields):
    return {"id": node_id, "kind": kind, "label": {"zh": node_id}, **fields}


def linear(*nodes):
    """A flow through ``nodes`` in order (time limit 1 for task nodes unless given)."""
    edges = [{"from": a["id"], "to": b["id"]} for a, b in zip(nodes, nodes[1:])]
    return {"nodes": list(nodes), "edges": edges}


def parallel(branches: int = 2, **join_fields):
    tasks = [
        node(f"t{i}", "dept_task", time_limit_days=1, assignment={"department": f"d{i}"})
        for i in range(branches)
    ]
    return {
        "nodes": [
            node("start", "start"),
            node("split", "parallel_split"),
            *tasks,
            node("join", "join", **join_fields),
            node("end", "conclude"),
        ],
        "edges": [
            {"from": "start", "to": "split"},
            *({"from": "split", "to": task["id"]} for task in tasks),
            *({"from": task["id"], "to": "join"} for task in tasks),
            {"from": "join", "to": "end"},
        ],
    }


# ---------------------------------------------------------------- graph shape


def test_no_start():
    data = promised_flow()
    data["nodes"][0]["kind"] = "review"
    assert ("nodes", "no_start") in faults(data)


def test_two_starts():
    data = promised_flow()
    data["nodes"][1]["kind"] = "start"
    assert ("nodes[1]", "multiple_starts") in faults(data)


def test_edge_into_start():
    data = promised_flow()
    data["edges"].append({"from": "review", "to": "accept", "condition": "form.x == 1"})
    assert ("edges[4]", "start_has_incoming") in faults(data)


def test_no_conclude():
    data = linear(node("a", "start"), node("r", "review", time_limit_days=1))
    assert faults(data) == {("nodes", "no_conclude"), ("nodes[1]", "dead_end")}


def test_unreachable_node():
    data = promised_flow()
    data["nodes"].append(node("orphan", "review", time_limit_days=1))
    data["edges"].append({"from": "orphan", "to": "conclude"})
    assert faults(data) == {("nodes[5]", "unreachable")}


def test_dead_end():
    data = promised_flow()
    data["nodes"].append(node("limbo", "review", time_limit_days=1))
    data["edges"].append({"from": "review", "to": "limbo", "condition": "form.x == 1"})
    assert faults(data) == {("nodes[5]", "dead_end")}


def test_conclude_has_no_outgoing_edges():
    data = promised_flow()
    data["nodes"].append(node("after", "conclude"))
    data["edges"].append({"from": "conclude", "to": "after"})
    assert faults(data) == {("edges[4]", "conclude_has_outgoing")}


def test_cycle_is_refused():
    data = promised_flow()
    data["edges"].append({"from": "decide", "to": "review", "condition": "form.redo"})
    assert faults(data) == {("edges[4]", "cycle")}


def test_self_loop_is_a_cycle():
    data = promised_flow()
    data["edges"].append({"from": "review", "to": "review", "condition": "form.redo"})
    assert faults(data) == {("edges[4]", "cycle")}


# ---------------------------------------------------------------- splits and joins


def test_split_needs_two_branches():
    data = parallel(1)
    assert ("nodes[1]", "split_too_few_branches") in faults(data)


def test_split_branches_have_no_conditions():
    data = parallel()
    data["edges"][1]["condition"] = "form.x == 1"
    assert ("edges[1].condition", "split_branch_condition") in faults(data)


def test_join_not_preceded_by_split():
    data = linear(
        node("a", "start"),
        node("r", "review", time_limit_days=1),
        node("j", "join"),
        node("end", "conclude"),
    )
    assert faults(data) == {("nodes[2]", "join_without_split")}


def test_join_missing_a_branch():
    data = parallel(3)
    data["edges"] = [e for e in data["edges"] if e != {"from": "t2", "to": "join"}]
    data["edges"].append({"from": "t2", "to": "end"})
    assert faults(data) == {
        ("nodes[5]", "join_missing_branch"),
        ("nodes[6]", "parallel_merge_without_join"),
        ("nodes[6]", "branch_not_joined"),
    }


def test_split_without_join():
    data = parallel()
    data["nodes"][4] = node("merge", "review", time_limit_days=1)
    data["edges"] = [
        {"from": e["from"].replace("join", "merge"), "to": e["to"].replace("join", "merge")}
        for e in data["edges"]
    ]
    assert faults(data) == {
        ("nodes[4]", "parallel_merge_without_join"),
        ("nodes[5]", "branch_not_joined"),
        ("nodes[1]", "split_without_join"),
    }


def test_branches_ending_in_conclude_without_join():
    data = {
        "nodes": [
            node("a", "start"),
            node("split", "parallel_split"),
            node("x", "review", time_limit_days=1),
            node("y", "review", time_limit_days=1),
            node("end", "conclude"),
        ],
        "edges": [
            {"from": "a", "to": "split"},
            {"from": "split", "to": "x"},
            {"from": "split", "to": "y"},
            {"from": "x", "to": "end"},
            {"from": "y", "to": "end"},
        ],
    }
    assert faults(data) == {
        ("nodes[4]", "parallel_merge_without_join"),
        ("nodes[4]", "branch_not_joined"),
        ("nodes[1]", "split_without_join"),
    }


def test_improperly_nested_joins():
    # outer split o(a, b); inner split i(c, d); inner join takes a and c: crossed regions.
    data = {
        "nodes": [
            node("s", "start"),
            node("o", "parallel_split"),
            node("a", "review", time_limit_days=1),
            node("i", "parallel_split"),
            node("c", "review", time_limit_days=1),
            node("d", "review", time_limit_days=1),
            node("ji", "join"),
            node("jo", "join"),
            node("end", "conclude"),
        ],
        "edges": [
            {"from": "s", "to": "o"},
            {"from": "o", "to": "a"},
            {"from": "o", "to": "i"},
            {"from": "i", "to": "c"},
            {"from": "i", "to": "d"},
            {"from": "a", "to": "ji"},
            {"from": "c", "to": "ji"},
            {"from": "ji", "to": "jo"},
            {"from": "d", "to": "jo"},
            {"from": "jo", "to": "end"},
        ],
    }
    found = faults(data)
    assert ("nodes[6]", "join_mismatch") in found
    assert ("nodes[7]", "join_mismatch") in found


def test_properly_nested_parallel_regions_are_valid():
    data = {
        "nodes": [
            node("s", "start"),
            node("o", "parallel_split"),
            node("a", "review", time_limit_days=2),
            node("i", "parallel_split"),
            node("c", "review", time_limit_days=1),
            node("d", "review", time_limit_days=3),
            node("ji", "join", join_mode="any"),
            node("jo", "join"),
            node("end", "conclude"),
        ],
        "edges": [
            {"from": "s", "to": "o"},
            {"from": "o", "to": "a"},
            {"from": "o", "to": "i"},
            {"from": "i", "to": "c"},
            {"from": "i", "to": "d"},
            {"from": "c", "to": "ji"},
            {"from": "d", "to": "ji"},
            {"from": "a", "to": "jo"},
            {"from": "ji", "to": "jo"},
            {"from": "jo", "to": "end"},
        ],
    }
    flow = Flow.parse(data)
    assert flow.join_of("o").id == "jo" and flow.join_of("i").id == "ji"
    assert flow.critical_path_days() == 3


def test_conditional_paths_inside_a_branch_may_reach_the_join():
    data = parallel()
    data["nodes"].insert(3, node("extra", "review", time_limit_days=1))
    data["edges"].append({"from": "t0", "to": "extra", "condition": "form.big"})
    data["edges"].append({"from": "extra", "to": "join"})
    assert check_flow(data) == []


def test_split_with_two_joins():
    data = parallel()
    data["nodes"].insert(4, node("join2", "join"))
    data["edges"] += [
        {"from": "t0", "to": "join2", "condition": "form.x == 1"},
        {"from": "t1", "to": "join2", "condition": "form.x == 1"},
        {"from": "join2", "to": "end"},
    ]
    assert faults(data) == {("nodes[5]", "split_multiple_joins")}


# ---------------------------------------------------------------- time limits


def test_time_limits_must_fit_the_promised_limit():
    data = promised_flow()  # 1 + 3 + 2 + 1 = 7 working days
    assert check_flow(data, promised_limit_days=7) == []
    errors = check_flow(data, promised_limit_days=6)
    assert [(e.path, e.code) for e in errors] == [
        ("nodes[1].time_limit_days", "time_limit_exceeds_promise")
    ]
    assert "7" in errors[0].message_en and "6" in errors[0].message_zh


def test_parallel_branches_count_once_against_the_promise():
    data = business_registration_flow()  # 0 + max(1, 1, 1, 1) + 1
    assert check_flow(data, promised_limit_days=2) == []
    assert faults(data, promised_limit_days=1) == {
        ("nodes[2].time_limit_days", "time_limit_exceeds_promise")
    }


@pytest.mark.parametrize("promised", [-1, "10", 2.5])
def test_invalid_promised_limit(promised):
    assert faults(promised_flow(), promised_limit_days=promised) == {
        ("promised_limit_days", "promised_limit_invalid")
    }
