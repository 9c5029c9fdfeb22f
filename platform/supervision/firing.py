"""Turning due timers into alerts: who is responsible for each, and whether it still holds.

A timer that no longer holds (the case concluded, the step was done, the petition answered a moment ago and
the sync has not seen it yet) is left armed; the next sync takes it down.
"""
from __future__ import annotations

from collections import defaultdict, namedtuple

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tongban.platform.approval.models import Case, Task
from tongban.platform.supervision import bulk, casedata
from tongban.platform.supervision.alerts import Raise, responsible
from tongban.platform.supervision.models import ARMED, Petition, SupervisionTimer
from tongban.platform.supervision.rules import Rule

RUNNING_RULES = {"case_warning", "case_yellow", "case_red"}
POINT_OF_RULE = {"license_late": "conclusion", "report_up_late": None}  # else the holding task's point


def raises_for(session: Session, timers: list, rules: dict[str, Rule]) -> tuple[list[Raise], list[int]]:
    """The alerts to raise for ``timers``, and the ids of timers that still hold (to mark fired)."""
    by_kind = defaultdict(list)
    for timer in timers:
        by_kind[timer.subject_key.split(":", 1)[0]].append(timer)
    raises, fired = [], []
    for kind, handler in (("case", _case_raises), ("petition", _petition_raises), ("rating", _rating_raises)):
        if by_kind.get(kind):
            r, f = handler(session, by_kind[kind], rules)
            raises += r
            fired += f
    return raises, fired


CASE_COLUMNS = (Case.id, Case.number, Case.item_code, Case.channel, Case.tenant_id, Case.state, Case.paused,
                Case.certificate_number, Case.promised_limit_days, Case.legal_limit_days, Case.version_id, Case.case_type)
TASK_COLUMNS = (Task.id, Task.case_id, Task.tenant_id, Task.state, Task.department, Task.assignee, Task.completed_by,
                Task.point, Task.node_kind, Task.limit_days)


CaseRow = namedtuple("CaseRow", [c.key for c in CASE_COLUMNS])
TIMER_COLUMNS = (SupervisionTimer.id, SupervisionTimer.rule_code, SupervisionTimer.subject_key,
                 SupervisionTimer.case_id, SupervisionTimer.task_id, SupervisionTimer.petition_id,
                 SupervisionTimer.fire_at)


def due_timers(session: Session, now, limit: int) -> list:
    """Armed timers due by ``now`` (the partial index's own predicate, ``models.ARMED``, written literally so the
    planner uses it), earliest first, each with its case's columns (one statement: the tick reads
    the cases with the timers); on PostgreSQL the timers are locked, skipping those another tick holds."""
    t = SupervisionTimer
    query = (select(*TIMER_COLUMNS, *(c.label(f"case_{c.key}") for c in CASE_COLUMNS))
             .outerjoin(Case, Case.id == t.case_id)
             .where(text(f"supervision_timers.{ARMED}"), t.fire_at <= now).order_by(t.fire_at).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=t, skip_locked=True)
    return session.execute(query).all()


def _case_raises(session: Session, timers: list, rules: dict[str, Rule]):
    """Plain column rows, not ORM objects: a tick that raises a thousand alerts reads a thousand cases (with the
    timers, see ``due_timers``) and their tasks."""
    width = len(TIMER_COLUMNS)
    cases = {t.case_id: CaseRow._make(t[width:]) for t in timers if t.case_id is not None and t[width] is not None}
    ids = list(cases)
    tasks, task_by_id = defaultdict(list), {}
    # no ORDER BY: with statistics SQLite then walks the whole table in id order instead of using the case index
    for task in sorted(session.execute(select(*TASK_COLUMNS).where(bulk.among(session, Task.case_id, ids))),
                       key=lambda t: t.id):
        tasks[task.case_id].append(task)
        task_by_id[task.id] = task
    departments = casedata.departments(session, cases.values())
    raises, fired = [], []
    for timer in timers:
        case, rule = cases.get(timer.case_id), rules.get(timer.rule_code)
        if case is None or rule is None:
            continue
        task = task_by_id.get(timer.task_id) if timer.task_id else None
        if not _still_holds(timer, case, task):
            continue
        case_tasks = tasks[case.id]
        holder = task or _report_task(rule, case_tasks)
        who = responsible(case, case_tasks, task=holder, department=departments.get(case.id, ""),
                          point=POINT_OF_RULE.get(rule.code))
        if task is None:
            who["task_id"] = None
        details = {"limit_days": _limit(rule, case, task)}
        raises.append(Raise(rule, timer.subject_key, fired_for=timer.fire_at, details=details, **who))
        fired.append(timer.id)
    return raises, fired


def _still_holds(timer, case, task) -> bool:
    if timer.rule_code in RUNNING_RULES:
        return case.state == "in_progress" and not case.paused
    if timer.rule_code == "node_overdue":
        return task is not None and task.state == "open" and not case.paused
    if timer.rule_code == "license_late":
        return not case.certificate_number
    return True


def _report_task(rule: Rule, tasks: list):
    if rule.code != "report_up_late":
        return None
    return next((t for t in reversed(tasks) if t.node_kind == "report_up"), None)


def _limit(rule: Rule, case, task) -> int | None:
    if task is not None:
        return task.limit_days
    if rule.code in ("case_warning", "case_yellow"):
        return case.promised_limit_days
    if rule.code == "case_red":
        return case.legal_limit_days
    return rule.threshold_days


def _petition_raises(session: Session, timers: list, rules: dict[str, Rule]):
    petitions = {p.id: p for p in session.scalars(select(Petition).where(Petition.id.in_({t.petition_id for t in timers})))}
    raises, fired = [], []
    for timer in timers:
        petition, rule = petitions.get(timer.petition_id), rules.get(timer.rule_code)
        if petition is None or rule is None or petition.answered_at is not None:
            continue
        raises.append(Raise(rule, timer.subject_key, petition.tenant_id, fired_for=timer.fire_at,
                            petition_id=petition.id, department=petition.department,
                            details={"kind": petition.kind, "due_at": petition.due_at.isoformat()}))
        fired.append(timer.id)
    return raises, fired


def _rating_raises(session: Session, timers: list, rules: dict[str, Rule]):
    from tongban.platform.supervision.ratings.models import Rating, Rectification

    ids = {int(t.subject_key.split(":")[1]) for t in timers}
    rows = {r.rating_id: (r, g) for r, g in session.execute(
        select(Rectification, Rating).join(Rating, Rating.id == Rectification.rating_id).where(Rectification.rating_id.in_(ids)))}
    raises, fired = [], []
    for timer in timers:
        found, rule = rows.get(int(timer.subject_key.split(":")[1])), rules.get(timer.rule_code)
        if found is None or rule is None or found[0].state != "open":
            continue
        rectification, rating = found
        raises.append(Raise(rule, timer.subject_key, rating.tenant_id, fired_for=timer.fire_at, case_id=rating.case_id,
                            item_code=rating.item_code, channel=rating.channel, department=rectification.department,
                            details={"rating_id": rating.id, "level": rating.level}))
        fired.append(timer.id)
    return raises, fired
