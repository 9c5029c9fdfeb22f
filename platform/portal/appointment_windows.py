"""The windows a tenant takes appointments at, as its administrator sets them up, and the slots opened from them.

A window lists the items it serves (none: every item), its daily time slots, the places in each and how many
working days ahead it can be booked. Slots are opened from it day by day (``open_ahead``: on saving, and each
night by the worker) on the working days of the province's calendar — never on a day of a year the calendar has
no data for: such days stay closed and the administrator is told, until the year is loaded (a 元旦 or 春节 opened
as an ordinary weekday would send people to a closed hall).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.portal.appointment_closures import closed_days
from tongban.platform.portal.appointments import beijing_today
from tongban.platform.portal.models import Appointment, AppointmentSlot, AppointmentWindow

CAPACITY_MAX, HORIZON_MAX, TIMES_MAX = 200, 30, 24
DEFAULT_TIMES = (("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00"), ("14:30", "15:30"), ("15:30", "16:30"),
                 ("16:30", "17:30"))
_TIME_LINE = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")


class WindowConflict(ValueError):
    zh, en = "该窗口已被他人修改，请刷新后重试", "Someone else changed this window: reload and try again"


class WindowInvalid(ValueError):
    def __init__(self, problems: dict[str, tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {en}" for k, (_, en) in problems.items()))


@dataclass(frozen=True)
class WindowSettings:
    name: str
    address: str
    items: list[str]
    times: list[list[str]]
    capacity: int
    horizon_days: int
    open: bool


@dataclass
class Opened:
    created: int = 0
    unverified_years: set[int] = field(default_factory=set)


def read_settings(form, known_items) -> WindowSettings:
    """A window's settings from a form's fields (``name``, ``address``, ``items``, ``times``, ``capacity``,
    ``horizon_days``, ``open``), every problem at its field at once."""
    problems: dict[str, tuple[str, str]] = {}
    name = " ".join(str(form.get("name") or "").split())
    if not name:
        problems["name"] = ("请填写窗口名称", "Enter the window's name")
    elif len(name) > 50 or re.search(r"[<>\"{}\\]", name):
        problems["name"] = ("窗口名称不超过 50 个字，且不能含有 < > \" { } \\", "At most 50 characters, without < > \" { } \\")
    address = " ".join(str(form.get("address") or "").split())
    if len(address) > 200:
        problems["address"] = ("地址不超过 200 个字", "At most 200 characters")
    items = list(dict.fromkeys(c for c in re.split(r"[\s,，、;；]+", str(form.get("items") or "")) if c))
    unknown = [c for c in items if c not in known_items]
    if unknown:
        problems["items"] = (f"本地区没有这些事项：{'、'.join(unknown[:5])}", f"No such items here: {', '.join(unknown[:5])}")
    times, time_problem = _times(str(form.get("times") or ""))
    if time_problem:
        problems["times"] = time_problem
    capacity = _whole(form.get("capacity"), 1, CAPACITY_MAX)
    if capacity is None:
        problems["capacity"] = (f"每个时段的号数为 1 到 {CAPACITY_MAX} 的整数", f"A whole number from 1 to {CAPACITY_MAX}")
    horizon = _whole(form.get("horizon_days"), 1, HORIZON_MAX)
    if horizon is None:
        problems["horizon_days"] = (f"可提前预约的工作日数为 1 到 {HORIZON_MAX}", f"A whole number from 1 to {HORIZON_MAX}")
    if problems:
        raise WindowInvalid(problems)
    return WindowSettings(name, address, items, times, capacity, horizon, bool(form.get("open")))


def _whole(value, low: int, high: int) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 5 and low <= int(text) <= high else None


def _times(text: str) -> tuple[list[list[str]], tuple[str, str] | None]:
    lines = [line.strip() for line in re.split(r"[\n,，;；]+", text) if line.strip()]
    if not lines:
        return [], ("请至少填写一个时段，每行一个，如 09:00-10:00", "Enter at least one slot, one per line: 09:00-10:00")
    if len(lines) > TIMES_MAX:
        return [], (f"每天至多 {TIMES_MAX} 个时段", f"At most {TIMES_MAX} slots a day")
    times = []
    for line in lines:
        match = _TIME_LINE.fullmatch(line)
        try:
            start, end = (time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))) if match else (None, None)
        except ValueError:
            start = end = None
        if start is None or start >= end:
            return [], (f"“{line[:20]}”不是有效时段，请写成 09:00-10:00（开始早于结束）",
                        f"{line[:20]!r} is not a slot: write 09:00-10:00, the start before the end")
        times.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    times.sort()
    for (_, end), (start, _) in zip(times, times[1:]):
        if start < end:
            return [], (f"时段 {start} 与上一个时段重叠", f"The slot at {start} overlaps the one before it")
    return times, None


def save(session: Session, tenant_code: str, settings: WindowSettings, *, window_id: int | None,
         expected_revision: int | None, actor: str, calendar: WorkCalendar, now: datetime) -> tuple[AppointmentWindow, Opened]:
    """Create or change a window (a change needs the revision it was read at), then open its slots ahead."""
    twin = session.scalar(select(AppointmentWindow.id).where(AppointmentWindow.name == settings.name,
                                                             AppointmentWindow.tenant_id == tenant_code))
    if twin is not None and twin != window_id:
        raise WindowInvalid({"name": ("已有同名窗口", "A window with this name already exists")})
    if window_id is None:
        window = AppointmentWindow(tenant_id=tenant_code, revision=0)
        session.add(window)
    else:
        window = session.scalar(select(AppointmentWindow).where(AppointmentWindow.id == window_id))
        if window is None or window.revision != expected_revision:
            raise WindowConflict()
    renamed = window.name if window_id is not None and window.name != settings.name else None
    window.name, window.address, window.items = settings.name, settings.address, settings.items
    window.times, window.capacity, window.horizon_days = settings.times, settings.capacity, settings.horizon_days
    window.open, window.updated_by, window.updated_at = settings.open, actor, now
    window.revision += 1
    session.flush()
    if renamed:  # the slots (and so the bookings) follow the window
        session.execute(update(AppointmentSlot).where(AppointmentSlot.window == renamed)
                        .values(window=settings.name))
    return window, open_ahead(session, calendar, now, windows=[window])


def open_ahead(session: Session, calendar: WorkCalendar, now: datetime, *, windows=None) -> Opened:
    """Open each open window's slots on its next working days (after today) and bring the future ones in line with
    its settings: the places of each, and slots at times no longer kept removed where no one booked them."""
    opened = Opened()
    today = beijing_today(now)
    if windows is None:
        windows = list(session.scalars(select(AppointmentWindow).where(AppointmentWindow.open.is_(True))))
    for window in windows:
        if not window.open:
            continue
        days, unverified = _working_days(calendar, today + timedelta(days=1), window.horizon_days)
        opened.unverified_years |= unverified
        kept = {tuple(t) for t in window.times}
        future = list(session.scalars(select(AppointmentSlot).where(AppointmentSlot.window == window.name,
                                                                      AppointmentSlot.day > today)))
        existing = {(s.day, s.start) for s in future}
        closed = closed_days(session, window.tenant_id, window.name, today + timedelta(days=1))
        for slot in future:
            slot.capacity = 0 if slot.day in closed else window.capacity
        stale = [s.id for s in future if (s.start, s.end) not in kept and s.booked == 0]
        if stale:  # a slot someone booked, even if cancelled since, stays with its bookings on file
            stale = sorted(set(stale) - set(session.scalars(
                select(Appointment.slot_id).where(Appointment.slot_id.in_(stale)))))
        if stale:
            session.execute(delete(AppointmentSlot).where(AppointmentSlot.id.in_(stale)))
        for day in (d for d in days if d not in closed):
            for start, end in window.times:
                if (day, start) not in existing:
                    session.add(AppointmentSlot(tenant_id=window.tenant_id, window=window.name, day=day, start=start,
                                                end=end, capacity=window.capacity, booked=0))
                    opened.created += 1
    session.flush()
    return opened


def _working_days(calendar: WorkCalendar, start: date, count: int) -> tuple[list[date], set[int]]:
    """The next ``count`` working days from ``start``; days of a year without calendar data are not counted as
    working days (they stay closed) and their years are returned."""
    days, unverified, day = [], set(), start
    while len(days) < count and day < start + timedelta(days=count * 3 + 14):
        if not calendar.is_year_known(day.year):
            unverified.add(day.year)
        elif calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days, unverified


def windows(session: Session) -> list[AppointmentWindow]:
    return list(session.scalars(select(AppointmentWindow).order_by(AppointmentWindow.name)))


def times_text(times) -> str:
    return "\n".join(f"{start}-{end}" for start, end in times)


def default_form() -> dict:
    return {"name": "", "address": "", "items": "", "times": times_text(DEFAULT_TIMES), "capacity": "4",
            "horizon_days": "10", "open": "1"}


def form_of(window: AppointmentWindow) -> dict:
    return {"name": window.name, "address": window.address, "items": " ".join(window.items),
            "times": times_text(window.times), "capacity": str(window.capacity),
            "horizon_days": str(window.horizon_days), "open": "1" if window.open else ""}
