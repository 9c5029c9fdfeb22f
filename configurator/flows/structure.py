"""Graph-level checks of a parsed flow: start/conclude, reachability, edges,
cycles, parallel nesting and time limits against the promised limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import FlowError, flow_error
from .graph_view import GraphView
from .model import NodeKind
from .parallel import analyse_parallel
from .parsing import ParsedDocument


@dataclass
class Structure:
    view: GraphView
    errors: list[FlowError] = field(default_factory=list)
    start: str | None = None
    order: list[str] = field(default_factory=list)  # topological; empty when cyclic
    join_of: dict[str, str] = field(default_factory=dict)
    split_of: dict[str, str] = field(default_factory=dict)
    critical_path: tuple[str, ...] = ()
    critical_path_days: int = 0

    def fail(self, path: str, code: str, **params: object) -> None:
        self.errors.append(flow_error(path, code, **params))


def analyse(doc: ParsedDocument, promised_limit_days: Any = None) -> Structure:
    """Run every graph check; the parse errors of ``doc`` are not repeated."""
    view = GraphView.build(doc.nodes, doc.node_index, doc.edges)
    result = Structure(view)
    promised = _promised_limit(promised_limit_days, result)
    if not doc.graph_complete:
        return result
    result.start = _check_start_and_conclude(result)
    _check_outgoing_edges(result)
    if result.start is None:
        return result
    _check_reachable(result)
    if _check_cycles(result):
        return result
    result.order = view.topological_order()
    parallel = analyse_parallel(view, result.order, result.start)
    result.errors.extend(parallel.errors)
    result.join_of, result.split_of = parallel.join_of, parallel.split_of
    _compute_critical_path(result)
    _check_promise(result, promised)
    return result


def _promised_limit(value: Any, result: Structure) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        result.fail("promised_limit_days", "promised_limit_invalid")
        return None
    return value


def _check_start_and_conclude(result: Structure) -> str | None:
    view = result.view
    starts = view.ids_of_kind(NodeKind.START)
    if not starts:
        result.fail("nodes", "no_start")
    for extra in starts[1:]:
        result.fail(view.node_path(extra), "multiple_starts")
    if not view.ids_of_kind(NodeKind.CONCLUDE):
        result.fail("nodes", "no_conclude")
    for start in starts:
        for position, _ in view.incoming[start]:
            result.fail(f"edges[{position}]", "start_has_incoming")
    return starts[0] if len(starts) == 1 else None


def _check_outgoing_edges(result: Structure) -> None:
    for node in result.view.nodes.values():
        edges = result.view.outgoing[node.id]
        if node.kind is NodeKind.CONCLUDE:
            for position, _ in edges:
                result.fail(f"edges[{position}]", "conclude_has_outgoing")
        elif not edges:
            result.fail(result.view.node_path(node.id), "dead_end", id=node.id)
        elif node.kind is NodeKind.PARALLEL_SPLIT:
            _check_split_edges(result, node.id)
        else:
            _check_choice_edges(result, node.id)


def _check_split_edges(result: Structure, split_id: str) -> None:
    edges = result.view.outgoing[split_id]
    if len(edges) < 2:
        result.fail(result.view.node_path(split_id), "split_too_few_branches")
    for position, edge in edges:
        if not edge.is_default:
            result.fail(f"edges[{position}].condition", "split_branch_condition")


def _check_choice_edges(result: Structure, node_id: str) -> None:
    edges = result.view.outgoing[node_id]
    defaults = [position for position, edge in edges if edge.is_default]
    for position in defaults[1:]:
        result.fail(f"edges[{position}]", "multiple_default_edges", id=node_id)
    if not defaults:
        result.fail(result.view.node_path(node_id), "missing_default_edge", id=node_id)


def _check_reachable(result: Structure) -> None:
    assert result.start is not None
    reachable = result.view.reachable_from(result.start)
    for node_id in result.view.nodes:
        if node_id not in reachable:
            result.fail(result.view.node_path(node_id), "unreachable", id=node_id)


def _check_cycles(result: Structure) -> bool:
    closing = result.view.back_edges(result.start)
    for position in closing:
        result.fail(f"edges[{position}]", "cycle")
    return bool(closing)


def _compute_critical_path(result: Structure) -> None:
    """Longest path by working days from start; parallel branches count as their max."""
    view, start = result.view, result.start
    assert start is not None
    finish: dict[str, tuple[int, str | None]] = {start: (_days(result, start), None)}
    for node_id in result.order:
        reached = [source for source in view.predecessors(node_id) if source in finish]
        if node_id == start or not reached:
            continue
        before = max(reached, key=lambda source: finish[source][0])  # first wins ties
        finish[node_id] = (finish[before][0] + _days(result, node_id), before)
    ends = [node_id for node_id in finish if not view.outgoing[node_id]] or list(finish)
    last = max(ends, key=lambda node_id: finish[node_id][0])
    path = [last]
    while (previous := finish[path[-1]][1]) is not None:
        path.append(previous)
    result.critical_path = tuple(reversed(path))
    result.critical_path_days = finish[last][0]


def _days(result: Structure, node_id: str) -> int:
    return result.view.nodes[node_id].time_limit_days or 0


def _check_promise(result: Structure, promised: int | None) -> None:
    if promised is None or result.critical_path_days <= promised:
        return
    biggest = max(result.critical_path, key=lambda node_id: _days(result, node_id))
    result.fail(
        result.view.node_path(biggest, ".time_limit_days"),
        "time_limit_exceeds_promise",
        route=" → ".join(result.critical_path),
        total=result.critical_path_days,
        promised=promised,
    )
