"""Runtime helpers the approval engine uses: routing, joins, going back, time limits."""

from __future__ import annotations

import pytest

from tongban.configurator.flows import (
    Action,
    ConditionError,
    Flow,
    JoinMode,
    NodeKind,
    Point,
    UnknownNode,
    check_flow,
)
from tongban.configurator.flows.examples import (
    EXAMPLES,
    business_registration_flow,
    conditional_approval_flow,
    immediate_flow,
    promised_flow,
    report_up_flow,
)


def ids(nodes) -> list[str]:
    return [node.id for node in nodes]


def registration_with_join(mode: str, n: int | None = None) -> Flow:
    data = business_registration_flow()
    join = next(node for node in data["nodes"] if node["id"] == "join")
    join["join_mode"] = mode
    if n is not None:
        join["n"] = n
    return Flow.parse(data)


# ---------------------------------------------------------------- next_nodes


def test_linear_next_nodes():
    flow = Flow.parse(promised_flow())
    assert ids(flow.next_nodes("accept", {})) == ["review"]
    assert ids(flow.next_nodes("certificate")) == ["conclude"]
    assert flow.next_nodes("conclude", {}) == []


def test_conditional_edge_taken_when_true():
    flow = Flow.parse(conditional_approval_flow())
    assert ids(flow.next_nodes("decide", {"investment_wan_yuan": 8000})) == ["collective"]


def test_default_edge_taken_otherwise():
    flow = Flow.parse(conditional_approval_flow())
    assert ids(flow.next_nodes("decide", {"investment_wan_yuan": 5000})) == ["fee"]
    assert ids(flow.next_nodes("decide", {"investment_wan_yuan": 12.5})) == ["fee"]


def test_first_true_condition_wins_in_edge_order():
    data = conditional_approval_flow()
    data["edges"].insert(3, {"from": "decide", "to": "certificate", "condition": "form.urgent"})
    flow = Flow.parse(data)
    both = {"investment_wan_yuan": 9000, "urgent": True}
    assert ids(flow.next_nodes("decide", both)) == ["collective"]
    assert ids(flow.next_nodes("decide", {"investment_wan_yuan": 1, "urgent": True})) == [
        "certificate"
    ]
    assert ids(flow.next_nodes("decide", {"investment_wan_yuan": 1, "urgent": False})) == ["fee"]


def test_condition_over_nested_form_data():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "form.items.exists(i, i.category == 'hazardous')"
    flow = Flow.parse(data)
    hazardous = {"items": [{"category": "plain"}, {"category": "hazardous"}]}
    assert ids(flow.next_nodes("decide", hazardous)) == ["collective"]
    assert ids(flow.next_nodes("decide", {"items": []})) == ["fee"]


def test_condition_on_missing_field_raises():
    flow = Flow.parse(conditional_approval_flow())
    with pytest.raises(ConditionError) as caught:
        flow.next_nodes("decide", {})
    assert caught.value.source == "decide" and caught.value.target == "collective"


def test_condition_with_wrong_type_raises():
    flow = Flow.parse(conditional_approval_flow())
    with pytest.raises(ConditionError):
        flow.next_nodes("decide", {"investment_wan_yuan": "a lot"})


def test_condition_must_yield_a_boolean():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "form.investment_wan_yuan + 1"
    flow = Flow.parse(data)
    with pytest.raises(ConditionError):
        flow.next_nodes("decide", {"investment_wan_yuan": 1})


def test_guarded_optional_field_does_not_raise():
    data = conditional_approval_flow()
    data["edges"][2]["condition"] = "has(form.amount) && form.amount > 100"
    flow = Flow.parse(data)
    assert ids(flow.next_nodes("decide", {})) == ["fee"]
    assert ids(flow.next_nodes("decide", {"amount": 101})) == ["collective"]


def test_after_a_split_all_branch_heads_are_next():
    flow = Flow.parse(business_registration_flow())
    assert ids(flow.next_nodes("accept", {})) == ["split"]
    assert ids(flow.next_nodes("split", {})) == ["market", "seal", "tax", "social"]
    assert ids(flow.next_nodes("tax", {})) == ["join"]
    assert ids(flow.next_nodes("join", {})) == ["license"]


def test_unknown_node_id():
    flow = Flow.parse(promised_flow())
    with pytest.raises(UnknownNode):
        flow.next_nodes("nope", {})
    with pytest.raises(KeyError):
        flow.node("nope")


# ---------------------------------------------------------------- splits and joins


def test_join_of_and_branch_heads():
    flow = Flow.parse(business_registration_flow())
    assert flow.join_of("split").id == "join"
    assert flow.split_of("join").id == "split"
    assert ids(flow.branch_heads("split")) == ["market", "seal", "tax", "social"]
    assert {node.assignment.department for node in flow.branch_heads("split")} == {
        "market_regulation",
        "public_security",
        "taxation",
        "human_resources_social_security",
    }


def test_join_helpers_refuse_other_kinds():
    flow = Flow.parse(business_registration_flow())
    with pytest.raises(ValueError):
        flow.join_of("join")
    with pytest.raises(ValueError):
        flow.is_join_satisfied("split", 1, 4)


def test_join_all_needs_every_branch():
    flow = registration_with_join("all")
    assert flow.node("join").join_mode is JoinMode.ALL
    assert not flow.is_join_satisfied("join", 3, 4)
    assert flow.is_join_satisfied("join", 4, 4)
    assert flow.is_join_satisfied("join", 4)  # total defaults to the split's branches


def test_join_any_needs_one_branch():
    flow = registration_with_join("any")
    assert not flow.is_join_satisfied("join", 0, 4)
    assert flow.is_join_satisfied("join", 1, 4)


def test_join_n_of_needs_n_branches():
    flow = registration_with_join("n_of", n=3)
    assert not flow.is_join_satisfied("join", 2, 4)
    assert flow.is_join_satisfied("join", 3, 4)
    assert flow.is_join_satisfied("join", 4, 4)
    assert flow.is_join_satisfied("join", 2, 2)  # never waits for more than exist


@pytest.mark.parametrize("completed, total", [(-1, 4), (5, 4), (0, 0)])
def test_join_refuses_impossible_counts(completed, total):
    flow = registration_with_join("all")
    with pytest.raises(ValueError):
        flow.is_join_satisfied("join", completed, total)


# ---------------------------------------------------------------- going back


def test_previous_nodes():
    flow = Flow.parse(promised_flow())
    assert ids(flow.previous_nodes("decide")) == ["review"]
    assert flow.previous_nodes("accept") == []


def test_previous_nodes_look_through_gateways():
    flow = Flow.parse(business_registration_flow())
    assert ids(flow.previous_nodes("license")) == ["market", "seal", "tax", "social"]
    assert ids(flow.previous_nodes("tax")) == ["accept"]


def test_previous_nodes_after_a_conditional_merge():
    flow = Flow.parse(conditional_approval_flow())
    assert ids(flow.previous_nodes("fee")) == ["decide", "collective"]


def test_earlier_nodes_for_roll_back():
    flow = Flow.parse(conditional_approval_flow())
    assert ids(flow.earlier_nodes("certificate")) == [
        "accept",
        "review",
        "decide",
        "collective",
        "fee",
    ]
    assert flow.earlier_nodes("accept") == []


def test_earlier_nodes_leave_out_gateways_and_parallel_siblings():
    flow = Flow.parse(business_registration_flow())
    assert ids(flow.earlier_nodes("tax")) == ["accept"]
    assert ids(flow.earlier_nodes("license")) == ["accept", "market", "seal", "tax", "social"]


# ---------------------------------------------------------------- node facts


def test_node_point_defaults_from_kind():
    flow = Flow.parse(business_registration_flow())
    assert flow.node_point("accept") is Point.ACCEPTANCE
    assert flow.node_point("tax") is Point.HANDLING
    assert flow.node_point("license") is Point.CONCLUSION
    assert flow.node_point("conclude") is Point.CONCLUSION
    promised = Flow.parse(promised_flow())
    assert promised.node_point("review") is Point.REVIEW
    assert promised.node_point("decide") is Point.DECISION
    assert Point.DECISION.zh == "批准"


def test_node_point_can_be_overridden():
    data = promised_flow()
    data["nodes"][1]["point"] = "handling"
    assert Flow.parse(data).node_point("review") is Point.HANDLING


def test_actions_default_per_kind_and_can_be_restricted():
    flow = Flow.parse(promised_flow())
    assert flow.node("accept").allows(Action.REFUSE_TO_ACCEPT)
    assert flow.node("review").allows("return_for_supplement")
    assert flow.node("decide").actions == (
        Action.APPROVE,
        Action.REJECT,
        Action.ROLL_BACK,
        Action.RETURN_PREVIOUS,
    )
    assert not flow.node("decide").allows(Action.FORWARD)


def test_report_up_node():
    flow = Flow.parse(report_up_flow())
    report = flow.node("report")
    assert report.kind is NodeKind.REPORT_UP
    assert report.to_level == "city_county"
    assert report.allows(Action.REPORT_UP)


def test_license_type():
    flow = Flow.parse(business_registration_flow())
    assert flow.node("license").license_type == "business_license"


# ---------------------------------------------------------------- time limits


def test_critical_path_days_of_a_linear_flow():
    assert Flow.parse(promised_flow()).critical_path_days() == 7
    assert Flow.parse(immediate_flow()).critical_path_days() == 0


def test_critical_path_counts_parallel_branches_as_their_max():
    data = business_registration_flow()
    days = {"market": 1, "seal": 2, "tax": 4, "social": 3}
    for node in data["nodes"]:
        node["time_limit_days"] = days.get(node["id"], node.get("time_limit_days"))
    flow = Flow.parse(data)
    assert flow.critical_path_days() == 0 + 4 + 1
    assert ids(flow.critical_path()) == ["accept", "split", "tax", "join", "license", "conclude"]


def test_critical_path_takes_the_longer_conditional_route():
    flow = Flow.parse(conditional_approval_flow())
    assert flow.critical_path_days() == 1 + 5 + 3 + 5 + 2 + 1
    assert "collective" in ids(flow.critical_path())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_parse(name):
    flow = Flow.parse(EXAMPLES[name]())
    assert flow.start_node.kind is NodeKind.START
    assert check_flow(flow.to_dict()) == []


def test_nodes_in_flow_order():
    flow = Flow.parse(business_registration_flow())
    order = ids(flow.nodes_in_flow_order())
    assert order[0] == "accept" and order[-1] == "conclude"
    assert order.index("split") < order.index("tax") < order.index("join") < order.index("license")
