"""Field-level parsing of a flow document (dict) into nodes and edges.

Collects every problem as a ``FlowError`` instead of stopping at the first one.
Graph-level rules (reachability, nesting, time limits) live in ``structure``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .conditions import ConditionCompileError, compile_condition
from .errors import FlowError, flow_error
from .model import (
    DEFAULT_ACTIONS,
    DEFAULT_POINTS,
    GATEWAY_KINDS,
    KIND_ALIASES,
    START_ONLY_ACTIONS,
    UNTIMED_KINDS,
    Action,
    Assignment,
    Edge,
    JoinMode,
    Label,
    Node,
    NodeKind,
    Point,
    TenantLevel,
)

NODE_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_COMMON_FIELDS = frozenset({"id", "kind", "label", "point", "actions"})
_TASK_FIELDS = frozenset({"time_limit_days", "assignment"})
_KIND_FIELDS: dict[NodeKind, frozenset[str]] = {
    NodeKind.JOIN: frozenset({"join_mode", "n"}),
    NodeKind.REPORT_UP: frozenset({"to_level"}),
    NodeKind.ISSUE_CERTIFICATE: frozenset({"license_type"}),
}
_ALL_NODE_FIELDS = _COMMON_FIELDS | _TASK_FIELDS | frozenset().union(*_KIND_FIELDS.values())
_EDGE_FIELDS = frozenset({"from", "to", "condition", "label"})


@dataclass
class ParsedDocument:
    nodes: list[Node] = field(default_factory=list)
    node_index: dict[str, int] = field(default_factory=dict)  # id -> position in "nodes"
    declared_ids: set[str] = field(default_factory=set)  # ids of every raw node, valid or not
    edges: list[tuple[int, Edge]] = field(default_factory=list)  # (position in "edges", edge)
    name: Label | None = None
    errors: list[FlowError] = field(default_factory=list)
    # False when a node or edge had to be dropped: graph checks would only cascade.
    graph_complete: bool = True

    def fail(self, path: str, code: str, **params: object) -> None:
        self.errors.append(flow_error(path, code, **params))


def parse_document(data: Any) -> ParsedDocument:
    doc = ParsedDocument()
    if not isinstance(data, dict):
        doc.fail("", "not_an_object")
        doc.graph_complete = False
        return doc
    if data.get("name") is not None:
        doc.name = _parse_label(data["name"], "name", doc, code="name_invalid")
    _parse_nodes(data.get("nodes"), doc)
    _parse_edges(data.get("edges"), doc)
    return doc


# ---------------------------------------------------------------- nodes


def _parse_nodes(raw_nodes: Any, doc: ParsedDocument) -> None:
    if not isinstance(raw_nodes, list) or not raw_nodes:
        doc.fail("nodes", "nodes_invalid")
        doc.graph_complete = False
        return
    doc.declared_ids = {
        raw["id"] for raw in raw_nodes if isinstance(raw, dict) and isinstance(raw.get("id"), str)
    }
    for position, raw in enumerate(raw_nodes):
        node = _parse_node(raw, f"nodes[{position}]", doc)
        if node is None:
            doc.graph_complete = False
        elif node.id in doc.node_index:
            doc.fail(f"nodes[{position}].id", "duplicate_id", id=node.id)
            doc.graph_complete = False
        else:
            doc.node_index[node.id] = position
            doc.nodes.append(node)


def _parse_node(raw: Any, path: str, doc: ParsedDocument) -> Node | None:
    if not isinstance(raw, dict):
        doc.fail(path, "node_not_object")
        return None
    node_id = _parse_node_id(raw.get("id"), f"{path}.id", doc)
    kind = _parse_kind(raw.get("kind"), f"{path}.kind", doc)
    if node_id is None or kind is None:
        return None
    _check_node_fields(raw, kind, path, doc)
    join_mode = _parse_join_mode(raw, path, doc) if kind is NodeKind.JOIN else None
    return Node(
        id=node_id,
        kind=kind,
        label=_parse_label(raw.get("label"), f"{path}.label", doc) or Label(node_id),
        point=_parse_point(raw.get("point"), kind, f"{path}.point", doc),
        actions=_parse_actions(raw.get("actions"), kind, f"{path}.actions", doc),
        time_limit_days=_parse_time_limit(raw.get("time_limit_days"), kind, path, doc),
        assignment=_parse_assignment(raw.get("assignment"), kind, path, doc),
        join_mode=join_mode,
        n=_parse_join_n(raw.get("n"), join_mode, f"{path}.n", doc),
        to_level=_parse_to_level(raw.get("to_level"), kind, f"{path}.to_level", doc),
        license_type=_parse_license_type(raw.get("license_type"), kind, path, doc),
    )


def _parse_node_id(value: Any, path: str, doc: ParsedDocument) -> str | None:
    if isinstance(value, str) and NODE_ID_PATTERN.fullmatch(value):
        return value
    doc.fail(path, "id_invalid")
    return None


def _parse_kind(value: Any, path: str, doc: ParsedDocument) -> NodeKind | None:
    if value is None:
        doc.fail(path, "kind_missing")
        return None
    if isinstance(value, str) and value in KIND_ALIASES:
        return KIND_ALIASES[value]
    try:
        return NodeKind(value)
    except ValueError:
        doc.fail(path, "unknown_kind", kind=value)
        return None


def _check_node_fields(raw: dict, kind: NodeKind, path: str, doc: ParsedDocument) -> None:
    allowed = _COMMON_FIELDS | _KIND_FIELDS.get(kind, frozenset())
    if kind not in GATEWAY_KINDS:
        allowed |= _TASK_FIELDS
    for name in raw:
        if name not in _ALL_NODE_FIELDS:
            doc.fail(f"{path}.{name}", "unknown_field", field=name)
        elif name not in allowed and raw[name] is not None:
            doc.fail(f"{path}.{name}", "field_not_allowed", kind=kind.value, field=name)


def _parse_label(
    value: Any, path: str, doc: ParsedDocument, *, code: str = "label_invalid"
) -> Label | None:
    if not isinstance(value, dict) or set(value) - {"zh", "en"}:
        doc.fail(path, code)
        return None
    zh, en = value.get("zh"), value.get("en")
    if not _is_text(zh) or not (en is None or isinstance(en, str)):
        doc.fail(path, code)
        return None
    return Label(zh.strip(), en.strip() or None if en else None)


def _parse_point(value: Any, kind: NodeKind, path: str, doc: ParsedDocument) -> Point:
    if value is None:
        return DEFAULT_POINTS[kind]
    try:
        return Point(value)
    except ValueError:
        doc.fail(path, "point_invalid")
        return DEFAULT_POINTS[kind]


def _parse_actions(
    value: Any, kind: NodeKind, path: str, doc: ParsedDocument
) -> tuple[Action, ...]:
    if value is None:
        return DEFAULT_ACTIONS[kind]
    if not isinstance(value, list):
        doc.fail(path, "actions_invalid")
        return ()
    actions: list[Action] = []
    for position, name in enumerate(value):
        action = _parse_action(name, kind, f"{path}[{position}]", doc)
        if action is not None and action in actions:
            doc.fail(f"{path}[{position}]", "duplicate_action", action=action.value)
        elif action is not None:
            actions.append(action)
    return tuple(actions)


def _parse_action(name: Any, kind: NodeKind, path: str, doc: ParsedDocument) -> Action | None:
    try:
        action = Action(name)
    except ValueError:
        doc.fail(path, "unknown_action", action=name)
        return None
    misplaced = kind in GATEWAY_KINDS or (
        action in START_ONLY_ACTIONS and kind is not NodeKind.START
    )
    if misplaced:
        doc.fail(path, "action_not_allowed", kind=kind.value, action=action.value)
        return None
    return action


def _parse_time_limit(
    value: Any, kind: NodeKind, node_path: str, doc: ParsedDocument
) -> int | None:
    path = f"{node_path}.time_limit_days"
    if value is None:
        if kind not in UNTIMED_KINDS:
            doc.fail(path, "time_limit_missing", kind=kind.value)
        return None
    if kind in GATEWAY_KINDS:
        return None  # already reported as field_not_allowed
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        doc.fail(path, "time_limit_invalid")
        return None
    return value


def _parse_assignment(
    value: Any, kind: NodeKind, node_path: str, doc: ParsedDocument
) -> Assignment | None:
    path = f"{node_path}.assignment"
    assignment = None
    if value is not None and kind not in GATEWAY_KINDS:
        assignment = _parse_assignment_fields(value, path, doc)
    if kind is NodeKind.DEPT_TASK and (assignment is None or assignment.department is None):
        doc.fail(f"{path}.department", "department_missing")
    return assignment


def _parse_assignment_fields(value: Any, path: str, doc: ParsedDocument) -> Assignment | None:
    if not isinstance(value, dict):
        doc.fail(path, "assignment_invalid")
        return None
    for name in set(value) - {"role", "department"}:
        doc.fail(f"{path}.{name}", "unknown_field", field=name)
    return Assignment(
        role=_optional_text(value.get("role"), f"{path}.role", "assignment_invalid", doc),
        department=_optional_text(
            value.get("department"), f"{path}.department", "assignment_invalid", doc
        ),
    )


def _parse_join_mode(raw: dict, path: str, doc: ParsedDocument) -> JoinMode:
    value = raw.get("join_mode")
    if value is None:
        return JoinMode.ALL
    try:
        return JoinMode(value)
    except ValueError:
        doc.fail(f"{path}.join_mode", "join_mode_invalid")
        return JoinMode.ALL


def _parse_join_n(
    value: Any, join_mode: JoinMode | None, path: str, doc: ParsedDocument
) -> int | None:
    if join_mode is not JoinMode.N_OF:
        if value is not None and join_mode is not None:
            doc.fail(path, "join_n_unexpected")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        doc.fail(path, "join_n_invalid")
        return None
    return value


def _parse_to_level(
    value: Any, kind: NodeKind, path: str, doc: ParsedDocument
) -> TenantLevel | None:
    if kind is not NodeKind.REPORT_UP:
        return None
    if value is None:
        doc.fail(path, "to_level_missing")
        return None
    try:
        return TenantLevel(value)
    except ValueError:
        doc.fail(path, "to_level_invalid")
        return None


def _parse_license_type(
    value: Any, kind: NodeKind, node_path: str, doc: ParsedDocument
) -> str | None:
    if kind is not NodeKind.ISSUE_CERTIFICATE:
        return None
    return _optional_text(value, f"{node_path}.license_type", "license_type_invalid", doc)


def _optional_text(value: Any, path: str, code: str, doc: ParsedDocument) -> str | None:
    if value is None:
        return None
    if not _is_text(value):
        doc.fail(path, code)
        return None
    return value.strip()


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# ---------------------------------------------------------------- edges


def _parse_edges(raw_edges: Any, doc: ParsedDocument) -> None:
    if not isinstance(raw_edges, list):
        doc.fail("edges", "edges_invalid")
        doc.graph_complete = False
        return
    seen: set[tuple[str, str]] = set()
    for position, raw in enumerate(raw_edges):
        edge = _parse_edge(raw, f"edges[{position}]", doc)
        if edge is None:
            doc.graph_complete = False
        elif (edge.source, edge.target) in seen:
            doc.fail(f"edges[{position}]", "duplicate_edge", source=edge.source, target=edge.target)
        else:
            seen.add((edge.source, edge.target))
            doc.edges.append((position, edge))


def _parse_edge(raw: Any, path: str, doc: ParsedDocument) -> Edge | None:
    if not isinstance(raw, dict):
        doc.fail(path, "edge_not_object")
        return None
    for name in set(raw) - _EDGE_FIELDS:
        doc.fail(f"{path}.{name}", "unknown_field", field=name)
    source = _parse_endpoint(raw, "from", path, doc)
    target = _parse_endpoint(raw, "to", path, doc)
    condition = _parse_condition(raw.get("condition"), f"{path}.condition", doc)
    label = None
    if raw.get("label") is not None:
        label = _parse_label(raw["label"], f"{path}.label", doc)
    if source is None or target is None:
        return None
    return Edge(source, target, condition, label)


def _parse_endpoint(raw: dict, name: str, path: str, doc: ParsedDocument) -> str | None:
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        doc.fail(f"{path}.{name}", "edge_endpoint_missing", field=name)
        return None
    if value not in doc.node_index:
        # A declared node that failed to parse was already reported; do not cascade.
        if value not in doc.declared_ids:
            doc.fail(f"{path}.{name}", "unknown_node", id=value)
        return None
    return value


def _parse_condition(value: Any, path: str, doc: ParsedDocument) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        doc.fail(path, "condition_invalid", detail=f"not a string ({type(value).__name__})")
        return "<invalid>"
    try:
        compile_condition(value)
    except ConditionCompileError as exc:
        doc.fail(path, exc.code, **exc.params)
    return value
