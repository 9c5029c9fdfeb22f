"""Each engine action brings supervision's timers and figures up to date in its own transaction (no tick)."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from approval_fixtures import CLERK, REVIEWER, application, citizen, open_tasks, step
from tongban.platform.supervision.models import SupervisionTimer, TenantRollup
from tongban.platform.supervision.tick import tick
from tongban.tenants.isolation import TenantContext

BEIJING = timezone(timedelta(hours=8))


def bj(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=BEIJING)


def armed(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return {(t.rule_code, t.subject_key): t.fire_at for t in s.scalars(
            select(SupervisionTimer).where(SupervisionTimer.case_id == case_id, SupervisionTimer.state == "armed"))}


def figures(db, tenant, month):
    with db.unit_of_work(TenantContext.system("t")) as s:
        row = s.scalar(select(TenantRollup).where(TenantRollup.tenant_id == tenant, TenantRollup.month == month))
        return (row.received, row.accepted) if row else (0, 0)


def test_a_case_action_makes_the_supervision_timers_exact_at_commit_without_a_tick(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application(), now=bj(2026, 3, 2, 9))["id"]
    assert figures(db, "4601", "2026-03") == (1, 0)
    step(engine, db, case_id, "accept", CLERK, now=bj(2026, 3, 2))
    (review,) = open_tasks(db, case_id)
    timers = armed(db, case_id)
    key = f"case:{case_id}"
    # promised limit 10 working days: warning with 2 left, yellow 1 past, red 1 past the legal 20 days
    assert timers[("case_warning", key)] == bj(2026, 3, 13, 0)
    assert timers[("case_yellow", key)] == bj(2026, 3, 18, 0)
    assert timers[("case_red", key)] == bj(2026, 4, 1, 0)
    assert ("node_overdue", f"{key}:task:{review.id}") in timers
    assert figures(db, "4601", "2026-03") == (1, 1)

    tick(db, bj(2026, 3, 2, 11))  # the tick finds nothing left to change
    assert armed(db, case_id) == timers

    step(engine, db, case_id, "approve", REVIEWER, now=bj(2026, 3, 3))
    (decide,) = open_tasks(db, case_id)
    now_armed = armed(db, case_id)
    assert ("node_overdue", f"{key}:task:{review.id}") not in now_armed
    assert ("node_overdue", f"{key}:task:{decide.id}") in now_armed

    step(engine, db, case_id, "special_start", _approver(), now=bj(2026, 3, 4),
         kind="hearing", approved_days=5)
    paused = armed(db, case_id)
    assert not [k for k in paused if k[0] in ("case_yellow", "node_overdue")]  # the clock stands still
    (special,) = [at for (rule, _), at in paused.items() if rule == "special_overrun"]
    assert special == bj(2026, 3, 12, 0)  # 5 working days after 4 March: 5, 6, 9, 10, 11
    step(engine, db, case_id, "special_end", _approver(), now=bj(2026, 3, 6))
    resumed = armed(db, case_id)
    assert not [k for k in resumed if k[0] == "special_overrun"]
    assert resumed[("case_yellow", key)] == bj(2026, 3, 20, 0)  # moved by the two working days paused


def _approver():
    from approval_fixtures import APPROVER

    return APPROVER


def test_reporting_up_sets_the_timers_of_both_cases_and_the_decision_clears_them(engine, db):
    from approval_fixtures import staff

    from tongban.platform.approval.models import Case

    township = "460105100"
    case_id = engine.submit(township, township, citizen(), application("REPORT"), now=bj(2026, 3, 2, 9))["id"]
    step(engine, db, case_id, "accept", staff("t-clerk", township, "window_clerk"), now=bj(2026, 3, 2))
    step(engine, db, case_id, "approve", staff("t-officer", township, "social_assistance_officer",
                                               department="civil_affairs"), now=bj(2026, 3, 3))
    assert ("report_up_late", f"case:{case_id}") in armed(db, case_id)
    step(engine, db, case_id, "report_up", staff("t-lead", township, "township_leader"), now=bj(2026, 3, 4))
    with db.unit_of_work(TenantContext.system("t")) as s:
        upper_id = s.scalar(select(Case.id).where(Case.parent_case_id == case_id))
    lower_timers = armed(db, case_id)
    assert not [k for k in lower_timers if k[0] in ("case_yellow", "node_overdue", "report_up_late")]  # sent in time
    (upper_task,) = open_tasks(db, upper_id)
    upper_timers = armed(db, upper_id)
    assert ("case_yellow", f"case:{upper_id}") in upper_timers
    assert ("node_overdue", f"case:{upper_id}:task:{upper_task.id}") in upper_timers
    step(engine, db, upper_id, "approve", staff("c-approver", "4601", "approver", department="civil_affairs"),
         now=bj(2026, 3, 5))
    assert armed(db, upper_id) == {} and armed(db, case_id) == {}
