"""Special procedures (特别程序): a hearing (听证), testing or inspection (检验检测) or an expert review (专家评审).

By the Administrative Licensing Law they do not count toward the time limit: starting one opens a pause of
its kind with the approved number of working days, so the case's and the step's clocks stand still until it
is finished; finishing it closes the pause and moves every due time by the time paused. Supervision reads
those pauses (a procedure that outlasts its approved days is carded) and the two case events.
"""
from __future__ import annotations

from sqlalchemy import select

from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import ApprovalError, NotAllowed
from tongban.platform.approval.guards import load_case_and_task, require_staff, require_state
from tongban.platform.approval.models import Case, CasePause
from tongban.platform.approval.routing import Env

KINDS = {"hearing": ("听证", "hearing"), "testing": ("检验检测", "testing or inspection"),
         "expert_review": ("专家评审", "expert review")}
MAX_APPROVED_DAYS = 365


def start_special(env: Env, case_id: int, task_id: int, actor: Actor, *, kind: str, approved_days,
                  reason: str = "", expected_revision: int | None = None) -> Case:
    """Start a special procedure at the current step: the clock pauses from now."""
    if kind not in KINDS:
        raise ApprovalError("special_kind", "请选择特别程序：听证、检验检测或专家评审",
                            "choose a hearing, testing or an expert review", field="kind")
    days = _approved_days(approved_days)
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="启动特别程序", action_en="put into a special procedure")
    role = require_staff(env.session, actor, case, "approve_cases", task)
    if case.paused:
        raise NotAllowed("special_running", "办件已在特别程序中，请先结束当前程序",
                         "a special procedure is already running; finish it first")
    pause = clock.open_pause(env.session, case, kind, env.now, (reason or "").strip())
    pause.approved_days = days
    zh, en = KINDS[kind]
    events.append(env.session, case, actor, "special_procedure", node_id=task.node_id, comment=(reason or "").strip(),
                  role=role, tenant=case.tenant_id,
                  details={"kind": kind, "approved_days": days, "days": days, "label": zh})
    env.notices.append((case, "special_started", {"procedure": zh, "procedure_en": en, "days": days}))
    return case


def end_special(env: Env, case_id: int, task_id: int, actor: Actor, *, comment: str = "",
                expected_revision: int | None = None) -> Case:
    """Finish the running special procedure: the clock runs again and every due moves by the pause."""
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="结束特别程序", action_en="taken out of a special procedure")
    role = require_staff(env.session, actor, case, "approve_cases", task)
    pause = running(env.session, case)
    if pause is None:
        raise NotAllowed("no_special", "办件不在特别程序中", "the case is not in a special procedure")
    pause.ended_at = env.now
    case.paused = False
    clock.refresh_dues(env.session, env.calendar, case, env.now)
    allowed_until = env.calendar.add_working_days(pause.started_at, pause.approved_days or 0).due
    zh, en = KINDS[pause.kind]
    events.append(env.session, case, actor, "special_procedure_end", node_id=task.node_id, comment=comment,
                  role=role, tenant=case.tenant_id,
                  details={"kind": pause.kind, "approved_days": pause.approved_days, "label": zh,
                           "started_at": pause.started_at.isoformat(), "overran": env.now > allowed_until})
    env.notices.append((case, "special_ended", {"procedure": zh, "procedure_en": en}))
    return case


def running(session, case: Case) -> CasePause | None:
    if not case.paused:
        return None
    return session.scalar(select(CasePause).where(CasePause.case_id == case.id, CasePause.kind.in_(tuple(KINDS)),
                                                  CasePause.ended_at.is_(None)))


def _approved_days(value) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_APPROVED_DAYS:
        raise ApprovalError("approved_days", f"请填写批准的工作日天数（1–{MAX_APPROVED_DAYS}）",
                            f"enter the approved number of working days (1–{MAX_APPROVED_DAYS})", field="approved_days")
    return days


__all__ = ["KINDS", "start_special", "end_special", "running"]
