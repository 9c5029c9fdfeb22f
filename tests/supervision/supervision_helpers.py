"""Cases at chosen moments, the tick, and what it raised (tests/supervision is on sys.path)."""
from datetime import datetime, timedelta, timezone

from approval_fixtures import CLERK, application, citizen, open_tasks, staff, step
from sqlalchemy import select

from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case
from tongban.platform.supervision.models import Alert, SupervisionTimer
from tongban.platform.supervision.tick import tick
from tongban.tenants.isolation import TenantContext

BEIJING = timezone(timedelta(hours=8))
PROVINCE_SUPERVISOR = staff("prov-sup", "46", "supervisor", subtree=True)
HAIKOU_SUPERVISOR = staff("hk-sup", "4601", "supervisor", subtree=True)
SANYA_SUPERVISOR = staff("sy-sup", "4602", "supervisor", subtree=True)


def bj(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=BEIJING)


def accepted(engine, db, at, item="PROMISED", tenant="4601", channel="online", clerk=CLERK):
    actor = clerk if channel in ("window", "kiosk") else citizen()
    case_id = engine.submit(tenant, tenant, actor, application(item, channel=channel), now=at)["id"]
    step(engine, db, case_id, "accept", clerk, now=at)
    return case_id


def alerts(db, case_id=None, rule=None):
    with db.unit_of_work(TenantContext.system("test")) as s:
        query = select(Alert).order_by(Alert.id)
        if case_id is not None:
            query = query.where(Alert.case_id == case_id)
        if rule is not None:
            query = query.where(Alert.rule_code == rule)
        return list(s.scalars(query))


def rules_fired(db, case_id):
    return sorted(a.rule_code for a in alerts(db, case_id))


def armed(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return {(t.rule_code, t.subject_key): t.fire_at for t in s.scalars(
            select(SupervisionTimer).where(SupervisionTimer.case_id == case_id, SupervisionTimer.state == "armed"))}


def fire_instant(db, case_id, rule, subject=None):
    found = [at for (code, key), at in armed(db, case_id).items() if code == rule and (subject is None or key == subject)]
    assert len(found) == 1, armed(db, case_id)
    return found[0]


def special_procedure(db, case_id, kind, approved_days, at):
    """What the engine's (future) special-procedure action does: a pause with approved days and an event."""
    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.get(Case, case_id)
        pause = clock.open_pause(s, case, kind, at, "听证")
        pause.approved_days = approved_days
        events.append(s, case, Actor.system(), "special_procedure", details={"kind": kind, "days": approved_days})
        s.flush()
        return pause.id


def end_special_procedure(db, case_id, pause_id, at, calendar_provider):
    from tongban.platform.approval.models import CasePause

    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.get(Case, case_id)
        pause = s.get(CasePause, pause_id)
        pause.ended_at = at
        case.paused = False
        clock.refresh_dues(s, calendar_provider.calendar(s), case, at)
        events.append(s, case, Actor.system(), "special_procedure_end", details={"kind": pause.kind})


__all__ = ["application", "citizen", "open_tasks", "step", "tick"]


def concluded(engine, db, accepted_at, concluded_at, **kw):
    from approval_fixtures import APPROVER, CERT, REVIEWER

    case_id = accepted(engine, db, accepted_at, **kw)
    for actor in (REVIEWER, APPROVER, CERT):
        step(engine, db, case_id, "approve", actor, now=concluded_at)
    return case_id
