"""Working-day calendar (工作日历) and statutory time-limit arithmetic. Pure domain: no DB, no web.

Data
----
A :class:`WorkCalendar` is immutable data: the dates that differ from the weekend rule (weekday
holidays, weekend adjusted workdays 调休上班) plus the set of years whose data is complete. It is
built from the packaged seed (``seed_calendar.json``, generated once from ``chinese_calendar``),
from rows loaded from the database, or from another calendar with :meth:`WorkCalendar.with_overrides`
(e.g. a province administrator loading 2027). ``chinese_calendar`` is never called at run time.

A year without data is never an error: it is counted by the weekend rule (Mon-Fri working,
Sat/Sun off) and every result that touched it carries a ``calendar_year_missing`` warning.

Conventions
-----------
*Timezone.* All arithmetic is done in Asia/Shanghai (``zoneinfo``). Aware datetimes in any zone are
accepted and converted; **naive datetimes are refused** with :class:`NaiveDatetimeError` (a
``ValueError``), because a naive value in this code base is as likely a UTC timestamp from the
database as Beijing time, and guessing shifts deadlines by eight hours. Returned datetimes are
aware, in Asia/Shanghai.

*Working time.* Every working day contributes its whole 24 hours (00:00-24:00 Beijing time) of
working time; non-working days contribute nothing. Office hours are not modelled. Fractions of a
working day are fractions of those 24 hours: a pause from 10:00 to 16:00 on a working day is
0.25 working day. Time is counted exactly, in integer microseconds (``Elapsed.working_time``);
the Decimal ``days`` fields are that value divided by 24 h (28 significant digits). Arithmetic is on
Beijing wall-clock time, which has had no daylight saving since 1991.

*Day counting (期限计算).* The day of acceptance (受理当日) does not count: the clock starts at
00:00 of the following calendar day. A limit of N working days ends at the **end of the Nth
working day** after the acceptance day. :attr:`Deadline.due` expresses that end as the *exclusive*
instant 00:00 of the next calendar day (e.g. the 20th working day is 2026-03-13, ``due`` is
2026-03-14 00:00+08:00): work finished before ``due`` is on time, ``now >= due`` is overdue
(:meth:`Deadline.is_overdue`). :attr:`Deadline.due_date` is the Nth working day itself, for display
("办理期限至 2026年3月13日"). N = 0 (即办件) ends at the end of the acceptance day. Limits are whole
working days; half days and other fractions are rejected with :class:`FractionalDaysError`.

*Pauses (计时中止).* A pause is ``(start, end)`` or ``(start, None)`` (still open), e.g. supplement
requested -> supplied (补正), hearing (听证), expert review (专家评审). The clock stops while paused:
only working time outside every pause counts. Pauses may overlap; their union is used. Paused
time before the clock starts is ignored. An open pause runs up to ``end`` (for elapsed time) or to
``now`` (for a due time, which is then provisional and keeps moving while the pause lasts). With
pauses the due instant can fall inside a day (the clock stopped at 15:00 resumes at 15:00).

*Cost.* The calendar precomputes, for the span of years it has data for, a working-day flag and a
cumulative count per date plus the list of working-day ordinals; outside that span the weekend
rule has a closed form. Converting an instant to "working time since year 1" and back is O(1), so
:meth:`~WorkCalendar.add_working_days` and :meth:`~WorkCalendar.working_days_elapsed` cost O(1)
(plus O(p log p) for p pauses) whatever the length of the range.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Context, Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "HOLIDAY",
    "WORKDAY",
    "TIMEZONE",
    "CalendarDay",
    "CalendarWarning",
    "Deadline",
    "Elapsed",
    "FractionalDaysError",
    "NaiveDatetimeError",
    "Pause",
    "WorkCalendar",
    "add_working_days",
    "default_calendar",
    "due_with_pauses",
    "is_working_day",
    "last_day",
    "working_days_elapsed",
]

TIMEZONE = ZoneInfo("Asia/Shanghai")


def last_day(due: datetime | None) -> date | None:
    """The day (Beijing) a stored due instant runs out on — what people are told: ``due`` is exclusive (00:00
    after the last working day, or inside a day when pauses moved it), so the day of its last instant before."""
    if due is None:
        return None
    if due.tzinfo is None:
        due = due.replace(tzinfo=timezone.utc)
    return (due - timedelta(microseconds=1)).astimezone(TIMEZONE).date()
HOLIDAY = "holiday"  # a date that is a day off (in the seed: always a Monday-Friday date)
WORKDAY = "workday"  # a date that is a working day (in the seed: always a Saturday/Sunday, 调休上班)
YEAR_MISSING = "calendar_year_missing"

_DAY_US = 86_400_000_000  # working time unit: microseconds; one working day = 24 h
_DAY_DEC = Decimal(_DAY_US)
_DEC = Context(prec=28)
_ZERO = Decimal(0)
_ONE_US = timedelta(microseconds=1)


class NaiveDatetimeError(ValueError):
    """A datetime without tzinfo was given; pass an aware datetime (any zone, converted to Asia/Shanghai)."""


class FractionalDaysError(ValueError):
    """A time limit that is not a whole number of working days (half days are not supported)."""


# --------------------------------------------------------------------------------------------
# Value objects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One date that differs from the weekend rule; the shape of a seed entry and of a DB row."""

    day: date
    kind: str  # HOLIDAY or WORKDAY
    name_zh: str | None = None
    name_en: str | None = None

    def __post_init__(self) -> None:
        if type(self.day) is not date:
            raise TypeError(f"CalendarDay.day must be a date, got {self.day!r}")
        if self.kind not in (HOLIDAY, WORKDAY):
            raise ValueError(f"CalendarDay.kind must be {HOLIDAY!r} or {WORKDAY!r}, got {self.kind!r}")


class CalendarWarning(Mapping):
    """An immutable warning that reads like the dict the API layer serialises.

    ``CalendarWarning.year_missing(2027) == {"code": "calendar_year_missing", "year": 2027,
    "zh": "2027年节假日数据尚未导入，按周末计算", "en": "..."}`` and ``w.code``, ``w["year"]`` and
    ``dict(w)`` all work.
    """

    __slots__ = ("_data",)

    def __init__(self, code: str, year: int | None, zh: str, en: str) -> None:
        object.__setattr__(self, "_data", {"code": code, "year": year, "zh": zh, "en": en})

    @classmethod
    def year_missing(cls, year: int) -> CalendarWarning:
        return _year_missing_warning(year)

    code = property(lambda self: self._data["code"])
    year = property(lambda self: self._data["year"])
    zh = property(lambda self: self._data["zh"])
    en = property(lambda self: self._data["en"])

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CalendarWarning is immutable")

    def __repr__(self) -> str:
        return f"CalendarWarning({self._data!r})"


@functools.lru_cache(maxsize=512)
def _year_missing_warning(year: int) -> CalendarWarning:
    return CalendarWarning(
        YEAR_MISSING,
        year,
        f"{year}年节假日数据尚未导入，按周末计算",
        f"No statutory holiday data has been loaded for {year}; "
        "counting weekends only (Mon-Fri as working days).",
    )


class Pause(NamedTuple):
    """A period during which the clock stops; ``end=None`` means still open."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """Result of :meth:`WorkCalendar.add_working_days` / :meth:`WorkCalendar.due_with_pauses`.

    ``due`` is the exclusive end instant (aware, Asia/Shanghai): overdue iff ``now >= due``.
    ``due_date`` is the calendar day the limit runs out on (the day of the last instant before
    ``due``): without pauses the Nth working day after acceptance.
    ``paused_days`` is the working time (in working days) the clock stood still before ``due``,
    i.e. how far pauses pushed the due back. ``paused`` is True when a pause is open at ``now``
    (the due is then provisional). ``remaining_days`` (only from ``due_with_pauses``) is the limit
    minus the working time used up to ``now``; negative once overdue.
    """

    due: datetime
    due_date: date
    limit_days: int
    warnings: tuple[CalendarWarning, ...] = ()
    paused_days: Decimal = _ZERO
    paused: bool = False
    remaining_days: Decimal | None = None

    def is_overdue(self, now: datetime) -> bool:
        return _to_local(now, "now") >= self.due


@dataclass(frozen=True, slots=True)
class Elapsed:
    """Working time used between acceptance and ``end``, pauses excluded.

    ``days`` is a Decimal in working days (fraction = share of a 24 h working day),
    ``working_time`` the same as an exact timedelta, ``paused_days`` the working time inside pauses.
    """

    days: Decimal
    working_time: timedelta
    warnings: tuple[CalendarWarning, ...] = ()
    paused_days: Decimal = _ZERO
    paused: bool = False

    @property
    def whole_days(self) -> int:
        """Completed working days (floor of ``days``)."""
        return self.working_time // timedelta(days=1)


# --------------------------------------------------------------------------------------------
# Closed forms for the weekend rule (ordinal 1 = 0001-01-01 is a Monday)
# --------------------------------------------------------------------------------------------


def _weekdays_before(ordinal: int) -> int:
    """Number of Monday-Friday dates with ordinal in [1, ordinal)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return 5 * weeks + (rest if rest < 5 else 5)


def _nth_weekday(k: int) -> int:
    """Ordinal of the Monday-Friday date that has exactly k Monday-Friday dates before it."""
    weeks, rest = divmod(k, 5)
    return 1 + 7 * weeks + rest


def _midnight(ordinal: int) -> datetime:
    d = date.fromordinal(ordinal)
    return datetime(d.year, d.month, d.day, tzinfo=TIMEZONE)


def _to_local(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{what} must be an aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{what} is a naive datetime ({value.isoformat()}); pass an aware datetime "
            "(e.g. tzinfo=ZoneInfo('Asia/Shanghai') or UTC)"
        )
    return value.astimezone(TIMEZONE)


def _whole_days(days: Any) -> int:
    if type(days) is int and days >= 0:
        return days
    if isinstance(days, bool) or not isinstance(days, (int, Decimal)):
        raise TypeError(f"a working-day limit must be an int or Decimal, got {type(days).__name__}: {days!r}")
    if isinstance(days, Decimal):
        if not days.is_finite() or days != days.to_integral_value():
            raise FractionalDaysError(
                f"working-day limits must be whole days, got {days}; half days/fractions are not supported"
            )
        days = int(days)
    if days < 0:
        raise ValueError(f"a working-day limit cannot be negative, got {days}")
    return days


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"expected a date, got a datetime {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc
    raise TypeError(f"expected a date or ISO date string, got {type(value).__name__}: {value!r}")


def _year_of(value: int | date) -> int:
    if isinstance(value, datetime):
        return _to_local(value, "date").year
    if isinstance(value, date):
        return value.year
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"expected a year, date or datetime, got {value!r}")


def _days_dec(units: int) -> Decimal:
    return _DEC.divide(Decimal(units), _DAY_DEC)


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------


class WorkCalendar:
    """Immutable working-day calendar. See the module docstring for the conventions.

    ``WorkCalendar(days, known_years)``: ``days`` are the exceptions to the weekend rule, as
    :class:`CalendarDay` objects, ``(date, kind[, name_zh[, name_en]])`` tuples, or any object with
    ``day`` (or ``date``) and ``kind`` attributes (e.g. ORM rows); ``known_years`` are the years whose
    data is complete. ``WorkCalendar()`` is the pure weekend calendar with every year unknown.
    """

    __slots__ = ("_entries", "_known", "_s", "_e", "_flags", "_cum", "_offsets", "_ws", "_we", "_wde", "_run")

    def __init__(self, days: Iterable[Any] = (), known_years: Iterable[int] = ()) -> None:
        entries: dict[date, CalendarDay] = {}
        for row in days:
            cd = _coerce_day(row)
            prev = entries.get(cd.day)
            if prev is not None and prev.kind != cd.kind:
                raise ValueError(f"{cd.day} is listed both as a holiday and as a workday")
            entries[cd.day] = cd
        known = set()
        for y in known_years:
            if isinstance(y, bool) or not isinstance(y, int) or not 1 <= y <= 9998:
                raise ValueError(f"not a valid year: {y!r}")
            known.add(y)
        self._init(entries, frozenset(known))

    def _init(self, entries: dict[date, CalendarDay], known: frozenset[int]) -> None:
        sa = object.__setattr__
        sa(self, "_entries", dict(sorted(entries.items())))
        sa(self, "_known", known)
        years = set(known) | {d.year for d in entries}
        if years:
            s = date(min(years), 1, 1).toordinal()
            e = date(max(years) + 1, 1, 1).toordinal()
        else:
            s = e = date(2000, 1, 1).toordinal()
        flags = bytearray(e - s)
        cum = [0] * (e - s + 1)
        offsets = []
        count = 0
        kinds = {d.toordinal(): cd.kind for d, cd in entries.items()}
        for i in range(e - s):
            o = s + i
            kind = kinds.get(o)
            working = (o - 1) % 7 < 5 if kind is None else kind == WORKDAY
            if working:
                flags[i] = 1
                offsets.append(i)
                count += 1
            cum[i + 1] = count
        ws = _weekdays_before(s)
        sa(self, "_s", s)
        sa(self, "_e", e)
        sa(self, "_flags", bytes(flags))
        sa(self, "_cum", tuple(cum))
        sa(self, "_offsets", tuple(offsets))
        sa(self, "_ws", ws)  # working days before the span = weekdays before it
        sa(self, "_we", ws + count)  # working days before the end of the span
        sa(self, "_wde", _weekdays_before(e))
        contiguous = known and max(known) - min(known) + 1 == len(known)
        sa(self, "_run", (min(known), max(known)) if contiguous else (1, 0))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("WorkCalendar is immutable; use with_overrides() to derive a new one")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return self._known == other._known and self._entries == other._entries

    def __hash__(self) -> int:
        return hash((self._known, tuple(self._entries.values())))

    def __repr__(self) -> str:
        years = self.known_years
        span = f"{years[0]}..{years[-1]}" if years else "none"
        return f"<WorkCalendar known_years={span} ({len(years)}) exceptions={len(self._entries)}>"

    # ---- construction ------------------------------------------------------------------------

    @classmethod
    def from_seed(cls, seed: Mapping[str, Any] | None = None) -> WorkCalendar:
        """Build from seed data (the format of ``seed_calendar.json``); ``None`` = the packaged seed."""
        if seed is None:
            from .seed import load_seed

            seed = load_seed()
        from .seed import SEED_FORMAT

        if seed.get("format") != SEED_FORMAT:
            raise ValueError(f"unknown calendar seed format {seed.get('format')!r}; expected {SEED_FORMAT!r}")
        days: list[CalendarDay] = []
        known: list[int] = []
        for year_key, data in seed.get("years", {}).items():
            year = int(year_key)
            known.append(year)
            for list_key, kind in (("holidays", HOLIDAY), ("workdays", WORKDAY)):
                for entry in data.get(list_key, ()):
                    d = _as_date(entry["date"])
                    if d.year != year:
                        raise ValueError(f"seed year {year} lists {d} under {list_key}")
                    days.append(CalendarDay(d, kind, entry.get("name_zh"), entry.get("name_en")))
        return cls(days, known)

    def with_overrides(
        self,
        *,
        holidays: Mapping[Any, Any] | Iterable[Any] = (),
        workdays: Mapping[Any, Any] | Iterable[Any] = (),
        years: Iterable[int] = (),
    ) -> WorkCalendar:
        """A new calendar with some dates and/or whole years replaced; ``self`` is unchanged.

        ``years``: years being (re)loaded in full. Any existing data for them is dropped first, the
        given dates for them are applied, and they become known (their warning disappears). A year
        listed with no dates means "no exceptions that year".

        ``holidays`` / ``workdays``: the dates to make days off / working days. Either a mapping
        ``{date or "YYYY-MM-DD": name}`` (name: ``None``, a Chinese name, or a mapping with
        ``name_zh``/``name_en``) or an iterable of dates, ISO strings or :class:`CalendarDay`.
        Dates outside ``years`` are single-date corrections on top of the existing data (e.g. a
        local holiday); they do not make an unknown year known. A date given in both is an error.
        """
        year_set = set()
        for y in years:
            if isinstance(y, bool) or not isinstance(y, int) or not 1 <= y <= 9998:
                raise ValueError(f"not a valid year: {y!r}")
            year_set.add(y)
        new: dict[date, CalendarDay] = {}
        for kind, given in ((HOLIDAY, holidays), (WORKDAY, workdays)):
            for cd in _coerce_override(given, kind):
                if cd.day in new and new[cd.day].kind != kind:
                    raise ValueError(f"{cd.day} is given both as a holiday and as a workday")
                new[cd.day] = cd
        entries = {d: cd for d, cd in self._entries.items() if d.year not in year_set}
        entries.update(new)
        other = object.__new__(WorkCalendar)
        other._init(entries, self._known | year_set)
        return other

    # ---- data access -------------------------------------------------------------------------

    @property
    def known_years(self) -> tuple[int, ...]:
        """Years with complete holiday data, ascending."""
        return tuple(sorted(self._known))

    def is_year_known(self, year: int) -> bool:
        return year in self._known

    def days(self) -> tuple[CalendarDay, ...]:
        """All exceptions to the weekend rule, by date (what the persistence layer stores)."""
        return tuple(self._entries.values())

    def day_info(self, day: date) -> CalendarDay | None:
        """The holiday/adjusted-workday entry for ``day`` (with its name), or None for an ordinary day."""
        return self._entries.get(_as_date(day))

    def is_working_day(self, day: date | datetime) -> bool:
        """Whether ``day`` is a working day; an aware datetime is judged by its Beijing date."""
        if isinstance(day, datetime):
            day = _to_local(day, "day").date()
        elif not isinstance(day, date):
            raise TypeError(f"expected a date or aware datetime, got {day!r}")
        return self._working(day.toordinal())

    def missing_years_between(self, a: int | date | datetime, b: int | date | datetime) -> tuple[int, ...]:
        """Years in [a, b] (inclusive, either order; years, dates or aware datetimes) without data."""
        ya, yb = _year_of(a), _year_of(b)
        if ya > yb:
            ya, yb = yb, ya
        known = self._known
        return tuple(y for y in range(ya, yb + 1) if y not in known)

    def warnings_between(
        self, a: int | date | datetime, b: int | date | datetime
    ) -> tuple[CalendarWarning, ...]:
        """``calendar_year_missing`` warnings for the years in [a, b] without data."""
        return tuple(_year_missing_warning(y) for y in self.missing_years_between(a, b))

    def _warnings(self, y0: int, y1: int) -> tuple[CalendarWarning, ...]:
        lo, hi = self._run
        if lo <= y0 and y1 <= hi:
            return ()  # the common case: inside the contiguous block of known years
        known = self._known
        return tuple(_year_missing_warning(y) for y in range(y0, y1 + 1) if y not in known)

    # ---- O(1) primitives ---------------------------------------------------------------------

    def _working(self, o: int) -> bool:
        if self._s <= o < self._e:
            return self._flags[o - self._s] == 1
        return (o - 1) % 7 < 5

    def _count_before(self, o: int) -> int:
        """Working days with ordinal in [1, o)."""
        if o <= self._s:
            return _weekdays_before(o)
        if o <= self._e:
            return self._ws + self._cum[o - self._s]
        return self._we + _weekdays_before(o) - self._wde

    def _nth_working(self, k: int) -> int:
        """Ordinal of the working day that has exactly k working days before it."""
        if k < self._ws:
            return _nth_weekday(k)
        j = k - self._ws
        if j < len(self._offsets):
            return self._s + self._offsets[j]
        return _nth_weekday(k - self._we + self._wde)

    def _units(self, t: datetime) -> int:
        """Working time (µs) from 0001-01-01 to the local instant ``t``; monotone, slope 0 or 1."""
        o = t.toordinal()
        u = self._count_before(o) * _DAY_US
        if self._working(o):
            u += ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond
        return u

    def _instant(self, u: int) -> datetime:
        """The earliest local instant whose working time (see ``_units``) equals ``u``."""
        k, r = divmod(u, _DAY_US)
        if r:
            return _midnight(self._nth_working(k)) + timedelta(microseconds=r)
        return _midnight(self._nth_working(k - 1) + 1)  # end of the k-th working day

    def _pause_intervals(
        self, pauses: Iterable[Any], open_until: datetime | None, lo: int
    ) -> tuple[list[tuple[int, int]], bool]:
        """Pauses as merged working-time intervals clipped below at ``lo``; and whether one is open."""
        raw: list[tuple[int, int]] = []
        is_open = False
        for p in pauses:
            ps, pe = _pause_bounds(p)
            ps_l = _to_local(ps, "pause start")
            if pe is None:
                if open_until is None:
                    raise ValueError(
                        "an open pause (end=None) needs `now`: use due_with_pauses(start, limit, pauses, now)"
                    )
                if ps_l > open_until:
                    continue
                is_open = True
                pe_l = open_until
            else:
                pe_l = _to_local(pe, "pause end")
                if pe_l < ps_l:
                    raise ValueError(f"pause ends before it starts: {ps.isoformat()} .. {pe.isoformat()}")
            a, b = self._units(ps_l), self._units(pe_l)
            if a < lo:
                a = lo
            if b > a:
                raw.append((a, b))
        if len(raw) < 2:
            return raw, is_open
        raw.sort()
        merged = [raw[0]]
        for a, b in raw[1:]:
            la, lb = merged[-1]
            if a <= lb:
                if b > lb:
                    merged[-1] = (la, b)
            else:
                merged.append((a, b))
        return merged, is_open

    # ---- deadline arithmetic -----------------------------------------------------------------

    def add_working_days(
        self,
        start: datetime | date,
        days: int | Decimal,
        pauses: Iterable[Any] = (),
        *,
        now: datetime | None = None,
    ) -> Deadline:
        """The deadline of a ``days``-working-day limit for a case accepted at ``start``.

        The acceptance day does not count; the limit ends at the end of the Nth working day after
        it, returned as the exclusive instant 00:00 of the following day (``Deadline.due``; overdue
        iff ``now >= due``) together with that working day (``Deadline.due_date``). ``start`` is an
        aware datetime (converted to Asia/Shanghai) or a plain acceptance date. ``days`` is a whole
        non-negative int/Decimal. ``pauses`` push the due back by the working time they cover;
        open pauses need ``now`` (they are taken to end at ``now``).
        """
        n = _whole_days(days)
        start_day = _start_day(start)
        now_l = _to_local(now, "now") if now is not None else None
        clock_o = start_day.toordinal() + 1
        clock_u = self._count_before(clock_o) * _DAY_US
        merged, is_open = self._pause_intervals(pauses, now_l, clock_u) if pauses else ([], False)
        due, paused_u = self._due(clock_o, clock_u, n, merged)
        due_date = (due - _ONE_US).date()
        return Deadline(
            due=due,
            due_date=due_date,
            limit_days=n,
            warnings=self._warnings(start_day.year, due_date.year),
            paused_days=_days_dec(paused_u) if paused_u else _ZERO,
            paused=is_open,
        )

    def _due(
        self, clock_o: int, clock_u: int, n: int, merged: list[tuple[int, int]]
    ) -> tuple[datetime, int]:
        """Due instant for ``n`` working days from the clock start, skipping the merged pauses;
        and the paused working time (µs) before it."""
        if n == 0:
            return _midnight(clock_o), 0  # 即办件: end of the acceptance day
        remaining = n * _DAY_US
        cursor = clock_u
        paused_u = 0
        for a, b in merged:  # sorted, disjoint, all starting at or after clock_u
            if a > cursor:
                gap = a - cursor
                if gap >= remaining:
                    return self._instant(cursor + remaining), paused_u
                remaining -= gap
                cursor = a
            if b > cursor:
                paused_u += b - cursor
                cursor = b
        return self._instant(cursor + remaining), paused_u

    def working_days_elapsed(self, start: datetime, end: datetime, pauses: Iterable[Any] = ()) -> Elapsed:
        """Working time used from acceptance at ``start`` up to ``end``, excluding pauses.

        Same convention as :meth:`add_working_days`: nothing counts on the acceptance day, so
        ``working_days_elapsed(start, add_working_days(start, n).due).days == n``. Open pauses run
        to ``end``; overlapping pauses count once. ``end`` before ``start`` is a ValueError.
        """
        start_l = _to_local(start, "start")
        end_l = _to_local(end, "end")
        if end_l < start_l:
            raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
        lo = self._count_before(start_l.toordinal() + 1) * _DAY_US
        hi = self._units(end_l)
        paused_u = 0
        is_open = False
        total = hi - lo if hi > lo else 0
        if pauses:
            merged, is_open = self._pause_intervals(pauses, end_l, lo)
            for a, b in merged:
                if b > hi:
                    b = hi
                if b > a:
                    paused_u += b - a
        active = total - paused_u
        return Elapsed(
            days=_days_dec(active),
            working_time=timedelta(microseconds=active),
            warnings=self._warnings(start_l.year, end_l.year),
            paused_days=_days_dec(paused_u) if paused_u else _ZERO,
            paused=is_open,
        )

    def due_with_pauses(
        self,
        start: datetime | date,
        limit_days: int | Decimal,
        pauses: Iterable[Any],
        now: datetime,
    ) -> Deadline:
        """Due instant of a ``limit_days`` limit, the clock stopped during ``pauses``, as of ``now``.

        The due is the first instant at which the working time outside all pauses (counted from
        the day after acceptance) reaches the limit, so a case paused across the Spring Festival
        only loses the working days of the pause. Open pauses are taken to end at ``now``:
        ``paused`` is then True and the due moves later as long as the pause stays open. Pauses
        after the due do not extend it. ``remaining_days`` = limit - working time used by ``now``
        (negative when overdue; the full limit if ``now`` is before ``start``, e.g. clock skew).
        """
        n = _whole_days(limit_days)
        start_day = _start_day(start)
        now_l = _to_local(now, "now")
        clock_o = start_day.toordinal() + 1
        clock_u = self._count_before(clock_o) * _DAY_US
        merged, is_open = self._pause_intervals(pauses, now_l, clock_u) if pauses else ([], False)
        due, paused_u = self._due(clock_o, clock_u, n, merged)
        due_date = (due - _ONE_US).date()
        # working time used by now: clock start .. now, minus the pauses up to now
        hi = self._units(now_l)
        used = hi - clock_u if hi > clock_u else 0
        for a, b in merged:
            if b > hi:
                b = hi
            if b > a:
                used -= b - a
        return Deadline(
            due=due,
            due_date=due_date,
            limit_days=n,
            warnings=self._warnings(start_day.year, max(due_date.year, now_l.year)),
            paused_days=_days_dec(paused_u) if paused_u else _ZERO,
            paused=is_open,
            remaining_days=Decimal(n) - _days_dec(used),
        )


def _start_day(start: Any) -> date:
    """The acceptance date (Beijing) of an aware datetime, or a plain date as given."""
    if isinstance(start, datetime):
        return _to_local(start, "start").date()
    if isinstance(start, date):
        return start
    raise TypeError(f"start must be an aware datetime or a date, got {start!r}")


def _coerce_day(row: Any) -> CalendarDay:
    if isinstance(row, CalendarDay):
        return row
    if isinstance(row, (tuple, list)):
        if not 2 <= len(row) <= 4:
            raise ValueError(f"calendar row must be (date, kind[, name_zh[, name_en]]), got {row!r}")
        d, kind, *names = row
        return CalendarDay(_as_date(d), kind, *names)
    d = getattr(row, "day", None)
    if d is None:
        d = getattr(row, "date", None)
    kind = getattr(row, "kind", None)
    if d is None or kind is None:
        raise TypeError(f"cannot read a calendar day from {row!r}")
    return CalendarDay(_as_date(d), kind, getattr(row, "name_zh", None), getattr(row, "name_en", None))


def _coerce_override(given: Any, kind: str) -> Iterator[CalendarDay]:
    if isinstance(given, (str, bytes)):
        raise TypeError("pass a list or mapping of dates, not a single string")
    if isinstance(given, Mapping):
        for key, name in given.items():
            d = _as_date(key)
            if name is None or isinstance(name, str):
                yield CalendarDay(d, kind, name)
            elif isinstance(name, Mapping):
                yield CalendarDay(d, kind, name.get("name_zh"), name.get("name_en"))
            else:
                raise TypeError(f"name for {d} must be a string, a mapping or None, got {name!r}")
        return
    for item in given:
        if isinstance(item, CalendarDay):
            if item.kind != kind:
                raise ValueError(f"{item.day} is a {item.kind} entry given as a {kind}")
            yield item
        else:
            yield CalendarDay(_as_date(item), kind)


def _pause_bounds(p: Any) -> tuple[datetime, datetime | None]:
    if isinstance(p, (tuple, list)):
        if len(p) != 2:
            raise ValueError(f"a pause is (start, end or None), got {p!r}")
        return p[0], p[1]
    try:
        return p.start, p.end
    except AttributeError:
        raise TypeError(f"a pause is (start, end or None) or has .start/.end, got {p!r}") from None


# --------------------------------------------------------------------------------------------
# Module-level helpers on the packaged seed calendar
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar built from the packaged seed (2004..2026), cached. Tenants with their own data
    (e.g. 2027 loaded by the province) build theirs with :meth:`WorkCalendar.with_overrides`."""
    return WorkCalendar.from_seed()


def is_working_day(day: date | datetime, *, calendar: WorkCalendar | None = None) -> bool:
    return (calendar if calendar is not None else default_calendar()).is_working_day(day)


def add_working_days(
    start: datetime | date,
    days: int | Decimal,
    pauses: Iterable[Any] = (),
    *,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """:meth:`WorkCalendar.add_working_days` on ``calendar`` (default: the packaged seed calendar)."""
    cal = calendar if calendar is not None else default_calendar()
    return cal.add_working_days(start, days, pauses, now=now)


def working_days_elapsed(
    start: datetime, end: datetime, pauses: Iterable[Any] = (), *, calendar: WorkCalendar | None = None
) -> Elapsed:
    """:meth:`WorkCalendar.working_days_elapsed` on ``calendar`` (default: the packaged seed calendar)."""
    return (calendar if calendar is not None else default_calendar()).working_days_elapsed(start, end, pauses)


def due_with_pauses(
    start: datetime,
    limit_days: int | Decimal,
    pauses: Iterable[Any],
    now: datetime,
    *,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """:meth:`WorkCalendar.due_with_pauses` on ``calendar`` (default: the packaged seed calendar)."""
    cal = calendar if calendar is not None else default_calendar()
    return cal.due_with_pauses(start, limit_days, pauses, now)
