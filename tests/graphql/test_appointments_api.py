"""预约办理 over the API, as a WeChat mini-program uses it: a tenant's open slots (anyone; only that tenant's), a
booking that shows in 我的预约 and on the portal, the service hall's limits refused at their fields with nothing
changed, and cancelling — the booker's own booking only, and only before its slot begins."""
from datetime import datetime, timedelta

import pytest
from graphql_support import citizen_token, data_of, mint_token, post, staff_token
from sqlalchemy import func, select
from tests_support import tenant_context

from tongban.platform.calendar.store import build_calendar
from tongban.platform.db import utcnow
from tongban.platform.notify.outbox import OutboxMessage
from tongban.platform.portal import appointment_desk as desk
from tongban.platform.portal import appointment_windows as windows
from tongban.platform.portal import appointments
from tongban.platform.portal.appointments import BEIJING
from tongban.platform.portal.models import Appointment, AppointmentSlot

SCOPE = "openid cases:read cases:write catalog:read"
SLOTS = """query($t: String, $item: String) { appointmentSlots(tenant: $t, itemCode: $item) { day placesLeft
  windows { name address slots { id start end placesLeft } } } }"""
MINE = """query { myAppointments(first: 10) { totalCount nodes { number status statusZh mayCancel day start window
  address itemCode tenant { code } } } }"""
BOOK = """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
  appointment { number status statusZh day start end window address name phone itemCode tenant { code } }
  errors { field code messageZh messageEn } } }"""
CANCEL = """mutation($number: String!) { cancelAppointment(input: {number: $number}) {
  appointment { number status mayCancel address } errors { field code messageZh messageEn } } }"""
TWO = [["09:00", "10:00"], ["10:00", "11:00"]]


def set_up(db, *, code="4601", name="综合窗口", times=TWO, capacity=2, horizon=5, items=("PROMISED",), now=None):
    with db.unit_of_work(tenant_context(db, code)) as s:
        settings = windows.WindowSettings(name, "长滨路1号" if code == "4601" else "迎宾路8号", list(items), times,
                                          capacity, horizon, True)
        windows.save(s, code, settings, window_id=None, expected_revision=None, actor="admin",
                     calendar=build_calendar(s), now=now or utcnow())


def slots_by_day(db, code="4601") -> dict:
    with db.unit_of_work(tenant_context(db, code)) as s:
        rows = s.scalars(select(AppointmentSlot).where(AppointmentSlot.day > utcnow().astimezone(BEIJING).date())
                         .order_by(AppointmentSlot.day, AppointmentSlot.start))
        found = {}
        for slot in rows:
            found.setdefault(slot.day, []).append(slot.id)
        return found


def booked_count(db, slot_id: int, code="4601") -> int:
    with db.unit_of_work(tenant_context(db, code)) as s:
        return s.get(AppointmentSlot, slot_id).booked


def appointment_count(db) -> int:
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.system("test: count bookings")) as s:
        return s.scalar(select(func.count()).select_from(Appointment))


def book(api, token, slot_id, **typed):
    values = {"slotId": str(slot_id), "name": "王小明", "phone": "13800000001", "tenant": "4601"} | typed
    return data_of(post(api, BOOK, {"input": values}, token=token))["bookAppointment"]


def fields_of(payload) -> list[tuple]:
    return sorted((e["field"] or "", e["code"]) for e in payload["errors"])


def test_anyone_sees_a_tenants_open_slots_by_day_and_window_and_no_other_tenants(api, db, published):
    set_up(db)
    set_up(db, code="4602", name="三亚窗口")
    days = data_of(post(api, SLOTS, {"t": "4601", "item": "PROMISED"}))["appointmentSlots"]
    assert len(days) == 5 and all(d["placesLeft"] == 4 for d in days)
    assert [(w["name"], w["address"]) for w in days[0]["windows"]] == [("综合窗口", "长滨路1号")]
    assert [(s["start"], s["end"], s["placesLeft"]) for s in days[0]["windows"][0]["slots"]] == [
        ("09:00", "10:00", 2), ("10:00", "11:00", 2)]
    assert {s["id"] for d in days for w in d["windows"] for s in w["slots"]} == {
        str(i) for ids in slots_by_day(db).values() for i in ids}  # 三亚's slots are not among them
    assert data_of(post(api, SLOTS, {"t": "4601", "item": "NOW"}))["appointmentSlots"] == []  # not served there
    unknown = post(api, SLOTS, {"t": "4601", "item": "NOPE"}).json()
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert unknown["errors"][0]["extensions"]["field"] == "itemCode"


def test_a_booking_through_the_api_is_in_my_appointments_and_on_the_portal(api, app, identity, db, published):
    from portal_support import sign_in
    from starlette.testclient import TestClient

    set_up(db)
    first_day = min(slots_by_day(db))
    slot_id = slots_by_day(db)[first_day][0]
    token = citizen_token(identity, scope=SCOPE)
    booked = book(api, token, slot_id, itemCode="PROMISED")
    assert booked["errors"] == []
    appointment = booked["appointment"]
    assert (appointment["status"], appointment["statusZh"], appointment["day"], appointment["start"]) == (
        "BOOKED", "待办理", first_day.isoformat(), "09:00")
    assert (appointment["address"], appointment["itemCode"], appointment["tenant"]["code"]) == (
        "长滨路1号", "PROMISED", "4601")
    assert appointment["number"].startswith("YY") and booked_count(db, slot_id) == 1
    day = next(d for d in data_of(post(api, SLOTS, {"t": "4601"}))["appointmentSlots"] if d["day"] == first_day.isoformat())
    assert day["windows"][0]["slots"][0]["placesLeft"] == 1
    mine = data_of(post(api, MINE, token=token))["myAppointments"]
    assert mine["totalCount"] == 1 and mine["nodes"][0]["number"] == appointment["number"]
    assert mine["nodes"][0]["mayCancel"] and mine["nodes"][0]["tenant"]["code"] == "4601"
    assert data_of(post(api, MINE, token=mint_token(identity, subject="someone-else", scope=SCOPE)))[
        "myAppointments"]["totalCount"] == 0
    with db.unit_of_work(tenant_context(db, "4601")) as s:  # the SMS goes through the outbox, as from the portal
        texts = [m.reference["appointment"] for m in s.scalars(select(OutboxMessage).where(
            OutboxMessage.topic == "appointment_booked"))]
    assert texts == [appointment["number"]]
    with TestClient(app, base_url="http://haikou.localhost") as web:
        sign_in(web, next_path="/appointments")
        page = web.get("/appointments")
    assert page.status_code == 200 and appointment["number"] in page.text


def test_the_halls_limits_are_refused_at_their_fields_and_change_nothing(api, identity, db, published):
    set_up(db)
    by_day = slots_by_day(db)
    days = sorted(by_day)
    assert len(days) >= 4
    token = citizen_token(identity, scope=SCOPE)
    typed = book(api, token, "not-a-slot", name=" ", phone="123<", itemCode="NOPE")
    assert fields_of(typed) == [("itemCode", "invalid"), ("name", "invalid"), ("phone", "invalid"),
                                ("slotId", "invalid")]
    assert typed["appointment"] is None and all(e["messageZh"] and e["messageEn"] for e in typed["errors"])
    assert appointment_count(db) == 0
    assert book(api, token, by_day[days[0]][0])["errors"] == []
    same_day = book(api, token, by_day[days[0]][1])
    assert fields_of(same_day) == [("slotId", "same_day")] and "当天已有预约" in same_day["errors"][0]["messageZh"]
    assert booked_count(db, by_day[days[0]][1]) == 0
    assert book(api, token, by_day[days[1]][0])["errors"] == []
    assert book(api, token, by_day[days[2]][0])["errors"] == []
    too_many = book(api, token, by_day[days[3]][0])
    assert fields_of(too_many) == [("", "too_many")] and too_many["errors"][0]["messageEn"]
    assert booked_count(db, by_day[days[3]][0]) == 0 and appointment_count(db) == 3
    staff = book(api, staff_token(identity, ("window_clerk", "4601", False), scope=SCOPE), by_day[days[3]][0])
    assert fields_of(staff) == [("", "applicants_only")]


def test_online_booking_pauses_after_three_absences(api, identity, db, published):
    from graphql_support import account_subject

    now = utcnow()
    set_up(db, times=[["09:00", "10:00"]], horizon=3, now=now - timedelta(days=10))
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        windows.open_ahead(s, build_calendar(s), now)
        past = list(s.scalars(select(AppointmentSlot).where(AppointmentSlot.day <= now.astimezone(BEIJING).date())
                              .order_by(AppointmentSlot.day)))[:3]
    subject = account_subject(identity, "citizen")
    for slot in past:
        before = datetime.combine(slot.day, datetime.min.time(), BEIJING)
        with db.unit_of_work(tenant_context(db, "4601")) as s:
            number = appointments.book(s, slot.id, subject=subject, name="王小明", phone="13800000001", item_code=None,
                                       now=before).number
        with db.unit_of_work(tenant_context(db, "4601")) as s:
            desk.mark_absent(s, number, actor="clerk", now=before + timedelta(hours=12))
    future = slots_by_day(db)[min(slots_by_day(db))][0]
    paused = book(api, citizen_token(identity, scope=SCOPE), future)
    assert fields_of(paused) == [("", "paused")] and "窗口" in paused["errors"][0]["messageZh"]
    assert booked_count(db, future) == 0


def test_only_the_booker_cancels_and_only_before_the_slot_begins(api, identity, db, published, monkeypatch):
    from tongban.graphql.appointments import mutations

    set_up(db)
    first_day = min(slots_by_day(db))
    slot_id = slots_by_day(db)[first_day][0]
    token = citizen_token(identity, scope=SCOPE)
    number = book(api, token, slot_id)["appointment"]["number"]
    stranger = data_of(post(api, CANCEL, {"number": number},
                            token=mint_token(identity, subject="someone-else", scope=SCOPE)))["cancelAppointment"]
    assert stranger == {"appointment": None, "errors": [{"field": "number", "code": "not_found",
                                                         "messageZh": "找不到预约", "messageEn": "no such appointment"}]}
    begun = datetime.combine(first_day, datetime.min.time(), BEIJING) + timedelta(hours=9, minutes=5)
    monkeypatch.setattr(mutations, "utcnow", lambda: begun)
    late = data_of(post(api, CANCEL, {"number": number}, token=token))["cancelAppointment"]
    assert fields_of(late) == [("", "started")] and late["errors"][0]["messageZh"] == "预约时段已开始或已过，不能取消"
    assert booked_count(db, slot_id) == 1
    monkeypatch.undo()
    done = data_of(post(api, CANCEL, {"number": number}, token=token))["cancelAppointment"]
    assert done["errors"] == [] and done["appointment"] == {"number": number, "status": "CANCELLED",
                                                             "mayCancel": False, "address": "长滨路1号"}
    assert booked_count(db, slot_id) == 0
    again = data_of(post(api, CANCEL, {"number": number}, token=token))["cancelAppointment"]
    assert fields_of(again) == [("", "not_booked")]
    mine = data_of(post(api, MINE, token=token))["myAppointments"]["nodes"]
    assert [(n["number"], n["status"], n["mayCancel"]) for n in mine] == [(number, "CANCELLED", False)]


@pytest.mark.parametrize("query", [MINE, CANCEL])
def test_bookings_need_a_persons_token(api, identity, query):
    anonymous = post(api, query, {"number": "YY1"}).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    client = mint_token(identity, scope=SCOPE, user_type=None)
    assert post(api, query, {"number": "YY1"}, token=client).json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_lists_cost_the_same_statements_whatever_their_length(api, identity, db, published):
    from graphql_support import statements

    set_up(db, horizon=1)
    token = citizen_token(identity, scope=SCOPE)
    by_day = slots_by_day(db)
    data_of(post(api, SLOTS, {"t": "4601"}))  # the worker's first request loads the tenant directory and catalogue

    def count(query, variables=None, token=None):
        with statements(db.engine) as seen:
            data_of(post(api, query, variables, token=token))
        return len(seen)

    book(api, token, by_day[min(by_day)][0])
    one_window, one_booking = count(SLOTS, {"t": "4601"}), count(MINE, token=token)
    set_up(db, name="二号窗口", horizon=3)
    later = sorted(slots_by_day(db).items())
    book(api, token, later[1][1][0])
    book(api, token, later[2][1][0])
    assert count(SLOTS, {"t": "4601"}) == one_window
    assert count(MINE, token=token) == one_booking
    assert data_of(post(api, MINE, token=token))["myAppointments"]["totalCount"] == 3
