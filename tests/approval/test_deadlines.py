"""Due times in working days: across the 2026 Spring Festival, with a supplement pause, and the 2027 gap.

Expected dates are counted by hand from the State Council's 2026 holiday notice (2月15日至23日放假,
2月14日、2月28日上班); the acceptance day does not count; a due is 00:00 (Beijing) after the last day.
"""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from approval_fixtures import CLERK, REVIEWER, application, citizen, open_tasks, step, the_case
from tongban.platform.approval.models import CaseEvent
from tongban.platform.calendar.store import load_year
from tongban.tenants.isolation import TenantContext

BEIJING = timezone(timedelta(hours=8))


def bj(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=BEIJING)


def test_promised_due_skips_the_spring_festival(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application(), now=bj(2026, 2, 10))["id"]
    step(engine, db, case_id, "accept", CLERK, now=bj(2026, 2, 10))
    case = the_case(db, case_id)
    assert case.promised_due_at == bj(2026, 3, 3, 0)   # 10th working day: Mon 2 March
    assert case.legal_due_at == bj(2026, 3, 17, 0)     # 20th working day: Mon 16 March
    (review,) = open_tasks(db, case_id)
    assert review.due_at == bj(2026, 2, 14, 0)          # 3 working days: 11, 12, 13 February


def test_a_supplement_pause_across_the_festival_moves_every_due(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application(), now=bj(2026, 2, 10))["id"]
    step(engine, db, case_id, "accept", CLERK, now=bj(2026, 2, 10))
    step(engine, db, case_id, "request_supplement", REVIEWER, now=bj(2026, 2, 12),
         missing=[{"material_id": "m1", "name": "申请书原件"}])
    engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "s", "name": "申请书.pdf", "size": 10}]},
               now=bj(2026, 2, 25))
    case = the_case(db, case_id)
    # paused 12 Feb 10:00 → 25 Feb 10:00 = 4 working days (12th from 10:00, 13th, 14th, 24th, 25th until 10:00)
    assert case.promised_due_at == bj(2026, 3, 7, 0)
    (review,) = open_tasks(db, case_id)
    assert review.due_at == bj(2026, 2, 27, 0)


def test_the_2027_gap_counts_weekends_only_and_warns_until_loaded(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application(), now=bj(2026, 12, 28))["id"]
    step(engine, db, case_id, "accept", CLERK, now=bj(2026, 12, 28))
    assert the_case(db, case_id).promised_due_at == bj(2027, 1, 12, 0)  # 1 January counted as a Friday
    with db.unit_of_work(TenantContext.system("t")) as s:
        accept_event = s.scalar(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == "accept"))
    warnings = accept_event.details["calendar_warnings"]
    assert warnings and warnings[0]["code"] == "calendar_year_missing" and warnings[0]["year"] == 2027
    assert "2027" in warnings[0]["zh"]

    with db.unit_of_work(TenantContext.system("admin")) as s:
        load_year(s, 2027, holidays=[{"date": "2027-01-01", "name_zh": "元旦", "name_en": "New Year"}], workdays=[],
                  actor="province-admin")
    engine.calendars._expires = 0  # the worker re-checks the calendar version
    later = engine.submit("4601", "4601", citizen(), application(), now=bj(2026, 12, 28))["id"]
    step(engine, db, later, "accept", CLERK, now=bj(2026, 12, 28))
    assert the_case(db, later).promised_due_at == bj(2027, 1, 13, 0)


def test_loading_a_year_with_a_wrong_date_changes_nothing(db):
    from tongban.platform.calendar.store import CalendarInvalid, CalendarYear

    with pytest.raises(CalendarInvalid) as raised:
        with db.unit_of_work(TenantContext.system("admin")) as s:
            load_year(s, 2027, holidays=[{"date": "2027-01-02"}], workdays=[{"date": "2027-13-01"}], actor="a")
    fields = [p[0] for p in raised.value.problems]
    assert fields == ["holidays[0].date", "workdays[0].date"]
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert s.get(CalendarYear, 2027) is None
