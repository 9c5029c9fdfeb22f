"""A text the day before: every booking still on for tomorrow is reminded once, in the daytime.

The worker asks hourly (``tasks.remind_appointments``), so a missed hour is caught up by the next one; a booking
is reminded once (``reminded_at``, set in the same transaction as its message goes to the outbox). No text goes
out at night (before ``FROM`` or from ``UNTIL`` Beijing time), and none for a booking made today: its booking text
is a few hours old. A landline gets none (``appointments.text_applicant``).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.portal.appointments import BEIJING, beijing_now, beijing_today, text_applicant
from tongban.platform.portal.models import Appointment, AppointmentSlot, AppointmentWindow

FROM, UNTIL = time(9), time(20)
WEEKDAYS = "一二三四五六日"


def remind(session: Session, now: datetime) -> int:
    """Remind tomorrow's bookings not yet reminded (in the daytime only); how many (a landline's is marked, not
    texted)."""
    if not FROM <= beijing_now(now).time() < UNTIL:
        return 0
    today = beijing_today(now)
    start_of_today = datetime.combine(today, time(0), BEIJING)
    rows = session.execute(
        select(Appointment, AppointmentSlot, AppointmentWindow.address)
        .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
        .outerjoin(AppointmentWindow, (AppointmentWindow.tenant_id == AppointmentSlot.tenant_id)
                   & (AppointmentWindow.name == AppointmentSlot.window))
        .where(Appointment.status == "booked", Appointment.reminded_at.is_(None),
               AppointmentSlot.day == today + timedelta(days=1), Appointment.created_at < start_of_today)
        .order_by(Appointment.id)
        .with_for_update(of=Appointment, skip_locked=True)).all()
    for appointment, slot, address in rows:
        appointment.reminded_at = now
        place = f"{slot.window}（{address}）" if address else slot.window
        when = f"{slot.day:%m月%d日} 周{WEEKDAYS[slot.day.weekday()]}"
        body = (f"提醒：您预约了明天（{when}）{slot.start}-{slot.end} 在{place}办理，预约号 {appointment.number}。"
                "请携带身份证件和材料按时到场；不能前往请登录取消。")
        text_applicant(session, slot.tenant_id, appointment.phone, "appointment_reminder", body, appointment.number)
    return len(rows)
