"""Years without holiday data (2027 with the packaged seed): weekend rule plus a warning, and
loading a year with WorkCalendar.with_overrides.

The 2027 dates below are ILLUSTRATIVE test data (the 2027 notice is not published yet); they only
need to be plausible: 元旦 Fri 2027-01-01, 春节 (Feb 6 2027 is New Year's Day of the lunar calendar)
off Mon 2/8 - Fri 2/12, Sat 2/20 worked.
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tongban.platform.calendar import (
    HOLIDAY,
    CalendarDay,
    CalendarWarning,
    add_working_days,
    default_calendar,
    due_with_pauses,
    working_days_elapsed,
)

SH = ZoneInfo("Asia/Shanghai")

HOLIDAYS_2027 = {
    "2027-01-01": "元旦",
    "2027-02-08": "春节",
    "2027-02-09": "春节",
    "2027-02-10": "春节",
    "2027-02-11": "春节",
    "2027-02-12": "春节",
}
WORKDAYS_2027 = [date(2027, 2, 20)]


def sh(*args):
    return datetime(*args, tzinfo=SH)


def test_2027_is_counted_by_weekends_with_a_warning():
    # Accepted Mon 2026-12-28: 12/29, 12/30, 12/31 (1-3); 2027 unknown so Fri 1/1 counts (4),
    # 1/4-8 (5-9), Mon 1/11 (10).
    deadline = add_working_days(sh(2026, 12, 28, 10), 10)
    assert deadline.due_date == date(2027, 1, 11)
    assert deadline.due == sh(2027, 1, 12)
    assert len(deadline.warnings) == 1
    warning = deadline.warnings[0]
    assert warning == {
        "code": "calendar_year_missing",
        "year": 2027,
        "zh": "2027年节假日数据尚未导入，按周末计算",
        "en": warning["en"],
    }
    assert warning.code == "calendar_year_missing" and warning.year == 2027
    assert "2027" in warning.en and "weekend" in warning.en
    assert dict(warning)["zh"] == "2027年节假日数据尚未导入，按周末计算"


def test_no_warning_while_inside_known_years():
    assert add_working_days(sh(2026, 12, 1, 10), 10).warnings == ()


def test_elapsed_across_the_gap_warns_and_does_not_crash():
    # Clock from Tue 2026-12-29. To Wed 2027-01-06 00:00: 12/29-31 (3), 1/1 weekend rule (4), 1/4-5 (6).
    e = working_days_elapsed(sh(2026, 12, 28, 10), sh(2027, 1, 6))
    assert e.days == 6
    assert [w["year"] for w in e.warnings] == [2027]


def test_several_missing_years_and_years_before_the_data():
    cal = default_calendar()
    assert cal.missing_years_between(2025, 2028) == (2027, 2028)
    assert cal.missing_years_between(date(2028, 5, 1), date(2025, 1, 1)) == (2027, 2028)
    assert cal.missing_years_between(sh(2024, 1, 1), sh(2026, 12, 31, 23)) == ()
    assert cal.missing_years_between(2003, 2004) == (2003,)
    deadline = add_working_days(sh(2026, 12, 1), 300)
    assert [w.year for w in deadline.warnings] == [2027, 2028]
    assert cal.warnings_between(2027, 2027) == (CalendarWarning.year_missing(2027),)
    # far outside the data: weekend rule in closed form. Accepted on a Monday, 100 000 working days
    # = 20 000 full weeks, ending on the Monday 140 000 days later.
    start = date(2100, 1, 4)
    assert start.weekday() == 0
    far = add_working_days(start, 100_000)
    assert far.due_date == start + timedelta(days=140_000)
    assert len(far.warnings) == far.due_date.year - 2100 + 1


def test_due_with_pauses_across_the_gap_warns():
    d = due_with_pauses(sh(2026, 12, 21), 5, [(sh(2026, 12, 23), sh(2027, 1, 4))], sh(2027, 1, 4, 12))
    assert [w.year for w in d.warnings] == [2027]


def test_loading_2027_removes_the_warning_and_applies_the_holidays():
    base = default_calendar()
    cal = base.with_overrides(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, years=[2027])
    assert cal.is_year_known(2027)
    assert cal.known_years[-1] == 2027
    assert not base.is_year_known(2027)  # the original is unchanged
    assert base.is_working_day(date(2027, 1, 1))

    for d in (date(2027, 2, 8), date(2027, 2, 10), date(2027, 2, 12)):
        assert not cal.is_working_day(d)
    assert cal.is_working_day(date(2027, 2, 20))  # adjusted Saturday
    assert cal.day_info(date(2027, 2, 9)) == CalendarDay(date(2027, 2, 9), HOLIDAY, "春节")

    # Same case as above: now Fri 1/1 is off, so 1/4-8 (4-8), 1/11 (9), 1/12 (10).
    deadline = cal.add_working_days(sh(2026, 12, 28, 10), 10)
    assert deadline.due_date == date(2027, 1, 12)
    assert deadline.warnings == ()
    assert cal.missing_years_between(2026, 2027) == ()

    # Spring Festival 2027: accepted Mon 2/1: 2/2-5 (1-4), 2/8-12 off, 2/15-19 (5-9), Sat 2/20 (10).
    assert cal.add_working_days(sh(2027, 2, 1, 9), 10).due_date == date(2027, 2, 20)
    # the weekend-only answer for comparison: 2/2-5, 2/8-12, 2/15 -> 2/15 with a warning
    plain = base.add_working_days(sh(2027, 2, 1, 9), 10)
    assert plain.due_date == date(2027, 2, 15) and plain.warnings


def test_module_functions_take_a_tenant_calendar():
    cal = default_calendar().with_overrides(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, years=[2027])
    assert add_working_days(sh(2027, 2, 1, 9), 10, calendar=cal).due_date == date(2027, 2, 20)
    e = working_days_elapsed(sh(2027, 2, 5, 9), sh(2027, 2, 16), calendar=cal)
    assert e.days == 1 and e.warnings == ()  # only Mon 2/15


def test_reloading_a_year_replaces_it():
    cal = default_calendar().with_overrides(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, years=[2027])
    corrected = cal.with_overrides(holidays=["2027-01-01"], years=[2027])
    assert not corrected.is_working_day(date(2027, 1, 1))
    assert corrected.is_working_day(date(2027, 2, 8))  # dropped by the reload
    assert not corrected.is_working_day(date(2027, 2, 20))  # plain Saturday again
    assert corrected.with_overrides(holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, years=[2027]) == cal


def test_single_date_correction_keeps_the_year_status():
    base = default_calendar()
    # a local day off in a known year (e.g. a typhoon closure), and a working Sunday
    cal = base.with_overrides(holidays={date(2026, 3, 10): {"name_zh": "台风停工", "name_en": "Typhoon"}},
                              workdays=[date(2026, 3, 15)])
    assert not cal.is_working_day(date(2026, 3, 10))
    assert cal.is_working_day(date(2026, 3, 15))
    assert cal.day_info(date(2026, 3, 10)).name_en == "Typhoon"
    # a date in a missing year does not make the year known: the warning stays
    partial = base.with_overrides(holidays=["2027-01-01"])
    assert not partial.is_working_day(date(2027, 1, 1))
    assert not partial.is_year_known(2027)
    assert partial.add_working_days(sh(2026, 12, 28), 10).warnings
    # turning an existing holiday into a workday
    swapped = base.with_overrides(workdays=[date(2026, 10, 7)])
    assert swapped.is_working_day(date(2026, 10, 7))


def test_bad_overrides_are_refused():
    base = default_calendar()
    with pytest.raises(ValueError, match="both"):
        base.with_overrides(holidays=["2027-01-01"], workdays=["2027-01-01"])
    with pytest.raises(ValueError, match="ISO"):
        base.with_overrides(holidays=["01/01/2027"])
    with pytest.raises(ValueError):
        base.with_overrides(years=["2027"])
    with pytest.raises(TypeError):
        base.with_overrides(holidays="2027-01-01")
