"""Each time rule fires at the working-day moment counted by hand, and not a microsecond before.

2026 Spring Festival: 2月15日至23日放假, 2月14日（周六）、2月28日（周六）上班. A case accepted on Tuesday
10 February counts 11, 12, 13, 14 (Sat, worked), 24, 25, 26, 27, 28 (Sat, worked), 2 March, 3 March...
The day of acceptance does not count; a limit runs out at 00:00 after its last working day.
"""
from datetime import timedelta

from approval_fixtures import REVIEWER, citizen, open_tasks, step
from supervision_helpers import accepted, alerts, armed, bj, fire_instant, rules_fired, tick

US = timedelta(microseconds=1)


def test_case_warning_yellow_and_red_across_the_spring_festival(engine, db):
    case_id = accepted(engine, db, bj(2026, 2, 10))  # promised 10, legal 20 working days
    tick(db, bj(2026, 2, 10, 11))
    # warning: 2 days left = 8 used = end of Fri 27 Feb; yellow: 11 used = end of Tue 3 Mar; red: 21 = end of Tue 17 Mar
    expected = {"case_warning": bj(2026, 2, 28, 0), "case_yellow": bj(2026, 3, 4, 0), "case_red": bj(2026, 3, 18, 0)}
    for rule, at in expected.items():
        assert fire_instant(db, case_id, rule) == at
        tick(db, at - US)
        assert rule not in rules_fired(db, case_id)
        tick(db, at)
        assert rules_fired(db, case_id).count(rule) == 1
    yellow, = alerts(db, case_id, "case_yellow")
    assert (yellow.severity, yellow.state, yellow.level, yellow.tenant_id) == ("yellow", "issued", "city_county", "4601")
    assert yellow.fired_for == bj(2026, 3, 4, 0) and yellow.raised_at == bj(2026, 3, 4, 0)
    red, = alerts(db, case_id, "case_red")
    assert red.state == "pending"  # red cards wait for a supervisor's confirmation


def test_a_step_over_its_own_limit_fires_while_the_case_is_on_time(engine, db):
    case_id = accepted(engine, db, bj(2026, 2, 10))
    (review,) = open_tasks(db, case_id)
    tick(db, bj(2026, 2, 13, 23, 59))
    assert rules_fired(db, case_id) == []
    tick(db, bj(2026, 2, 14, 0))  # 3 working days: 11, 12, 13 February
    (alert,) = alerts(db, case_id, "node_overdue")
    assert (alert.task_id, alert.point, alert.severity) == (review.id, "review", "warning")
    assert alert.subject_key == f"case:{case_id}:task:{review.id}"
    step(engine, db, case_id, "approve", REVIEWER, now=bj(2026, 2, 14, 9))
    (decide,) = open_tasks(db, case_id)
    tick(db, bj(2026, 2, 14, 10))
    # the decision step (2 days) started on the worked Saturday: 24 and 25 February count
    assert fire_instant(db, case_id, "node_overdue", f"case:{case_id}:task:{decide.id}") == bj(2026, 2, 26, 0)
    assert "case_yellow" not in rules_fired(db, case_id)


def test_a_supplement_pause_moves_every_moment_by_the_working_time_paused(engine, db):
    case_id = accepted(engine, db, bj(2026, 2, 10))
    step(engine, db, case_id, "request_supplement", REVIEWER, now=bj(2026, 2, 12),
         missing=[{"material_id": "m1", "name": "申请书原件"}])
    tick(db, bj(2026, 2, 12, 11))
    assert armed(db, case_id) == {}  # the clock stands still: nothing can come due
    tick(db, bj(2026, 2, 24, 12))
    assert rules_fired(db, case_id) == []
    engine.act(case_id, "supply", citizen(),
               files={"m1": [{"id": "s", "name": "申请书.pdf", "size": 10}]}, now=bj(2026, 2, 25))
    tick(db, bj(2026, 2, 25, 11))
    # paused 12 Feb 10:00 → 25 Feb 10:00 = 4 working days; the review step had used 1 5/12 days of its 3
    (review,) = open_tasks(db, case_id)
    assert fire_instant(db, case_id, "node_overdue") == bj(2026, 2, 27, 0)
    assert fire_instant(db, case_id, "case_warning") == bj(2026, 3, 5, 0)   # 8 used: end of Wed 4 March
    assert fire_instant(db, case_id, "case_yellow") == bj(2026, 3, 10, 0)   # 11 used: end of Mon 9 March
    assert fire_instant(db, case_id, "case_red") == bj(2026, 3, 24, 0)      # 21 used: end of Mon 23 March
    tick(db, bj(2026, 3, 9, 23))
    assert rules_fired(db, case_id) == ["case_warning", "node_overdue"]
    tick(db, bj(2026, 3, 10, 0))
    assert rules_fired(db, case_id) == ["case_warning", "case_yellow", "node_overdue"]
    assert review.id == alerts(db, case_id, "node_overdue")[0].task_id


def test_concluding_in_time_takes_every_timer_down(engine, db):
    from approval_fixtures import APPROVER, CERT

    case_id = accepted(engine, db, bj(2026, 3, 2))
    for actor in (REVIEWER, APPROVER, CERT):
        step(engine, db, case_id, "approve", actor, now=bj(2026, 3, 3))
    tick(db, bj(2026, 6, 1))
    assert rules_fired(db, case_id) == [] and armed(db, case_id) == {}


def test_a_fired_rule_leaves_no_timer_and_is_not_armed_again_by_later_actions(engine, db):
    from tongban.platform.supervision.models import SupervisionTimer
    from tongban.tenants.isolation import TenantContext
    from sqlalchemy import select

    case_id = accepted(engine, db, bj(2026, 2, 10))
    tick(db, bj(2026, 2, 14, 0))  # the review step is over its 3 days
    (alert,) = alerts(db, case_id, "node_overdue")
    with db.unit_of_work(TenantContext.system("test")) as s:
        left = {(t.rule_code, t.subject_key, t.state) for t in
                s.scalars(select(SupervisionTimer).where(SupervisionTimer.case_id == case_id))}
    assert ("node_overdue", alert.subject_key, "armed") not in left and all(state == "armed" for *_, state in left)
    assert {rule for rule, *_ in left} == {"case_warning", "case_yellow", "case_red"}
    # the engine's hook re-derives the timers at every action: a supplement request and its supply keep the
    # review step open with the same subject, which has its alert already
    step(engine, db, case_id, "request_supplement", REVIEWER, now=bj(2026, 2, 16),
         missing=[{"material_id": "m1", "name": "申请书原件"}])
    engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "s", "name": "申请书.pdf", "size": 10}]},
               now=bj(2026, 2, 24, 10))
    assert ("node_overdue", alert.subject_key) not in armed(db, case_id)
    # the tick's sync re-derives the case from its events too (read again from the start, as after a restore):
    # still nothing armed for it
    from tongban.platform.supervision import sync
    from tongban.platform.supervision.models import SyncCursor
    from tongban.platform.supervision.rules import current_rules
    from tongban.platform.supervision.tick import calendars_for

    with db.unit_of_work(TenantContext.system("test")) as s:
        s.execute(SyncCursor.__table__.update().values(last_event_id=0))
    with db.unit_of_work(TenantContext.system("test")) as s:
        assert sync.sync_batch(s, current_rules(s), calendars_for(db).calendar(s), bj(2026, 2, 24, 11)).cases >= 1
    assert ("node_overdue", alert.subject_key) not in armed(db, case_id)
    tick(db, bj(2026, 3, 31))
    assert rules_fired(db, case_id).count("node_overdue") == 1
    assert len(alerts(db, case_id, "node_overdue")) == 1
