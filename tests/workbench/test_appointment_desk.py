"""预约签到 at the window, through the workbench as a clerk uses it: the day's bookings, finding one by its number,
checking someone in (only on their day), a forged form changing nothing."""
from datetime import datetime, time

from sqlalchemy import select
from tests_support import tenant_context
from workbench_support import csrf_in, sign_in

from tongban.platform.calendar.store import build_calendar
from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_windows as windows
from tongban.platform.portal import appointments
from tongban.platform.portal.appointments import BEIJING, beijing_today
from tongban.platform.portal.models import AppointmentSlot

SITE = "http://haikou.localhost"


def _booked_today(db):
    """A booking for late today at 海口's window and one for its next working day, both made early this morning:
    (today's number, the later booking)."""
    today = beijing_today(utcnow())
    morning = datetime.combine(today, time(0, 0), BEIJING)
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        settings = windows.WindowSettings("综合窗口", "长滨路1号", [], [["23:58", "23:59"]], 2, 1, True)
        windows.save(s, "4601", settings, window_id=None, expected_revision=None, actor="admin",
                     calendar=build_calendar(s), now=morning)
        s.add(AppointmentSlot(tenant_id="4601", window="综合窗口", day=today, start="23:58", end="23:59", capacity=2,
                              booked=0))
        s.flush()
        slot = s.scalar(select(AppointmentSlot.id).where(AppointmentSlot.day == today))
        booking = appointments.book(s, slot, subject="person:1", name="王小明", phone="13800000001", item_code=None,
                                    now=morning)
        tomorrow = s.scalar(select(AppointmentSlot.id).where(AppointmentSlot.day > today).order_by(AppointmentSlot.day))
        later = appointments.book(s, tomorrow, subject="person:2", name="李四", phone="13800000002", item_code=None,
                                  now=morning)
    return booking.number, later


def test_the_clerk_finds_todays_booking_and_checks_the_person_in(web, db, clock):
    number, later = _booked_today(db)
    page = sign_in(web, "haikou.clerk", clock, site=SITE, path="/workbench/appointments")
    assert page.status_code == 200 and number in page.text and "王小明" in page.text and "（今天）" in page.text
    assert "签到" in page.text and later.number not in page.text  # tomorrow's is on tomorrow's list
    found = web.get(f"{SITE}/workbench/appointments", params={"number": later.number.lower()})
    assert later.number in found.text and "李四" in found.text
    forged = web.post(f"{SITE}/workbench/appointments/{number}/check_in", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    early = web.post(f"{SITE}/workbench/appointments/{later.number}/check_in", data={"csrf_token": csrf_in(page.text)})
    assert early.status_code == 409 and "只能在当天签到" in early.text
    done = web.post(f"{SITE}/workbench/appointments/{number}/check_in", data={"csrf_token": csrf_in(page.text)})
    assert done.status_code == 200 and "已签到" in done.text and "已到场办理" in done.text
    assert f"/appointments/{number}/check_in" not in done.text  # nothing left to do for it


def test_a_staff_member_who_does_not_take_applications_is_refused(web, db, clock):
    page = sign_in(web, "haikou.civil", clock, site=SITE, path="/workbench/appointments")
    assert page.status_code == 403
