"""Raising alerts: at most one per (rule, subject), whoever else is raising it at the same moment.

The insert is ``ON CONFLICT DO NOTHING`` on the unique key, so only the rows this transaction created come
back; only those get their event, their notices, their webhook and their place in the statistics.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import Session

from tongban.platform.approval.departments import normalised
from tongban.platform.supervision import bulk, casedata, notify, raising
from tongban.platform.supervision.models import Alert, SupervisionEvent
from tongban.platform.supervision.rules import Rule
from tongban.platform.supervision.stats import facts, rollup

LEVELS = ("province", "city_county", "district", "township", "village")


@dataclass
class Raise:
    """One alert to raise, with who is responsible for it."""

    rule: Rule
    subject_key: str
    tenant_id: str
    fired_for: datetime | None = None
    case_id: int | None = None
    task_id: int | None = None
    petition_id: int | None = None
    case_number: str | None = None
    item_code: str = ""
    channel: str = ""
    department: str = ""
    person: str | None = None
    point: str | None = None
    details: dict = field(default_factory=dict)
    vertical: bool = False  # a vertical system's case: its alerts are pushed to the system's webhook


def responsible(case, tasks, *, task=None, department: str = "", point: str | None = None) -> dict:
    """The task that holds the case (the given one, else the first open one, else the last one done)."""
    holder = task or next((t for t in tasks if t.state == "open"), None) or (tasks[-1] if tasks else None)
    return {"tenant_id": (holder.tenant_id if holder else case.tenant_id), "case_id": case.id,
            "task_id": holder.id if task is not None else None, "case_number": case.number,
            "item_code": case.item_code, "channel": case.channel,
            "department": normalised(holder.department if holder and holder.department else department),
            "person": (holder.assignee or holder.completed_by) if holder else None,
            "point": point or (holder.point if holder else None), "vertical": case.case_type == "vertical"}


def raise_alerts(session: Session, raises: list[Raise], now: datetime) -> list:
    """Insert the alerts not raised before; returns the new ones (already issued or pending confirmation)."""
    if not raises:
        return []
    rows = alert_rows(session, raises, now)
    created = bulk.insert(session, Alert.__table__, list(rows.values()), conflict=("rule_code", "subject_key"),
                          returning=("id", "rule_code", "subject_key"))  # only the rows inserted come back
    if not created:
        return []
    alerts = [SimpleNamespace(id=id_, **rows[(rule, key)]) for id_, rule, key in created]
    events = SupervisionEvent.__table__
    session.execute(events.insert().from_select(
        ["tenant_id", "subject", "at", "actor", "action", "to_state", "comment", "details"],
        select(Alert.tenant_id, literal("alert:") + cast(Alert.id, String), Alert.raised_at, literal("system"),
               literal("raise"), Alert.state, literal(""), Alert.details)
        .where(bulk.among(session, Alert.id, [a.id for a in alerts]))))
    delta: Counter = Counter()
    for alert in alerts:
        delta.update(facts.alert_contributions(alert))
    rollup.apply(session, dict(delta))
    notify.alerts_raised(session, alerts, {r.case_id for r in raises if r.vertical})
    return alerts


def claim_and_raise(session: Session, claims: list[tuple[int, Raise | None]], now: datetime) -> list:
    """PostgreSQL: mark the timers fired and raise the alerts of those this transaction claimed (``Raise`` None:
    claim only — a disabled rule), in one statement (see ``raising``); then notify."""
    raises = [(timer_id, r) for timer_id, r in claims if r is not None]
    rows = alert_rows(session, [r for _, r in raises], now)
    payload = [(timer_id, rows[(r.rule.code, r.subject_key)], r.details) for timer_id, r in raises]
    rules = list({r.rule.code: r.rule for _, r in raises}.values())
    created = raising.claim_and_raise(session, [timer_id for timer_id, _ in claims], payload, rules, now)
    if not created:
        return []
    alerts = [SimpleNamespace(**rows[(row.rule_code, row.subject_key)], id=row.id) for row in created]
    notify.alerts_raised(session, alerts, {r.case_id for _, r in raises if r.vertical})
    return alerts


def alert_rows(session: Session, raises: list[Raise], now: datetime) -> dict[tuple[str, str], dict]:
    """The row of each alert to raise, by (rule, subject)."""
    tenants = casedata.tenant_info(session, {r.tenant_id for r in raises})
    supervisors = {code: casedata.supervisor_of(session, code) for code in {r.tenant_id for r in raises}}
    return {(r.rule.code, r.subject_key): _row(r, tenants, supervisors, now) for r in raises}


def _row(r: Raise, tenants: dict, supervisors: dict, now: datetime) -> dict:
    level = tenants.get(r.tenant_id, ("",))[0]
    return {"tenant_id": r.tenant_id, "rule_code": r.rule.code, "rule_version": r.rule.version,
            "severity": r.rule.severity, "subject_key": r.subject_key, "case_id": r.case_id, "task_id": r.task_id,
            "petition_id": r.petition_id, "case_number": r.case_number, "item_code": r.item_code or "",
            "channel": r.channel or "", "department": r.department or "", "person": r.person, "level": level,
            "point": r.point, "supervisor_code": supervisors[r.tenant_id], "raised_at": now, "fired_for": r.fired_for,
            "state": "issued" if r.rule.auto_issue else "pending", "escalations": 0,
            "details": {"rule_zh": r.rule.name_zh, "rule_en": r.rule.name_en, "threshold_days": r.rule.threshold_days,
                        **r.details}, "revision": 1}
