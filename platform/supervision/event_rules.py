"""Rules that look at what happened rather than at the clock, read from new case events:

- ``supplement_repeated``: supplements asked for again on one case (一次性告知 broken; details.repeated);
- ``refusal_without_reason``: a refusal with no reason (the engine refuses that already; vertical systems may not);
- ``fee_differs``: a fee charged that differs from the item's standard (details.differs);
- ``offline_for_online_item``: an item that must be handled online, applied for at a window.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.models import Task
from tongban.platform.supervision.alerts import Raise, raise_alerts, responsible
from tongban.platform.supervision.rules import Rule

ONLINE_CHANNELS = frozenset({"online", "mobile", "api"})


def triggered(event, view) -> str | None:
    details = event.details or {}
    if event.action == "request_supplement" and details.get("repeated"):
        return "supplement_repeated"
    if event.action == "refuse" and not (event.comment or "").strip():
        return "refusal_without_reason"
    if event.action == "charge" and details.get("differs"):
        return "fee_differs"
    if event.action == "submit" and view is not None and view.must_handle_online \
            and details.get("channel") not in ONLINE_CHANNELS:
        return "offline_for_online_item"
    return None


def apply(session: Session, events: list, views: dict, rules: dict[str, Rule], now: datetime) -> int:
    hits = []
    for event in events:
        code = triggered(event, views.get(event.case_id))
        rule = rules.get(code) if code else None
        if rule is not None and rule.enabled and event.case_id in views:
            hits.append((rule, event))
    if not hits:
        return 0
    tasks = defaultdict(list)
    # sorted here, not by SQL: an ORDER BY id makes SQLite scan the table in id order instead of the case index
    for task in sorted(session.scalars(select(Task).where(Task.case_id.in_({e.case_id for _, e in hits}))),
                       key=lambda t: t.id):
        tasks[task.case_id].append(task)
    raises = [_raise(rule, event, views[event.case_id], tasks[event.case_id]) for rule, event in hits]
    return len(raise_alerts(session, raises, now))


def _raise(rule: Rule, event, view, tasks: list) -> Raise:
    case = view.case
    at_node = [t for t in tasks if t.node_id == event.node_id] if event.node_id else []
    task = at_node[-1] if at_node else None
    who = responsible(case, tasks, task=task, department=view.department,
                      point="acceptance" if event.action in ("submit", "refuse") else None)
    who["task_id"] = None  # one alert per case and rule
    who["person"] = event.actor if event.actor != "system" else who["person"]
    return Raise(rule, f"case:{case.id}", fired_for=event.at, details={"event_seq": event.seq,
                                                                        "action": event.action}, **who)
