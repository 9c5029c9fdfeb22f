"""Appointments at a service window (预约办理): an applicant books a place in a window's time slot, sees it, cancels
it before it starts; the window checks people in or marks them absent (``appointment_desk``).

A booking moves the slot's counter with one guarded statement (``booked = booked + 1 WHERE booked < capacity``):
two people racing for the last place cannot both get it, on SQLite (writes serialise) or on PostgreSQL (the
second update waits for the first and re-checks the condition). The rules a service hall keeps:

- a slot can be booked until it starts, at a window that is open and serves the item;
- one active booking per person per slot (a partial unique index), one per day, at most ``ACTIVE_MAX`` not yet
  due — a person cannot hold a whole day's places;
- after ``NO_SHOW_LIMIT`` absences within ``NO_SHOW_WINDOW`` days, online booking pauses for ``NO_SHOW_PAUSE`` days
  after the last one (爽约限制);
- a cancellation gives the place back and stays on file, as does every booking after its day.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tongban.platform.portal.models import Appointment, AppointmentSlot, AppointmentWindow

BEIJING = ZoneInfo("Asia/Shanghai")
ACTIVE_MAX = 3
NO_SHOW_LIMIT, NO_SHOW_WINDOW, NO_SHOW_PAUSE = 3, 180, 30
NAME_MAX = 50
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
SLOT_ID_MAX = 2**31 - 1
STATUS_LABELS = {"booked": ("待办理", "Booked"), "cancelled": ("已取消", "Cancelled"),
                 "attended": ("已到场办理", "Attended"), "no_show": ("未到场（爽约）", "Did not come"),
                 "expired": ("已过时段，待窗口确认", "Past, awaiting the window")}
CLOSED_LABEL = ("已取消（当日临时闭厅）", "Cancelled: the hall closed that day")
CLOSED_BY = "closure:"  # handled_by of a booking a closure cancelled


class AppointmentError(ValueError):
    """A refusal of the whole request, with the field it concerns (or ``""``)."""

    def __init__(self, code: str, zh: str, en: str, field: str = ""):
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {en}")


class AppointmentInvalid(ValueError):
    """What was typed does not do: each problem at its field (``slot``, ``name``, ``phone``, ``item``)."""

    def __init__(self, problems: dict[str, tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {en}" for k, (_, en) in problems.items()))


@dataclass(frozen=True)
class Booking:
    number: str
    window: str
    address: str
    day: date
    start: str
    end: str
    status: str  # booked | cancelled | attended | no_show, or expired (booked, its time gone by)
    item_code: str | None
    name: str = ""
    phone: str = ""
    tenant: str = ""  # the tenant whose window it is
    closed: bool = False  # cancelled because the hall closed that day (临时闭厅), not by the applicant

    @property
    def may_cancel(self) -> bool:
        return self.status == "booked"

    @property
    def label(self) -> tuple[str, str]:
        if self.status == "cancelled" and self.closed:
            return CLOSED_LABEL
        return STATUS_LABELS[self.status]


def beijing_now(now: datetime) -> datetime:
    return now.astimezone(BEIJING)


def beijing_today(now: datetime) -> date:
    return beijing_now(now).date()


def starts_at(day: date, start: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(start), BEIJING)


def _not_started(now: datetime):
    """The SQL condition of a slot that has not started at ``now`` (the day after today, or today later on)."""
    local = beijing_now(now)
    today, clock = local.date(), local.strftime("%H:%M")
    return or_(AppointmentSlot.day > today, (AppointmentSlot.day == today) & (AppointmentSlot.start > clock))


def check_contact(name: str, phone: str) -> tuple[str, str, dict[str, tuple[str, str]]]:
    """The name and phone as kept, and the problems with them."""
    name, phone = " ".join(str(name or "").split()), re.sub(r"[\s()（）]", "", str(phone or ""))
    problems = {}
    if not name:
        problems["name"] = ("请填写预约人姓名", "Enter the name of the person who will come")
    elif len(name) > NAME_MAX or re.search(r"[<>\"{}\\]", name):
        problems["name"] = (f"姓名不能超过 {NAME_MAX} 个字，且不能含有 < > \" {{ }} \\ 等符号",
                            f"The name must be at most {NAME_MAX} characters, without < > \" {{ }} \\")
    if not phone:
        problems["phone"] = ("请填写联系电话", "Enter a phone number")
    elif not (MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone)):
        problems["phone"] = ("请填写 11 位手机号码或带区号的固定电话（如 0898-68720000）",
                             "Enter an 11-digit mobile number or a landline with its area code (0898-68720000)")
    return name, phone, problems


def slot_id(value) -> int | None:
    """A slot id as posted, or None when it is not one."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= SLOT_ID_MAX:
        return None
    return int(text)


def windows_for(session: Session, item_code: str | None) -> list[AppointmentWindow]:
    """The open windows that take bookings for ``item_code`` (for any item when None)."""
    rows = session.scalars(select(AppointmentWindow).where(AppointmentWindow.open.is_(True))
                           .order_by(AppointmentWindow.name))
    return [w for w in rows if not item_code or not w.items or item_code in w.items]


def available(session: Session, now: datetime, item_code: str | None = None) -> list[dict]:
    """Slots not yet started at the open windows that serve the item, by day and window, with the places left."""
    windows = {w.name: w for w in windows_for(session, item_code)}
    if not windows:
        return []
    horizon = max(w.horizon_days for w in windows.values())
    today = beijing_today(now)
    rows = session.scalars(select(AppointmentSlot).where(
        _not_started(now), AppointmentSlot.window.in_(windows), AppointmentSlot.capacity > 0,  # 0: a closed day
        AppointmentSlot.day <= today + timedelta(days=horizon * 3 + 14))
        .order_by(AppointmentSlot.day, AppointmentSlot.window, AppointmentSlot.start))
    days: dict[date, dict[str, dict]] = {}
    for slot in rows:
        window = windows[slot.window]
        entry = days.setdefault(slot.day, {}).setdefault(
            slot.window, {"name": slot.window, "address": window.address, "slots": []})
        entry["slots"].append({"id": slot.id, "start": slot.start, "end": slot.end,
                               "left": max(slot.capacity - slot.booked, 0)})
    return [{"day": day, "windows": list(by_window.values()),
             "left": sum(s["left"] for w in by_window.values() for s in w["slots"])}
            for day, by_window in days.items()]


def book(session: Session, posted_slot, *, subject: str, name: str, phone: str, item_code: str | None,
         now: datetime, known_items=None) -> Booking:
    """Take one place in the slot for ``subject``. Problems with what was typed come first, all at once
    (``AppointmentInvalid``); then the guarded update, so the transaction starts by writing (SQLite queues
    concurrent bookings instead of failing them); any refusal after it rolls it back."""
    name, phone, problems = check_contact(name, phone)
    chosen = slot_id(posted_slot)
    if chosen is None:
        problems["slot"] = ("请选择预约时段", "Choose a time slot")
    if item_code and known_items is not None and item_code not in known_items:
        problems["item"] = ("本地区没有这个事项，请从事项指南进入预约", "There is no such item here: book from its guide")
    if problems:
        raise AppointmentInvalid(problems)
    _check_person(session, subject, now)
    taken = session.execute(update(AppointmentSlot)
                            .where(AppointmentSlot.id == chosen, _not_started(now),
                                   AppointmentSlot.booked < AppointmentSlot.capacity)
                            .values(booked=AppointmentSlot.booked + 1))
    slot = session.get(AppointmentSlot, chosen)
    window = slot and next((w for w in windows_for(session, item_code) if w.name == slot.window), None)
    if slot is None or window is None or starts_at(slot.day, slot.start) <= now:
        raise AppointmentError("no_slot", "该时段不可预约，请另选时段", "This slot cannot be booked: choose another",
                               "slot")
    if taken.rowcount != 1:
        raise AppointmentError("full", "该时段已约满，请选择其他时段", "This slot is full: choose another", "slot")
    _check_day(session, subject, slot)
    appointment = Appointment(slot_id=slot.id, applicant_subject=subject, applicant_name=name, phone=phone,
                              item_code=item_code, status="booked", created_at=now,
                              number=f"YY{slot.day:%y%m%d}{secrets.token_hex(3).upper()}")
    session.add(appointment)
    try:
        session.flush()
    except IntegrityError as error:  # the same person, twice at once
        raise AppointmentError("already_booked", "您已预约该时段", "You have already booked this slot", "slot") from error
    booking = _booking(appointment, slot, window.address, now)
    text_applicant(session, slot.tenant_id, phone, "appointment_booked",
                   f"您已预约{slot.day:%m月%d日} {slot.start}-{slot.end} {slot.window}，预约号 {booking.number}。"
                   f"请携带身份证件和材料按时到场；不能前往请提前取消。", booking.number)
    return booking


def _check_person(session: Session, subject: str, now: datetime) -> None:
    """Too many bookings not yet due, or online booking paused after repeated absences."""
    active = session.scalar(select(func.count()).select_from(Appointment).join(AppointmentSlot)
                            .where(Appointment.applicant_subject == subject, Appointment.status == "booked",
                                   _not_started(now)))
    if active >= ACTIVE_MAX:
        raise AppointmentError("too_many", f"您已有 {active} 个未到的预约，请办理或取消后再预约",
                               f"You already hold {active} upcoming bookings: attend or cancel one first")
    today = beijing_today(now)
    absences = list(session.scalars(
        select(AppointmentSlot.day).join(Appointment)
        .where(Appointment.applicant_subject == subject, Appointment.status == "no_show",
               AppointmentSlot.day >= today - timedelta(days=NO_SHOW_WINDOW))
        .order_by(AppointmentSlot.day.desc())))
    if len(absences) >= NO_SHOW_LIMIT and absences[0] + timedelta(days=NO_SHOW_PAUSE) >= today:
        until = absences[0] + timedelta(days=NO_SHOW_PAUSE + 1)
        raise AppointmentError(
            "paused", f"您近 {NO_SHOW_WINDOW} 天内有 {len(absences)} 次预约未到场，{until:%Y年%m月%d日}起可再网上预约；"
                      f"现在仍可直接到窗口办理",
            f"You missed {len(absences)} bookings in {NO_SHOW_WINDOW} days: online booking opens again on "
            f"{until:%Y-%m-%d}; you can still come to a window")


def _check_day(session: Session, subject: str, slot: AppointmentSlot) -> None:
    other = session.scalar(select(Appointment.number).join(AppointmentSlot)
                           .where(Appointment.applicant_subject == subject, Appointment.status == "booked",
                                  AppointmentSlot.day == slot.day, AppointmentSlot.id != slot.id))
    if other is not None:
        raise AppointmentError("same_day", f"您当天已有预约（{other}），如需改约请先取消",
                               f"You already have a booking that day ({other}): cancel it to book another", "slot")


def cancel(session: Session, number: str, *, subject: str, now: datetime) -> Booking:
    """The applicant cancels a booking that has not started: the place goes back, the booking stays on file."""
    found = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot)
                            .where(Appointment.number == number, Appointment.applicant_subject == subject)
                            .with_for_update()).first()
    if found is None:
        raise AppointmentError("not_found", "找不到该预约", "No such booking")
    appointment, slot = found
    if appointment.status != "booked":
        raise AppointmentError("not_booked", f"该预约{STATUS_LABELS[appointment.status][0]}，不能再取消",
                               f"This booking is {STATUS_LABELS[appointment.status][1].lower()}: it cannot be cancelled")
    if starts_at(slot.day, slot.start) <= now:
        raise AppointmentError("started", "预约时段已开始或已过，不能取消", "The slot has begun or passed: it cannot be cancelled")
    appointment.status, appointment.handled_at, appointment.handled_by = "cancelled", now, subject
    session.execute(update(AppointmentSlot).where(AppointmentSlot.id == slot.id, AppointmentSlot.booked > 0)
                    .values(booked=AppointmentSlot.booked - 1))
    text_applicant(session, slot.tenant_id, appointment.phone, "appointment_cancelled",
                   f"您{slot.day:%m月%d日} {slot.start} {slot.window}的预约（{appointment.number}）已取消。",
                   appointment.number)
    return _booking(appointment, slot, "", now)


def text_applicant(session: Session, tenant_id: str, phone: str, topic: str, body: str, number: str) -> bool:
    """An SMS to a mobile number, sent once the transaction commits (the outbox); a landline gets none (False)."""
    from tongban.platform.notify import outbox

    if not MOBILE.fullmatch(phone or ""):
        return False
    outbox.add(session, tenant_id=tenant_id, channel="sms", recipient=phone, body=body, topic=topic,
               reference={"appointment": number})
    return True


def bookings_everywhere(database, subject: str, now: datetime) -> list[Booking]:
    """The person's bookings at every tenant's windows (one list, as 我的办件), read in a scope filtered by them: the
    portal's 我的预约 and the API's myAppointments."""
    from tongban.tenants.isolation import TenantContext

    with database.unit_of_work(TenantContext.system("applicant reads own bookings")) as session:
        return my_bookings(session, subject, now)


def my_bookings(session: Session, subject: str, now: datetime) -> list[Booking]:
    """The applicant's bookings the unit of work sees — here, or everywhere in a scope filtered by the subject, as
    "my cases" are read: those to come first (soonest first), then the rest (latest first)."""
    addresses = {(t, n): a for t, n, a in session.execute(
        select(AppointmentWindow.tenant_id, AppointmentWindow.name, AppointmentWindow.address))}
    rows = session.execute(select(Appointment, AppointmentSlot).join(AppointmentSlot)
                           .where(Appointment.applicant_subject == subject)
                           .order_by(AppointmentSlot.day, AppointmentSlot.start)).all()
    bookings = [_booking(a, s, addresses.get((s.tenant_id, s.window), ""), now) for a, s in rows]
    upcoming = [b for b in bookings if b.status == "booked"]
    return upcoming + [b for b in reversed(bookings) if b.status != "booked"]


def _booking(appointment: Appointment, slot: AppointmentSlot, address: str, now: datetime) -> Booking:
    status = appointment.status
    if status == "booked" and starts_at(slot.day, slot.start) <= now:
        status = "expired"
    return Booking(appointment.number, slot.window, address, slot.day, slot.start, slot.end, status,
                   appointment.item_code, appointment.applicant_name, appointment.phone, slot.tenant_id,
                   closed=(appointment.handled_by or "").startswith(CLOSED_BY))
