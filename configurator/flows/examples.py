"""Example flow definitions (plain JSON-ready dicts), used by docs, seeds and tests.

Each function returns a fresh dict, so callers may modify it freely.
``PROMISED_LIMIT_DAYS`` holds the promised limit (承诺时限) of each example item.
"""

from __future__ import annotations

from typing import Any, Callable

FlowDict = dict[str, Any]


def _node(node_id: str, kind: str, zh: str, en: str, **fields: Any) -> dict[str, Any]:
    return {"id": node_id, "kind": kind, "label": {"zh": zh, "en": en}, **fields}


def _edge(source: str, target: str, condition: str | None = None, **fields: Any) -> dict:
    edge: dict[str, Any] = {"from": source, "to": target, **fields}
    if condition is not None:
        edge["condition"] = condition
    return edge


def _accept(time_limit_days: int = 1) -> dict[str, Any]:
    return _node(
        "accept", "start", "受理", "Acceptance",
        time_limit_days=time_limit_days,
        assignment={"role": "window_clerk"},
        actions=["accept", "refuse_to_accept", "return_for_supplement"],
    )


def _conclude() -> dict[str, Any]:
    return _node("conclude", "conclude", "办结", "Concluded")


def immediate_flow() -> FlowDict:
    """即办件: accepted and concluded on the spot."""
    return {
        "name": {"zh": "即办件", "en": "On-the-spot item"},
        "nodes": [_accept(time_limit_days=0), _conclude()],
        "edges": [_edge("accept", "conclude")],
    }


def promised_flow() -> FlowDict:
    """承诺件: accept → review → decide → issue certificate → conclude."""
    return {
        "name": {"zh": "承诺件", "en": "Promised-time item"},
        "nodes": [
            _accept(),
            _node("review", "review", "审查", "Review", time_limit_days=3,
                  assignment={"role": "reviewer"}),
            _node("decide", "decide", "决定", "Decision", time_limit_days=2,
                  assignment={"role": "approver"},
                  actions=["approve", "reject", "roll_back", "return_previous"]),
            _node("certificate", "issue_certificate", "制证发证", "Issue certificate",
                  time_limit_days=1, assignment={"role": "certificate_clerk"}),
            _conclude(),
        ],
        "edges": [
            _edge("accept", "review"),
            _edge("review", "decide"),
            _edge("decide", "certificate"),
            _edge("certificate", "conclude"),
        ],
    }


_REGISTRATION_TASKS = (
    ("market", "市场监管登记", "Market regulation registration", "market_regulation"),
    ("seal", "公安刻章备案", "Seal engraving (public security)", "public_security"),
    ("tax", "税务登记", "Tax registration", "taxation"),
    ("social", "社保登记", "Social insurance registration", "human_resources_social_security"),
)


def business_registration_flow() -> FlowDict:
    """企业设立登记（多证合一）: four departments work in parallel, then one license."""
    tasks = [
        _node(node_id, "dept_task", zh, en, time_limit_days=1,
              assignment={"role": "registrar", "department": department})
        for node_id, zh, en, department in _REGISTRATION_TASKS
    ]
    return {
        "name": {"zh": "企业设立登记（多证合一）", "en": "Business registration (multi-certificate)"},
        "nodes": [
            _accept(time_limit_days=0),
            _node("split", "parallel_split", "并联办理", "Parallel handling"),
            *tasks,
            _node("join", "join", "汇聚", "Join", join_mode="all"),
            _node("license", "issue_certificate", "核发营业执照", "Issue business license",
                  time_limit_days=1, license_type="business_license",
                  assignment={"role": "certificate_clerk", "department": "market_regulation"}),
            _conclude(),
        ],
        "edges": [
            _edge("accept", "split"),
            *(_edge("split", node_id) for node_id, *_ in _REGISTRATION_TASKS),
            *(_edge(node_id, "join") for node_id, *_ in _REGISTRATION_TASKS),
            _edge("join", "license"),
            _edge("license", "conclude"),
        ],
    }


LARGE_INVESTMENT_WAN_YUAN = 5000  # 万元


def conditional_approval_flow() -> FlowDict:
    """Project approval: investments above the threshold need a collective decision."""
    return {
        "name": {"zh": "企业投资项目核准", "en": "Enterprise investment project approval"},
        "nodes": [
            _accept(),
            _node("review", "review", "审查", "Review", time_limit_days=5,
                  assignment={"role": "reviewer"}),
            _node("decide", "decide", "决定", "Decision", time_limit_days=3,
                  assignment={"role": "approver"}),
            _node("collective", "decide", "集体审议", "Collective deliberation",
                  time_limit_days=5, assignment={"role": "leadership"}),
            _node("fee", "pay_fee", "缴费", "Pay fee", time_limit_days=2,
                  assignment={"role": "cashier"}),
            _node("certificate", "issue_certificate", "核发批复", "Issue approval document",
                  time_limit_days=1, license_type="project_approval"),
            _conclude(),
        ],
        "edges": [
            _edge("accept", "review"),
            _edge("review", "decide"),
            _edge("decide", "collective", f"form.investment_wan_yuan > {LARGE_INVESTMENT_WAN_YUAN}",
                  label={"zh": "投资额超过 5000 万元", "en": "Investment over 50 million yuan"}),
            _edge("decide", "fee"),
            _edge("collective", "fee"),
            _edge("fee", "certificate"),
            _edge("certificate", "conclude"),
        ],
    }


def report_up_flow() -> FlowDict:
    """最低生活保障审批: the township accepts and checks, the city/county decides."""
    return {
        "name": {"zh": "最低生活保障审批", "en": "Minimum living allowance approval"},
        "nodes": [
            _accept(),
            _node("survey", "review", "入户调查", "Household survey", time_limit_days=10,
                  assignment={"role": "social_assistance_officer", "department": "civil_affairs"}),
            _node("report", "report_up", "上报市县民政", "Report to city/county civil affairs",
                  time_limit_days=1, to_level="city_county",
                  assignment={"role": "township_leader"}),
            _node("decide", "decide", "审批", "Approval", time_limit_days=10,
                  assignment={"role": "approver", "department": "civil_affairs"}),
            _conclude(),
        ],
        "edges": [
            _edge("accept", "survey"),
            _edge("survey", "report"),
            _edge("report", "decide"),
            _edge("decide", "conclude"),
        ],
    }


EXAMPLES: dict[str, Callable[[], FlowDict]] = {
    "immediate": immediate_flow,
    "promised": promised_flow,
    "business_registration": business_registration_flow,
    "conditional_approval": conditional_approval_flow,
    "report_up": report_up_flow,
}

PROMISED_LIMIT_DAYS: dict[str, int] = {
    "immediate": 0,
    "promised": 10,
    "business_registration": 3,
    "conditional_approval": 20,
    "report_up": 25,
}
