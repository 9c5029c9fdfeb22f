"""Adjacency view over parsed nodes and edges, shared by checks, runtime and layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Edge, Node, NodeKind

PositionedEdge = tuple[int, Edge]  # (position in the document's "edges" list, edge)


@dataclass
class GraphView:
    nodes: dict[str, Node]  # in document order
    node_position: dict[str, int]
    outgoing: dict[str, list[PositionedEdge]] = field(default_factory=dict)
    incoming: dict[str, list[PositionedEdge]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, nodes: list[Node], node_position: dict[str, int], edges: list[PositionedEdge]
    ) -> GraphView:
        view = cls({node.id: node for node in nodes}, dict(node_position))
        view.outgoing = {node.id: [] for node in nodes}
        view.incoming = {node.id: [] for node in nodes}
        for position, edge in edges:
            view.outgoing[edge.source].append((position, edge))
            view.incoming[edge.target].append((position, edge))
        return view

    def node_path(self, node_id: str, suffix: str = "") -> str:
        return f"nodes[{self.node_position[node_id]}]{suffix}"

    def ids_of_kind(self, kind: NodeKind) -> list[str]:
        return [node.id for node in self.nodes.values() if node.kind is kind]

    def successors(self, node_id: str) -> list[str]:
        return [edge.target for _, edge in self.outgoing[node_id]]

    def predecessors(self, node_id: str) -> list[str]:
        return [edge.source for _, edge in self.incoming[node_id]]

    def reachable_from(self, start: str) -> set[str]:
        seen, pending = {start}, [start]
        while pending:
            for target in self.successors(pending.pop()):
                if target not in seen:
                    seen.add(target)
                    pending.append(target)
        return seen

    def back_edges(self, start: str | None) -> list[int]:
        """Positions of edges closing a cycle (depth-first, deterministic)."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
        found: list[int] = []
        roots = ([start] if start else []) + list(self.nodes)
        for root in roots:
            if root not in state:
                self._visit_for_cycles(root, state, found)
        return sorted(found)

    def _visit_for_cycles(self, root: str, state: dict[str, int], found: list[int]) -> None:
        state[root] = 1
        stack = [(root, iter(self.outgoing[root]))]
        while stack:
            node_id, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                state[node_id] = 2
                stack.pop()
                continue
            position, edge = step
            if state.get(edge.target) == 1:
                found.append(position)
            elif edge.target not in state:
                state[edge.target] = 1
                stack.append((edge.target, iter(self.outgoing[edge.target])))

    def topological_order(self) -> list[str]:
        """Kahn's algorithm; ties are broken by document order. Assumes a DAG."""
        waiting = {node_id: len(self.incoming[node_id]) for node_id in self.nodes}
        ready = [node_id for node_id, count in waiting.items() if count == 0]
        order: list[str] = []
        while ready:
            ready.sort(key=self.node_position.__getitem__)
            node_id = ready.pop(0)
            order.append(node_id)
            for target in self.successors(node_id):
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
        return order
