"""Appointments at a service window (预约办理): slots with a capacity, booked without overbooking.

A booking moves the slot's counter with one guarded statement (``booked = booked + 1 WHERE booked <
capacity``): two people racing for the last place cannot both get it, on SQLite (writes serialise) or on
PostgreSQL (the second update waits for the first and re-checks the condition). One person holds at most
one booking per slot (a unique key), and a cancellation gives the place back.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.portal.models import Appointment, AppointmentSlot

DEFAULT_TIMES = (("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00"), ("14:30", "15:30"), ("15:30", "16:30"))
BOOKABLE_DAYS = 14


class AppointmentError(ValueError):
    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(f"{code}: {en}")


@dataclass(frozen=True)
class Booking:
    number: str
    window: str
    day: date
    start: str
    end: str
    status: str
    item_code: str | None


def working_days(calendar: WorkCalendar, start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count and day < start + timedelta(days=count * 3 + 14):
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def open_slots(session: Session, *, window: str, days: list[date], capacity: int,
               times: tuple[tuple[str, str], ...] = DEFAULT_TIMES) -> int:
    """Create the window's slots on ``days`` (existing ones are left as they are); the number created."""
    existing = set(session.execute(select(AppointmentSlot.day, AppointmentSlot.start)
                                   .where(AppointmentSlot.window == window, AppointmentSlot.day.in_(days))).all())
    created = 0
    for day in days:
        for start, end in times:
            if (day, start) not in existing:
                session.add(AppointmentSlot(window=window, day=day, start=start, end=end, capacity=capacity, booked=0))
                created += 1
    session.flush()
    return created


def available(session: Session, today: date, days: int = BOOKABLE_DAYS) -> list[dict]:
    """Upcoming slots by day and window, with the places left."""
    rows = session.scalars(select(AppointmentSlot).where(AppointmentSlot.day > today,
                                                         AppointmentSlot.day <= today + timedelta(days=days * 2))
                           .order_by(AppointmentSlot.day, AppointmentSlot.window, AppointmentSlot.start))
    grouped: dict[tuple[date, str], list[dict]] = {}
    for slot in rows:
        grouped.setdefault((slot.day, slot.window), []).append(
            {"id": slot.id, "start": slot.start, "end": slot.end, "left": max(slot.capacity - slot.booked, 0)})
    return [{"day": day, "window": window, "slots": slots} for (day, window), slots in grouped.items()]


def book(session: Session, slot_id: int, *, subject: str, name: str, phone: str, item_code: str | None,
         today: date) -> Booking:
    """Take one place in the slot. The guarded update comes first, so the transaction starts by writing
    (SQLite then queues concurrent bookings instead of failing them); any refusal rolls it back."""
    if not name.strip() or not phone.strip():
        raise AppointmentError("contact", "请填写姓名和联系电话", "give your name and phone number")
    taken = session.execute(update(AppointmentSlot).where(AppointmentSlot.id == slot_id, AppointmentSlot.day > today,
                                                          AppointmentSlot.booked < AppointmentSlot.capacity)
                            .values(booked=AppointmentSlot.booked + 1))
    slot = session.scalar(select(AppointmentSlot).where(AppointmentSlot.id == slot_id))
    if slot is None or slot.day <= today:
        raise AppointmentError("no_slot", "该时段不可预约", "this time slot cannot be booked")
    if taken.rowcount != 1:
        raise AppointmentError("full", "该时段已约满，请选择其他时段", "this slot is full; choose another")
    previous = session.scalar(select(Appointment).where(Appointment.slot_id == slot_id,
                                                        Appointment.applicant_subject == subject))
    if previous is not None and previous.status == "booked":
        raise AppointmentError("already_booked", "您已预约该时段", "you have already booked this slot")
    if previous is None:
        previous = Appointment(slot_id=slot_id, applicant_subject=subject)
        session.add(previous)
    previous.number = f"YY{slot.day:%y%m%d}{secrets.token_hex(3).upper()}"
    previous.applicant_name, previous.phone = name.strip()[:100], phone.strip()[:20]
    previous.item_code, previous.status = item_code, "booked"
    try:
        session.flush()
    except IntegrityError as error:  # the same person, twice at once
        raise AppointmentError("already_booked", "您已预约该时段", "you have already booked this slot") from error
    return Booking(previous.number, slot.window, slot.day, slot.start, slot.end, "booked", item_code)


def cancel(session: Session, number: str, *, subject: str) -> None:
    appointment = session.scalar(select(Appointment).where(Appointment.number == number,
                                                           Appointment.applicant_subject == subject))
    if appointment is None or appointment.status != "booked":
        raise AppointmentError("not_found", "找不到该预约", "no such appointment")
    appointment.status = "cancelled"
    session.execute(update(AppointmentSlot).where(AppointmentSlot.id == appointment.slot_id,
                                                  AppointmentSlot.booked > 0)
                    .values(booked=AppointmentSlot.booked - 1))


def my_bookings(session: Session, subject: str) -> list[Booking]:
    rows = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot,
                                                                     AppointmentSlot.id == Appointment.slot_id)
                           .where(Appointment.applicant_subject == subject)
                           .order_by(AppointmentSlot.day.desc(), AppointmentSlot.start)).all()
    return [Booking(a.number, s.window, s.day, s.start, s.end, a.status, a.item_code) for a, s in rows]


def beijing_today(now: datetime) -> date:
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo("Asia/Shanghai")).date()
