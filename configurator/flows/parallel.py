"""Checks that parallel splits and joins are matched and properly nested.

Every path is walked in topological order carrying a stack of open parallel
regions, one frame ``(split id, branch index)`` per enclosing split. A join
closes the innermost region and must receive every branch of that split; any
other node must be reached with the same stack on all its incoming edges.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import FlowError, flow_error
from .graph_view import GraphView
from .model import JoinMode, NodeKind

Frame = tuple[str, int]
Stack = tuple[Frame, ...]


@dataclass
class ParallelStructure:
    join_of: dict[str, str] = field(default_factory=dict)  # split id -> join id
    split_of: dict[str, str] = field(default_factory=dict)  # join id -> split id
    errors: list[FlowError] = field(default_factory=list)
    # splits already blamed through one of their joins (no separate split error)
    blamed_splits: set[str] = field(default_factory=set)

    def fail(self, path: str, code: str, **params: object) -> None:
        self.errors.append(flow_error(path, code, **params))


def analyse_parallel(view: GraphView, order: list[str], start: str) -> ParallelStructure:
    result = ParallelStructure()
    arrivals: dict[str, list[Stack]] = defaultdict(list)
    arrivals[start].append(())
    for node_id in order:
        if arrivals[node_id]:
            stack = _stack_at(view, node_id, arrivals[node_id], result)
            _propagate(view, node_id, stack, arrivals)
            _check_conclude(view, node_id, stack, result)
    _check_unjoined_splits(view, arrivals, result)
    _check_join_n(view, result)
    return result


def _stack_at(
    view: GraphView, node_id: str, stacks: list[Stack], result: ParallelStructure
) -> Stack:
    if view.nodes[node_id].kind is NodeKind.JOIN:
        return _close_region(view, node_id, stacks, result)
    distinct = list(dict.fromkeys(stacks))
    if len(distinct) > 1:
        result.fail(view.node_path(node_id), "parallel_merge_without_join", id=node_id)
    return distinct[0]


def _close_region(
    view: GraphView, join_id: str, stacks: list[Stack], result: ParallelStructure
) -> Stack:
    path = view.node_path(join_id)
    if not any(stacks):
        result.fail(path, "join_without_split")
        return ()
    splits = {stack[-1][0] if stack else None for stack in stacks}
    outer = list(dict.fromkeys(stack[:-1] for stack in stacks))
    if len(splits) > 1 or len(outer) > 1:
        result.fail(path, "join_mismatch")
        result.blamed_splits.update(split for split in splits if split)
        return outer[0]
    split_id = splits.pop()
    _record_join(view, split_id, join_id, {stack[-1][1] for stack in stacks}, result)
    return outer[0]


def _record_join(
    view: GraphView, split_id: str, join_id: str, arrived: set[int], result: ParallelStructure
) -> None:
    path = view.node_path(join_id)
    missing = sorted(set(range(len(view.outgoing[split_id]))) - arrived)
    if missing:
        branches = ", ".join(str(index + 1) for index in missing)
        result.fail(path, "join_missing_branch", split=split_id, branches=branches)
        result.blamed_splits.add(split_id)
    if split_id in result.join_of:
        result.fail(path, "split_multiple_joins", split=split_id)
        return
    result.join_of[split_id] = join_id
    result.split_of[join_id] = split_id


def _propagate(
    view: GraphView, node_id: str, stack: Stack, arrivals: dict[str, list[Stack]]
) -> None:
    is_split = view.nodes[node_id].kind is NodeKind.PARALLEL_SPLIT
    for branch, (_, edge) in enumerate(view.outgoing[node_id]):
        arrivals[edge.target].append(stack + ((node_id, branch),) if is_split else stack)


def _check_conclude(
    view: GraphView, node_id: str, stack: Stack, result: ParallelStructure
) -> None:
    if stack and view.nodes[node_id].kind is NodeKind.CONCLUDE:
        split_id = stack[-1][0]
        result.fail(view.node_path(node_id), "branch_not_joined", split=split_id)


def _check_unjoined_splits(
    view: GraphView, arrivals: dict[str, list[Stack]], result: ParallelStructure
) -> None:
    for split_id in view.ids_of_kind(NodeKind.PARALLEL_SPLIT):
        reached = bool(arrivals[split_id])
        if reached and split_id not in result.join_of and split_id not in result.blamed_splits:
            result.fail(view.node_path(split_id), "split_without_join", id=split_id)


def _check_join_n(view: GraphView, result: ParallelStructure) -> None:
    for join_id, split_id in result.split_of.items():
        join = view.nodes[join_id]
        branches = len(view.outgoing[split_id])
        if join.join_mode is JoinMode.N_OF and join.n is not None and join.n > branches:
            path = view.node_path(join_id, ".n")
            result.fail(path, "join_n_exceeds_branches", n=join.n, branches=branches)
