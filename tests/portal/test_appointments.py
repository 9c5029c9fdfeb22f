"""Appointments (预约办理): windows set up by the tenant's administrator open slots on working days only (never on a day
of a year the calendar has no data for); no overbooking when many book at once; the rules a service hall keeps
(one booking a day, a few at a time, a pause after repeated absences); cancelling before the slot keeps the booking
on file; every problem with what was typed at its field."""
import threading
from datetime import date, datetime, timedelta

import pytest
from portal_support import portal_csrf, sign_in
from sqlalchemy import func, select
from tests_support import tenant_context

from tongban.platform.calendar.store import build_calendar
from tongban.platform.notify.outbox import OutboxMessage
from tongban.platform.portal import appointment_desk as desk
from tongban.platform.portal import appointment_windows as windows
from tongban.platform.portal import appointments
from tongban.platform.portal.appointment_reminders import remind
from tongban.platform.portal.appointments import BEIJING
from tongban.platform.portal.models import Appointment, AppointmentSlot

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=BEIJING)  # a Monday morning
ONE = [["09:00", "10:00"]]


def at(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), BEIJING)


def set_up(db, *, capacity=3, times=ONE, horizon=3, code="4601", name="综合窗口", items=(), now=NOW, window_id=None,
           revision=None):
    with db.unit_of_work(tenant_context(db, code)) as s:
        settings = windows.WindowSettings(name, "长滨路1号", list(items), times, capacity, horizon, True)
        window, opened = windows.save(s, code, settings, window_id=window_id, expected_revision=revision,
                                      actor="admin", calendar=build_calendar(s), now=now)
        return window.id, window.revision, opened


def slots(db, code="4601"):
    with db.unit_of_work(tenant_context(db, code)) as s:
        return [(x.id, x.day, x.start, x.capacity, x.booked)
                for x in s.scalars(select(AppointmentSlot).order_by(AppointmentSlot.day, AppointmentSlot.start))]


def book(db, slot_id, subject, code="4601", now=NOW, **typed):
    fields = {"name": "王小明", "phone": "13800000001", "item_code": None} | typed
    with db.unit_of_work(tenant_context(db, code)) as s:
        return appointments.book(s, slot_id, subject=subject, now=now, **fields)


def test_slots_open_on_the_next_working_days_only(db):
    *_, opened = set_up(db, horizon=4, now=at(date(2026, 9, 29), "10:00"))  # 国庆: 10-01 … 10-07 closed
    days = [d for _, d, *_ in slots(db)]
    assert days == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]  # a make-up Saturday
    assert opened.created == 4 and not opened.unverified_years


def test_no_slot_opens_on_a_day_the_calendar_has_no_data_for(db):
    *_, opened = set_up(db, horizon=5, now=at(date(2026, 12, 28), "10:00"))
    days = [d for _, d, *_ in slots(db)]
    assert days == [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]  # not 元旦 2027 as a weekday
    assert opened.unverified_years == {2027}


def test_no_overbooking_when_twenty_people_race_for_three_places(db):
    set_up(db, capacity=3, horizon=1)
    ((slot_id, *_),) = slots(db)
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
    assert slots(db)[0][4] == 3


def test_cancelling_gives_the_place_back_and_the_booking_stays_on_file(db):
    set_up(db, capacity=1, horizon=1)
    ((slot_id, *_),) = slots(db)
    first = book(db, slot_id, "person:1")
    with pytest.raises(appointments.AppointmentError) as full:
        book(db, slot_id, "person:2")
    assert full.value.code == "full"
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        appointments.cancel(s, first.number, subject="person:1", now=NOW)
    again = book(db, slot_id, "person:1")
    assert again.number != first.number
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        mine = appointments.my_bookings(s, "person:1", NOW)
        with pytest.raises(appointments.AppointmentError) as twice:
            appointments.cancel(s, first.number, subject="person:1", now=NOW)
    assert [(b.number, b.status) for b in mine] == [(again.number, "booked"), (first.number, "cancelled")]
    assert twice.value.code == "not_booked"
    with db.unit_of_work(tenant_context(db, "4601")) as s:  # the person is told by SMS, after each commit
        texts = [(m.topic, m.recipient, m.reference["appointment"]) for m in s.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id))]
    assert texts == [("appointment_booked", "13800000001", first.number),
                     ("appointment_cancelled", "13800000001", first.number),
                     ("appointment_booked", "13800000001", again.number)]


def test_a_slot_that_has_begun_cannot_be_booked_or_cancelled_and_other_tenants_slots_not_at_all(db):
    set_up(db, capacity=2, horizon=1)
    ((slot_id, day, *_),) = slots(db)
    mine = book(db, slot_id, "person:1")
    with pytest.raises(appointments.AppointmentError) as late:
        book(db, slot_id, "person:2", now=at(day, "09:01"))
    assert (late.value.code, late.value.field) == ("no_slot", "slot")
    with pytest.raises(appointments.AppointmentError) as elsewhere:
        book(db, slot_id, "person:2", code="4602")
    assert elsewhere.value.code == "no_slot"
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        with pytest.raises(appointments.AppointmentError) as begun:
            appointments.cancel(s, mine.number, subject="person:1", now=at(day, "09:30"))
        (past,) = appointments.my_bookings(s, "person:1", at(day, "11:00"))
    assert begun.value.code == "started" and (past.status, past.may_cancel) == ("expired", False)
    assert slots(db)[0][4] == 1


def test_what_was_typed_is_checked_at_each_field_and_nothing_is_booked(db):
    set_up(db, horizon=1)
    ((slot_id, *_),) = slots(db)
    with pytest.raises(appointments.AppointmentInvalid) as invalid:
        book(db, "99999999999999999999999", "person:1", name=" ", phone="abc<script>", item_code="NOPE",
             known_items={"HN-SCJG-002"})
    assert set(invalid.value.problems) == {"slot", "name", "phone", "item"}
    assert all(zh and en for zh, en in invalid.value.problems.values())
    with pytest.raises(appointments.AppointmentInvalid) as long_name:
        book(db, slot_id, "person:1", name="王" * 51)
    assert set(long_name.value.problems) == {"name"}
    assert book(db, slot_id, "person:1", phone="0898-68720000").phone == "0898-68720000"
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert s.scalar(select(func.count()).select_from(Appointment)) == 1


def test_one_booking_a_day_a_few_at_a_time_and_a_pause_after_repeated_absences(db):
    set_up(db, capacity=5, times=[["09:00", "10:00"], ["10:00", "11:00"]], horizon=5)
    by_day = {}
    for slot_id, day, start, *_ in slots(db):
        by_day.setdefault(day, []).append(slot_id)
    days = sorted(by_day)
    book(db, by_day[days[0]][0], "person:1")
    with pytest.raises(appointments.AppointmentError) as same_day:
        book(db, by_day[days[0]][1], "person:1")
    assert same_day.value.code == "same_day"
    book(db, by_day[days[1]][0], "person:1")
    book(db, by_day[days[2]][0], "person:1")
    with pytest.raises(appointments.AppointmentError) as too_many:
        book(db, by_day[days[3]][0], "person:1")
    assert too_many.value.code == "too_many"
    after = at(days[2], "12:00")  # three slots gone by, nobody came
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        for booking in appointments.my_bookings(s, "person:1", after):
            desk.mark_absent(s, booking.number, actor="clerk", now=after)
    with pytest.raises(appointments.AppointmentError) as paused:
        book(db, by_day[days[3]][0], "person:1", now=after)
    assert paused.value.code == "paused" and "窗口" in paused.value.zh
    assert book(db, by_day[days[3]][0], "person:2", now=after).status == "booked"


def test_the_window_checks_people_in_on_their_day_and_marks_absences_after_the_slot(db):
    set_up(db, horizon=1)
    ((slot_id, day, *_),) = slots(db)
    a = book(db, slot_id, "person:1")
    b = book(db, slot_id, "person:2")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        with pytest.raises(appointments.AppointmentError) as early:
            desk.check_in(s, a.number, actor="clerk", now=NOW)
        with pytest.raises(appointments.AppointmentError) as too_soon:
            desk.mark_absent(s, b.number, actor="clerk", now=at(day, "09:30"))
    assert (early.value.code, too_soon.value.code) == ("not_today", "not_over")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert desk.check_in(s, a.number.lower(), actor="clerk", now=at(day, "09:10")).status == "attended"
        assert desk.mark_absent(s, b.number, actor="clerk", now=at(day, "10:00")).status == "no_show"
        with pytest.raises(appointments.AppointmentError) as twice:
            desk.check_in(s, a.number, actor="clerk", now=at(day, "09:20"))
        listed = desk.day_list(s, day, at(day, "10:00"))
    assert twice.value.code == "handled"
    assert {(x.number, x.status) for x in listed} == {(a.number, "attended"), (b.number, "no_show")}
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        assert desk.find(s, a.number, NOW) is None  # another tenant's window sees nothing


def test_window_settings_are_checked_at_their_fields_and_changes_reach_future_slots(db):
    with pytest.raises(windows.WindowInvalid) as invalid:
        windows.read_settings({"name": "", "times": "09:00-10:00\n09:30-11:00", "capacity": "0",
                               "horizon_days": "99", "items": "HN-SCJG-002 NOPE"}, {"HN-SCJG-002"})
    assert set(invalid.value.problems) == {"name", "times", "capacity", "horizon_days", "items"}
    read = windows.read_settings({"name": " 综合 窗口 ", "times": "9:00-10:00，14:30～15:30", "capacity": "2",
                                  "horizon_days": "2", "open": "1"}, set())
    assert read.name == "综合 窗口" and read.times == [["09:00", "10:00"], ["14:30", "15:30"]]
    window_id, revision, _ = set_up(db, capacity=2, times=[["09:00", "10:00"], ["10:00", "11:00"]], horizon=1)
    (kept, _, _, _, _), (dropped, *_) = slots(db)
    book(db, kept, "person:1")
    set_up(db, capacity=5, times=[["10:00", "11:00"], ["14:30", "15:30"]], horizon=1, window_id=window_id,
           revision=revision)
    assert [(start, capacity, booked) for _, _, start, capacity, booked in slots(db)] == [
        ("09:00", 5, 1), ("10:00", 5, 0), ("14:30", 5, 0)]  # the booked 09:00 stays; new places everywhere
    with pytest.raises(windows.WindowConflict):
        set_up(db, capacity=1, window_id=window_id, revision=revision)  # a stale form


def test_booking_cancelling_and_the_window_on_the_portal(web, db, seeded):
    from tongban.platform.db import utcnow

    anonymous = web.get("/appointments")
    assert "暂未开放网上预约" in anonymous.text
    set_up(db, capacity=1, horizon=2, now=utcnow())
    slot_id = slots(db)[0][0]
    anonymous = web.get("/appointments")
    assert "综合窗口" in anonymous.text and "登录后预约" in anonymous.text
    sign_in(web, next_path="/appointments")
    page = web.get("/appointments")
    wrong = web.post("/appointments", data={"csrf_token": portal_csrf(page), "slot": "9" * 30, "name": "张三",
                                            "phone": "12345"})
    assert wrong.status_code == 422 and 'value="张三"' in wrong.text and 'value="12345"' in wrong.text
    assert wrong.text.count('aria-invalid="true"') == 1 and "请选择预约时段" in wrong.text
    booked = web.post("/appointments", data={"csrf_token": portal_csrf(page), "slot": slot_id, "name": "王小明",
                                             "phone": "13800000001"}, follow_redirects=False)
    assert booked.status_code == 303 and "booked=YY" in booked.headers["location"]
    shown = web.get(booked.headers["location"])
    assert "预约成功" in shown.text and "长滨路1号" in shown.text and "我的预约" in shown.text
    number = shown.text.split("<strong><code>")[1].split("<")[0]
    confirm = web.get(f"/appointments/{number}/cancel")
    assert confirm.status_code == 200 and "确定取消" in confirm.text
    cancelled = web.post(f"/appointments/{number}/cancel", data={"csrf_token": portal_csrf(confirm)},
                         follow_redirects=False)
    assert cancelled.status_code == 303
    after = web.get(cancelled.headers["location"])
    assert "预约已取消" in after.text and "已取消" in after.text and slots(db)[0][4] == 0
    expired = web.post("/appointments", data={"csrf_token": "stale", "slot": slot_id, "name": "王小明",
                                              "phone": "13800000001"})
    assert expired.status_code == 403 and "表单已过期" in expired.text and slots(db)[0][4] == 0


def test_my_bookings_are_one_list_whatever_portal_i_am_on(web, db, seeded):
    """Booked at 海口's window and at 长流镇's: either portal lists both, the other place named, and its
    cancellation leads to that place's portal."""
    from tongban.platform.db import utcnow
    from tongban.platform.identity.models import Account
    from tongban.tenants.isolation import TenantContext

    now = utcnow()
    set_up(db, horizon=2, now=now)
    set_up(db, horizon=2, now=now, code="460105100", name="长流镇便民服务中心 窗口")
    with db.unit_of_work(TenantContext.none()) as s:
        subject = s.scalar(select(Account.subject).where(Account.username == "citizen"))
    haikou = book(db, slots(db)[0][0], subject, now=now)
    changliu = book(db, slots(db, "460105100")[1][0], subject, code="460105100", now=now)
    sign_in(web, next_path="/appointments")
    page = web.get("/appointments")
    assert haikou.number in page.text and changliu.number in page.text and "长流镇" in page.text
    assert f'href="/t/460105100/appointments/{changliu.number}/cancel"' in page.text
    assert f'href="/appointments/{haikou.number}/cancel"' in page.text
    confirm = web.get(f"/t/460105100/appointments/{changliu.number}/cancel")
    assert confirm.status_code == 200 and "确定取消" in confirm.text


# --- the day before: each booking still on for tomorrow is texted once, in the daytime, with when, where and its
# number; not one cancelled, not one made today, not a landline, never at night


FRIDAY = at(date(2026, 2, 27), "08:00")


def reminders(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        return [(m.recipient, m.body) for m in s.scalars(select(OutboxMessage)
                                                         .where(OutboxMessage.topic == "appointment_reminder")
                                                         .order_by(OutboxMessage.id))]


def run_reminders(db, when):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        return remind(s, when)


def test_tomorrows_bookings_are_texted_once_in_the_daytime(db):
    set_up(db, horizon=5, now=FRIDAY)
    by_day = {day: slot_id for slot_id, day, *_ in slots(db)}
    tuesday, wednesday = by_day[date(2026, 3, 3)], by_day[date(2026, 3, 4)]
    tuesdays = book(db, tuesday, "person:1", now=FRIDAY, phone="13800000001")
    book(db, wednesday, "person:2", now=FRIDAY, phone="13800000002")
    book(db, tuesday, "person:3", now=FRIDAY, phone="0898-66668888")  # a landline gets no text
    cancelled = book(db, tuesday, "person:4", now=FRIDAY, phone="13800000004")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        appointments.cancel(s, cancelled.number, subject="person:4", now=FRIDAY)
    book(db, tuesday, "person:5", now=at(date(2026, 3, 2), "09:30"), phone="13800000005")  # booked today

    assert run_reminders(db, at(date(2026, 3, 2), "07:00")) == 0 and reminders(db) == []  # not before nine
    run_reminders(db, at(date(2026, 3, 2), "10:07"))
    ((phone, text),) = reminders(db)
    assert phone == "13800000001"
    assert "明天（03月03日 周二）09:00-10:00" in text and "综合窗口（长滨路1号）" in text and tuesdays.number in text
    assert run_reminders(db, at(date(2026, 3, 2), "11:07")) == 0 and len(reminders(db)) == 1  # once
    assert run_reminders(db, at(date(2026, 3, 3), "20:30")) == 0  # not in the evening
    run_reminders(db, at(date(2026, 3, 3), "09:07"))
    assert [p for p, _ in reminders(db)] == ["13800000001", "13800000002"]


# --- 临时闭厅: a day closed for a typhoon takes no bookings; those it held are cancelled with a text saying why


def close_day(db, day, reason="台风“摩羯”橙色预警", window="", now=NOW):
    from tongban.platform.portal import appointment_closures as closures

    with db.unit_of_work(tenant_context(db, "4601")) as s:
        return closures.close(s, "4601", day, window, reason, actor="haikou.admin", now=now)


def offered_days(db, now=NOW):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        return [d["day"] for d in appointments.available(s, now)]


def statuses(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        return sorted((a.applicant_subject, a.status) for a in s.scalars(select(Appointment)))


def test_a_closed_day_cancels_its_bookings_with_a_text_and_stays_closed_until_reopened(db):
    from tongban.platform.portal import appointment_closures as closures

    window_id, revision, _ = set_up(db, capacity=3, horizon=3, times=[["09:00", "10:00"], ["10:00", "11:00"]])
    # open: Mon 2, Tue 3, Wed 4 March
    by_day = {}
    for slot_id, day, *_ in slots(db):
        by_day.setdefault(day, slot_id)
    tuesday, wednesday = date(2026, 3, 3), date(2026, 3, 4)
    book(db, by_day[tuesday], "person:1", phone="13800000001")
    book(db, by_day[tuesday], "person:2", phone="0898-66668888")  # a landline: cancelled, not texted
    book(db, by_day[wednesday], "person:3", phone="13800000003")

    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert closures.affected(s, tuesday, "", NOW) == 2  # what the administrator is asked to confirm
    done = close_day(db, tuesday)
    assert (done.cancelled, done.texted) == (2, 1)
    assert statuses(db) == [("person:1", "cancelled"), ("person:2", "cancelled"), ("person:3", "booked")]
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        mine = appointments.my_bookings(s, "person:1", NOW)
    assert mine[0].label == ("已取消（当日临时闭厅）", "Cancelled: the hall closed that day")  # not by the applicant
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        (text,) = [m.body for m in s.scalars(select(OutboxMessage).where(OutboxMessage.topic == "appointment_closed"))]
    assert "因台风“摩羯”橙色预警，综合窗口03月03日暂停办理" in text and "请改约其他时间" in text
    assert tuesday not in offered_days(db) and wednesday in offered_days(db)
    with pytest.raises(appointments.AppointmentError) as again:
        book(db, by_day[tuesday], "person:4")
    assert again.value.field == "slot"
    with pytest.raises(appointments.AppointmentError) as twice:
        close_day(db, tuesday, window="综合窗口")  # the whole hall is closed already
    assert twice.value.code == "already_closed" and twice.value.field == "day"

    set_up(db, capacity=3, horizon=3, times=[["09:00", "10:00"], ["10:00", "11:00"]],
           window_id=window_id, revision=revision, now=NOW + timedelta(hours=1))  # saving again keeps it closed
    assert tuesday not in offered_days(db)

    with db.unit_of_work(tenant_context(db, "4601")) as s:
        (closure,) = closures.upcoming(s, NOW)
        closures.reopen(s, closure.id, now=NOW)
    assert tuesday in offered_days(db)
    assert statuses(db)[:2] == [("person:1", "cancelled"), ("person:2", "cancelled")]  # they book again themselves


def test_a_day_beyond_the_opened_slots_is_never_opened(db):
    window_id, revision, _ = set_up(db, horizon=2)  # Mon 2 and Tue 3 March open
    close_day(db, date(2026, 3, 5))  # Thursday, not opened yet
    set_up(db, horizon=5, window_id=window_id, revision=revision)  # opened further: Wed 4 … Mon 9 March, but not Thursday
    days = {d for _, d, *_ in slots(db)}
    assert date(2026, 3, 4) in days and date(2026, 3, 6) in days and date(2026, 3, 5) not in days


def test_a_closure_is_checked_at_its_fields_and_changes_nothing(db):
    from tongban.platform.portal import appointment_closures as closures

    for typed, field in (({"day": "明天", "reason": "台风"}, "day"), ({"day": "2026-03-01", "reason": "台风"}, "day"),
                         ({"day": "2026-03-03", "window": "不存在", "reason": "台风"}, "window"),
                         ({"day": "2026-03-03", "reason": "  "}, "reason"),
                         ({"day": "2026-03-03", "reason": "台" * 101}, "reason")):
        with pytest.raises(appointments.AppointmentInvalid) as refused:
            closures.read_closure(typed, {"综合窗口"}, NOW)
        assert set(refused.value.problems) == {field}
        zh, en = refused.value.problems[field]
        assert zh and en


def test_the_administrator_closes_a_day_after_confirming_and_citizens_see_it(web, db, seeded):
    from tongban.platform.db import utcnow
    from tongban.platform.identity.seed import DEMO_STAFF as STAFF

    admin_totp = {username: secret for username, *_rest, secret in STAFF}["haikou.admin"]
    now = utcnow()
    set_up(db, horizon=3, now=now)
    day = sorted({d for _, d, *_ in slots(db)})[-1]
    book(db, [i for i, d, *_ in slots(db) if d == day][0], "person:9", now=now, phone="13800000009")
    sign_in(web, username="haikou.admin", next_path="/portal-admin/appointments", totp=admin_totp)
    page = web.get("/portal-admin/appointments")
    assert "临时闭厅" in page.text and 'aria-invalid="true"' not in page.text  # no field is wrong before typing
    typed = {"csrf_token": portal_csrf(page), "day": day.isoformat(), "window": "", "reason": "台风"}
    empty = web.post("/portal-admin/appointments/closures", data={**typed, "reason": ""})
    assert empty.status_code == 422 and "请填写闭厅原因" in empty.text and 'id="c-reason-error"' in empty.text
    asked = web.post("/portal-admin/appointments/closures", data=typed)
    assert asked.status_code == 200 and "将取消 1 个预约并短信告知" in asked.text and "短信内容：因台风，综合窗口" in asked.text
    assert "没有开放的号源" not in asked.text
    weekend = next(day + timedelta(days=n) for n in range(1, 8) if (day + timedelta(days=n)).weekday() == 6)
    sunday = web.post("/portal-admin/appointments/closures", data={**typed, "day": weekend.isoformat()})
    assert sunday.status_code == 200 and "这一天目前没有预约" in sunday.text and "没有开放的号源" in sunday.text
    assert asked.text.index("确认关闭") < asked.text.index("新增窗口")  # asked at the top, not below the windows
    assert statuses(db) == [("person:9", "booked")]  # nothing yet
    done = web.post("/portal-admin/appointments/closures", data={**typed, "confirm": "1"}, follow_redirects=False)
    assert done.status_code == 303
    shown = web.get(done.headers["location"])
    assert "取消 1 个预约，短信通知 1 人" in shown.text and "恢复预约" in shown.text
    assert statuses(db) == [("person:9", "cancelled")]
    portal = web.get("/appointments")
    assert "全部窗口暂停预约：台风" in portal.text
