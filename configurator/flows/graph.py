"""The immutable ``Flow`` and ``check_flow``: validation on save and the pure
runtime helpers the approval engine uses to move a case through the flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

from .conditions import evaluate_condition
from .errors import ConditionError, FlowError, FlowInvalid, UnknownNode
from .graph_view import GraphView
from .layout import Layout, compute_layout, diagram_dict
from .model import Edge, JoinMode, Label, Node, NodeKind, Point
from .parsing import ParsedDocument, parse_document
from .structure import Structure, analyse


def check_flow(data: Any, *, promised_limit_days: int | None = None) -> list[FlowError]:
    """Static checks run when an admin saves a flow; an empty list means valid."""
    return _check(data, promised_limit_days)[2]


def _check(
    data: Any, promised_limit_days: Any
) -> tuple[ParsedDocument, Structure, list[FlowError]]:
    document = parse_document(data)
    structure = analyse(document, promised_limit_days)
    return document, structure, document.errors + structure.errors


@dataclass(frozen=True)
class Flow:
    """A validated approval flow. Build it with ``Flow.parse``."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    name: Label | None
    _structure: Structure = field(repr=False, compare=False)

    @classmethod
    def parse(cls, data: Any, *, promised_limit_days: int | None = None) -> Flow:
        document, structure, errors = _check(data, promised_limit_days)
        if errors:
            raise FlowInvalid(errors)
        edges = tuple(edge for _, edge in document.edges)
        return cls(tuple(document.nodes), edges, document.name, structure)

    # ------------------------------------------------------------ lookups

    @cached_property
    def _by_id(self) -> Mapping[str, Node]:
        return MappingProxyType({node.id: node for node in self.nodes})

    @property
    def _view(self) -> GraphView:
        return self._structure.view

    def node(self, node_id: str) -> Node:
        try:
            return self._by_id[node_id]
        except KeyError:
            raise UnknownNode(node_id) from None

    @property
    def start_node(self) -> Node:
        return self.node(self._structure.start or "")

    def outgoing_edges(self, node_id: str) -> tuple[Edge, ...]:
        self.node(node_id)
        return tuple(edge for _, edge in self._view.outgoing[node_id])

    def nodes_in_flow_order(self) -> list[Node]:
        """All nodes, each after every node that leads to it (start first)."""
        return self._in_flow_order(self._structure.order)

    def node_point(self, node_id: str) -> Point:
        return self.node(node_id).point

    # ------------------------------------------------------------ routing

    def next_nodes(self, node_id: str, form_data: Mapping[str, Any] | None = None) -> list[Node]:
        """Nodes a case moves to once ``node_id`` is done.

        After a parallel split: every branch head. Elsewhere: the target of the
        first edge whose condition holds (in document order), else the default
        edge. A conclude node has none. Raises ``ConditionError`` when a
        condition cannot be evaluated on ``form_data`` (e.g. a missing field;
        guard optional fields with ``has(form.x)``).
        """
        node = self.node(node_id)
        if node.kind is NodeKind.PARALLEL_SPLIT:
            return self.branch_heads(node_id)
        edges = self.outgoing_edges(node_id)
        if not edges:
            return []
        return [self.node(self._choose_edge(edges, form_data or {}).target)]

    def _choose_edge(self, edges: tuple[Edge, ...], form_data: Mapping[str, Any]) -> Edge:
        for edge in edges:
            if edge.condition is not None and self._holds(edge, form_data):
                return edge
        return next(edge for edge in edges if edge.is_default)

    @staticmethod
    def _holds(edge: Edge, form_data: Mapping[str, Any]) -> bool:
        assert edge.condition is not None
        try:
            return evaluate_condition(edge.condition, form_data)
        except ValueError as exc:
            raise ConditionError(edge.source, edge.target, edge.condition, str(exc)) from None

    # ------------------------------------------------------------ parallel work

    def branch_heads(self, split_id: str) -> list[Node]:
        self._require_kind(split_id, NodeKind.PARALLEL_SPLIT)
        return [self.node(edge.target) for edge in self.outgoing_edges(split_id)]

    def join_of(self, split_id: str) -> Node:
        self._require_kind(split_id, NodeKind.PARALLEL_SPLIT)
        return self.node(self._structure.join_of[split_id])

    def split_of(self, join_id: str) -> Node:
        self._require_kind(join_id, NodeKind.JOIN)
        return self.node(self._structure.split_of[join_id])

    def is_join_satisfied(
        self, join_id: str, completed_branch_count: int, total_branches: int | None = None
    ) -> bool:
        """Whether a join may fire. ``total_branches`` defaults to the split's branch count;
        an ``n_of`` join needs ``min(n, total_branches)`` completed branches."""
        join = self._require_kind(join_id, NodeKind.JOIN)
        total = total_branches
        if total is None:
            total = len(self.branch_heads(self._structure.split_of[join_id]))
        if total < 1 or not 0 <= completed_branch_count <= total:
            raise ValueError(f"invalid branch counts {completed_branch_count}/{total}")
        if join.join_mode is JoinMode.ANY:
            return completed_branch_count >= 1
        if join.join_mode is JoinMode.N_OF and join.n is not None:
            return completed_branch_count >= min(join.n, total)
        return completed_branch_count == total

    def _require_kind(self, node_id: str, kind: NodeKind) -> Node:
        node = self.node(node_id)
        if node.kind is not kind:
            raise ValueError(f"node {node_id!r} is a {node.kind.value}, not a {kind.value}")
        return node

    # ------------------------------------------------------------ going back

    def previous_nodes(self, node_id: str) -> list[Node]:
        """Nearest handling nodes before ``node_id`` (gateways are looked through);
        the choices for "return to previous step"."""
        before = self._walk_back(node_id, through=lambda node: node.is_gateway)
        return self._in_flow_order(before - self._gateway_ids)

    def earlier_nodes(self, node_id: str) -> list[Node]:
        """Every handling node that lies before ``node_id`` on some path, in flow
        order (start first); the choices for roll-back. Gateways are left out."""
        before = self._walk_back(node_id, through=lambda node: True)
        return self._in_flow_order(before - self._gateway_ids)

    def _walk_back(self, node_id: str, through: Callable[[Node], bool]) -> set[str]:
        """Predecessors of ``node_id``, continuing past those for which ``through`` holds."""
        self.node(node_id)
        seen: set[str] = set()
        pending = list(self._view.predecessors(node_id))
        while pending:
            candidate = pending.pop()
            if candidate not in seen:
                seen.add(candidate)
                if through(self.node(candidate)):
                    pending.extend(self._view.predecessors(candidate))
        return seen

    @cached_property
    def _gateway_ids(self) -> frozenset[str]:
        return frozenset(node.id for node in self.nodes if node.is_gateway)

    def _in_flow_order(self, node_ids: Iterable[str]) -> list[Node]:
        rank = {node_id: index for index, node_id in enumerate(self._structure.order)}
        return [self.node(node_id) for node_id in sorted(node_ids, key=rank.__getitem__)]

    # ------------------------------------------------------------ time limits

    def critical_path_days(self) -> int:
        """Working days of the longest path (parallel branches count as their max)."""
        return self._structure.critical_path_days

    def critical_path(self) -> list[Node]:
        return [self.node(node_id) for node_id in self._structure.critical_path]

    # ------------------------------------------------------------ export

    @cached_property
    def layout(self) -> Layout:
        return compute_layout(self._view, self._structure.order)

    def diagram_data(self) -> dict[str, Any]:
        """JSON-ready nodes with coordinates and routed edges, for API clients."""
        data = diagram_dict(self.layout, self._view)
        data["critical_path"] = list(self._structure.critical_path)
        data["critical_path_days"] = self._structure.critical_path_days
        return data

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nodes": [node.to_dict() for node in self.nodes],
            "edges": [edge.to_dict() for edge in self.edges],
        }
        if self.name is not None:
            data["name"] = self.name.to_dict()
        return data

