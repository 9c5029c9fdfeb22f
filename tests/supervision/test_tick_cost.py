"""The tick costs what came due, not what is open: the same statements with 50 or 5,000 open cases."""
from datetime import timedelta

from sqlalchemy import event
from supervision_helpers import alerts, bj

from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.supervision import synthetic
from tongban.platform.supervision.tick import tick

TENANTS = ["4601", "4602", "460105100", "460106"]
HOUR = timedelta(hours=1)


def statements_of_a_tick(db, now, calendars):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = tick(db, now, calendars=calendars)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), result


def test_statements_follow_the_due_timers_not_the_open_cases(db, admin_engine):
    now = bj(2026, 3, 16, 9)
    calendars = CalendarProvider(db, ttl=3600)  # no calendar version check in the ticks measured
    with admin_engine.begin() as conn:
        synthetic.load(conn, cases=20, due=5, now=now, tenants=TENANTS, start_id=1_000_000)
    assert len(tick(db, now, calendars=calendars).alerts) == 5  # rules, cursor and caches in place
    with admin_engine.begin() as conn:  # 50 open cases, 5 of them due an hour later
        synthetic.load(conn, cases=50, due=5, now=now + HOUR, tenants=TENANTS, start_id=2_000_000)
    small, first = statements_of_a_tick(db, now + HOUR, calendars)
    with admin_engine.begin() as conn:  # 5,000 more open cases, 5 of them due two hours later
        synthetic.load(conn, cases=5000, due=5, now=now + 2 * HOUR, tenants=TENANTS, start_id=3_000_000)
    large, second = statements_of_a_tick(db, now + 2 * HOUR, calendars)
    assert len(first.alerts) == len(second.alerts) == 5 and large == small
    quiet, third = statements_of_a_tick(db, now + 2 * HOUR, calendars)
    assert third.alerts == [] and quiet < small
    raised = alerts(db)
    assert len(raised) == len({(a.rule_code, a.subject_key) for a in raised}) == 15


def test_raising_many_alerts_takes_the_statements_of_raising_a_few(db, admin_engine, contacts):
    """Set-based raising: 3 or 300 alerts due, the same statements (notices included: one bulk outbox insert)."""
    now = bj(2026, 3, 16, 9)
    calendars = CalendarProvider(db, ttl=3600)
    with admin_engine.begin() as conn:
        synthetic.load(conn, cases=10, due=2, now=now, tenants=TENANTS, start_id=1_000_000)
    tick(db, now, calendars=calendars)
    with admin_engine.begin() as conn:
        synthetic.load(conn, cases=20, due=3, now=now + HOUR, tenants=TENANTS, start_id=2_000_000)
    few, first = statements_of_a_tick(db, now + HOUR, calendars)
    with admin_engine.begin() as conn:
        synthetic.load(conn, cases=400, due=300, now=now + 2 * HOUR, tenants=TENANTS, start_id=3_000_000)
    many, second = statements_of_a_tick(db, now + 2 * HOUR, calendars)
    assert (len(first.alerts), len(second.alerts)) == (3, 300) and many == few
