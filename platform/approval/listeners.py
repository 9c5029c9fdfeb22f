"""Rooms that follow cases to their end register here (the construction room joins its stages on them).

``ApprovalService.act`` calls ``fire(env)`` once per action, inside its unit of work, after the action ran:
each listener gets ``(env, case, actor)`` for every case that action brought to a final state. A listener
that raises refuses the whole action (nothing is written), like any other check of the engine.
"""
from __future__ import annotations

from collections.abc import Callable

FINAL_NOTICES = ("concluded", "refused", "withdrawn")

CONCLUDED: list[Callable] = []


def fire(env, actor) -> None:
    seen: set[int] = set()
    for case, kind, _info in list(env.notices):
        if kind in FINAL_NOTICES and case.id not in seen:
            seen.add(case.id)
            for listener in list(CONCLUDED):
                listener(env, case, actor)
