"""Due times in working days: per task from its node limit, per case from the promised and legal limits,
the clock stopped while the case is paused (supplements, report-up, hearings...)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.models import Case, CasePause
from tongban.platform.calendar.working_days import WorkCalendar


def pauses_of(session: Session, case: Case) -> list[tuple[datetime, datetime | None]]:
    if not case.pause_count:
        return []
    return [(p.started_at, p.ended_at) for p in session.scalars(select(CasePause).where(CasePause.case_id == case.id))]


def open_pause(session: Session, case: Case, kind: str, at: datetime, reason: str = "") -> CasePause:
    pause = CasePause(tenant_id=case.tenant_id, case_id=case.id, kind=kind, started_at=at, reason=reason)
    session.add(pause)
    case.pause_count = (case.pause_count or 0) + 1
    case.paused = True
    return pause


def due(calendar: WorkCalendar, start: datetime, limit: int | None, pauses, now: datetime) -> datetime | None:
    if limit is None:
        return None
    return calendar.due_with_pauses(start, limit, pauses, now).due


def set_case_dues(calendar: WorkCalendar, case: Case, pauses, now: datetime) -> None:
    """The promised and legal due times run from acceptance."""
    if case.accepted_at is None:
        return
    case.promised_due_at = due(calendar, case.accepted_at, case.promised_limit_days, pauses, now)
    case.legal_due_at = due(calendar, case.accepted_at, case.legal_limit_days, pauses, now)


def refresh_dues(session: Session, calendar: WorkCalendar, case: Case, now: datetime) -> None:
    """After a pause ends: every open task and the case itself move by the working time paused."""
    from tongban.platform.approval.unit import open_tasks_of

    pauses = pauses_of(session, case)
    set_case_dues(calendar, case, pauses, now)
    for task in open_tasks_of(session, case):
        task.due_at = due(calendar, task.started_at, task.limit_days, pauses, now)


def calendar_warnings(calendar: WorkCalendar, start: datetime, end: datetime | None) -> list[dict]:
    if end is None:
        return []
    return [dict(w) for w in calendar.warnings_between(start.date(), end.date())]
