"""Static checks on save, field by field: each fault yields its code at its path."""

from __future__ import annotations

import pytest

from tongban.configurator.flows import Flow, FlowError, FlowInvalid, check_flow
from tongban.configurator.flows.examples import (
    EXAMPLES,
    PROMISED_LIMIT_DAYS,
    business_registration_flow,
    conditional_approval_flow,
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


# ---------------------------------------------------------------- valid flows


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_are_valid_within_their_promised_limit(name):
    assert check_flow(EXAMPLES[name](), promised_limit_days=PROMISED_LIMIT_DAYS[name]) == []


def test_parse_returns_an_immutable_flow():
    flow = Flow.parse(promised_flow())
    with pytest.raises(AttributeError):
        flow.nodes = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        flow.nodes[0].id = "other"  # type: ignore[misc]


def test_to_dict_round_trips():
    flow = Flow.parse(conditional_approval_flow())
    assert Flow.parse(flow.to_dict()) == flow
    assert check_flow(flow.to_dict()) == []


def test_accept_is_an_alias_of_start():
    data = linear(node("a", "accept"), node("end", "conclude"))
    assert Flow.parse(data).start_node.id == "a"


def test_parse_raises_flow_invalid_with_all_errors():
    data = promised_flow()
    data["nodes"][1]["kind"] = "teleport"
    data["nodes"][2]["time_limit_days"] = -1
    with pytest.raises(FlowInvalid) as caught:
        Flow.parse(data)
    assert {error.code for error in caught.value.errors} == {"unknown_kind", "time_limit_invalid"}
    assert all(isinstance(error, FlowError) for error in caught.value.errors)


def test_errors_are_bilingual():
    data = promised_flow()
    data["nodes"][1]["kind"] = "teleport"
    (error,) = check_flow(data)
    assert "teleport" in error.message_zh and "teleport" in error.message_en
    assert error.to_dict()["path"] == "nodes[1].kind"


# ---------------------------------------------------------------- document shape


@pytest.mark.parametrize("data", [None, [], "flow", 3])
def test_non_object_document(data):
    assert faults(data) == {("", "not_an_object")}


def test_missing_nodes_and_edges():
    assert faults({}) == {("nodes", "nodes_invalid"), ("edges", "edges_invalid")}


def test_unknown_node_kind():
    data = promised_flow()
    data["nodes"][3]["kind"] = "magic"
    assert faults(data) == {("nodes[3].kind", "unknown_kind")}


def test_missing_node_kind():
    data = promised_flow()
    del data["nodes"][1]["kind"]
    assert faults(data) == {("nodes[1].kind", "kind_missing")}


def test_duplicate_node_id():
    data = promised_flow()
    data["nodes"][2]["id"] = "review"
    assert ("nodes[2].id", "duplicate_id") in faults(data)


@pytest.mark.parametrize("bad_id", ["", "1abc", "has space", "<x>", 7, None, "x" * 65])
def test_invalid_node_id(bad_id):
    data = promised_flow()
    data["nodes"][1]["id"] = bad_id
    data["edges"][0]["to"] = data["edges"][1]["from"] = bad_id
    assert ("nodes[1].id", "id_invalid") in faults(data)
    assert {code for _, code in faults(data)} <= {"id_invalid", "edge_endpoint_missing"}


def test_unknown_and_misplaced_node_fields():
    data = promised_flow()
    data["nodes"][1]["timelimit"] = 3
    data["nodes"][1]["to_level"] = "province"
    assert faults(data) == {
        ("nodes[1].timelimit", "unknown_field"),
        ("nodes[1].to_level", "field_not_allowed"),
    }


@pytest.mark.parametrize("label", [None, "审查", {"en": "Review"}, {"zh": "  "}, {"zh": "a", "x": 1}])
def test_invalid_label(label):
    data = promised_flow()
    data["nodes"][1]["label"] = label
    assert faults(data) == {("nodes[1].label", "label_invalid")}


def test_edge_to_unknown_node():
    data = promised_flow()
    data["edges"][2]["to"] = "nowhere"
    assert ("edges[2].to", "unknown_node") in faults(data)


def test_edge_without_endpoint():
    data = promised_flow()
    del data["edges"][1]["from"]
    assert ("edges[1].from", "edge_endpoint_missing") in faults(data)


def test_duplicate_edge():
    data = promised_flow()
    data["edges"].append({"from": "accept", "to": "review"})
    assert faults(data) == {("edges[4]", "duplicate_edge")}


def test_edges_to_a_broken_node_do_not_cascade():
    data = promised_flow()
    data["nodes"][1]["kind"] = "magic"
    assert faults(data) == {("nodes[1].kind", "unknown_kind")}


# ---------------------------------------------------------------- node fields


def test_dept_task_without_department():
    data = business_registration_flow()
    data["nodes"][4]["assignment"] = {"role": "registrar"}
    assert faults(data) == {("nodes[4].assignment.department", "department_missing")}


def test_dept_task_without_assignment():
    data = business_registration_flow()
    del data["nodes"][2]["assignment"]
    assert faults(data) == {("nodes[2].assignment.department", "department_missing")}


def test_invalid_assignment():
    data = promised_flow()
    data["nodes"][1]["assignment"] = {"role": "", "team": "x"}
    assert faults(data) == {
        ("nodes[1].assignment.role", "assignment_invalid"),
        ("nodes[1].assignment.team", "unknown_field"),
    }


def test_report_up_without_to_level():
    data = EXAMPLES["report_up"]()
    del data["nodes"][2]["to_level"]
    assert faults(data) == {("nodes[2].to_level", "to_level_missing")}


def test_report_up_with_unknown_level():
    data = EXAMPLES["report_up"]()
    data["nodes"][2]["to_level"] = "nation"
    assert faults(data) == {("nodes[2].to_level", "to_level_invalid")}


def test_task_without_time_limit():
    data = promised_flow()
    del data["nodes"][2]["time_limit_days"]
    assert faults(data) == {("nodes[2].time_limit_days", "time_limit_missing")}


@pytest.mark.parametrize("days", [-1, 1.5, "3", True])
def test_invalid_time_limit(days):
    data = promised_flow()
    data["nodes"][1]["time_limit_days"] = days
    assert faults(data) == {("nodes[1].time_limit_days", "time_limit_invalid")}


def test_start_and_conclude_need_no_time_limit():
    data = linear(node("a", "start"), node("end", "conclude"))
    assert check_flow(data) == []


def test_gateway_cannot_carry_time_limit():
    data = parallel()
    data["nodes"][1]["time_limit_days"] = 2
    assert faults(data) == {("nodes[1].time_limit_days", "field_not_allowed")}


def test_unknown_action():
    data = promised_flow()
    data["nodes"][1]["actions"] = ["approve", "teleport"]
    assert faults(data) == {("nodes[1].actions[1]", "unknown_action")}


def test_accept_action_only_at_start():
    data = promised_flow()
    data["nodes"][2]["actions"] = ["approve", "refuse_to_accept"]
    assert faults(data) == {("nodes[2].actions[1]", "action_not_allowed")}


def test_duplicate_action():
    data = promised_flow()
    data["nodes"][1]["actions"] = ["approve", "approve"]
    assert faults(data) == {("nodes[1].actions[1]", "duplicate_action")}


def test_actions_must_be_a_list():
    data = promised_flow()
    data["nodes"][1]["actions"] = "approve"
    assert faults(data) == {("nodes[1].actions", "actions_invalid")}


def test_kind_specific_field_on_another_kind():
    data = promised_flow()
    data["nodes"][1]["license_type"] = ""
    data["nodes"][2]["join_mode"] = "all"
    assert faults(data) == {
        ("nodes[1].license_type", "field_not_allowed"),
        ("nodes[2].join_mode", "field_not_allowed"),
    }


def test_invalid_license_type():
    data = promised_flow()
    data["nodes"][3]["license_type"] = "  "
    assert faults(data) == {("nodes[3].license_type", "license_type_invalid")}


def test_invalid_point():
    data = promised_flow()
    data["nodes"][1]["point"] = "受理"
    assert faults(data) == {("nodes[1].point", "point_invalid")}


def test_invalid_join_mode():
    assert faults(parallel(join_mode="most")) == {("nodes[4].join_mode", "join_mode_invalid")}


@pytest.mark.parametrize("n", [None, 0, -1, "2", 1.5])
def test_n_of_join_needs_positive_n(n):
    assert faults(parallel(join_mode="n_of", n=n)) == {("nodes[4].n", "join_n_invalid")}


def test_n_of_join_cannot_exceed_branch_count():
    assert faults(parallel(3, join_mode="n_of", n=4)) == {("nodes[5].n", "join_n_exceeds_branches")}
    assert check_flow(parallel(3, join_mode="n_of", n=3)) == []


def test_n_only_for_n_of_join():
    assert faults(parallel(join_mode="all", n=2)) == {("nodes[4].n", "join_n_unexpected")}


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize("condition", ["form.amount >", "", "   ", "form.(", "1 +"])
def test_condition_that_does_not_compile(condition):
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = condition
    assert faults(data) == {("edges[2].condition", "condition_invalid")}


def test_condition_must_be_a_string():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = 42
    assert faults(data) == {("edges[2].condition", "condition_invalid")}


def test_condition_may_only_use_form():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "form.amount > limit"
    assert faults(data) == {("edges[2].condition", "condition_unknown_variable")}


def test_python_code_is_not_a_condition():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "__import__('os').system('true')"
    assert faults(data) == {("edges[2].condition", "condition_unknown_function")}


def test_condition_with_unsupported_function():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "form.name.trim() == ''"
    assert faults(data) == {("edges[2].condition", "condition_unknown_function")}


@pytest.mark.parametrize(
    "condition",
    [
        "form.items.exists(item, item.price > 100)",
        "has(form.amount) && form.amount > 100.0",
        "form.kind in ['a', 'b'] && type(form.amount) == int",
        "timestamp(form.date).getFullYear() >= 2024",
        "size(form.name) > 0 && form.name.startsWith('海南')",
    ],
)
def test_rich_conditions_are_accepted(condition):
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = condition
    assert check_flow(data) == []


def test_conditional_node_needs_a_default_edge():
    data = conditional_approval_flow()
    data["edges"][3]["condition"] = "form.investment_wan_yuan <= 5000"
    assert faults(data) == {("nodes[2]", "missing_default_edge")}


def test_several_unconditional_edges_need_a_split():
    data = conditional_approval_flow()
    del data["edges"][2]["condition"]
    assert faults(data) == {("edges[3]", "multiple_default_edges")}
