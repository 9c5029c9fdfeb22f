"""上报: a lower tenant reports a case up; the higher tenant handles the rest of the flow as its own case,
linked to the original, and when it concludes the original concludes with the same result."""
from __future__ import annotations

from sqlalchemy import select

from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import NotAllowed
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.guards import (load_case, load_case_and_task, require_clock_running,
                                              require_node_action, require_staff, require_state)
from tongban.platform.approval.models import Case, CasePause
from tongban.platform.approval.records import CaseRecord
from tongban.platform.approval.unit import CaseUnit
from tongban.platform.approval.numbers import next_case_number
from tongban.platform.approval.routing import Env, conclude, enter
from tongban.tenants.models import Tenant


def report_up(env: Env, case_id: int, task_id: int, actor: Actor, *, comment: str = "",
              expected_revision: int | None = None) -> Case:
    """Needs a unit of work that may write both tenants (the service opens an explicit system scope)."""
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="上报", action_en="reported up")
    require_clock_running(case)
    role = require_staff(env.session, actor, case, "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "report_up")
    node = flow.node(task.node_id)
    upper = _ancestor_at(env, case.tenant_id, node.to_level.value if node.to_level else "city_county")
    task.state, task.completed_at, task.completed_by, task.outcome = "done", env.now, actor.subject, "reported"
    clock.open_pause(env.session, case, "report_up", env.now, comment)
    case.state = "reported"
    upper_case = CaseRecord(
        tenant_id=upper.code, received_tenant_id=case.tenant_id, parent_case_id=case.id,
        number=next_case_number(env.session, upper.code, env.now), query_code_hash=case.query_code_hash,
        item_id=case.item_id, item_code=case.item_code, item_name=case.item_name, version_id=case.version_id,
        case_type=case.case_type, channel=case.channel, applicant_subject=case.applicant_subject,
        applicant=case.applicant, form_data=case.form_data, assignments={}, state="in_progress", submitted_at=env.now,
        accepted_at=env.now, promised_limit_days=case.promised_limit_days, legal_limit_days=case.legal_limit_days,
        fee_due=case.fee_due)
    clock.set_case_dues(env.calendar, upper_case, [], env.now)
    CaseUnit.of(env.session).add_case(upper_case)
    events.append(env.session, case, actor, "report_up", from_state="in_progress", to_state="reported",
                  node_id=task.node_id, comment=comment, role=role, tenant=case.tenant_id,
                  details={"to": upper.code, "upper_case": upper_case.number})
    events.append(env.session, upper_case, actor, "received_report", from_state="", to_state="in_progress",
                  tenant=case.tenant_id, details={"from": case.tenant_id, "lower_case": case.number})
    for nxt in flow.next_nodes(task.node_id, {}):
        enter(env, upper_case, flow, nxt.id, None, actor)
    return upper_case


def _ancestor_at(env: Env, code: str, level: str) -> Tenant:
    path = env.session.scalar(select(Tenant.path).where(Tenant.code == code))
    codes = path.strip("/").split("/")[:-1]
    found = env.session.scalars(select(Tenant).where(Tenant.code.in_(codes), Tenant.level == level)).first()
    if found is None:
        raise NotAllowed("no_upper_tenant", "找不到上报的上级地区", f"no {level} above {code} to report to")
    return found


def upper_concluded(env: Env, upper: Case, actor: Actor) -> None:
    lower = load_case(env.session, upper.parent_case_id)
    pause = env.session.scalar(select(CasePause).where(CasePause.case_id == lower.id, CasePause.kind == "report_up",
                                                       CasePause.ended_at.is_(None)))
    if pause:
        pause.ended_at = env.now
    lower.paused = False
    lower.result, lower.result_note = upper.result, upper.result_note
    lower.certificate_number = upper.certificate_number
    lower.decided_at = upper.decided_at
    events.append(env.session, lower, actor, "upper_decided", from_state="reported", to_state="reported",
                  details={"upper_case": upper.number, "result": upper.result})
    conclude(env, lower, actor, result=upper.result)


__all__ = ["report_up", "upper_concluded"]
