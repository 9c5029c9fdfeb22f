"""Rooms that follow cases register here (the construction room keeps its items and materials in step with
their cases and joins its stages on them).

``ApprovalService.act`` calls ``fire(env, actor)`` once per action, inside its unit of work, after the action
ran and before its events are written:

- each ``FOLLOWING`` listener gets ``(env, case, actor, steps)`` for every case the action wrote audit events
  on, ``steps`` being those events (``action``, ``from_state``, ``to_state``, ``details``) — a supplement
  requested or supplied, a 容缺 material handed in, a roll-back, a step approved;
- then each ``CONCLUDED`` listener gets ``(env, case, actor)`` for every case that action brought to a final
  state.

A listener that raises refuses the whole action (nothing is written), like any other check of the engine.
"""
from __future__ import annotations

from collections.abc import Callable

FINAL_NOTICES = ("concluded", "refused", "withdrawn")

FOLLOWING: list[Callable] = []
CONCLUDED: list[Callable] = []


def fire(env, actor) -> None:
    if FOLLOWING:
        _follow(env, actor)
    seen: set[int] = set()
    for case, kind, _info in list(env.notices):
        if kind in FINAL_NOTICES and case.id not in seen:
            seen.add(case.id)
            for listener in list(CONCLUDED):
                listener(env, case, actor)


def _follow(env, actor) -> None:
    from tongban.platform.approval.events import pending
    from tongban.platform.approval.unit import CaseUnit

    steps: dict[int, list] = {}
    for event in list(pending(env.session)):  # what the action wrote (a listener's own events are not re-fired)
        steps.setdefault(event.case_id, []).append(event)
    for case_id, written in steps.items():
        case = CaseUnit.of(env.session).held_case(case_id)
        for listener in list(FOLLOWING):
            listener(env, case, actor, written)
