"""好差评 (国办发〔2019〕51号): one rating per case (一事一评) and per window visit (一次一评), five levels; the
bottom two are bad ratings, need a reason and open a rectification for the department that handled it:
整改 report by a deadline (working days, the ``rating_rectification_overdue`` rule's threshold), a follow-up
call (回访) and the applicant's confirmation. A department may appeal a malicious or mistaken rating; a
supervisor decides, and an excluded rating leaves the statistics.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from tongban.platform.approval.departments import code_of, normalised
from tongban.platform.approval.models import Case
from tongban.platform.db import utcnow
from tongban.platform.supervision import casedata, notify
from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError, WrongState
from tongban.platform.supervision.models import SupervisionEvent, SupervisionTimer
from tongban.platform.supervision.ratings.models import BAD, LEVELS, Rating, Rectification
from tongban.platform.supervision.rules import current_rules
from tongban.platform.supervision.stats import facts, rollup
from tongban.platform.supervision.sync import insert_timers
from tongban.platform.supervision.tick import calendars_for
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

RULE = "rating_rectification_overdue"
RATEABLE = ("concluded", "refused")  # a case is rated once it is done: decided, or refused at intake
REASON_MAX = 1000


def rate_case(database, actor, case_id: int, *, level: int, reason: str = "", now: datetime | None = None) -> dict:
    """The applicant rates a case once."""
    with database.unit_of_work(TenantContext.system("rating lookup")) as session:
        case = session.get(Case, case_id)
        if case is None or actor.subject != case.applicant_subject:
            raise NotFound("办件", case_id)
        if case.state not in RATEABLE:
            raise WrongState("not_done", "办件办结后才能评价", "A case can be rated once it is concluded")
        view = casedata.load_views(session, [case_id])[case_id]
        tenant = session.get(Tenant, case.tenant_id)
    return _rate(database, tenant, actor, level, reason, now, case_id=case_id, department=view.department,
                 item_code=case.item_code, channel=case.channel)


def rate_visit(database, actor, tenant_code: str, visit_key: str, *, level: int, reason: str = "", department: str = "",
               now: datetime | None = None) -> dict:
    """A rating of one window visit (the queue ticket or visit number is ``visit_key``)."""
    if not visit_key or len(visit_key) > 80:
        raise SupervisionError("visit_required", "缺少办事记录编号", "visit_key is required", field="visit_key")
    if department and code_of(department) is None:
        raise SupervisionError("department_unknown", "没有这个部门，请从部门列表中选择",
                               "No such department: choose one from the list", field="department")
    return _rate(database, _tenant(database, tenant_code), actor, level, reason, now, visit_key=visit_key,
                 department=normalised(department), channel="window")


def report_rectification(database, actor, tenant_code: str, rating_id: int, *, report: str,
                         attachments: list | None = None, now: datetime | None = None) -> dict:
    if not report.strip():
        raise SupervisionError("report_required", "请填写整改情况", "Write what was corrected", field="report")
    _not_too_long(report, "report")
    return _rectification_step(database, actor, tenant_code, rating_id, "report", ("open",), "reported", now,
                               report=report.strip(), attachments=list(attachments or []))


def record_callback(database, actor, tenant_code: str, rating_id: int, *, note: str, now: datetime | None = None) -> dict:
    """回访: the department called the applicant back and notes what was said."""
    if not note.strip():
        raise SupervisionError("note_required", "请记录回访情况", "Note what the applicant said", field="note")
    _not_too_long(note, "note")
    return _rectification_step(database, actor, tenant_code, rating_id, "callback", ("reported",), "called", now,
                               callback_by=actor.subject, callback_note=note.strip())


def applicant_confirms(database, actor, rating_id: int, *, satisfied: bool, now: datetime | None = None) -> dict:
    """The applicant confirms the rectification (or not: it is opened again with a new deadline)."""
    now = now or utcnow()
    with database.unit_of_work(TenantContext.system("applicant confirmation")) as session:
        rating, rectification = _load(session, rating_id)
        if rating.rater != actor.subject:
            raise NotFound("评价", rating_id)
        _require(rectification, ("called", "reported"), "确认整改", "confirmed")
        if satisfied:
            rectification.state, rectification.confirmed_at, rectification.applicant_satisfied = "confirmed", now, True
        else:
            rectification.state, rectification.applicant_satisfied = "open", False
            rectification.due_at = _due(session, database, now)
            _arm(session, rating, rectification)
        _log(session, rating, actor.subject, "confirm" if satisfied else "not_satisfied", now)
        return rectification_dict(rating, rectification)


def appeal_rating(database, actor, tenant_code: str, rating_id: int, *, reason: str, now: datetime | None = None) -> dict:
    """The department appeals a malicious or mistaken rating; the supervisor decides."""
    if not reason.strip():
        raise SupervisionError("reason_required", "申诉必须说明理由", "An appeal needs a reason", field="reason")
    _not_too_long(reason, "reason")
    now = now or utcnow()
    with _as_department(database, actor, tenant_code) as session:
        rating, _rectification = _load(session, rating_id)
        if rating.state != "valid" or rating.level not in BAD:
            raise WrongState("wrong_state", "只能对有效的差评申诉", "only a valid bad rating can be appealed")
        rating.state, rating.appeal_reason = "appealed", reason.strip()
        _log(session, rating, actor.subject, "appeal", now, comment=reason)
        return rating_dict(rating)


def decide_rating_appeal(database, actor, tenant_code: str, rating_id: int, *, exclude: bool, reason: str,
                         now: datetime | None = None) -> dict:
    """The supervisor excludes the rating (it leaves the statistics, no rectification) or lets it stand."""
    from tongban.platform.supervision.service import SupervisionService

    now = now or utcnow()
    with SupervisionService(database).supervising(actor, tenant_code, f"差评申诉 {rating_id}") as session:
        rating, rectification = _load(session, rating_id)
        if rating.state != "appealed":
            raise WrongState("wrong_state", "该评价没有待处理的申诉", "this rating has no appeal to decide")
        before = facts.rating_contributions(rating)
        rating.state, rating.appeal_decision = ("excluded" if exclude else "valid"), reason
        rollup.apply(session, rollup.difference(before, facts.rating_contributions(rating)))
        if exclude and rectification is not None:
            rectification.state = "void"
            _disarm(session, rating.id)
        _log(session, rating, actor.subject, "exclude" if exclude else "uphold", now, comment=reason)
        return rating_dict(rating)


def _not_too_long(text: str, field: str, most: int = 2000) -> None:
    if len(text.strip()) > most:
        raise SupervisionError(f"{field}_too_long", f"不能超过 {most} 字（现有 {len(text.strip())} 字）",
                               f"At most {most} characters (now {len(text.strip())})", field=field)


def _rate(database, tenant, actor, level, reason, now, **where) -> dict:
    if level not in LEVELS:
        raise SupervisionError("level_invalid", "评价等级应为 1 至 5", "level is 1 (very dissatisfied) to 5", field="level")
    if level in BAD and not (reason or "").strip():
        raise SupervisionError("reason_required", "差评请说明原因", "A bad rating needs a reason", field="reason")
    if len((reason or "").strip()) > REASON_MAX:
        raise SupervisionError("reason_too_long", f"评价内容不能超过 {REASON_MAX} 字",
                               f"At most {REASON_MAX} characters", field="reason")
    now = now or utcnow()
    try:
        with database.unit_of_work(TenantContext.of(tenant)) as session:
            rating = Rating(tenant_id=tenant.code, rater=actor.subject, level=level, reason=(reason or "").strip(),
                            rated_at=now, state="valid", **where)
            session.add(rating)
            session.flush()
            rollup.apply(session, facts.rating_contributions(rating))
            rectification = None
            if level in BAD:
                rectification = Rectification(tenant_id=tenant.code, rating_id=rating.id, department=rating.department,
                                              due_at=_due(session, database, now), state="open")
                session.add(rectification)
                session.flush()
                _arm(session, rating, rectification)
                notify.send(session, tenant.code, tenant.code, None, rating.department or None, "bad_rating",
                            (f"收到差评（{LEVELS[level][0]}）：{rating.reason}。请于 {rectification.due_at:%Y-%m-%d %H:%M} 前整改。",
                             f"A bad rating ({LEVELS[level][1]}) needs rectification."), {"rating": rating.id})
            _log(session, rating, actor.subject, "rate", now, comment=rating.reason, details={"level": level})
            return {**rating_dict(rating), "rectification": rectification_dict(rating, rectification)}
    except IntegrityError:
        raise WrongState("already_rated", "已经评价过了（一事一评、一次一评）", "this was rated already") from None


def _rectification_step(database, actor, tenant_code, rating_id, action, states, target, now, **changes) -> dict:
    now = now or utcnow()
    with _as_department(database, actor, tenant_code) as session:
        rating, rectification = _load(session, rating_id)
        if (actor.department and rectification and rectification.department
                and normalised(actor.department) != rectification.department):
            raise NotFound("评价", rating_id)
        _require(rectification, states, "处理整改", action)
        rectification.state = target
        for name, value in changes.items():
            setattr(rectification, name, value)
        if action == "report":
            rectification.reported_at = now
            _disarm(session, rating.id)
        if action == "callback":
            rectification.callback_at = now
        _log(session, rating, actor.subject, action, now, comment=changes.get("report") or changes.get("callback_note", ""),
             details={"attachments": changes.get("attachments", [])})
        return rectification_dict(rating, rectification)


def _due(session, database, now: datetime) -> datetime:
    days = current_rules(session)[RULE].threshold_days
    return calendars_for(database).calendar(session).add_working_days(now, days).due


def _arm(session, rating: Rating, rectification: Rectification) -> None:
    rule = current_rules(session)[RULE]
    _disarm(session, rating.id)
    if rule.enabled:
        insert_timers(session, [{"tenant_id": rating.tenant_id, "rule_code": RULE, "subject_key": f"rating:{rating.id}",
                                 "case_id": None, "task_id": None, "petition_id": None, "fire_at": rectification.due_at,
                                 "state": "armed"}])


def _disarm(session, rating_id: int) -> None:
    session.execute(delete(SupervisionTimer).where(SupervisionTimer.subject_key == f"rating:{rating_id}",
                                                   SupervisionTimer.state == "armed")
                    .execution_options(synchronize_session=False))


def _require(rectification, states, zh: str, en: str) -> None:
    if rectification is None or rectification.state not in states:
        raise WrongState("wrong_state", f"当前不能{zh}", f"the rectification cannot be {en} now")


def _load(session, rating_id: int):
    rating = session.get(Rating, rating_id)
    if rating is None:
        raise NotFound("评价", rating_id)
    return rating, session.scalar(select(Rectification).where(Rectification.rating_id == rating_id))


def _as_department(database, actor, tenant_code: str):
    tenant = _tenant(database, tenant_code)
    if actor.kind != "system" and not (actor.may("handle_ratings", tenant.path) or actor.may("approve_cases", tenant.path)):
        raise Forbidden("forbidden", "您没有处理本地区评价的权限", "you cannot handle ratings here")
    return database.unit_of_work(TenantContext.of(tenant))


def _tenant(database, code: str) -> Tenant:
    with database.unit_of_work(TenantContext.system("tenant lookup")) as session:
        tenant = session.get(Tenant, code)
    if tenant is None:
        raise NotFound("地区", code)
    return tenant


def _log(session, rating: Rating, actor: str, action: str, now: datetime, comment: str = "", details=None) -> None:
    session.add(SupervisionEvent(tenant_id=rating.tenant_id, subject=f"rating:{rating.id}", at=now, actor=actor,
                                 action=action, comment=comment or "", details=details or {}))


def rating_dict(r: Rating) -> dict:
    return {"id": r.id, "case_id": r.case_id, "visit_key": r.visit_key, "level": r.level, "label_zh": LEVELS[r.level][0],
            "label_en": LEVELS[r.level][1], "bad": r.level in BAD, "reason": r.reason, "department": r.department,
            "tenant": r.tenant_id, "rated_at": r.rated_at, "state": r.state}


def rectification_dict(rating: Rating, r: Rectification | None) -> dict | None:
    if r is None:
        return None
    return {"rating_id": rating.id, "state": r.state, "due_at": r.due_at, "department": r.department,
            "report": r.report, "attachments": r.attachments, "callback_note": r.callback_note,
            "applicant_satisfied": r.applicant_satisfied}


# --- reading them back: the department's list, the supervisors' list, the applicant's view ---------------------
IN_HAND = ("open", "reported", "called")
RECTIFICATION_LABELS = {"open": ("待整改", "To rectify"), "reported": ("已整改，待回访", "Rectified, to call back"),
                        "called": ("已回访，待评价人确认", "Called back, awaiting the rater"),
                        "confirmed": ("评价人已确认", "Confirmed by the rater"), "void": ("已撤销（申诉成立）", "Void (appeal upheld)")}
RATING_STATES = {"valid": ("有效", "Valid"), "appealed": ("申诉中", "Under appeal"), "excluded": ("已剔除", "Excluded")}


def department_rectifications(database, actor, tenant_code: str) -> list[dict]:
    """The bad ratings a department has in hand here — to rectify, to call back, awaiting the rater, or under appeal —
    soonest deadline first: the actor's department's (every department's for someone of none)."""
    with _as_department(database, actor, tenant_code) as session:
        query = (select(Rating, Rectification).join(Rectification, Rectification.rating_id == Rating.id)
                 .where(Rating.tenant_id == tenant_code,
                        (Rectification.state.in_(IN_HAND)) | (Rating.state == "appealed")))
        if actor.department:
            query = query.where(Rectification.department == normalised(actor.department))
        return _listed(session, query.order_by(Rectification.due_at))


def bad_ratings(service, actor, tenant_code: str, *, appealed_only: bool = False, limit: int = 200) -> list[dict]:
    """The bad ratings of a supervisor's subtree, those under appeal first, then by deadline."""
    with service.supervising(actor, tenant_code, "电子监察查看差评整改") as session:
        query = select(Rating, Rectification).join(Rectification, Rectification.rating_id == Rating.id)
        if appealed_only:
            query = query.where(Rating.state == "appealed")
        return _listed(session, query.order_by(Rating.state != "appealed", Rectification.due_at).limit(limit))


def _listed(session, query) -> list[dict]:
    rows = session.execute(query).all()
    numbers = dict(session.execute(select(Case.id, Case.number).where(
        Case.id.in_([r.case_id for r, _ in rows if r.case_id])) ).all()) if rows else {}
    return [{**rating_dict(r), "case_number": numbers.get(r.case_id), "appeal_reason": r.appeal_reason,
             "appeal_decision": r.appeal_decision, "state_label": RATING_STATES.get(r.state, (r.state, r.state)),
             "rectification": {**rectification_dict(r, x), "due_at": x.due_at, "reported_at": x.reported_at,
                               "callback_at": x.callback_at, "label": RECTIFICATION_LABELS.get(x.state, (x.state, x.state))}}
            for r, x in rows]


def applicant_view(session, case_id: int) -> dict | None:
    """The case's rating as its rater sees it: the level and reason, and for a bad one what the department did
    (its report and call-back) and whether the rater is asked to confirm."""
    rating = session.scalar(select(Rating).where(Rating.case_id == case_id))
    if rating is None:
        return None
    rectification = session.scalar(select(Rectification).where(Rectification.rating_id == rating.id))
    view = {**rating_dict(rating), "state_label": RATING_STATES.get(rating.state, (rating.state, rating.state)),
            "rectification": None}
    if rectification is not None:
        view["rectification"] = {
            **rectification_dict(rating, rectification), "due_at": rectification.due_at,
            "reported_at": rectification.reported_at, "callback_at": rectification.callback_at,
            "label": RECTIFICATION_LABELS.get(rectification.state, (rectification.state, rectification.state)),
            "may_confirm": rating.state == "valid" and rectification.state in ("called", "reported")}
    return view
