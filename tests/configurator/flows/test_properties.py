"""Property tests: check_flow never crashes, and well-built flows always pass."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from tongban.configurator.flows import Flow, FlowError, check_flow, render_svg
from tongban.configurator.flows.examples import (
    EXAMPLES,
    business_registration_flow,
    conditional_approval_flow,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, database=None)
@given(json_values)
def test_check_flow_never_raises_on_arbitrary_json(data):
    errors = check_flow(data)
    assert all(isinstance(error, FlowError) for error in errors)


field_names = st.sampled_from(
    ["id", "kind", "label", "time_limit_days", "assignment", "actions", "point", "join_mode",
     "n", "to_level", "license_type", "from", "to", "condition"]
)


@settings(max_examples=200, deadline=None, database=None)
@given(st.data())
def test_check_flow_never_raises_on_damaged_examples(data):
    flow = copy.deepcopy(
        data.draw(st.sampled_from([business_registration_flow(), conditional_approval_flow()]))
    )
    for _ in range(data.draw(st.integers(1, 4))):
        items = flow[data.draw(st.sampled_from(["nodes", "edges"]))]
        item = items[data.draw(st.integers(0, len(items) - 1))]
        item[data.draw(field_names)] = data.draw(json_values)
    errors = check_flow(flow, promised_limit_days=data.draw(st.none() | st.integers(-2, 10)))
    assert all(error.path is not None and error.code for error in errors)


KINDS = ["review", "parallel_split", "join", "dept_task", "conclude", "decide"]


@st.composite
def random_dags(draw):
    """Forward-only graphs, so a fair share of them are valid flows."""
    count = draw(st.integers(2, 9))
    kinds = ["start"] + [draw(st.sampled_from(KINDS)) for _ in range(count - 2)] + ["conclude"]
    nodes = [_random_node(draw, index, kind) for index, kind in enumerate(kinds)]
    edges, has_incoming = [], {0}
    for source, kind in enumerate(kinds[:-1]):
        if kind == "conclude":
            continue
        later = list(range(source + 1, count))
        targets = draw(st.lists(st.sampled_from(later), min_size=1, max_size=3, unique=True))
        for position, target in enumerate(targets):
            conditional = kind != "parallel_split" and position > 0
            edges.append({"from": f"n{source}", "to": f"n{target}"}
                         | ({"condition": f"form.x > {position}"} if conditional else {}))
            has_incoming.add(target)
    return {"nodes": nodes, "edges": edges}


def _random_node(draw, index, kind):
    node = {"id": f"n{index}", "kind": kind, "label": {"zh": f"节点{index}"}}
    if kind in {"review", "decide", "dept_task"}:
        node["time_limit_days"] = draw(st.integers(0, 5))
    if kind == "dept_task":
        node["assignment"] = {"department": "d"}
    if kind == "join":
        node["join_mode"] = draw(st.sampled_from(["all", "any"]))
    return node


@settings(max_examples=300, deadline=None, database=None)
@given(random_dags())
def test_random_flows_are_checked_without_crashing(data):
    if check_flow(data):
        return
    flow = Flow.parse(data)
    render_svg(flow)
    assert flow.critical_path()[-1].kind == "conclude"
    for node in flow.nodes:
        flow.earlier_nodes(node.id)
        flow.previous_nodes(node.id)
        assert node.kind == "conclude" or flow.next_nodes(node.id, {"x": 2})


# ---------------------------------------------------------------- structured flows
# A block is ("task", days) | ("series", a, b) | ("parallel", mode, [blocks]) | ("choice", a, b).

blocks = st.recursive(
    st.tuples(st.just("task"), st.integers(0, 9)),
    lambda inner: st.tuples(st.just("series"), inner, inner)
    | st.tuples(
        st.just("parallel"),
        st.sampled_from(["all", "any"]),
        st.lists(inner, min_size=2, max_size=3),
    )
    | st.tuples(st.just("choice"), inner, inner),
    max_leaves=12,
)


class FlowBuilder:
    def __init__(self):
        self.nodes, self.edges = [], []

    def add(self, kind, **fields):
        node_id = f"n{len(self.nodes)}"
        self.nodes.append({"id": node_id, "kind": kind, "label": {"zh": node_id}, **fields})
        return node_id

    def link(self, source, target, condition=None):
        edge = {"from": source, "to": target}
        self.edges.append(edge | ({"condition": condition} if condition else {}))

    def build(self, block):
        """Add ``block``; returns (entry id, exit id, working days of its longest path)."""
        kind = block[0]
        if kind == "task":
            node_id = self.add(
                "dept_task", time_limit_days=block[1], assignment={"department": "d"}
            )
            return node_id, node_id, block[1]
        if kind == "series":
            first_in, first_out, first_days = self.build(block[1])
            second_in, second_out, second_days = self.build(block[2])
            self.link(first_out, second_in)
            return first_in, second_out, first_days + second_days
        if kind == "parallel":
            split = self.add("parallel_split")
            built = [self.build(branch) for branch in block[2]]
            join = self.add("join", join_mode=block[1])
            for entry, exit_, _ in built:
                self.link(split, entry)
                self.link(exit_, join)
            return split, join, max(days for *_, days in built)
        decide = self.add("decide", time_limit_days=1)
        taken_in, taken_out, taken_days = self.build(block[1])
        other_in, other_out, other_days = self.build(block[2])
        merge = self.add("review", time_limit_days=1)
        self.link(decide, taken_in, "form.x > 1")
        self.link(decide, other_in)
        self.link(taken_out, merge)
        self.link(other_out, merge)
        return decide, merge, 1 + max(taken_days, other_days) + 1


def structured_flow(block):
    builder = FlowBuilder()
    start = builder.add("start", time_limit_days=1)
    entry, exit_, days = builder.build(block)
    builder.link(start, entry)
    builder.link(exit_, builder.add("conclude"))
    return {"nodes": builder.nodes, "edges": builder.edges}, 1 + days


@settings(max_examples=300, deadline=None, database=None)
@given(blocks)
def test_well_structured_flows_are_valid_with_the_expected_critical_path(block):
    data, days = structured_flow(block)
    assert check_flow(data, promised_limit_days=days) == []
    assert check_flow(data, promised_limit_days=days - 1) != []
    flow = Flow.parse(data)
    assert flow.critical_path_days() == days
    assert flow.diagram_data()["critical_path_days"] == days
    render_svg(flow)
    for node in flow.nodes:
        if node.kind == "parallel_split":
            assert flow.join_of(node.id).kind == "join"
    assert_edges_avoid_boxes(flow.diagram_data())


def assert_edges_avoid_boxes(diagram):
    """Edges are orthogonal polylines that never cross a box other than their own ends."""
    for edge in diagram["edges"]:
        segments = list(zip(edge["points"], edge["points"][1:]))
        assert all(x1 == x2 or y1 == y2 for (x1, y1), (x2, y2) in segments)
        for node in diagram["nodes"]:
            if node["id"] in (edge["from"], edge["to"]):
                continue
            for segment in segments:
                assert not crosses(segment, node), (edge["from"], edge["to"], node["id"])


def crosses(segment, node):
    (x1, y1), (x2, y2) = segment
    left, right = node["x"] - node["width"] / 2, node["x"] + node["width"] / 2
    top, bottom = node["y"] - node["height"] / 2, node["y"] + node["height"] / 2
    return (
        min(x1, x2) < right and max(x1, x2) > left and min(y1, y2) < bottom and max(y1, y2) > top
    )


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_diagrams_route_edges_around_boxes(name):
    assert_edges_avoid_boxes(Flow.parse(EXAMPLES[name]()).diagram_data())
