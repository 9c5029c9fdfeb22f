"""The flow editor: nodes and edges as editable rows (kind, label, time limit, assignment, actions,
join and report-up settings, edge conditions); the diagram comes from ``render_svg`` of the saved flow."""

from __future__ import annotations

from tongban.configurator.admin.paths import Fault, append, apply_row_op, from_problems, remove
from tongban.configurator.admin.posted import Posted, as_text, label_parts
from tongban.configurator.flows import Flow, FlowInvalid, check_flow, render_svg
from tongban.configurator.items.assignees import choices as assignee_choices
from tongban.configurator.flows.examples import EXAMPLES
from tongban.configurator.flows.model import (
    DEFAULT_ACTIONS,
    GATEWAY_KINDS,
    START_ONLY_ACTIONS,
    Action,
    NodeKind,
)

KIND_LABELS = {
    "start": ("受理", "Acceptance"),
    "review": ("审查", "Review"),
    "decide": ("决定", "Decision"),
    "dept_task": ("部门任务", "Department task"),
    "parallel_split": ("并行分支", "Parallel split"),
    "join": ("汇聚", "Join"),
    "report_up": ("上报", "Report up"),
    "pay_fee": ("缴费", "Fee payment"),
    "issue_certificate": ("制证发证", "Issue certificate"),
    "conclude": ("办结", "Conclude"),
}
ACTION_LABELS = {
    "accept": ("受理", "Accept"),
    "refuse_to_accept": ("不予受理", "Refuse"),
    "return_for_supplement": ("补正", "Ask for supplements"),
    "approve": ("通过", "Approve"),
    "reject": ("不予许可", "Reject"),
    "forward": ("转办", "Forward"),
    "roll_back": ("回退", "Roll back"),
    "return_previous": ("退回上一步", "Return to previous"),
    "report_up": ("上报", "Report up"),
}
POINT_LABELS = {
    "": ("按类型默认", "Default for the kind"),
    "acceptance": ("受理", "Acceptance"),
    "handling": ("承办", "Handling"),
    "review": ("审核", "Review"),
    "decision": ("批准", "Decision"),
    "conclusion": ("办结", "Conclusion"),
}
JOIN_MODES = {
    "all": ("全部完成", "All branches"),
    "any": ("任一完成", "Any branch"),
    "n_of": ("N 项完成", "N of them"),
}
LEVELS = {
    "province": ("省级", "Province"),
    "city_county": ("市县级", "City/county"),
    "district": ("区级", "District"),
    "township": ("乡镇级", "Township"),
}
TEMPLATES = {
    "immediate": ("即办件", "On the spot"),
    "promised": ("承诺件", "Promised time"),
    "business_registration": ("并联办理（多证合一）", "Parallel (multi-certificate)"),
    "conditional_approval": ("条件分支", "Conditional branch"),
    "report_up": ("上报件", "Reported up"),
}
UNTIMED = {"start", "conclude", "parallel_split", "join"}


# ---------------------------------------------------------------- reading what was posted


def read(posted: Posted, saved=None) -> dict:
    flow: dict = {}
    name = posted.label("name")
    if name:
        flow["name"] = name
    flow["nodes"] = [read_node(posted, f"nodes[{i}]") for i in posted.indices("nodes")]
    flow["edges"] = [read_edge(posted, f"edges[{i}]") for i in posted.indices("edges")]
    return flow


def read_node(posted: Posted, row: str) -> dict:
    kind = posted.text(f"{row}.kind")
    node: dict = {"id": posted.text(f"{row}.id"), "kind": kind}
    label = posted.label(f"{row}.label")
    if label:
        node["label"] = label
    if posted.text(f"{row}.point"):
        node["point"] = posted.text(f"{row}.point")
    if posted.checked(f"{row}.actions_custom"):
        node["actions"] = posted.values(f"{row}.actions")
    if kind not in {k.value for k in GATEWAY_KINDS}:
        if posted.number(f"{row}.time_limit_days") is not None:
            node["time_limit_days"] = posted.number(f"{row}.time_limit_days")
        assignment = {
            k: posted.text(f"{row}.assignment.{k}")
            for k in ("role", "department")
            if posted.text(f"{row}.assignment.{k}")
        }
        if assignment:
            node["assignment"] = assignment
    node.update(_kind_fields(posted, row, kind))
    return node


def _kind_fields(posted: Posted, row: str, kind: str) -> dict:
    if kind == "join":
        fields: dict = {"join_mode": posted.text(f"{row}.join_mode") or "all"}
        if fields["join_mode"] == "n_of":
            fields["n"] = posted.number(f"{row}.n")
        return fields
    if kind == "report_up" and posted.text(f"{row}.to_level"):
        return {"to_level": posted.text(f"{row}.to_level")}
    if kind == "issue_certificate" and posted.text(f"{row}.license_type"):
        return {"license_type": posted.text(f"{row}.license_type")}
    return {}


def read_edge(posted: Posted, row: str) -> dict:
    edge = {"from": posted.text(f"{row}.from"), "to": posted.text(f"{row}.to")}
    if posted.text(f"{row}.condition"):
        edge["condition"] = posted.text(f"{row}.condition")
    label = posted.label(f"{row}.label")
    if label:
        edge["label"] = label
    return edge


# ---------------------------------------------------------------- structural operations


def apply(flow: dict, verb: str, path: str, posted: Posted) -> dict:
    if verb == "template" and path in EXAMPLES:
        return EXAMPLES[path]()
    if verb == "add" and path == "nodes":
        kind = posted.text("nodes.new_kind") or "review"
        append(flow, "nodes", _new_node(flow, kind))
    elif verb == "add" and path == "edges":
        ids = [n.get("id", "") for n in flow.get("nodes") or []]
        append(flow, "edges", {"from": ids[-2] if len(ids) > 1 else "", "to": ids[-1] if ids else ""})
    elif verb == "remove" and path.startswith("nodes["):
        gone = remove(flow, path)
        if isinstance(gone, dict):  # the node's edges go with it
            flow["edges"] = [
                e for e in flow.get("edges") or [] if gone.get("id") not in (e.get("from"), e.get("to"))
            ]
    else:
        apply_row_op(flow, verb, path)
    return flow


def _new_node(flow: dict, kind: str) -> dict:
    taken = {n.get("id") for n in flow.get("nodes") or []}
    number = len(taken) + 1
    while f"{kind}_{number}" in taken:
        number += 1
    zh, en = KIND_LABELS.get(kind, (kind, kind))
    node: dict = {"id": f"{kind}_{number}", "kind": kind, "label": {"zh": zh, "en": en}}
    if kind not in UNTIMED:
        node["time_limit_days"] = 1
    if kind == "dept_task":
        node["assignment"] = {"department": ""}
    if kind == "join":
        node["join_mode"] = "all"
    return node


def check(flow: dict, content: dict | None = None) -> list[Fault]:
    promised = ((content or {}).get("elements") or {}).get("promised_limit_days")
    limit = promised if isinstance(promised, int) and not isinstance(promised, bool) else None
    return from_problems(check_flow(flow, promised_limit_days=limit))


def diagram(flow) -> str | None:
    """The SVG of a flow that parses (the domain escapes every text in it); None otherwise."""
    if not flow:
        return None
    try:
        return render_svg(Flow.parse(flow))
    except (FlowInvalid, TypeError, ValueError):
        return None


# ---------------------------------------------------------------- what the template shows


def node_view(node: dict, path: str) -> dict:
    kind = node.get("kind", "")
    zh, en = label_parts(node.get("label"))
    assignment = node.get("assignment") if isinstance(node.get("assignment"), dict) else {}
    custom = isinstance(node.get("actions"), list)
    try:
        defaults = [a.value for a in DEFAULT_ACTIONS[NodeKind(kind)]]
    except ValueError:
        defaults = []
    return {
        "path": path,
        "id": as_text(node.get("id")),
        "kind": kind,
        "label_zh": zh,
        "label_en": en,
        "point": as_text(node.get("point")),
        "time_limit_days": as_text(node.get("time_limit_days")),
        "role": as_text(assignment.get("role")),
        "department": as_text(assignment.get("department")),
        "actions_custom": custom,
        "actions": node["actions"] if custom else defaults,
        "action_choices": _action_choices(kind),
        "timed": kind not in {g.value for g in GATEWAY_KINDS},
        "join_mode": as_text(node.get("join_mode") or "all"),
        "n": as_text(node.get("n")),
        "to_level": as_text(node.get("to_level")),
        "license_type": as_text(node.get("license_type")),
        "kind_label": KIND_LABELS.get(kind, (kind, kind)),
    }


def _action_choices(kind: str) -> list[str]:
    if kind in {g.value for g in GATEWAY_KINDS}:
        return []
    return [a.value for a in Action if kind == "start" or a not in START_ONLY_ACTIONS]


def edge_view(edge: dict, path: str) -> dict:
    zh, en = label_parts(edge.get("label"))
    return {
        "path": path,
        "from": as_text(edge.get("from")),
        "to": as_text(edge.get("to")),
        "condition": as_text(edge.get("condition")),
        "label_zh": zh,
        "label_en": en,
    }


def view(flow: dict | None) -> dict:
    flow = flow or {}
    zh, en = label_parts(flow.get("name"))
    nodes = [
        node_view(n, f"nodes[{i}]") for i, n in enumerate(flow.get("nodes") or []) if isinstance(n, dict)
    ]
    edges = [
        edge_view(e, f"edges[{i}]") for i, e in enumerate(flow.get("edges") or []) if isinstance(e, dict)
    ]
    return {
        "name_zh": zh,
        "name_en": en,
        "nodes": nodes,
        "edges": edges,
        "node_choices": {n["id"]: (n["id"], n["label_zh"]) for n in nodes if n["id"]},
        "kinds": KIND_LABELS,
        "action_labels": ACTION_LABELS,
        "points": POINT_LABELS,
        "join_modes": JOIN_MODES,
        "levels": LEVELS,
        "templates": TEMPLATES,
        "assignee_choices": assignee_choices(),
    }
