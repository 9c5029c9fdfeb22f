"""When each time rule fires for one case: pure arithmetic on the working-day calendar, pauses excluded.

Conventions (those of ``platform.calendar``): the day a clock starts does not count; a limit of N working
days runs out at 00:00 (Beijing) after the Nth working day. A rule with threshold T fires

- ``case_warning``: when T working days of the promised limit are left (limit − T used);
- ``case_yellow`` / ``case_red``: when the promised / legal limit is exceeded by T working days (limit + T used);
- ``node_overdue``: when a step has used its own limit + T;
- ``special_overrun``: when a hearing, test or expert review has lasted its approved days + T;
- ``report_up_late``: when T working days have passed since acceptance and the case is not yet sent up;
- ``license_late``: T working days after an approved conclusion without an e-license number.

While a case is paused its clock stands still, so its case and step timers are taken down and set again,
moved by the pause, when it resumes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.supervision.rules import Rule

SPECIAL_KINDS = ("hearing", "testing", "expert_review")


@dataclass(frozen=True)
class Planned:
    rule_code: str
    subject_key: str
    fire_at: datetime
    case_id: int | None = None
    task_id: int | None = None
    petition_id: int | None = None


@dataclass
class CaseView:
    """What timing and statistics need of one case, loaded in bulk by ``casedata``."""

    case: object
    open_tasks: list = field(default_factory=list)
    pauses: list = field(default_factory=list)
    node_kinds: frozenset = frozenset()
    department: str = ""
    must_handle_online: bool = False
    license_required: bool = False


def case_timers(view: CaseView, rules: dict[str, Rule], calendar: WorkCalendar, now: datetime) -> list[Planned]:
    case = view.case
    closed = [(p.started_at, p.ended_at) for p in view.pauses if p.ended_at is not None]
    planned: list[Planned] = []
    if case.state == "in_progress" and not case.paused and case.accepted_at is not None:
        planned += _limit_timers(view, rules, calendar, closed, now)
    if case.state in ("submitted", "in_progress") and not case.paused:
        planned += _task_timers(view, rules, calendar, closed, now)
    planned += _report_up_timer(view, rules, calendar, closed, now)
    planned += _special_timers(view, rules, calendar)
    planned += _license_timer(view, rules, calendar)
    return planned


def _on(rules: dict[str, Rule], code: str) -> Rule | None:
    rule = rules.get(code)
    return rule if rule is not None and rule.enabled else None


def _after(calendar: WorkCalendar, start: datetime, days: int, pauses, now: datetime) -> datetime:
    return calendar.due_with_pauses(start, days, pauses, now).due


def _limit_timers(view, rules, calendar, pauses, now) -> list[Planned]:
    case, key, out = view.case, f"case:{view.case.id}", []
    promised, legal = case.promised_limit_days, case.legal_limit_days
    rule = _on(rules, "case_warning")
    if rule and promised is not None and promised > rule.threshold_days:
        out.append(Planned(rule.code, key, _after(calendar, case.accepted_at, promised - rule.threshold_days,
                                                  pauses, now), case.id))
    rule = _on(rules, "case_yellow")
    if rule and promised is not None:
        out.append(Planned(rule.code, key, _after(calendar, case.accepted_at, promised + rule.threshold_days,
                                                  pauses, now), case.id))
    rule = _on(rules, "case_red")
    if rule and legal is not None:
        out.append(Planned(rule.code, key, _after(calendar, case.accepted_at, legal + rule.threshold_days, pauses,
                                                  now), case.id))
    return out


def _task_timers(view, rules, calendar, pauses, now) -> list[Planned]:
    rule, case = _on(rules, "node_overdue"), view.case
    if rule is None:
        return []
    return [Planned(rule.code, f"case:{case.id}:task:{task.id}",
                    _after(calendar, task.started_at, task.limit_days + rule.threshold_days, pauses, now),
                    case.id, task.id)
            for task in view.open_tasks if task.limit_days is not None]


def _report_up_timer(view, rules, calendar, pauses, now) -> list[Planned]:
    """The lower level must send its first review up within T working days of acceptance."""
    case, rule = view.case, _on(rules, "report_up_late")
    if rule is None or "report_up" not in view.node_kinds or case.accepted_at is None or case.parent_case_id:
        return []
    reported = [p for p in view.pauses if p.kind == "report_up"]
    before = [(s, e) for s, e in pauses if not reported or s < reported[0].started_at]
    if not reported and (case.paused or case.state != "in_progress"):
        return []
    fire_at = _after(calendar, case.accepted_at, rule.threshold_days, before, now)
    if reported and reported[0].started_at < fire_at:
        return []
    return [Planned(rule.code, f"case:{case.id}", fire_at, case.id)]


def _special_timers(view, rules, calendar) -> list[Planned]:
    rule = _on(rules, "special_overrun")
    if rule is None:
        return []
    kinds = tuple(rule.params.get("kinds") or SPECIAL_KINDS)
    out = []
    for pause in view.pauses:
        if pause.kind not in kinds or pause.approved_days is None:
            continue
        fire_at = calendar.add_working_days(pause.started_at, pause.approved_days + rule.threshold_days).due
        if pause.ended_at is None or pause.ended_at > fire_at:
            out.append(Planned(rule.code, f"case:{view.case.id}:pause:{pause.id}", fire_at, view.case.id))
    return out


def _license_timer(view, rules, calendar) -> list[Planned]:
    case, rule = view.case, _on(rules, "license_late")
    if (rule is None or case.state != "concluded" or case.result != "approved" or case.certificate_number
            or case.concluded_at is None or not (view.license_required or "issue_certificate" in view.node_kinds)):
        return []
    return [Planned(rule.code, f"case:{case.id}", calendar.add_working_days(case.concluded_at,
                                                                             rule.threshold_days).due, case.id)]


def petition_timers(petition, limit_days: int, rules: dict[str, Rule], calendar: WorkCalendar) -> list[Planned]:
    """Warning T days before the answer is due, yellow and red T days after (working days)."""
    if petition.answered_at is not None:
        return []
    key, out = f"petition:{petition.id}", []
    for code, sign in (("petition_warning", -1), ("petition_yellow", 1), ("petition_red", 1)):
        rule = _on(rules, code)
        if rule is None or limit_days + sign * rule.threshold_days < (1 if sign < 0 else 0):
            continue
        fire_at = calendar.add_working_days(petition.asked_at, limit_days + sign * rule.threshold_days).due
        out.append(Planned(code, key, fire_at, petition_id=petition.id))
    return out
