"""The supervision tick: catch up with changed cases, raise what came due, escalate unanswered 督办.

``tick(database, now)`` costs in proportion to what changed and what came due since the last tick:
the event log is read after a cursor (primary-key range), due timers through the partial index of armed
timers, overdue 督办 through the partial index of alerts under 督办. Any number of workers may tick at once:
syncs queue on the cursor row, a timer is claimed by deleting it (skipped when another tick holds it on
PostgreSQL), and the alerts' unique key is the last word.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.db import utcnow
from tongban.platform.supervision import bulk, disposition, firing, sync
from tongban.platform.supervision.alerts import claim_and_raise, raise_alerts
from tongban.platform.supervision.models import SUPERVISED, Alert, SupervisionTimer, SyncCursor
from tongban.platform.supervision.rules import current_rules
from tongban.tenants.isolation import TenantContext

FIRE_BATCH = 2000  # timers claimed per transaction: a backlog (the morning after a long holiday) in few rounds
_PROVIDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class TickResult:
    events: int = 0
    cases_synced: int = 0
    alerts: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def calendars_for(database) -> CalendarProvider:
    provider = _PROVIDERS.get(database)
    if provider is None:
        provider = _PROVIDERS[database] = CalendarProvider(database)
    return provider


def tick(database, now: datetime | None = None, *, calendars: CalendarProvider | None = None) -> TickResult:
    now = now or utcnow()
    calendars = calendars or calendars_for(database)
    result = TickResult()
    rules = None
    while True:
        with database.unit_of_work(TenantContext.system("supervision sync")) as session:
            rules = rules or current_rules(session)
            done = sync.sync_batch(session, rules, calendars.calendar(session), now)
        result.events += done.events
        result.cases_synced += done.cases
        if done.events < sync.BATCH:
            break
    while True:
        with database.unit_of_work(TenantContext.system("supervision tick")) as session:
            raised, claimed = fire_due(session, now, rules)
        result.alerts += raised
        if claimed < FIRE_BATCH:
            break
    with database.unit_of_work(TenantContext.system("supervision escalation")) as session:
        result.escalated = escalate_overdue(session, now)
        session.execute(update(SyncCursor).where(SyncCursor.id == 1).values(last_tick_at=now))
    return result


def fire_due(session: Session, now: datetime, rules: dict | None = None) -> tuple[list[int], int]:
    """Claim up to ``FIRE_BATCH`` due timers and raise their alerts; returns (new alert ids, timers looked at)."""
    timers = firing.due_timers(session, now, FIRE_BATCH)
    if not timers:
        return [], 0
    rules = rules or current_rules(session)
    raises, holding = firing.raises_for(session, timers, rules)
    if not holding:
        return [], len(timers)
    if session.get_bind().dialect.name == "postgresql":  # one statement: claim, raise, log, count
        # the whole claim is one transaction, redone by the next tick if a crash loses it: no need to wait for
        # the WAL flush at commit (never any half-raised state; other transactions keep their durability)
        session.execute(text("SET LOCAL synchronous_commit = off"))
        claims = [(i, r if rules[r.rule.code].enabled else None) for i, r in zip(holding, raises)]
        return [a.id for a in claim_and_raise(session, claims, now)], len(timers)
    claimed = set(session.scalars(delete(SupervisionTimer).where(bulk.among(session, SupervisionTimer.id, holding),
                                                                 SupervisionTimer.state == "armed")
                                  .returning(SupervisionTimer.id).execution_options(synchronize_session=False)))
    by_id = dict(zip(holding, raises))
    mine = [by_id[i] for i in holding if i in claimed and rules[by_id[i].rule.code].enabled]
    return [a.id for a in raise_alerts(session, mine, now)], len(timers)


def escalate_overdue(session: Session, now: datetime) -> list[int]:
    """督办 unanswered by its deadline goes to the supervising level above."""
    # the partial 督办 index's own predicate, written literally so the planner uses it
    overdue = list(session.scalars(select(Alert).where(text(f"supervision_alerts.{SUPERVISED}"),
                                                       Alert.correction_due_at <= now).limit(FIRE_BATCH)))
    escalated = []
    for alert in overdue:
        disposition.escalate(session, alert, now, actor="system", reason="督办逾期未反馈 / 督办 unanswered by its deadline")
        escalated.append(alert.id)
    return escalated


def huey_tick() -> TickResult:
    """Body of a periodic huey task (register with ``@huey.periodic_task(crontab(minute='*'))``)."""
    from tongban.platform.jobs import worker_database

    return tick(worker_database())
