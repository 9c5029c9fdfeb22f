"""Consultations (咨询) and complaints (投诉) with an answer deadline in working days; the petition rules warn
T days before it and card T days after it (timers armed when asked, taken down when answered)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select

from tongban.platform.approval.departments import code_of, normalised
from tongban.platform.approval.models import Case
from tongban.platform.approval.numbers import normalise_case_number
from tongban.platform.calendar.working_days import TIMEZONE as BEIJING
from tongban.platform.db import as_utc, utcnow
from tongban.platform.supervision import casedata
from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError, WrongState
from tongban.platform.supervision.models import Petition, SupervisionEvent, SupervisionTimer
from tongban.platform.supervision.rules import current_rules
from tongban.platform.supervision.sync import insert_timers
from tongban.platform.supervision.tick import calendars_for
from tongban.platform.supervision.timing import petition_timers
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

KINDS = {"consultation": ("咨询", "consultation"), "complaint": ("投诉", "complaint")}
DEFAULT_LIMITS = {"consultation": 5, "complaint": 15}
TEXT_MAX = 2000


def check_department(department: str, known=None) -> str:
    """The department a petition goes to: a listed one (kept as its code) or one of ``known`` (the tenant's own
    departments as its items name them); empty for none. Anything else is refused on its field."""
    text = " ".join(str(department or "").split())
    if not text:
        return ""
    if code_of(text) is not None:
        return normalised(text)
    if known is not None and text in known:
        return text
    raise SupervisionError("department_unknown", "没有这个部门，请从列表中选择", "No such department: choose one from the list",
                           field="department")


def ask(database, tenant_code: str, *, kind: str, asker_subject: str, question: str, department: str = "",
        limit_days: int | None = None, now: datetime | None = None, known_departments=None,
        case_number: str = "") -> dict:
    """A consultation or complaint; ``known_departments``: the tenant's own department names it may go to besides
    the listed ones (None: any text, as an operator's import). ``case_number``: one of the asker's own cases handled
    here that it is about — its department answers when none was chosen."""
    if kind not in KINDS:
        raise SupervisionError("kind_invalid", "请选择咨询或投诉", "Choose question or complaint", field="kind")
    if not question.strip():
        raise SupervisionError("question_required", "请填写您要咨询或投诉的内容", "Write your question or complaint",
                               field="question")
    if len(question.strip()) > TEXT_MAX:
        raise SupervisionError("question_too_long", f"内容不能超过 {TEXT_MAX} 字（现有 {len(question.strip())} 字）",
                               f"At most {TEXT_MAX} characters (now {len(question.strip())})", field="question")
    department = check_department(department, known_departments)
    now = now or utcnow()
    with database.unit_of_work(TenantContext.of(_tenant(database, tenant_code))) as session:
        rules = current_rules(session)
        limits = {**DEFAULT_LIMITS, **(rules["petition_warning"].params.get("limit_days") or {})}
        days = limit_days if limit_days is not None else limits[kind]
        case = _own_case(session, tenant_code, asker_subject, case_number) if case_number.strip() else None
        if case is not None and not department:
            department = casedata.departments(session, [case]).get(case.id) or ""
        calendar = calendars_for(database).calendar(session)
        petition = Petition(tenant_id=tenant_code, kind=kind, asker_subject=asker_subject, department=department,
                            case_number=case.number if case is not None else None, question=question.strip(),
                            asked_at=now, due_at=calendar.add_working_days(now, days).due)
        session.add(petition)
        session.flush()
        plans = petition_timers(petition, days, rules, calendar)
        insert_timers(session, [{"tenant_id": tenant_code, "rule_code": p.rule_code, "subject_key": p.subject_key,
                                 "case_id": None, "task_id": None, "petition_id": petition.id, "fire_at": p.fire_at,
                                 "state": "armed"} for p in plans])
        _log(session, petition, asker_subject, "ask", now)
        return petition_dict(petition)


def _own_case(session, tenant_code: str, asker_subject: str, typed: str) -> Case:
    """The asker's case handled by ``tenant_code`` with the typed number; anything else is refused at its field
    (someone else's case reads as no case)."""
    case = session.scalar(select(Case).where(Case.number == normalise_case_number(typed)[:40],
                                             Case.tenant_id == tenant_code, Case.applicant_subject == asker_subject))
    if case is None:
        raise SupervisionError("case_unknown", "没有找到您在本地区办理的这个办件", "No case of yours with this number is "
                               "handled here", field="case")
    return case


def is_late(petition, now: datetime) -> bool:
    """Answered after its deadline, or still unanswered past it (what the petition rules card)."""
    return as_utc(petition.answered_at or now) >= as_utc(petition.due_at)


def may_answer(actor, tenant_path: str) -> bool:
    """Approvers and window clerks answer a tenant's petitions."""
    return actor.kind == "system" or actor.may("approve_cases", tenant_path) or actor.may("accept_cases", tenant_path)


def answer(database, actor, tenant_code: str, petition_id: int, *, text: str, now: datetime | None = None) -> dict:
    if not text.strip():
        raise SupervisionError("answer_required", "请填写答复", "Write the answer", field="answer")
    if len(text.strip()) > TEXT_MAX:
        raise SupervisionError("answer_too_long", f"答复不能超过 {TEXT_MAX} 字", f"At most {TEXT_MAX} characters",
                               field="answer")
    now = now or utcnow()
    tenant = _tenant(database, tenant_code)
    if not may_answer(actor, tenant.path):
        raise Forbidden("forbidden", "您不能答复本地区的咨询投诉", "you cannot answer petitions here")
    with database.unit_of_work(TenantContext.of(tenant)) as session:
        petition = session.get(Petition, petition_id)
        if petition is None:
            raise NotFound("咨询投诉", petition_id)
        if petition.answered_at is not None:
            raise WrongState("answered", "已经答复", "already answered")
        petition.answer, petition.answered_at, petition.answered_by = text.strip(), now, actor.subject
        session.execute(delete(SupervisionTimer).where(SupervisionTimer.subject_key == f"petition:{petition.id}",
                                                       SupervisionTimer.state == "armed")
                        .execution_options(synchronize_session=False))
        _log(session, petition, actor.subject, "answer", now)
        _tell_asker(session, petition, tenant)
        return petition_dict(petition)


def _tell_asker(session, petition: Petition, tenant: Tenant) -> int:
    """The asker hears that the answer is there (SMS and email, sent once the answer commits); the answer itself
    is read on the portal, signed in: a text message is no place for it."""
    from tongban.platform.identity.directory import person_contact
    from tongban.platform.notify import outbox

    contact = person_contact(session, petition.asker_subject)
    kind_zh, kind_en = KINDS[petition.kind]
    asked = as_utc(petition.asked_at).astimezone(BEIJING)
    zh = (f"您于{asked:%Y年%m月%d日}向{tenant.name}提出的{kind_zh}已答复，请登录政务服务网“咨询投诉”查看。")
    en = f"Your {kind_en} of {asked:%Y-%m-%d} to {tenant.name} has been answered: sign in and see 咨询投诉 (Questions)."
    reference = {"petition": petition.id}
    if contact.get("phone"):
        outbox.add(session, tenant_id=petition.tenant_id, channel="sms", recipient=contact["phone"], body=zh,
                   topic="petition_answered", reference=reference)
    if contact.get("email"):
        outbox.add(session, tenant_id=petition.tenant_id, channel="email", recipient=contact["email"],
                   subject=f"【{kind_zh}答复】{tenant.name}", body=f"{zh}\n{en}", topic="petition_answered",
                   reference=reference)
    return len(contact)


def asked_by(session, subject: str, now: datetime, limit: int = 50) -> list[dict]:
    """The petitions ``subject`` asked in the unit of work's tenant, newest first, each with whether it is late."""
    rows = session.scalars(select(Petition).where(Petition.asker_subject == subject)
                           .order_by(Petition.asked_at.desc(), Petition.id.desc()).limit(limit))
    return [petition_dict(p, now) for p in rows]


def to_answer(database, actor, tenant_code: str, *, unanswered: bool = True, now: datetime | None = None) -> list[dict]:
    """What a member of staff answers in a tenant: its window clerks and approvers see the petitions for their
    department and those for none (all of them for staff of none); anyone else is refused (``Forbidden``)."""
    if not may_answer(actor, _tenant(database, tenant_code).path):
        raise Forbidden("forbidden", "您不能答复本地区的咨询投诉", "you cannot answer petitions here")
    return petitions_of(database, tenant_code, unanswered=unanswered, department=actor.department or None, now=now)


def petitions_of(database, tenant_code: str, *, unanswered: bool = False, department: str | None = None,
                 now: datetime | None = None) -> list[dict]:
    """The tenant's petitions, oldest first, each with whether it is late; with ``department`` (a staff member's),
    those addressed to it and those addressed to no department (the general window's to route or answer)."""
    now = now or utcnow()
    with database.unit_of_work(TenantContext.of(_tenant(database, tenant_code))) as session:
        query = select(Petition).order_by(Petition.asked_at)
        if unanswered:
            query = query.where(Petition.answered_at.is_(None))
        if department:
            query = query.where(or_(Petition.department == normalised(department), Petition.department == ""))
        return [petition_dict(p, now) for p in session.scalars(query)]


def _tenant(database, code: str) -> Tenant:
    with database.unit_of_work(TenantContext.system("tenant lookup")) as session:
        tenant = session.get(Tenant, code)
    if tenant is None:
        raise NotFound("地区", code)
    return tenant


def _log(session, petition: Petition, actor: str, action: str, now: datetime) -> None:
    session.add(SupervisionEvent(tenant_id=petition.tenant_id, subject=f"petition:{petition.id}", at=now, actor=actor,
                                 action=action))


def petition_dict(p: Petition, now: datetime | None = None) -> dict:
    """The petition as the rooms show it, with whether it is late (``is_late``) at ``now``."""
    return {"late": is_late(p, now or utcnow()), "id": p.id, "kind": p.kind, "tenant": p.tenant_id, "department": p.department,
            "case_number": p.case_number, "question": p.question,
            "answer": p.answer, "asked_at": p.asked_at, "answered_at": p.answered_at, "due_at": p.due_at}
