"""Deterministic top-to-bottom layered layout of a flow.

Layers are the longest path (in edges) from the start. Edges spanning several
layers get a waypoint in every layer they cross, so they never run through a
box. Inside a layer, items are ordered by their route from the start
(branch order of each parent), which keeps parallel branches side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from .graph_view import GraphView
from .model import GATEWAY_KINDS, Edge, NodeKind

COLUMN_WIDTH = 220
ROW_HEIGHT = 110
MARGIN = 30
BOX_WIDTH, BOX_HEIGHT = 180, 60
DIAMOND_SIZE = 44

Point2D = tuple[int, int]


@dataclass(frozen=True)
class NodeBox:
    node_id: str
    layer: int
    x: int  # centre
    y: int  # centre
    width: int
    height: int
    shape: str  # "pill" (start/conclude), "box" or "diamond" (split/join)

    @property
    def top(self) -> Point2D:
        return (self.x, self.y - self.height // 2)

    @property
    def bottom(self) -> Point2D:
        return (self.x, self.y + self.height // 2)


@dataclass(frozen=True)
class EdgeRoute:
    edge: Edge
    points: tuple[Point2D, ...]  # from the source's bottom to the target's top
    label_at: Point2D  # where a condition caption starts (text baseline, left)


@dataclass(frozen=True)
class Layout:
    boxes: Mapping[str, NodeBox]
    routes: tuple[EdgeRoute, ...]
    width: int
    height: int


# A layer item is a node ("n", id) or the waypoint of an edge in a crossed layer ("w", k, layer).
Item = tuple[Any, ...]


@dataclass
class _LayerPlan:
    rows: dict[int, list[Item]] = field(default_factory=dict)  # layer -> items, in order
    keys: dict[Item, tuple[int, ...]] = field(default_factory=dict)  # branch route from start
    upstream: dict[Item, list[Item]] = field(default_factory=dict)  # feeding items one layer up

    def place(self, item: Item, layer: int, key: tuple[int, ...], feeders: list[Item]) -> None:
        self.rows.setdefault(layer, []).append(item)
        self.keys[item] = key
        self.upstream[item] = feeders


def compute_layout(view: GraphView, order: list[str]) -> Layout:
    layers = _layer_numbers(view, order)
    edges = [edge for _, edge in sorted(
        (positioned for node_id in order for positioned in view.outgoing[node_id]),
        key=lambda positioned: positioned[0],
    )]
    centres = _item_centres(_plan_layers(view, order, layers, edges))
    left = min(x for x, _ in centres.values()) - COLUMN_WIDTH // 2 - MARGIN
    centres = {item: (x - left, y) for item, (x, y) in centres.items()}
    boxes = {
        node_id: _box(view, node_id, layers[node_id], centres[("n", node_id)])
        for node_id in order
    }
    routes = tuple(_route(index, edge, boxes, layers, centres) for index, edge in enumerate(edges))
    width = max(x for x, _ in centres.values()) + COLUMN_WIDTH // 2 + MARGIN
    height = (max(layers.values()) + 1) * ROW_HEIGHT + 2 * MARGIN
    return Layout(MappingProxyType(boxes), routes, width, height)


def _layer_numbers(view: GraphView, order: list[str]) -> dict[str, int]:
    layers: dict[str, int] = {}
    for node_id in order:
        sources = view.predecessors(node_id)
        layers[node_id] = max((layers[source] + 1 for source in sources), default=0)
    return layers


def _plan_layers(
    view: GraphView, order: list[str], layers: dict[str, int], edges: list[Edge]
) -> _LayerPlan:
    """Items of every layer, with their sort key and the items feeding them."""
    plan = _LayerPlan()
    arriving: dict[str, list[tuple[tuple[int, ...], Item]]] = {node_id: [] for node_id in order}
    edge_index = {id(edge): index for index, edge in enumerate(edges)}
    for node_id in order:
        key = min((key for key, _ in arriving[node_id]), default=(view.node_position[node_id],))
        item: Item = ("n", node_id)
        plan.place(item, layers[node_id], key, [above for _, above in arriving[node_id]])
        for branch, (_, edge) in enumerate(view.outgoing[node_id]):
            route_key, above = key + (branch,), item
            for layer in range(layers[node_id] + 1, layers[edge.target]):
                waypoint = ("w", edge_index[id(edge)], layer)
                plan.place(waypoint, layer, route_key, [above])
                route_key, above = route_key + (0,), waypoint
            arriving[edge.target].append((route_key, above))
    return plan


def _item_centres(plan: _LayerPlan) -> dict[Item, Point2D]:
    """Top-down: each item wants the mean x of the items feeding it; a layer keeps
    its order and a column of space between neighbours. Branches thus sit
    centred under their split and a join centred under its branches."""
    x: dict[Item, float] = {}
    for layer in sorted(plan.rows):
        _spread_layer(plan, layer, x)
    return {
        item: (round(x[item]), MARGIN + layer * ROW_HEIGHT + ROW_HEIGHT // 2)
        for layer, items in plan.rows.items()
        for item in items
    }


def _spread_layer(plan: _LayerPlan, layer: int, x: dict[Item, float]) -> None:
    items = [item for _, item in sorted(
        enumerate(plan.rows[layer]), key=lambda pair: (plan.keys[pair[1]], pair[0])
    )]
    wanted = [_mean_x(plan.upstream[item], x) for item in items]
    for item, position in zip(items, _spread(wanted, COLUMN_WIDTH)):
        x[item] = position


def _mean_x(feeders: list[Item], x: dict[Item, float]) -> float:
    return sum(x[item] for item in feeders) / len(feeders) if feeders else 0.0


def _spread(wanted: list[float], gap: float) -> list[float]:
    """Positions closest to ``wanted`` (least squares) keeping order and ``gap`` apart:
    pool-adjacent-violators on ``wanted[i] - i * gap``."""
    pools: list[tuple[float, int]] = []  # (sum, size) of merged neighbours
    for index, x in enumerate(wanted):
        pools.append((x - index * gap, 1))
        while len(pools) > 1 and pools[-2][0] / pools[-2][1] > pools[-1][0] / pools[-1][1]:
            total, size = pools.pop()
            pools[-1] = (pools[-1][0] + total, pools[-1][1] + size)
    shifted = [total / size for total, size in pools for _ in range(size)]
    return [x + index * gap for index, x in enumerate(shifted)]


def _box(view: GraphView, node_id: str, layer: int, centre: Point2D) -> NodeBox:
    kind = view.nodes[node_id].kind
    if kind in GATEWAY_KINDS:
        return NodeBox(node_id, layer, *centre, DIAMOND_SIZE, DIAMOND_SIZE, "diamond")
    shape = "pill" if kind in (NodeKind.START, NodeKind.CONCLUDE) else "box"
    return NodeBox(node_id, layer, *centre, BOX_WIDTH, BOX_HEIGHT, shape)


def _route(
    index: int, edge: Edge, boxes: dict[str, NodeBox], layers: dict[str, int],
    centres: dict[Item, Point2D],
) -> EdgeRoute:
    """Orthogonal route: straight down, turning only on the gap line between rows."""
    first_layer = layers[edge.source] + 1
    stops = [
        *(centres[("w", index, layer)] for layer in range(first_layer, layers[edge.target])),
        boxes[edge.target].top,
    ]
    points = [boxes[edge.source].bottom]
    for layer, (x, y) in enumerate(stops, start=first_layer):
        if x != points[-1][0]:
            gap_y = _gap_above(layer)
            points += [(points[-1][0], gap_y), (x, gap_y)]
        points.append((x, y))
    label_at = (stops[0][0] + 6, _gap_above(first_layer) + 15)
    return EdgeRoute(edge, _without_straight_joints(points), label_at)


def _gap_above(layer: int) -> int:
    return MARGIN + layer * ROW_HEIGHT


def _without_straight_joints(points: list[Point2D]) -> tuple[Point2D, ...]:
    kept = points[:1]
    for point, following in zip(points[1:], points[2:]):
        before = kept[-1]
        vertical = before[0] == point[0] == following[0]
        horizontal = before[1] == point[1] == following[1]
        if not (vertical or horizontal):
            kept.append(point)
    return tuple(kept + points[-1:])


def diagram_dict(layout: Layout, view: GraphView) -> dict[str, Any]:
    """The layout as JSON-ready data (``Flow.diagram_data``)."""
    nodes = []
    for node_id, node in view.nodes.items():
        box = layout.boxes[node_id]
        nodes.append({
            **node.to_dict(),
            "x": box.x, "y": box.y, "width": box.width, "height": box.height,
            "layer": box.layer, "shape": box.shape,
        })
    edges = [
        {
            **route.edge.to_dict(),
            "points": [list(point) for point in route.points],
            "label_at": list(route.label_at),
        }
        for route in layout.routes
    ]
    return {"width": layout.width, "height": layout.height, "nodes": nodes, "edges": edges}
