"""Appointments: slots on working days, capacity per slot, no overbooking when many book at once."""
import threading
from datetime import date, timedelta

import pytest
from portal_support import portal_csrf, sign_in
from sqlalchemy import select
from tests_support import tenant_context

from tongban.platform.calendar.store import build_calendar
from tongban.platform.portal import appointments
from tongban.platform.portal.models import AppointmentSlot

TODAY = date(2026, 3, 2)  # a Monday


def open_one(db, capacity, code="4601", day=TODAY + timedelta(days=1)):
    with db.unit_of_work(tenant_context(db, code)) as s:
        appointments.open_slots(s, window="综合窗口", days=[day], capacity=capacity, times=(("09:00", "10:00"),))
        return s.scalar(select(AppointmentSlot.id))


def book(db, slot_id, subject, code="4601", today=TODAY):
    with db.unit_of_work(tenant_context(db, code)) as s:
        return appointments.book(s, slot_id, subject=subject, name="王小明", phone="13800000001", item_code=None,
                                 today=today)


def test_slots_open_on_working_days_only(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        days = appointments.working_days(build_calendar(s), date(2026, 9, 30), 3)
        assert all(build_calendar(s).is_working_day(d) for d in days)
    assert days[0] == date(2026, 9, 30) and days[1] > date(2026, 10, 7) and len(days) == 3  # 国庆 holiday skipped


def test_no_overbooking_when_twenty_people_race_for_three_places(db):
    slot_id = open_one(db, capacity=3)
    outcomes, lock = [], threading.Lock()

    def attempt(n):
        try:
            book(db, slot_id, f"person:{n}")
            result = "booked"
        except appointments.AppointmentError as refused:
            result = refused.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("booked") == 3 and outcomes.count("full") == 17
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert s.get(AppointmentSlot, slot_id).booked == 3


def test_one_booking_per_person_and_slot_and_cancelling_frees_the_place(db):
    slot_id = open_one(db, capacity=1)
    first = book(db, slot_id, "person:1")
    with pytest.raises(appointments.AppointmentError) as twice:
        book(db, slot_id, "person:1")
    assert twice.value.code in ("already_booked", "full")
    with pytest.raises(appointments.AppointmentError) as full:
        book(db, slot_id, "person:2")
    assert full.value.code == "full"
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        appointments.cancel(s, first.number, subject="person:1")
    assert book(db, slot_id, "person:2").status == "booked"


def test_past_slots_and_other_tenants_slots_cannot_be_booked(db):
    slot_id = open_one(db, capacity=2)
    with pytest.raises(appointments.AppointmentError) as past:
        book(db, slot_id, "person:1", today=TODAY + timedelta(days=5))
    assert past.value.code == "no_slot"
    with pytest.raises(appointments.AppointmentError) as elsewhere:
        book(db, slot_id, "person:1", code="4602")
    assert elsewhere.value.code == "no_slot"


def test_booking_on_the_portal(web, db, seeded):
    from tongban.platform.db import utcnow

    tomorrow = appointments.beijing_today(utcnow()) + timedelta(days=1)
    slot_id = open_one(db, capacity=1, day=tomorrow)
    anonymous = web.get("/appointments")
    assert "综合窗口" in anonymous.text and "登录后预约" in anonymous.text
    sign_in(web, next_path="/appointments")
    page = web.get("/appointments")
    booked = web.post("/appointments", data={"csrf_token": portal_csrf(page), "slot": slot_id, "name": "王小明",
                                             "phone": "13800000001"})
    assert booked.status_code == 200 and "预约成功" in booked.text and "我的预约" in booked.text
    again = web.post("/appointments", data={"csrf_token": portal_csrf(page), "slot": slot_id, "name": "王小明",
                                            "phone": "13800000001"})
    assert again.status_code == 409 and "已约满" in again.text
