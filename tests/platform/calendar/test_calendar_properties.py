"""The O(1) arithmetic against a day-by-day reference, and performance sanity (no absolute times).

The reference below walks dates one by one using only ``is_working_day`` (itself checked date by
date against chinese_calendar and the notices in test_calendar_data.py) and intersects intervals,
so it shares none of the cumulative-count machinery it checks.
"""
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tongban.platform.calendar import default_calendar

SH = ZoneInfo("Asia/Shanghai")
DAY = timedelta(days=1)
CAL = default_calendar()
ORIGIN = datetime(2023, 9, 1, tzinfo=SH)  # ranges cover Spring Festivals 2024-2026 and the 2027 gap


def midnight(d):
    return datetime(d.year, d.month, d.day, tzinfo=SH)


def subtract(segment, pauses):
    """``segment`` minus the union of ``pauses`` as a list of (start, end)."""
    pieces = [segment]
    for ps, pe in pauses:
        nxt = []
        for a, b in pieces:
            if pe <= a or ps >= b:
                nxt.append((a, b))
                continue
            if a < ps:
                nxt.append((a, ps))
            if pe < b:
                nxt.append((pe, b))
        pieces = nxt
    return sorted(pieces)


def ref_due_date(start_day, n):
    d, count = start_day, 0
    while count < n:
        d += DAY
        count += CAL.is_working_day(d)
    return d


def ref_elapsed(start, end, pauses):
    clock = midnight(start.date() + DAY)
    total = timedelta(0)
    d = clock.date()
    while midnight(d) < end:
        if CAL.is_working_day(d):
            seg = (max(midnight(d), clock), min(midnight(d + DAY), end))
            if seg[0] < seg[1]:
                for a, b in subtract(seg, pauses):
                    total += b - a
        d += DAY
    return total


def ref_due_with_pauses(start, n, pauses):
    clock = midnight(start.date() + DAY)
    if n == 0:
        return clock
    need = timedelta(days=n)
    d = clock.date()
    while True:
        if CAL.is_working_day(d):
            for a, b in subtract((midnight(d), midnight(d + DAY)), pauses):
                if b - a >= need:
                    return a + need
                need -= b - a
        d += DAY


def random_cases(seed, count):
    """Deterministic pseudo-random cases (fixed seed: reproducible, no example database on disk)."""
    rng = random.Random(seed)

    def instant():
        return ORIGIN + timedelta(minutes=rng.randrange(1200 * 24 * 60))

    def pauses():
        out = []
        for _ in range(rng.randrange(5)):
            ps = instant()
            out.append((ps, ps + timedelta(minutes=rng.randrange(40 * 24 * 60))))
        return out

    for _ in range(count):
        yield rng, instant, pauses


def test_add_working_days_matches_day_by_day_reference():
    for rng, instant, _ in random_cases(1, 400):
        start, n = instant(), rng.randrange(81)
        deadline = CAL.add_working_days(start, n)
        expected = ref_due_date(start.date(), n)
        assert deadline.due_date == expected, (start, n)
        assert deadline.due == midnight(expected + DAY)
        assert CAL.working_days_elapsed(start, deadline.due).days == n


def test_elapsed_matches_reference():
    for rng, instant, pauses in random_cases(2, 300):
        start = instant()
        end = start + timedelta(minutes=rng.randrange(200 * 24 * 60))
        ps = pauses()
        elapsed = CAL.working_days_elapsed(start, end, ps)
        expected = ref_elapsed(start, end, ps)
        assert elapsed.working_time == expected, (start, end, ps)
        assert elapsed.days == Decimal(expected // timedelta(microseconds=1)) / Decimal(86_400_000_000)


def test_due_with_pauses_matches_reference():
    for rng, instant, pauses in random_cases(3, 300):
        start, n, ps = instant(), rng.randrange(81), pauses()
        deadline = CAL.add_working_days(start, n, ps)
        assert deadline.due == ref_due_with_pauses(start, n, ps), (start, n, ps)
        if n:
            # the clock reaches exactly n working days at the due instant
            assert CAL.working_days_elapsed(start, deadline.due, ps).days == n
        now = start + timedelta(minutes=rng.randrange(100 * 24 * 60))
        as_of_now = CAL.due_with_pauses(start, n, ps, now)
        assert as_of_now.due == deadline.due
        assert as_of_now.paused_days == deadline.paused_days
        assert as_of_now.remaining_days == n - CAL.working_days_elapsed(start, now, ps).days


def test_open_pause_equals_pause_closed_at_now():
    for rng, instant, _ in random_cases(4, 200):
        start, n, ps = instant(), rng.randrange(81), instant()
        now = ps + timedelta(minutes=rng.randrange(30 * 24 * 60))
        if now < start:
            start, now = now, start
        opened = CAL.due_with_pauses(start, n, [(ps, None)], now)
        closed = CAL.due_with_pauses(start, n, [(ps, now)], now)
        assert opened.due == closed.due
        assert opened.remaining_days == closed.remaining_days
        assert opened.paused == (ps <= now)


def _best_of(fn, repeats=5):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def test_cost_does_not_grow_with_the_length_of_the_range():
    start = datetime(2010, 3, 3, 10, tzinfo=SH)
    calls = range(2000)
    short = _best_of(lambda: [CAL.add_working_days(start, 1) for _ in calls])
    long = _best_of(lambda: [CAL.add_working_days(start, 5000) for _ in calls])  # ~20 years
    # A day-by-day loop would make the long case ~1000x slower; allow generous noise.
    assert long < short * 4 + 0.05
    end_short, end_long = start + timedelta(days=2), start + timedelta(days=7000)
    e_short = _best_of(lambda: [CAL.working_days_elapsed(start, end_short) for _ in calls])
    e_long = _best_of(lambda: [CAL.working_days_elapsed(start, end_long) for _ in calls])
    assert e_long < e_short * 4 + 0.05


def test_many_calls_complete():
    # informal benchmark: 20 000 deadline + elapsed computations over varied cases (no time assertion)
    base = datetime(2015, 1, 1, 9, tzinfo=SH)
    now = datetime(2026, 6, 1, tzinfo=SH)
    pauses = [(datetime(2020, 1, 20, tzinfo=SH), datetime(2020, 2, 10, tzinfo=SH))]
    for i in range(10_000):
        start = base + timedelta(hours=7 * i)
        CAL.add_working_days(start, 20)
        CAL.working_days_elapsed(start, now, pauses)
    assert date(2015, 1, 1) < (base + timedelta(hours=7 * 9_999)).date() < date(2026, 6, 1)
