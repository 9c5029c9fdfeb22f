"""The supervision console's front door: supervisors (province, cities and counties) see and decide alerts in
their subtree, through audited subtree scopes; departments answer the alerts raised against them.

A supervisor acts ``in`` a tenant (the console page's tenant) and must hold ``supervise`` there with a
subtree grant; an alert escalated above that tenant is still visible but only the upper level decides it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tongban.platform.approval.departments import normalised
from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.db import utcnow
from tongban.platform.identity.names import staff_names
from tongban.platform.supervision import disposition
from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError
from tongban.platform.supervision.models import Alert, SupervisionEvent
from tongban.tenants.access import open_subtree
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

RESPONDING = ("approve_cases", "handle_ratings")


class SupervisionService:
    def __init__(self, database, *, calendars: CalendarProvider | None = None) -> None:
        self.database = database
        self.calendars = calendars or CalendarProvider(database)

    # -- what supervisors see ------------------------------------------------------------------------------
    def list_alerts(self, actor, tenant_code: str, *, reason: str = "电子监察查询", state: str | None = None,
                    severity: str | None = None, rule_code: str | None = None, department: str | None = None,
                    level: str | None = None, limit: int = 100, offset: int = 0) -> dict:
        with self.supervising(actor, tenant_code, reason) as session:
            query = select(Alert)
            for column, value in ((Alert.state, state), (Alert.severity, severity), (Alert.rule_code, rule_code),
                                  (Alert.department, department), (Alert.level, level)):
                if value is not None:
                    query = query.where(column == value)
            total = session.scalar(select(func.count()).select_from(query.subquery()))
            rows = session.scalars(query.order_by(Alert.raised_at.desc(), Alert.id.desc()).limit(limit).offset(offset))
            counts = {(sev, st): n for sev, st, n in session.execute(
                select(Alert.severity, Alert.state, func.count()).group_by(Alert.severity, Alert.state))}
            return {"total": total, "alerts": [alert_dict(a) for a in rows], "counts": counts}

    def get_alert(self, actor, tenant_code: str, alert_id: int, *, reason: str = "电子监察查询") -> dict:
        with self.supervising(actor, tenant_code, reason) as session:
            alert = _load(session, alert_id)
            return {**alert_dict(alert), "events": alert_events(session, alert.id)}

    # -- supervisors decide --------------------------------------------------------------------------------
    # ``expected_revision``: the alert's revision the supervisor was shown; any other means it changed meanwhile
    # (another tab, another supervisor) and nothing is done (``concurrent_change``).
    def confirm(self, actor, tenant_code: str, alert_id: int, *, comment: str = "", now: datetime | None = None,
                expected_revision: int | None = None):
        return self._decide(actor, tenant_code, alert_id, "confirm", comment, now, expected_revision=expected_revision)

    def withdraw(self, actor, tenant_code: str, alert_id: int, *, reason: str, now: datetime | None = None,
                 expected_revision: int | None = None):
        return self._decide(actor, tenant_code, alert_id, "withdraw", reason, now, expected_revision=expected_revision)

    def cancel(self, actor, tenant_code: str, alert_id: int, *, reason: str, now: datetime | None = None,
               expected_revision: int | None = None):
        return self._decide(actor, tenant_code, alert_id, "cancel", reason, now, expected_revision=expected_revision)

    def decide_appeal(self, actor, tenant_code: str, alert_id: int, *, decision: str, reason: str,
                      now: datetime | None = None, expected_revision: int | None = None):
        """``decision``: withdraw (the appeal holds), reject (the card stands) or escalate (to the level above)."""
        actions = {"withdraw": "withdraw", "reject": "reject_appeal", "escalate": "escalate"}
        if decision not in actions:
            raise SupervisionError("bad_decision", "请选择撤回、驳回或提级", "decide withdraw, reject or escalate",
                                   field="decision")
        return self._decide(actor, tenant_code, alert_id, actions[decision], reason, now, appeal=True,
                            expected_revision=expected_revision)

    def order_correction(self, actor, tenant_code: str, alert_id: int, *, instructions: str, days: int = 5,
                         now: datetime | None = None, expected_revision: int | None = None):
        """督办: the department must report its rectification within ``days`` working days."""
        if not instructions.strip():
            raise SupervisionError("instructions_required", "请写明督办要求", "write what must be corrected",
                                   field="instructions")
        now = now or utcnow()
        due = self.calendars.calendar().add_working_days(now, days).due
        return self._decide(actor, tenant_code, alert_id, "order_correction", instructions, now,
                            details={"days": days, "due_at": due.isoformat()}, correction_due_at=due,
                            expected_revision=expected_revision)

    def review_rectification(self, actor, tenant_code: str, alert_id: int, *, accept: bool, comment: str = "",
                             days: int = 5, now: datetime | None = None, expected_revision: int | None = None):
        """Accept the rectification (the card closes) or send it back with a new deadline."""
        now = now or utcnow()
        if accept:
            return self._decide(actor, tenant_code, alert_id, "accept_rectification", comment, now,
                                correction_due_at=None, expected_revision=expected_revision)
        due = self.calendars.calendar().add_working_days(now, days).due
        return self._decide(actor, tenant_code, alert_id, "reject_rectification", comment, now,
                            details={"due_at": due.isoformat()}, correction_due_at=due,
                            expected_revision=expected_revision)

    # -- departments answer ---------------------------------------------------------------------------------
    def department_alerts(self, actor, tenant_code: str, *, state: str | None = None) -> list[dict]:
        with self._as_department(actor, tenant_code) as session:
            query = select(Alert).where(Alert.tenant_id == tenant_code)
            if actor.department:  # a code, or a name as some accounts carry it: the same department either way
                query = query.where(Alert.department == normalised(actor.department))
            if state:
                query = query.where(Alert.state == state)
            return [alert_dict(a) for a in session.scalars(query.order_by(Alert.raised_at.desc()).limit(200))]

    def appeal(self, actor, tenant_code: str, alert_id: int, *, reasons: str, attachments: list | None = None,
               now: datetime | None = None):
        """申诉: the department explains why the card is wrong; its supervisor decides."""
        return self._answer(actor, tenant_code, alert_id, "appeal", reasons, attachments, now)

    def rectify(self, actor, tenant_code: str, alert_id: int, *, report: str, attachments: list | None = None,
                now: datetime | None = None):
        """整改: the department reports what it corrected (with attachments) in answer to 督办."""
        return self._answer(actor, tenant_code, alert_id, "rectify", report, attachments, now)

    # -- scopes and checks ----------------------------------------------------------------------------------
    def supervising(self, actor, tenant_code: str, reason: str):
        tenant = self._tenant(tenant_code)
        if not (actor.kind == "system" or _grant_over(actor, "supervise", tenant.path)):
            raise Forbidden("forbidden", "您没有该地区的监察权限", "you do not supervise this area")
        return open_subtree(self.database, tenant, actor=actor.subject, reason=reason)

    def _decide(self, actor, tenant_code, alert_id, action, comment, now, *, details=None, appeal=False,
                expected_revision=None, **changes):
        now = now or utcnow()
        try:
            with self.supervising(actor, tenant_code, f"电子监察处置: {action} alert {alert_id}") as session:
                alert = _load(session, alert_id)
                if expected_revision is not None and alert.revision != expected_revision:
                    raise StaleDataError("the alert changed since it was shown")
                path = _path(session, alert.supervisor_code)
                if actor.kind != "system" and not actor.may("supervise", path):
                    raise Forbidden("escalated", "该事项已提交上级监察机关处理", "a higher supervising level decides this now")
                if action == "escalate":
                    disposition.escalate(session, alert, now, actor=actor.subject, reason=comment,
                                         actor_tenant=tenant_code)
                else:
                    disposition.move(session, alert, action, actor=actor.subject, actor_tenant=tenant_code, now=now,
                                     comment=comment, details=details, **changes)
                return alert_dict(alert)
        except StaleDataError as error:
            raise SupervisionError("concurrent_change", "该事项已被他人处理，请刷新", "someone else changed this alert; reload it") from error

    def _answer(self, actor, tenant_code, alert_id, action, text, attachments, now):
        now = now or utcnow()
        try:
            with self._as_department(actor, tenant_code) as session:
                alert = _load(session, alert_id)
                if actor.department and alert.department and normalised(actor.department) != alert.department:
                    raise NotFound("监察事项", alert_id)
                disposition.move(session, alert, action, actor=actor.subject, actor_tenant=tenant_code, now=now,
                                 comment=text, details={"attachments": list(attachments or [])})
                return alert_dict(alert)
        except StaleDataError as error:
            raise SupervisionError("concurrent_change", "该事项已被他人处理，请刷新", "someone else changed this alert; reload it") from error

    def _as_department(self, actor, tenant_code: str):
        tenant = self._tenant(tenant_code)
        if actor.kind != "system" and not any(actor.may(p, tenant.path) for p in RESPONDING):
            raise NotFound("监察事项", tenant_code)
        return self.database.unit_of_work(TenantContext.of(tenant))

    def _tenant(self, code: str) -> Tenant:
        with self.database.unit_of_work(TenantContext.system("tenant lookup")) as session:
            tenant = session.get(Tenant, code)
        if tenant is None:
            raise NotFound("地区", code)
        return tenant


def _grant_over(actor, permission: str, path: str) -> bool:
    return any(g.subtree and path.startswith(g.tenant_path) and g.allows(permission) for g in actor.grants)


def _path(session, code: str) -> str:
    from tongban.platform.supervision.casedata import tenant_info

    return tenant_info(session, [code])[code][1]


def _load(session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound("监察事项", alert_id)
    return alert


def alert_events(session, alert_id: int) -> list[dict]:
    rows = session.scalars(select(SupervisionEvent).where(SupervisionEvent.subject == f"alert:{alert_id}")
                           .order_by(SupervisionEvent.id))
    events = list(rows)
    names = staff_names(session, (e.actor for e in events))
    return [{"at": e.at, "actor": e.actor, "actor_name": names.get(e.actor, (None, ""))[0],
             "actor_department": names.get(e.actor, (None, ""))[1], "action": e.action, "from": e.from_state,
             "to": e.to_state, "comment": e.comment, "details": e.details} for e in events]


def alert_dict(a: Alert) -> dict:
    return {"id": a.id, "rule": a.rule_code, "rule_version": a.rule_version, "severity": a.severity,
            "state": a.state, "tenant": a.tenant_id, "level": a.level, "department": a.department, "person": a.person,
            "point": a.point, "case_id": a.case_id, "case_number": a.case_number, "task_id": a.task_id,
            "petition_id": a.petition_id, "raised_at": a.raised_at, "fired_for": a.fired_for,
            "supervisor": a.supervisor_code, "correction_due_at": a.correction_due_at, "escalations": a.escalations,
            "name_zh": a.details.get("rule_zh"), "name_en": a.details.get("rule_en"), "revision": a.revision,
            "subject_key": a.subject_key}


def supervision_for(app) -> SupervisionService:
    """The app's supervision service, built on first use on the approval engine's calendars."""
    found = getattr(app.state, "supervision", None)
    if found is None:
        found = app.state.supervision = SupervisionService(app.state.database,
                                                           calendars=app.state.approval.calendars)
    return found
