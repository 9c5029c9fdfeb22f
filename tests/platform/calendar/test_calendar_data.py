"""Seed data and calendar lookups.

Expected dates are transcribed by hand from the 国务院办公厅 holiday notices, not computed by the
code under test:
  2024 (国办发明电〔2023〕7号) 春节 2月10日至17日放假调休，2月4日（周日）、2月18日（周日）上班；
       劳动节 5月1日至5日，4月28日（周日）、5月11日（周六）上班；
       国庆节 10月1日至7日，9月29日（周日）、10月12日（周六）上班。
  2025 (国办发明电〔2024〕12号) 春节 1月28日至2月4日，1月26日（周日）、2月8日（周六）上班；
       国庆节、中秋节 10月1日至8日，9月28日（周日）、10月11日（周六）上班。
  2026 (国办发明电〔2025〕7号) 元旦 1月1日至3日，1月4日（周日）上班；
       春节 2月15日至23日，2月14日（周六）、2月28日（周六）上班；中秋节 9月25日至27日；
       国庆节 10月1日至7日，9月20日（周日）、10月10日（周六）上班。
"""
import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tongban.platform.calendar import (
    HOLIDAY,
    WORKDAY,
    CalendarDay,
    WorkCalendar,
    default_calendar,
    is_working_day,
)
from tongban.platform.calendar.seed import (
    DEFAULT_SEED_YEARS,
    SEED_FORMAT,
    SEED_PATH,
    export_seed,
    load_seed,
    render_seed,
)

SH = timezone(timedelta(hours=8))


def days_between(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


@pytest.mark.parametrize(
    "first, last",
    [
        (date(2024, 2, 10), date(2024, 2, 17)),  # 2024 春节
        (date(2024, 10, 1), date(2024, 10, 7)),  # 2024 国庆
        (date(2025, 1, 28), date(2025, 2, 4)),  # 2025 春节
        (date(2025, 10, 1), date(2025, 10, 8)),  # 2025 国庆、中秋
        (date(2026, 1, 1), date(2026, 1, 3)),  # 2026 元旦
        (date(2026, 2, 15), date(2026, 2, 23)),  # 2026 春节
        (date(2026, 9, 25), date(2026, 9, 27)),  # 2026 中秋
        (date(2026, 10, 1), date(2026, 10, 7)),  # 2026 国庆
    ],
)
def test_statutory_holiday_periods_are_days_off(first, last):
    cal = default_calendar()
    for d in days_between(first, last):
        assert not cal.is_working_day(d), d


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 2, 4), date(2024, 2, 18), date(2024, 4, 28), date(2024, 5, 11),
        date(2024, 9, 29), date(2024, 10, 12),
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 9, 28), date(2025, 10, 11),
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10),
    ],
)
def test_adjusted_weekend_workdays_are_working(day):
    assert day.weekday() >= 5
    assert default_calendar().is_working_day(day)
    info = default_calendar().day_info(day)
    assert info is not None and info.kind == WORKDAY


def test_ordinary_days_around_the_holidays():
    cal = default_calendar()
    assert cal.is_working_day(date(2024, 2, 9))  # 除夕 2024 is a Friday and officially a working day
    assert cal.is_working_day(date(2024, 2, 19))  # first Monday after the Spring Festival
    assert not cal.is_working_day(date(2024, 2, 25))  # plain Sunday
    assert cal.is_working_day(date(2026, 2, 24))
    assert not cal.is_working_day(date(2026, 3, 1))  # plain Sunday after the 2/28 workday
    assert cal.is_working_day(date(2025, 10, 9))


def test_holiday_names_are_kept():
    cal = default_calendar()
    assert cal.day_info(date(2024, 2, 12)) == CalendarDay(date(2024, 2, 12), HOLIDAY, "春节", "Spring Festival")
    assert cal.day_info(date(2026, 10, 1)).name_zh == "国庆节"
    assert cal.day_info("2026-01-04").name_en == "New Year's Day"
    assert cal.day_info(date(2024, 3, 5)) is None


def test_working_day_count_of_february_2024():
    # Feb 2024: 21 Mon-Fri dates, minus 12..16 (5 weekday holidays), plus 4th and 18th (Sundays worked) = 18.
    cal = default_calendar()
    count = sum(cal.is_working_day(d) for d in days_between(date(2024, 2, 1), date(2024, 2, 29)))
    assert count == 18
    elapsed = cal.working_days_elapsed(datetime(2024, 1, 31, 12, tzinfo=SH), datetime(2024, 3, 1, tzinfo=SH))
    assert elapsed.days == 18


def test_is_working_day_judges_aware_datetimes_by_beijing_date():
    # 2024-02-03 16:30 UTC is 2024-02-04 00:30 in Beijing: the adjusted Sunday workday.
    assert is_working_day(datetime(2024, 2, 3, 16, 30, tzinfo=timezone.utc))
    # 2024-02-03 15:30 UTC is still Saturday 23:30 in Beijing.
    assert not is_working_day(datetime(2024, 2, 3, 15, 30, tzinfo=timezone.utc))


def test_known_years():
    cal = default_calendar()
    assert cal.known_years == tuple(range(2004, 2027))
    assert cal.is_year_known(2026)
    assert not cal.is_year_known(2027)
    assert not cal.is_year_known(2003)


def test_seed_file_is_what_the_generator_produces():
    assert SEED_PATH.read_text(encoding="utf-8") == render_seed(export_seed(DEFAULT_SEED_YEARS))


def test_seed_format():
    seed = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    assert seed == load_seed()
    assert seed["format"] == SEED_FORMAT
    assert seed["timezone"] == "Asia/Shanghai"
    assert list(seed["years"]) == [str(y) for y in range(2004, 2027)]
    for year, data in seed["years"].items():
        assert set(data) == {"holidays", "workdays"}
        for entry in data["holidays"]:
            d = date.fromisoformat(entry["date"])
            assert d.year == int(year) and d.weekday() < 5
            assert set(entry) == {"date", "name_en", "name_zh"}
        for entry in data["workdays"]:
            d = date.fromisoformat(entry["date"])
            assert d.year == int(year) and d.weekday() >= 5
    spring_2024 = [e for e in seed["years"]["2024"]["holidays"] if e["date"].startswith("2024-02")]
    assert spring_2024[0] == {"date": "2024-02-12", "name_en": "Spring Festival", "name_zh": "春节"}
    assert [e["date"] for e in seed["years"]["2024"]["workdays"][:2]] == ["2024-02-04", "2024-02-18"]


def test_seed_calendar_agrees_with_chinese_calendar_on_every_day():
    chinese_calendar = pytest.importorskip("chinese_calendar")
    cal = default_calendar()
    for d in days_between(date(2004, 1, 1), date(2026, 12, 31)):
        assert cal.is_working_day(d) == chinese_calendar.is_workday(d), d


def test_export_seed_refuses_years_chinese_calendar_does_not_know():
    with pytest.raises(ValueError, match="2027"):
        export_seed([2026, 2027])


def test_export_seed_subset():
    seed = export_seed([2026])
    assert list(seed["years"]) == ["2026"]
    cal = WorkCalendar.from_seed(seed)
    assert cal.known_years == (2026,)
    assert not cal.is_working_day(date(2026, 2, 16))


def test_run_time_calendar_never_imports_chinese_calendar():
    code = (
        "import sys, datetime as d\n"
        "from zoneinfo import ZoneInfo\n"
        "from tongban.platform.calendar import default_calendar, add_working_days\n"
        "cal = default_calendar()\n"
        "add_working_days(d.datetime(2026, 2, 9, 10, tzinfo=ZoneInfo('Asia/Shanghai')), 20)\n"
        "assert 'chinese_calendar' not in sys.modules, 'chinese_calendar imported at run time'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)


def test_rows_round_trip_and_equality():
    cal = default_calendar()
    rebuilt = WorkCalendar(cal.days(), cal.known_years)
    assert rebuilt == cal
    # DB-like rows: tuples and objects with attributes
    class Row:
        def __init__(self, day, kind, name_zh=None):
            self.date, self.kind, self.name_zh = day, kind, name_zh

    small = WorkCalendar(
        [(date(2030, 1, 1), HOLIDAY, "元旦"), Row(date(2030, 1, 5), WORKDAY)], known_years=[2030]
    )
    assert not small.is_working_day(date(2030, 1, 1))
    assert small.is_working_day(date(2030, 1, 5))  # a Saturday
    assert small.day_info(date(2030, 1, 1)).name_zh == "元旦"


def test_bad_data_is_rejected():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar([(date(2030, 1, 1), HOLIDAY), (date(2030, 1, 1), WORKDAY)])
    with pytest.raises(ValueError):
        WorkCalendar([(date(2030, 1, 1), "vacation")])
    with pytest.raises(ValueError, match="format"):
        WorkCalendar.from_seed({"format": "something/else", "years": {}})
    bad_year = {"format": SEED_FORMAT, "years": {"2030": {"holidays": [{"date": "2031-01-01"}], "workdays": []}}}
    with pytest.raises(ValueError, match="2030"):
        WorkCalendar.from_seed(bad_year)


def test_calendar_is_immutable():
    cal = default_calendar()
    with pytest.raises(AttributeError):
        cal._known = frozenset()
    with pytest.raises(AttributeError):
        cal.known_years = ()


def test_empty_calendar_is_the_weekend_rule():
    cal = WorkCalendar()
    assert cal.known_years == ()
    assert cal.is_working_day(date(2024, 2, 12))  # Spring Festival unknown: a Monday
    assert not cal.is_working_day(date(2024, 2, 4))  # the adjusted Sunday is unknown too
