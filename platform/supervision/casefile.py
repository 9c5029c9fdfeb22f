"""What a supervisor reads about one case and about complaints: the case's full timeline, its steps, its pauses,
its alerts and its clock (working days used against the promised and legal limits), and the complaints of the
subtree with their answer deadlines. Read through the supervisor's audited subtree scope."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from tongban.platform.approval.models import Case, CaseEvent, CasePause, Task
from tongban.platform.db import utcnow
from tongban.platform.supervision.errors import NotFound
from tongban.platform.supervision.models import Alert, Petition
from tongban.platform.supervision.petitions import is_late
from tongban.platform.supervision.service import SupervisionService, alert_dict


def case_file(service: SupervisionService, actor, tenant_code: str, case_id: int, *,
              now: datetime | None = None) -> dict:
    """The case as the supervisor sees it (not found when it lies outside the supervisor's subtree)."""
    now = now or utcnow()
    with service.supervising(actor, tenant_code, f"电子监察调阅办件 {case_id}") as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("办件", case_id)
        events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)))
        tasks = list(session.scalars(select(Task).where(Task.case_id == case_id).order_by(Task.id)))
        pauses = list(session.scalars(select(CasePause).where(CasePause.case_id == case_id)
                                      .order_by(CasePause.started_at)))
        alerts = [alert_dict(a) for a in session.scalars(select(Alert).where(Alert.case_id == case_id)
                                                         .order_by(Alert.raised_at, Alert.id))]
        clock = case_clock(service.calendars.calendar(session), case, pauses, now)
        labels = _node_labels(session, case)
        return {"case": _case(case), "events": [_event(e, labels) for e in events],
                "tasks": [_task(t, labels) for t in tasks],
                "pauses": [{"kind": p.kind, "reason": p.reason, "started_at": p.started_at, "ended_at": p.ended_at,
                            "approved_days": p.approved_days} for p in pauses],
                "alerts": alerts, "clock": clock}


def subject_of(service: SupervisionService, actor, tenant_code: str, alert: dict) -> dict | None:
    """What an alert not about a case is about: the petition answered late (its question and answer), or the bad
    rating whose rectification is late (its level, reason and what was done)."""
    from tongban.platform.supervision.ratings.models import Rating, Rectification

    key = alert.get("subject_key") or ""
    with service.supervising(actor, tenant_code, f"电子监察查看 alert {alert['id']}") as session:
        if alert.get("petition_id"):
            p = session.get(Petition, alert["petition_id"])
            return p and {"kind": "petition", "petition_kind": p.kind, "question": p.question, "asked_at": p.asked_at,
                          "due_at": p.due_at, "answer": p.answer, "answered_at": p.answered_at}
        if key.startswith("rating:") and key[7:].isdigit():
            r = session.get(Rating, int(key[7:]))
            x = r and session.scalar(select(Rectification).where(Rectification.rating_id == r.id))
            number = r and r.case_id and session.scalar(select(Case.number).where(Case.id == r.case_id))
            return r and {"kind": "rating", "level": r.level, "reason": r.reason, "rated_at": r.rated_at,
                          "case_number": number, "visit_key": r.visit_key, "state": r.state,
                          "rectification": x and {"state": x.state, "due_at": x.due_at, "report": x.report,
                                                  "callback_note": x.callback_note}}
    return None


def case_clock(calendar, case: Case, pauses: list[CasePause], now: datetime) -> dict:
    """Working days used since acceptance (pauses excluded) against the promised and legal limits."""
    start, end = case.accepted_at, case.concluded_at or now
    used = None
    if start is not None:
        spans = [(p.started_at, p.ended_at or end) for p in pauses]
        used = round(float(calendar.working_days_elapsed(start, end, spans).days), 1)
    return {"accepted_at": start, "until": end, "running": case.concluded_at is None and case.state == "in_progress",
            "paused": case.paused, "used_days": used, "promised_days": case.promised_limit_days,
            "legal_days": case.legal_limit_days, "promised_due_at": case.promised_due_at,
            "legal_due_at": case.legal_due_at,
            "past_promised": bool(case.promised_due_at and end >= case.promised_due_at),
            "past_legal": bool(case.legal_due_at and end >= case.legal_due_at)}


def complaints(service: SupervisionService, actor, tenant_code: str, *, kind: str | None = "complaint",
               unanswered: bool = False, limit: int = 200, now: datetime | None = None) -> dict:
    """Consultations and complaints of the subtree, oldest deadline first, with how many are late."""
    now = now or utcnow()
    with service.supervising(actor, tenant_code, "电子监察查看咨询投诉") as session:
        query = select(Petition)
        if kind:
            query = query.where(Petition.kind == kind)
        if unanswered:
            query = query.where(Petition.answered_at.is_(None))
        rows = list(session.scalars(query.order_by(Petition.answered_at.is_not(None), Petition.due_at).limit(limit)))
        late = session.scalar(select(func.count()).select_from(Petition).where(
            Petition.answered_at.is_(None), Petition.due_at <= now, *([Petition.kind == kind] if kind else [])))
        return {"late": late, "petitions": [{
            "id": p.id, "kind": p.kind, "tenant": p.tenant_id, "department": p.department, "question": p.question,
            "answer": p.answer, "asked_at": p.asked_at, "answered_at": p.answered_at, "due_at": p.due_at,
            "late": is_late(p, now)} for p in rows]}


def _case(c: Case) -> dict:
    return {"id": c.id, "number": c.number, "item_code": c.item_code, "item_name": c.item_name, "tenant": c.tenant_id,
            "received_tenant": c.received_tenant_id, "channel": c.channel, "state": c.state, "result": c.result,
            "case_type": c.case_type, "submitted_at": c.submitted_at, "accepted_at": c.accepted_at,
            "concluded_at": c.concluded_at, "supplement_requests": c.supplement_requests}


def _node_labels(session, case: Case) -> dict[str, str]:
    """The case's flow steps by id, as people call them (审查, 决定…)."""
    from tongban.platform.approval.flowcache import version_parts

    if not case.version_id:
        return {}
    return {n.id: n.label.zh for n in version_parts(session, case.version_id)[0].nodes}


def _point_label(point: str | None) -> str:
    from tongban.configurator.flows.model import Point

    try:
        return Point(point).zh
    except ValueError:
        return point or ""


def _event(e: CaseEvent, labels: dict[str, str]) -> dict:
    return {"seq": e.seq, "at": e.at, "actor": e.actor_name or e.actor, "role": e.actor_role, "tenant": e.actor_tenant,
            "action": e.action, "from": e.from_state, "to": e.to_state, "node": e.node_id,
            "node_label": labels.get(e.node_id, e.node_id or ""), "comment": e.comment}


def _task(t: Task, labels: dict[str, str]) -> dict:
    return {"id": t.id, "node": t.node_id, "node_label": labels.get(t.node_id, t.node_id), "point": t.point,
            "point_label": _point_label(t.point), "state": t.state, "department": t.department,
            "assignee": t.assignee or t.completed_by, "started_at": t.started_at, "limit_days": t.limit_days,
            "due_at": t.due_at, "completed_at": t.completed_at, "outcome": t.outcome}
