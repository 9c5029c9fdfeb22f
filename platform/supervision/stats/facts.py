"""What one case, card or rating adds to the statistics, and keeping a case's facts in step with the case.

Definitions (the brute-force recount in the tests uses the same words):
- received: by the handling tenant, in the month submitted; 全省通办 cases also count as ``received_for_others``
  for the tenant whose window received them. A case reported up (上报) counts once, at the lower level.
- accepted: in the month accepted. concluded: state 办结, in the month concluded; ``on_time`` when concluded
  before the promised due, else ``overdue``; ``early`` when at least one working day was left.
- timed / used_minutes / legal_days: concluded cases with a legal limit, the working time they used (pauses
  excluded, whole minutes) and their legal limits — average days used and the speed-up against the law.
- cards: warnings, yellow and red cards in the month raised, while issued (not pending, withdrawn, cancelled).
- ratings: valid (not excluded on appeal) ratings in the month rated; good = the top two levels, bad = bottom two.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.supervision.models import COUNTED_STATES, CaseFact
from tongban.platform.supervision.stats import rollup
from tongban.platform.supervision.stats.rollup import key, month_of
from tongban.platform.supervision.timing import CaseView

CARD_MEASURE = {"warning": "warnings", "yellow": "yellow_cards", "red": "red_cards"}
MINUTE = timedelta(minutes=1)


def used_minutes(calendar: WorkCalendar, case, pauses) -> int:
    spans = [(p.started_at, p.ended_at or case.concluded_at) for p in pauses]
    return calendar.working_days_elapsed(case.accepted_at, case.concluded_at, spans).working_time // MINUTE


def case_contributions(view: CaseView, calendar: WorkCalendar) -> dict[str, int]:
    case, out = view.case, Counter()
    if case.parent_case_id:
        return {}

    def add(tenant: str, at, measure: str, value: int = 1) -> None:
        out[key(tenant, view.department, case.item_code, case.channel, month_of(at), measure)] += value

    add(case.tenant_id, case.submitted_at, "received")
    if case.received_tenant_id != case.tenant_id:
        add(case.received_tenant_id, case.submitted_at, "received_for_others")
    if case.accepted_at is not None:
        add(case.tenant_id, case.accepted_at, "accepted")
    if case.state == "concluded" and case.concluded_at is not None:
        add(case.tenant_id, case.concluded_at, "concluded")
        on_time = case.promised_due_at is None or case.concluded_at < case.promised_due_at
        add(case.tenant_id, case.concluded_at, "on_time" if on_time else "overdue")
        if case.accepted_at is not None:
            minutes = used_minutes(calendar, case, view.pauses)
            if case.legal_limit_days:
                add(case.tenant_id, case.concluded_at, "timed")
                add(case.tenant_id, case.concluded_at, "used_minutes", minutes)
                add(case.tenant_id, case.concluded_at, "legal_days", case.legal_limit_days)
            promised = case.promised_limit_days
            if on_time and promised and minutes <= (promised - 1) * 24 * 60:
                add(case.tenant_id, case.concluded_at, "early")
    return {k: v for k, v in out.items() if v}


def alert_contributions(alert) -> dict[str, int]:
    if alert.state not in COUNTED_STATES:
        return {}
    measure = CARD_MEASURE[alert.severity]
    return {key(alert.tenant_id, alert.department, alert.item_code, alert.channel, month_of(alert.raised_at),
                measure): 1}


def rating_contributions(rating) -> dict[str, int]:
    if rating.state == "excluded":
        return {}
    parts = (rating.tenant_id, rating.department, rating.item_code, rating.channel, month_of(rating.rated_at))
    out = {key(*parts, "ratings"): 1, key(*parts, "rating_points"): rating.level}
    if rating.level >= 4:
        out[key(*parts, "ratings_good")] = 1
    if rating.level <= 2:
        out[key(*parts, "ratings_bad")] = 1
    return out


def refresh_facts(session: Session, views: dict[int, CaseView], calendar: WorkCalendar) -> int:
    """Bring each case's facts up to date and apply the differences to the rollups; returns cases changed."""
    if not views:
        return 0
    stored = {f.case_id: f for f in session.scalars(select(CaseFact).where(CaseFact.case_id.in_(list(views))))}
    delta: Counter = Counter()
    changed = 0
    for case_id, view in views.items():
        new = case_contributions(view, calendar)
        fact = stored.get(case_id)
        old = fact.contributions if fact else {}
        if new == old:
            continue
        if not _store(session, view.case, fact, new):
            continue  # someone else stored these facts meanwhile: they applied the difference too
        delta.update(rollup.difference(old, new))
        changed += 1
    rollup.apply(session, {k: v for k, v in delta.items() if v})
    return changed


def _store(session: Session, case, fact: CaseFact | None, new: dict) -> bool:
    if fact is None:
        try:
            with session.begin_nested():
                session.add(CaseFact(tenant_id=case.tenant_id, case_id=case.id, contributions=new, revision=1))
            return True
        except IntegrityError:
            return False
    done = session.execute(update(CaseFact).where(CaseFact.case_id == case.id, CaseFact.revision == fact.revision)
                           .values(contributions=new, revision=fact.revision + 1)
                           .execution_options(synchronize_session=False)).rowcount
    return bool(done)
