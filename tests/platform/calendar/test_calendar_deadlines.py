"""Deadline and elapsed-time arithmetic. Expected values are counted by hand on the published
holiday notices (see test_calendar_data.py); the counting is written out next to each case."""
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tongban.platform.calendar import (
    TIMEZONE,
    FractionalDaysError,
    NaiveDatetimeError,
    Pause,
    add_working_days,
    default_calendar,
    due_with_pauses,
    working_days_elapsed,
)

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
H = timedelta(hours=1)


def sh(*args):
    return datetime(*args, tzinfo=SH)


# ---- add_working_days --------------------------------------------------------------------------


def test_twenty_working_days_across_spring_festival_2026():
    # Accepted Mon 2026-02-09 (not counted). 10,11,12,13 (1-4), Sat 14 adjusted workday (5),
    # 15..23 off, 24,25,26,27 (6-9), Sat 28 adjusted workday (10), Mar 2-6 (11-15), Mar 9-13 (16-20).
    deadline = add_working_days(sh(2026, 2, 9, 10, 30), 20)
    assert deadline.due_date == date(2026, 3, 13)
    assert deadline.due == sh(2026, 3, 14, 0, 0)
    assert deadline.limit_days == 20
    assert deadline.warnings == ()
    assert deadline.paused_days == 0 and not deadline.paused
    assert not deadline.is_overdue(sh(2026, 3, 13, 23, 59, 59))
    assert deadline.is_overdue(sh(2026, 3, 14, 0, 0))


def test_spring_festival_2024_with_adjusted_sundays():
    # Accepted Fri 2024-02-02. Sun 4 worked (1), 5-9 (2-6), 10..17 off, Sun 18 worked (7), 19 (8).
    assert add_working_days(sh(2024, 2, 2, 9), 8).due_date == date(2024, 2, 19)
    assert add_working_days(sh(2024, 2, 2, 9), 7).due_date == date(2024, 2, 18)


def test_national_day_2025():
    # Accepted Fri 2025-09-26. Sun 28 worked (1), 29, 30 (2, 3), Oct 1..8 off, 9, 10 (4, 5), Sat 11 worked (6).
    deadline = add_working_days(sh(2025, 9, 26, 17), 6)
    assert deadline.due_date == date(2025, 10, 11)
    assert deadline.due == sh(2025, 10, 12)


def test_national_day_2026():
    # Accepted Fri 2026-09-18. Sun 20 worked (1), 21-24 (2-5), Fri 25 off (中秋), 28-30 (6-8),
    # Oct 1..7 off, 8, 9 (9, 10), Sat 10 worked (11), Mon 12 (12).
    assert add_working_days(sh(2026, 9, 18, 11), 11).due_date == date(2026, 10, 10)
    assert add_working_days(sh(2026, 9, 18, 11), 12).due_date == date(2026, 10, 12)


def test_acceptance_day_does_not_count_and_time_of_day_is_irrelevant():
    early = add_working_days(sh(2024, 3, 4, 0, 0), 1)
    late = add_working_days(sh(2024, 3, 4, 23, 59, 59, 999999), 1)
    assert early == late
    assert early.due_date == date(2024, 3, 5)


def test_acceptance_on_a_holiday():
    # Accepted during Spring Festival 2025 (Thu 2025-01-30): next working days are Wed 2/5 (1), Thu 2/6 (2).
    assert add_working_days(sh(2025, 1, 30, 10), 2).due_date == date(2025, 2, 6)


def test_zero_days_is_end_of_acceptance_day():
    deadline = add_working_days(sh(2024, 2, 9, 15), 0)
    assert deadline.due == sh(2024, 2, 10)
    assert deadline.due_date == date(2024, 2, 9)


def test_date_start_is_the_acceptance_day():
    assert add_working_days(date(2026, 2, 9), 20) == add_working_days(sh(2026, 2, 9, 10), 20)


def test_decimal_whole_days_accepted_fractions_rejected():
    start = sh(2026, 2, 9, 10)
    assert add_working_days(start, Decimal("20")) == add_working_days(start, 20)
    assert add_working_days(start, Decimal("20.00")).due_date == date(2026, 3, 13)
    with pytest.raises(FractionalDaysError, match="whole days"):
        add_working_days(start, Decimal("2.5"))
    with pytest.raises(ValueError):  # FractionalDaysError is a ValueError
        add_working_days(start, Decimal("0.5"))
    with pytest.raises(TypeError):
        add_working_days(start, 2.5)
    with pytest.raises(TypeError):
        add_working_days(start, True)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(start, -1)
    with pytest.raises(FractionalDaysError):
        add_working_days(start, Decimal("NaN"))


# ---- timezone ----------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    with pytest.raises(NaiveDatetimeError):
        add_working_days(datetime(2026, 2, 9, 10), 20)
    with pytest.raises(ValueError):  # NaiveDatetimeError is a ValueError
        working_days_elapsed(sh(2026, 2, 9), datetime(2026, 3, 1))
    with pytest.raises(NaiveDatetimeError):
        working_days_elapsed(sh(2026, 2, 9), sh(2026, 3, 1), [(datetime(2026, 2, 10), None)])
    with pytest.raises(NaiveDatetimeError):
        default_calendar().is_working_day(datetime(2026, 2, 9, 10))


def test_utc_input_uses_the_beijing_acceptance_day():
    # 2026-02-08 17:00 UTC = Mon 2026-02-09 01:00 Beijing: same as accepting on Feb 9.
    assert add_working_days(datetime(2026, 2, 8, 17, tzinfo=UTC), 20).due_date == date(2026, 3, 13)
    # 2026-02-08 15:59 UTC = Sun 2026-02-08 23:59 Beijing: Feb 9 is then working day 1, so
    # 9-13 (1-5), Sat 14 (6), 24-27 (7-10), Sat 28 (11), Mar 2-6 (12-16), Mar 9-12 (17-20).
    deadline = add_working_days(datetime(2026, 2, 8, 15, 59, tzinfo=UTC), 20)
    assert deadline.due_date == date(2026, 3, 12)
    assert deadline.due == datetime(2026, 3, 12, 16, 0, tzinfo=UTC)  # same instant as 3/13 00:00 +08
    assert deadline.due.tzinfo == TIMEZONE
    assert deadline.due.utcoffset() == timedelta(hours=8)


def test_elapsed_with_mixed_timezones():
    start = datetime(2024, 3, 4, 2, tzinfo=UTC)  # Mon 10:00 Beijing
    end = datetime(2024, 3, 7, 4, tzinfo=UTC)  # Thu 12:00 Beijing -> Tue, Wed, half of Thu
    assert working_days_elapsed(start, end).days == Decimal("2.5")


# ---- working_days_elapsed ----------------------------------------------------------------------


def test_elapsed_is_zero_on_acceptance_day():
    e = working_days_elapsed(sh(2024, 3, 4, 9), sh(2024, 3, 4, 18))
    assert e.days == 0 and e.working_time == timedelta(0)


def test_elapsed_until_due_equals_the_limit():
    start = sh(2026, 2, 9, 10, 30)
    deadline = add_working_days(start, 20)
    assert working_days_elapsed(start, deadline.due).days == 20
    assert working_days_elapsed(start, deadline.due - timedelta(hours=6)).days == Decimal("19.75")


def test_elapsed_with_supplement_pause_across_national_day_2025():
    # Accepted Mon 2025-09-22. Working time from 9/23 00:00 to 10/15 12:00:
    # 9/23-26 (4), Sun 9/28 (5), 9/29-30 (7), 10/1-8 off, 10/9-10 (9), Sat 10/11 (10), 10/13-14 (12), half 10/15 = 12.5.
    # Supplement requested Fri 9/26 15:00, supplied Fri 10/10 09:00. Paused working time:
    # 9/26 15-24h (0.375), 9/28, 9/29, 9/30, 10/9 (4), 10/10 0-9h (0.375) = 4.75.  Active = 7.75.
    start = sh(2025, 9, 22, 9, 30)
    pause = (sh(2025, 9, 26, 15), sh(2025, 10, 10, 9))
    e = working_days_elapsed(start, sh(2025, 10, 15, 12), [pause])
    assert e.days == Decimal("7.75")
    assert e.working_time == timedelta(days=7, hours=18)
    assert e.paused_days == Decimal("4.75")
    assert e.whole_days == 7
    assert not e.paused
    assert e.warnings == ()
    assert working_days_elapsed(start, sh(2025, 10, 15, 12)).days == Decimal("12.5")


def test_overlapping_and_nested_pauses_count_once():
    # Accepted Fri 2024-03-01; clock from Sat 3/2. To Tue 3/12 00:00: 3/4-8 and 3/11 = 6 working days.
    # Pauses A 3/4 10:00-3/7 10:00, B 3/6 00:00-3/8 12:00 (overlaps A), C 3/5 00:00-12:00 (inside A),
    # D = A again. Union 3/4 10:00-3/8 12:00 = 14h + 3 days + 12h = 4 days 2 h. Active = 1 day 22 h.
    a = (sh(2024, 3, 4, 10), sh(2024, 3, 7, 10))
    b = (sh(2024, 3, 6), sh(2024, 3, 8, 12))
    c = Pause(sh(2024, 3, 5), sh(2024, 3, 5, 12))
    e = working_days_elapsed(sh(2024, 3, 1, 9), sh(2024, 3, 12), [b, a, c, a])
    assert e.working_time == timedelta(days=1, hours=22)
    assert e.paused_days * 24 == pytest.approx(98)
    assert e.days * 24 == pytest.approx(46)


def test_open_pause_runs_to_end():
    # Accepted Mon 2024-03-04; pause opened Wed 3/6 12:00 and not closed. At Fri 3/8 12:00:
    # active = Tue 3/5 + half of Wed = 1.5; paused = half Wed + Thu + half Fri = 2.
    e = working_days_elapsed(sh(2024, 3, 4, 9), sh(2024, 3, 8, 12), [(sh(2024, 3, 6, 12), None)])
    assert e.days == Decimal("1.5")
    assert e.paused_days == 2
    assert e.paused


def test_pauses_outside_the_counting_window_are_ignored():
    start, end = sh(2024, 3, 4, 9), sh(2024, 3, 8)  # clock 3/5 00:00; Tue-Thu = 3 days
    before = (sh(2024, 3, 1), sh(2024, 3, 4, 18))  # ends on the acceptance day
    after = (sh(2024, 3, 8, 9), sh(2024, 3, 9))
    assert working_days_elapsed(start, end, [before, after]).days == 3
    straddling = (sh(2024, 3, 1), sh(2024, 3, 5, 6))  # clipped to 3/5 00:00-06:00
    assert working_days_elapsed(start, end, [straddling]).days == Decimal("2.75")


def test_invalid_intervals_are_refused():
    with pytest.raises(ValueError, match="before"):
        working_days_elapsed(sh(2024, 3, 8), sh(2024, 3, 4))
    with pytest.raises(ValueError, match="pause ends before"):
        working_days_elapsed(sh(2024, 3, 4), sh(2024, 3, 8), [(sh(2024, 3, 6), sh(2024, 3, 5))])
    with pytest.raises(ValueError, match="open pause"):
        add_working_days(sh(2024, 3, 4), 5, [(sh(2024, 3, 6), None)])
    with pytest.raises(TypeError):
        working_days_elapsed(sh(2024, 3, 4), sh(2024, 3, 8), [object()])


def test_pause_objects_with_start_and_end_attributes():
    class Row:  # e.g. an ORM row for a supplement request
        def __init__(self, start, end):
            self.start, self.end = start, end

    e = working_days_elapsed(sh(2024, 3, 4, 9), sh(2024, 3, 8), [Row(sh(2024, 3, 6), sh(2024, 3, 7))])
    assert e.days == 2


# ---- due_with_pauses ---------------------------------------------------------------------------


def test_due_with_supplement_pause_across_spring_festival_2026():
    # Accepted Mon 2026-02-02 10:00, limit 10. Without pauses: 2/3-6 (1-4), 2/9-13 (5-9), Sat 2/14 (10).
    start = sh(2026, 2, 2, 10)
    assert add_working_days(start, 10).due == sh(2026, 2, 15)
    # Supplement requested Thu 2/5 14:00, supplied Wed 2/25 10:00.
    # Used before the pause: 2/3, 2/4, 2/5 0-14h = 2 d 14 h; 7 d 10 h left when the clock restarts.
    # From 2/25 10:00: 2/25 14 h, 2/26, 2/27, Sat 2/28, (Sun 3/1 off) 3/2, 3/3, 3/4 = 6 d 14 h, then 20 h of 3/5.
    # Paused working time: 2/5 10 h, 2/6, 2/9-13, Sat 2/14, 2/24, 2/25 10 h = 8 d 20 h.
    pause = (sh(2026, 2, 5, 14), sh(2026, 2, 25, 10))
    now = sh(2026, 3, 2, 12)
    deadline = due_with_pauses(start, 10, [pause], now)
    assert deadline.due == sh(2026, 3, 5, 20)
    assert deadline.due_date == date(2026, 3, 5)
    assert deadline.paused_days * 24 == pytest.approx(8 * 24 + 20)
    assert not deadline.paused
    # At 3/2 12:00: used 2 d 14 h + (2/25 14 h, 2/26, 2/27, 2/28, 3/2 12 h) = 6 d 16 h; left 3 d 8 h.
    assert deadline.remaining_days * 24 == pytest.approx(3 * 24 + 8)
    assert not deadline.is_overdue(now)
    # the same due from add_working_days with closed pauses
    assert add_working_days(start, 10, [pause]).due == deadline.due


def test_whole_day_supplement_across_spring_festival_2026():
    # Accepted Fri 2026-02-06, limit 5: 2/9-13 -> due end of 2/13. Paused 2/11 00:00 -> 2/26 00:00.
    # Used 2/9, 2/10 (2); clock restarts 2/26: 2/26 (3), 2/27 (4), Sat 2/28 adjusted workday (5).
    # Paused working days: 2/11, 2/12, 2/13, Sat 2/14, 2/24, 2/25 = 6 (the festival itself costs nothing).
    start = sh(2026, 2, 6, 16)
    assert add_working_days(start, 5).due_date == date(2026, 2, 13)
    deadline = due_with_pauses(start, 5, [(sh(2026, 2, 11), sh(2026, 2, 26))], sh(2026, 2, 26, 9))
    assert deadline.due_date == date(2026, 2, 28)
    assert deadline.due == sh(2026, 3, 1)
    assert deadline.paused_days == 6


def test_open_pause_makes_a_provisional_due_that_moves():
    # Accepted Mon 2026-02-02 10:00, limit 10, supplement requested Thu 2/5 14:00, still open.
    start = sh(2026, 2, 2, 10)
    pauses = [(sh(2026, 2, 5, 14), None)]
    # As of Tue 2/10 12:00 the pause is taken to end now: 7 d 10 h left from 2/10 12:00:
    # 2/10 12 h, 2/11, 2/12, 2/13, Sat 2/14, (2/15-23 off) 2/24, 2/25 = 6 d 12 h, then 22 h of 2/26.
    d1 = due_with_pauses(start, 10, pauses, sh(2026, 2, 10, 12))
    assert d1.paused
    assert d1.due == sh(2026, 2, 26, 22)
    assert d1.remaining_days * 24 == pytest.approx(7 * 24 + 10)  # nothing used while paused
    # As of Tue 2/24 00:00: 7 d 10 h left from 2/24: 2/24-27, Sat 2/28, 3/2, 3/3 = 7 d, then 10 h of 3/4.
    d2 = due_with_pauses(start, 10, pauses, sh(2026, 2, 24))
    assert d2.due == sh(2026, 3, 4, 10)
    assert d2.due > d1.due


def test_pause_after_the_due_does_not_extend_it():
    # Accepted Fri 2024-03-01, limit 3: 3/4, 3/5, 3/6 -> due 3/7 00:00. Pause 3/8 09:00 - 3/12 00:00.
    start = sh(2024, 3, 1, 9)
    pause = (sh(2024, 3, 8, 9), sh(2024, 3, 12))
    now = sh(2024, 3, 12, 10)
    deadline = due_with_pauses(start, 3, [pause], now)
    assert deadline.due == sh(2024, 3, 7)
    assert deadline.paused_days == 0
    assert deadline.is_overdue(now)
    # Used by now: 3/4-7 (4), 3/8 0-9h, (pause), 3/12 0-10h = 4 d 19 h -> 1 d 19 h over the limit.
    assert deadline.remaining_days * 24 == pytest.approx(-(24 + 19))


def test_now_before_start_uses_nothing():
    # e.g. clock skew between nodes: the full limit remains, no exception
    d = due_with_pauses(sh(2024, 3, 4, 10), 5, [], sh(2024, 3, 4, 9, 59))
    assert d.remaining_days == 5
    assert d.due_date == date(2024, 3, 11)


def test_deadline_and_elapsed_are_immutable():
    deadline = add_working_days(sh(2024, 3, 1), 3)
    with pytest.raises(AttributeError):
        deadline.due = sh(2030, 1, 1)
