"""Keeping timers, facts and rollups in step with cases, from the case event log.

Every change to a case appends a ``case_events`` row, so reading the events after a cursor finds exactly the
cases that changed since the last tick (a primary-key range scan). Each changed case is then re-derived:
its timers are set to the instants the rules now give (``timing``), its statistics facts recomputed and the
difference applied to the rollups, and the event rules (一次性告知, fees, online-only items, refusals) look at
the new events. Re-deriving is idempotent, so reading an event twice is harmless; the cursor only passes a
gap in the ids once the gap is older than ``GAP_GRACE`` (a transaction that took an id may still commit).

The same re-derivation is offered as a hook (``case_changed``) the engine may call inside its own unit of
work, which keeps the rollups exact at every commit; the sync then finds nothing left to do.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tongban.platform.approval.models import CaseEvent
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.db import utcnow
from tongban.platform.supervision import bulk, casedata, event_rules
from tongban.platform.supervision.models import Alert, SupervisionTimer, SyncCursor
from tongban.platform.supervision.rules import Rule
from tongban.platform.supervision.stats import facts
from tongban.platform.supervision.timing import Planned, case_timers

GAP_GRACE = timedelta(seconds=120)
BATCH = 2000


@dataclass
class SyncResult:
    events: int = 0
    cases: int = 0
    cursor: int = 0


def sync_batch(session: Session, rules: dict[str, Rule], calendar: WorkCalendar, now: datetime) -> SyncResult:
    """Read up to ``BATCH`` events after the cursor and re-derive their cases (the caller commits)."""
    cursor = lock_cursor(session, now)
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.id > cursor).order_by(CaseEvent.id).limit(BATCH)))
    if not events:
        return SyncResult(0, 0, cursor)
    case_ids = {e.case_id for e in events}
    views = casedata.load_views(session, case_ids)
    reconcile(session, views, rules, calendar, now)
    facts.refresh_facts(session, views, calendar)
    event_rules.apply(session, events, views, rules, now)
    moved = advance(cursor, events, utcnow())
    if moved != cursor:
        session.execute(update(SyncCursor).where(SyncCursor.id == 1).values(last_event_id=moved, updated_at=utcnow()))
    return SyncResult(len(events), len(case_ids), moved)


def case_changed(session: Session, calendar: WorkCalendar, case_id: int, now: datetime,
                 rules: dict[str, Rule] | None = None) -> None:
    """The engine's hook: call after an action changed ``case_id``, in the same unit of work.

    Timers belong to the handling tenant and are always set here. The statistics are set here too unless the
    case was received at another tenant's window (全省通办) and the unit of work is that handling tenant's
    alone: the receiving tenant's figures are then left to the tick, which writes as the platform.
    """
    from tongban.platform.supervision.rules import current_rules

    rules = rules or current_rules(session)
    views = casedata.load_views(session, [case_id])
    reconcile(session, views, rules, calendar, now)
    context = session.info.get("tenant")
    view = views.get(case_id)
    if view is not None and (getattr(context, "path", None) == "/"
                             or view.case.received_tenant_id == view.case.tenant_id):
        facts.refresh_facts(session, views, calendar)


def rearm_all(database, now: datetime | None = None, *, batch: int = 1000) -> int:
    """After a rule changed: re-derive the timers of every case they may concern (in id batches); returns cases."""
    from sqlalchemy import and_, or_

    from tongban.platform.approval.models import Case
    from tongban.platform.supervision.rules import current_rules
    from tongban.platform.supervision.tick import calendars_for
    from tongban.tenants.isolation import TenantContext

    now, last, total = now or utcnow(), 0, 0
    concerned = or_(Case.state.in_(("submitted", "in_progress", "supplement", "reported")),
                    and_(Case.state == "concluded", Case.result == "approved", Case.certificate_number.is_(None)))
    while True:
        with database.unit_of_work(TenantContext.system("supervision re-arm after a rule change")) as session:
            ids = list(session.scalars(select(Case.id).where(Case.id > last, concerned).order_by(Case.id).limit(batch)))
            if not ids:
                return total
            reconcile(session, casedata.load_views(session, ids), current_rules(session),
                      calendars_for(database).calendar(session), now)
        last, total = ids[-1], total + len(ids)


SYNC_LOCK = 7_340_046  # PostgreSQL advisory lock key of the sync ("46" in the middle, for Hainan)


def lock_cursor(session: Session, now: datetime) -> int:
    """Serialise concurrent syncs and read the cursor. PostgreSQL: a transaction-level advisory lock (a quiet
    tick then writes nothing); SQLite: touching the cursor row takes the database write lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK})
        found = session.scalar(select(SyncCursor.last_event_id).where(SyncCursor.id == 1))
        if found is not None:
            return found
    elif session.execute(update(SyncCursor).where(SyncCursor.id == 1).values(updated_at=utcnow())).rowcount:
        return session.scalar(select(SyncCursor.last_event_id).where(SyncCursor.id == 1))
    try:
        with session.begin_nested():
            session.execute(insert(SyncCursor).values(id=1, last_event_id=0, updated_at=utcnow()))
    except IntegrityError:
        pass
    return session.scalar(select(SyncCursor.last_event_id).where(SyncCursor.id == 1))


def advance(cursor: int, events: list, wall_now: datetime) -> int:
    """The highest id with no younger gap before it."""
    expected = cursor + 1
    for event in events:
        if event.id != expected and event.at > wall_now - GAP_GRACE:
            break
        cursor, expected = event.id, event.id + 1
    return cursor


def reconcile(session: Session, views: dict, rules: dict[str, Rule], calendar: WorkCalendar, now: datetime) -> int:
    """Set each case's armed timers to what the rules give now. A timer that fired was deleted when its alert
    was raised: a subject with an alert is not armed again."""
    if not views:
        return 0
    wanted: dict[tuple[str, str], tuple[Planned, str]] = {}
    for view in views.values():
        for plan in case_timers(view, rules, calendar, now):
            wanted[(plan.rule_code, plan.subject_key)] = (plan, view.case.tenant_id)
    if wanted:
        for raised in session.execute(select(Alert.rule_code, Alert.subject_key)
                                      .where(Alert.case_id.in_(list(views)))):
            wanted.pop((raised.rule_code, raised.subject_key), None)
    existing = {(t.rule_code, t.subject_key): t for t in session.scalars(
        select(SupervisionTimer).where(SupervisionTimer.case_id.in_(list(views))))}
    stale = [t.id for k, t in existing.items() if t.state == "armed" and k not in wanted]
    if stale:
        session.execute(delete(SupervisionTimer).where(SupervisionTimer.id.in_(stale))
                        .execution_options(synchronize_session=False))
    new_rows = []
    for k, (plan, tenant) in wanted.items():
        timer = existing.get(k)
        if timer is None:
            new_rows.append(_timer_row(plan, tenant))
        elif timer.state == "armed" and timer.fire_at != plan.fire_at:
            session.execute(update(SupervisionTimer).where(SupervisionTimer.id == timer.id, SupervisionTimer.state == "armed")
                            .values(fire_at=plan.fire_at).execution_options(synchronize_session=False))
    if new_rows:
        insert_timers(session, new_rows)
    return len(new_rows) + len(stale)


def insert_timers(session: Session, rows: list[dict]) -> None:
    bulk.insert(session, SupervisionTimer.__table__, rows, conflict=("rule_code", "subject_key"))


def _timer_row(plan: Planned, tenant: str) -> dict:
    return {"tenant_id": tenant, "rule_code": plan.rule_code, "subject_key": plan.subject_key, "case_id": plan.case_id,
            "task_id": plan.task_id, "petition_id": plan.petition_id, "fire_at": plan.fire_at, "state": "armed"}
