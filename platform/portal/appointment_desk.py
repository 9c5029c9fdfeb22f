"""The window's side of appointments (预约签到): the day's bookings, finding one by its number, checking someone in
when they come, marking them absent (爽约) once their slot has ended. Each is recorded with who did it and when;
absences count towards the pause of online booking (``appointments``)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.portal.appointments import (
    AppointmentError,
    Booking,
    STATUS_LABELS,
    _booking,
    beijing_today,
    starts_at,
)
from tongban.platform.portal.models import Appointment, AppointmentSlot, AppointmentWindow


def day_list(session: Session, day: date, now: datetime) -> list[Booking]:
    """Every booking of ``day`` here, by time and window (cancelled ones included, last)."""
    addresses = dict(session.execute(select(AppointmentWindow.name, AppointmentWindow.address)).all())
    rows = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot)
                           .where(AppointmentSlot.day == day)
                           .order_by(AppointmentSlot.start, AppointmentSlot.window, Appointment.created_at)).all()
    bookings = [_booking(a, s, addresses.get(s.window, ""), now) for a, s in rows]
    return [b for b in bookings if b.status != "cancelled"] + [b for b in bookings if b.status == "cancelled"]


def find(session: Session, number: str, now: datetime) -> Booking | None:
    number = "".join(str(number or "").split()).upper()
    found = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot)
                            .where(Appointment.number == number)).first()
    return _booking(*found, "", now) if found else None


def check_in(session: Session, number: str, *, actor: str, now: datetime) -> Booking:
    """The person came: on the booking's own day, whenever in it."""
    appointment, slot = _open_booking(session, number)
    if slot.day != beijing_today(now):
        raise AppointmentError("not_today", f"这是 {slot.day:%m月%d日} 的预约，只能在当天签到",
                               f"This booking is for {slot.day:%Y-%m-%d}: check-in is on that day only")
    return _handle(appointment, slot, "attended", actor, now)


def mark_absent(session: Session, number: str, *, actor: str, now: datetime) -> Booking:
    """The person did not come: only once the slot has ended."""
    appointment, slot = _open_booking(session, number)
    if starts_at(slot.day, slot.end) > now:
        raise AppointmentError("not_over", "预约时段结束后才能标记爽约", "Mark someone absent only after the slot has ended")
    return _handle(appointment, slot, "no_show", actor, now)


def _open_booking(session: Session, number: str) -> tuple[Appointment, AppointmentSlot]:
    number = "".join(str(number or "").split()).upper()
    found = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot)
                            .where(Appointment.number == number).with_for_update()).first()
    if found is None:
        raise AppointmentError("not_found", "找不到该预约号", "No booking with this number", "number")
    appointment, slot = found
    if appointment.status != "booked":
        zh, en = STATUS_LABELS[appointment.status]
        raise AppointmentError("handled", f"该预约{zh}", f"This booking is already: {en.lower()}", "number")
    return appointment, slot


def _handle(appointment: Appointment, slot: AppointmentSlot, status: str, actor: str, now: datetime) -> Booking:
    appointment.status, appointment.handled_at, appointment.handled_by = status, now, actor
    return _booking(appointment, slot, "", now)
