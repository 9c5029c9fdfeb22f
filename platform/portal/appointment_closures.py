"""Closing a day (临时闭厅): a typhoon warning, a power cut or a training day, for the whole hall or one window.

Closing takes the day's slots that have not begun off the portal (their places go to nought) and cancels the
bookings they held, each with a text saying why and asking to book another day; the bookings stay on file as
cancelled, marked as the hall's doing. A day further ahead than the slots opened so far is closed all the same:
``appointment_windows.open_ahead`` opens no slot on it. Reopening offers the day's slots again (to new bookings:
cancelled ones stay cancelled). All of it in the tenant administrator's unit of work, so a failure changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.portal.appointments import (CLOSED_BY, AppointmentError, AppointmentInvalid, beijing_today,
                                                  starts_at, text_applicant)
from tongban.platform.portal.models import Appointment, AppointmentClosure, AppointmentSlot, AppointmentWindow

REASON_MAX = 100
AHEAD_MAX = timedelta(days=366)
EVERY_WINDOW = ""


@dataclass(frozen=True)
class Closed:
    closure_id: int
    day: date
    window: str
    cancelled: int  # bookings cancelled
    texted: int  # of them, told by SMS (a landline gets no text)


def read_closure(form, window_names: set[str], now: datetime) -> tuple[date, str, str]:
    """The day, window ("" for every window) and reason typed in the form, or ``AppointmentInvalid`` naming each
    field that is wrong."""
    problems: dict[str, tuple[str, str]] = {}
    day = None
    typed_day = str(form.get("day") or "").strip()
    try:
        day = date.fromisoformat(typed_day)
    except ValueError:
        problems["day"] = ("请填写日期，如 2026-11-30", "Enter a date such as 2026-11-30")
    today = beijing_today(now)
    if day is not None and not today <= day <= today + AHEAD_MAX:
        problems["day"] = ("只能关闭今天起一年内的日期", "Only a day from today to a year ahead can be closed")
    window = str(form.get("window") or "").strip()
    if window and window not in window_names:
        problems["window"] = ("没有这个窗口，请从列表中选择", "No such window: choose one from the list")
    reason = " ".join(str(form.get("reason") or "").split())
    if not reason:
        problems["reason"] = ("请填写闭厅原因，将以短信告知已预约的群众", "Give the reason: it is texted to those who booked")
    elif len(reason) > REASON_MAX:
        problems["reason"] = (f"原因不能超过 {REASON_MAX} 字", f"At most {REASON_MAX} characters")
    if problems:
        raise AppointmentInvalid(problems)
    return day, window, reason


def closure_text(reason: str, window: str, day: date, start: str, end: str, number: str) -> str:
    """The text a cancelled booking's holder gets (and the administrator reads before confirming)."""
    return (f"因{reason}，{window}{day:%m月%d日}暂停办理，您 {start}-{end} 的预约（预约号 {number}）已取消，"
            "请改约其他时间。")


def close(session: Session, tenant_code: str, day: date, window: str, reason: str, *, actor: str,
          now: datetime) -> Closed:
    """Close ``day`` for ``window`` (every window when ""): its slots not yet begun are taken off and their bookings
    cancelled, each texted."""
    if _closure(session, day, window) is not None or (window and _closure(session, day, EVERY_WINDOW) is not None):
        raise AppointmentError("already_closed", "这一天已经关闭", "This day is already closed", "day")
    closure = AppointmentClosure(tenant_id=tenant_code, day=day, window=window, reason=reason, closed_by=actor,
                                 closed_at=now)
    session.add(closure)
    cancelled = texted = 0
    for slot in _slots(session, day, window):
        if starts_at(slot.day, slot.start) <= now:  # begun: those who came are being served
            continue
        slot.capacity = 0
        for booking in session.scalars(select(Appointment).where(Appointment.slot_id == slot.id,
                                                                 Appointment.status == "booked")):
            booking.status, booking.handled_at, booking.handled_by = "cancelled", now, f"{CLOSED_BY}{actor}"[:80]
            cancelled += 1
            texted += text_applicant(session, tenant_code, booking.phone, "appointment_closed",
                                     closure_text(reason, slot.window, slot.day, slot.start, slot.end, booking.number),
                                     booking.number)
        slot.booked = 0
    session.flush()
    return Closed(closure.id, day, window, cancelled, texted)


def affected(session: Session, day: date, window: str, now: datetime) -> int:
    """How many bookings closing ``day`` for ``window`` would cancel (what the administrator is asked to confirm)."""
    slots = [s.id for s in _slots(session, day, window) if starts_at(s.day, s.start) > now]
    if not slots:
        return 0
    return len(list(session.scalars(select(Appointment.id).where(Appointment.slot_id.in_(slots),
                                                                  Appointment.status == "booked"))))


def offered(session: Session, day: date, window: str, now: datetime) -> int:
    """How many of the day's slots not begun are open (none: a day off, or one not opened yet — closing it still
    keeps later openings from offering it)."""
    return sum(1 for s in _slots(session, day, window) if s.capacity > 0 and starts_at(s.day, s.start) > now)


def reopen(session: Session, closure_id: int, *, now: datetime) -> AppointmentClosure:
    """Offer the closed day's slots again (from their windows' places); cancelled bookings stay cancelled."""
    closure = session.get(AppointmentClosure, closure_id)
    if closure is None:
        raise AppointmentError("not_found", "没有这条闭厅记录", "No such closure", None)
    if closure.day < beijing_today(now):
        raise AppointmentError("past", "这一天已经过去", "This day is past", None)
    places = {w.name: w.capacity for w in session.scalars(select(AppointmentWindow))}
    for slot in _slots(session, closure.day, closure.window):
        if starts_at(slot.day, slot.start) > now and not _still_closed(session, closure, slot.window):
            slot.capacity = places.get(slot.window, slot.capacity)
    session.delete(closure)
    session.flush()
    return closure


def upcoming(session: Session, now: datetime) -> list[AppointmentClosure]:
    """The tenant's closures from today on, soonest first."""
    return list(session.scalars(select(AppointmentClosure).where(AppointmentClosure.day >= beijing_today(now))
                                .order_by(AppointmentClosure.day, AppointmentClosure.window)))


def closed_days(session: Session, tenant_code: str, window: str, since: date) -> set[date]:
    """The days from ``since`` on when ``window`` of ``tenant_code`` is closed (itself or the whole hall)."""
    return set(session.scalars(select(AppointmentClosure.day).where(
        AppointmentClosure.tenant_id == tenant_code, AppointmentClosure.day >= since,
        or_(AppointmentClosure.window == EVERY_WINDOW, AppointmentClosure.window == window))))


def _closure(session: Session, day: date, window: str) -> AppointmentClosure | None:
    return session.scalar(select(AppointmentClosure).where(AppointmentClosure.day == day,
                                                           AppointmentClosure.window == window))


def _still_closed(session: Session, reopened: AppointmentClosure, window: str) -> bool:
    """Another closure of the same day covers ``window`` (the whole hall, or the window itself)."""
    return session.scalar(select(AppointmentClosure.id).where(
        AppointmentClosure.day == reopened.day, AppointmentClosure.id != reopened.id,
        or_(AppointmentClosure.window == EVERY_WINDOW, AppointmentClosure.window == window))) is not None


def _slots(session: Session, day: date, window: str) -> list[AppointmentSlot]:
    query = select(AppointmentSlot).where(AppointmentSlot.day == day)
    if window:
        query = query.where(AppointmentSlot.window == window)
    return list(session.scalars(query.order_by(AppointmentSlot.window, AppointmentSlot.start)))
