"""Intake from vertical department systems (公安、税务…): their cases become platform cases (``case_type``
``vertical``, no item version) so that every supervision rule and statistic applies to them as well.

A message carries any of: the case's basic info (required the first time), step logs, special procedures
and the conclusion. Its ``idempotency_key`` makes a repeat change nothing and get the first answer back.
Steps may arrive in any order: each is kept with its own timestamps and listed in their order. The
route authenticates the client (OAuth client credentials or a signed request, see ``verify_signature``)
and passes its ``client_id``.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import CasePause
from tongban.platform.approval.records import CaseRecord, TaskRecord
from tongban.platform.approval.unit import CaseUnit
from tongban.platform.approval.numbers import next_case_number
from tongban.platform.approval.routing import cancel_open_tasks
from tongban.platform.db import utcnow
from tongban.platform.supervision.errors import Forbidden, Invalid
from tongban.platform.supervision.tick import calendars_for
from tongban.platform.supervision.vertical import validation
from tongban.platform.supervision.vertical.models import VerticalClient, VerticalLink, VerticalMessage
from tongban.platform.supervision.vertical.validation import instant
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant


def intake_vertical(database, client_id: str, message: dict, *, now: datetime | None = None) -> dict:
    """Apply one message; returns {case_id, case_number, external_id, replayed}. Raises Invalid (field errors)."""
    client, root = _client(database, client_id)
    key = message.get("idempotency_key") if isinstance(message, dict) else None
    digest = hashlib.sha256(json.dumps(message, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    context = TenantContext.subtree_of(root, reason=f"vertical intake: {client_id}")
    try:
        with database.unit_of_work(context) as session:
            replay = _replay(session, client_id, key, digest)
            if replay is not None:
                return replay
            result = _apply(session, client, root, message, now or utcnow(), database)
            session.add(VerticalMessage(client_id=client_id, idempotency_key=key, digest=digest, result=result))
            session.flush()
            return {**result, "replayed": False}
    except IntegrityError:  # the same message was applied by a concurrent request: answer as it did
        with database.unit_of_work(context) as session:
            replay = _replay(session, client_id, key, digest)
        if replay is None:
            raise
        return replay


def verify_signature(secret: str, body: bytes, timestamp: str, signature: str) -> bool:
    """For routes that authenticate a client by HMAC-SHA256 over ``timestamp.body`` (same scheme as webhooks)."""
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def _client(database, client_id: str) -> tuple[VerticalClient, Tenant]:
    with database.unit_of_work(TenantContext.system("vertical client lookup")) as session:
        client = session.get(VerticalClient, client_id)
        root = session.get(Tenant, client.tenant_code) if client is not None else None
    if client is None or not client.active or root is None:
        raise Forbidden("client_unknown", "未登记或已停用的部门系统", "unknown or inactive client")
    return client, root


def _replay(session: Session, client_id: str, key, digest: str) -> dict | None:
    if not isinstance(key, str):
        return None
    stored = session.scalar(select(VerticalMessage).where(VerticalMessage.client_id == client_id,
                                                          VerticalMessage.idempotency_key == key))
    if stored is None:
        return None
    if stored.digest != digest:
        raise Invalid([{"field": "idempotency_key", "code": "key_reused", "zh": "该幂等键已用于内容不同的报文",
                        "en": "this idempotency key was used for a different message"}])
    return {**stored.result, "replayed": True}


def _apply(session: Session, client: VerticalClient, root: Tenant, message: dict, now: datetime, database) -> dict:
    link = None
    if isinstance(message, dict) and isinstance(message.get("external_id"), str):
        link = session.scalar(select(VerticalLink).where(VerticalLink.client_id == client.client_id,
                                                         VerticalLink.external_id == message["external_id"]))
    problems = validation.check(message, case_known=link is not None)
    if problems:
        raise Invalid(problems)
    actor = Actor(f"vertical:{client.client_id}", client.name, "system")
    calendar = calendars_for(database).calendar(session)
    if link is None:
        case, link = _new_case(session, client, root, message, actor, calendar, now)
    else:
        case = CaseUnit.of(session).load_case(link.case_id)
        if "case" in message:
            _update_case(session, case, link, message["case"], actor, calendar, now)
    for step in sorted(message.get("steps") or [], key=lambda s: instant(s["started_at"])):
        _step(session, case, step, actor, calendar, now)
    for procedure in message.get("special_procedures") or []:
        _procedure(session, case, procedure, actor, calendar, now)
    if message.get("conclusion"):
        _conclude(session, case, message["conclusion"], actor, now)
    return {"case_id": case.id, "case_number": case.number, "external_id": link.external_id, "state": case.state}


def _new_case(session, client, root, message, actor, calendar, now):
    info = message["case"]
    tenant = session.get(Tenant, info["tenant"])
    if tenant is None or not tenant.path.startswith(root.path):
        raise Invalid([{"field": "case.tenant", "code": "tenant_outside", "zh": "办理地区不在本系统报送范围内",
                        "en": "this tenant is outside the client's area"}])
    submitted = instant(info["submitted_at"])
    case = CaseUnit.of(session).add_case(CaseRecord(
        tenant_id=tenant.code, received_tenant_id=tenant.code, number=next_case_number(session, tenant.code, submitted),
        query_code_hash="", item_id=0, item_code=info["item_code"], item_name=info["item_name"], version_id=0,
        case_type="vertical", channel=info["channel"], applicant_subject=info["applicant"]["subject"],
        applicant=dict(info["applicant"]), form_data={}, assignments={}, state="submitted", submitted_at=submitted,
        event_count=0, last_event_hash=""))
    link = VerticalLink(tenant_id=tenant.code, client_id=client.client_id, external_id=message["external_id"],
                        case_id=case.id, department=info.get("department") or client.department,
                        license_required=bool(info.get("license_required")))
    session.add(link)
    events.append(session, case, actor, "submit", from_state="", to_state="submitted", tenant=tenant.code,
                  details={"channel": case.channel, "received_at": tenant.code, "external_id": link.external_id})
    _update_case(session, case, link, info, actor, calendar, now)
    return case, link


def _update_case(session, case, link, info, actor, calendar, now) -> None:
    case.promised_limit_days = info.get("promised_limit_days", case.promised_limit_days)
    case.legal_limit_days = info.get("legal_limit_days", case.legal_limit_days)
    link.license_required = bool(info.get("license_required", link.license_required))
    accepted = instant(info.get("accepted_at"))
    if accepted is not None and case.accepted_at is None:
        case.accepted_at = accepted
        if case.state == "submitted":
            case.state = "in_progress"
        events.append(session, case, actor, "accept", from_state="submitted", to_state=case.state,
                      details={"accepted_at": accepted.isoformat()})
    clock.set_case_dues(calendar, case, clock.pauses_of(session, case), now)


def _step(session, case, step, actor, calendar, now) -> None:
    node_id = f"v:{step['step_id']}"[:64]
    unit = CaseUnit.of(session)
    task = next((t for t in unit.all_tasks(case) if t.node_id == node_id), None)
    started, completed = instant(step["started_at"]), instant(step.get("completed_at"))
    if task is None:
        task = unit.add_task(TaskRecord(tenant_id=case.tenant_id, case_id=case.id, node_id=node_id,
                                        node_kind="vertical_step", point=step["point"], round=1, state="open",
                                        started_at=started))
    task.department, task.assignee, task.limit_days = step.get("department"), step.get("handler"), step.get("limit_days")
    task.due_at = clock.due(calendar, started, task.limit_days, clock.pauses_of(session, case), now)
    if completed is not None and task.state == "open" and case.state not in ("concluded", "refused"):
        task.state, task.completed_at, task.completed_by = "done", completed, step.get("handler")
        task.outcome = step.get("outcome") or "done"
    events.append(session, case, actor, "vertical_step", node_id=node_id, public=False,
                  details={"step": step["step_id"], "name": step["name"], "point": step["point"],
                           "started_at": step["started_at"], "completed_at": step.get("completed_at")})


def _procedure(session, case, procedure, actor, calendar, now) -> None:
    reason = f"v:{procedure['procedure_id']}"
    pause = session.scalar(select(CasePause).where(CasePause.case_id == case.id, CasePause.reason == reason))
    if pause is None:
        pause = clock.open_pause(session, case, procedure["kind"], instant(procedure["started_at"]), reason)
    pause.approved_days = procedure["approved_days"]
    pause.ended_at = instant(procedure.get("ended_at"))
    session.flush()
    case.paused = session.scalar(select(CasePause.id).where(CasePause.case_id == case.id,
                                                            CasePause.ended_at.is_(None)).limit(1)) is not None
    clock.refresh_dues(session, calendar, case, now)
    events.append(session, case, actor, "special_procedure", details={k: procedure.get(k) for k in (
        "procedure_id", "kind", "started_at", "ended_at", "approved_days")})


def _conclude(session, case, conclusion, actor, now) -> None:
    concluded = instant(conclusion["concluded_at"])
    if case.state in ("concluded", "refused"):
        if conclusion.get("certificate_number") and not case.certificate_number:
            case.certificate_number = conclusion["certificate_number"]
            events.append(session, case, actor, "license_issued", details={"number": case.certificate_number})
        return
    if case.accepted_at is not None and concluded < case.accepted_at:
        raise Invalid([{"field": "conclusion.concluded_at", "code": "time_order", "zh": "办结时间不能早于受理时间",
                        "en": "concluded_at is before the case was accepted"}])
    result, reason = conclusion["result"], (conclusion.get("reason") or "").strip()
    for pause in session.scalars(select(CasePause).where(CasePause.case_id == case.id, CasePause.ended_at.is_(None))):
        pause.ended_at = concluded
    cancel_open_tasks(session, case, concluded, "concluded")
    before = case.state
    case.state = "refused" if result == "refused" else "concluded"
    case.result, case.result_note, case.concluded_at, case.paused = result, reason, concluded, False
    case.decided_at = concluded if result != "refused" else None
    case.certificate_number = conclusion.get("certificate_number") or case.certificate_number
    events.append(session, case, actor, "refuse" if result == "refused" else "conclude", from_state=before,
                  to_state=case.state, comment=reason, details={"result": result})
