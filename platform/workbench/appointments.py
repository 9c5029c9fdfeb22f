"""预约签到 at the window: the day's bookings, finding one by its number, checking someone in, marking an absence.
The rules are ``portal.appointment_desk``'s; this only translates. Window clerks (``accept_cases``) use it."""
from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_desk as desk
from tongban.platform.portal.appointments import AppointmentError, beijing_today
from tongban.platform.workbench.common import call, csrf_ok, render, signed_in_staff

DONE = {"attended": ("已签到", "Checked in"), "no_show": ("已标记爽约", "Marked as absent")}


async def day_page(request: Request) -> Response:
    staff = await signed_in_staff(request, "accept_cases")
    if isinstance(staff, Response):
        return staff
    return await call(_day_page, request, staff, None, 200)


def _day(request: Request) -> date:
    try:
        return date.fromisoformat(request.query_params.get("day", ""))
    except ValueError:
        return beijing_today(utcnow())


def _day_page(request: Request, staff, error, status: int) -> Response:
    day, now = _day(request), utcnow()
    number = request.query_params.get("number", "").strip()[:24]
    with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
        bookings = desk.day_list(session, day, now)
        found = desk.find(session, number, now) if number else None
    return render(request, "appointments.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "day": day, "bookings": bookings,
        "number": number, "found": found, "searched": bool(number), "error": error,
        "done": DONE.get(request.query_params.get("done", "")), "today": beijing_today(now)}, status)


async def handle(request: Request) -> Response:
    staff = await signed_in_staff(request, "accept_cases")
    if isinstance(staff, Response):
        return staff
    form = await request.form(max_fields=5)
    action, number = request.path_params["action"], request.path_params["number"]
    if not csrf_ok(request, form) or action not in ("check_in", "absent"):
        return await call(_day_page, request, staff, ("表单已过期，请刷新后重试", "The form expired: reload and try again"), 403)
    mark = desk.check_in if action == "check_in" else desk.mark_absent

    def run():
        with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
            return mark(session, number, actor=staff.actor.subject, now=utcnow())

    try:
        booking = await call(run)
    except AppointmentError as refused:
        return await call(_day_page, request, staff, (refused.zh, refused.en), 409)
    return RedirectResponse(f"{staff.base}/appointments?day={booking.day.isoformat()}&done={booking.status}",
                            status_code=303)
