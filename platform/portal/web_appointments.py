"""Booking a window time slot (预约办理) and cancelling it."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.db import utcnow
from tongban.platform.portal import appointments
from tongban.platform.portal.web_common import (
    Ctx,
    call,
    csrf_ok,
    page,
    portal_of,
    redirect,
    render,
    require_user,
    theme_of,
    trail,
)


@page
async def appointments_page(request: Request, ctx: Ctx):
    form = None
    if request.method == "POST":
        require_user(ctx)
        form = await request.form()
        if not await csrf_ok(request, form):
            form = None
    return await call(_appointments, request, ctx, form)


def _appointments(request: Request, ctx: Ctx, form):
    portal = portal_of(request)
    item_code = str((form.get("item") if form else ctx.query.get("item")) or "")[:60] or None
    error, booked, status = None, None, 200
    today = appointments.beijing_today(utcnow())
    if form is not None and ctx.user is not None:
        try:  # a unit of work that starts by writing: concurrent bookings queue instead of failing
            with portal.database.unit_of_work(ctx.tenant.context()) as session:
                booked = appointments.book(session, _int(form.get("slot")), subject=ctx.user.subject,
                                           name=str(form.get("name") or ctx.user.name),
                                           phone=str(form.get("phone") or ""), item_code=item_code, today=today)
        except appointments.AppointmentError as refused:
            error, status = (refused.zh, refused.en), 409
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
        days = appointments.available(session, today)
        mine = appointments.my_bookings(session, ctx.user.subject) if ctx.user else []
    item = index.by_code.get(item_code) if item_code else None
    data = {"trail": trail(request, ctx, (ctx._("预约办理"), None)), "days": days, "mine": mine, "error": error,
            "booked": booked, "item": item, "phone": ctx.user.identity.get("phone", "") if ctx.user else ""}
    return render(request, ctx, theme, "portal/appointments.html", data, status)


def _int(value) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


@page
async def cancel(request: Request, ctx: Ctx):
    user = require_user(ctx)
    form = await request.form()
    if await csrf_ok(request, form):
        await call(_cancel, request, ctx, user.subject, request.path_params["number"])
    return redirect(ctx, f"{ctx.base}/appointments")


def _cancel(request: Request, ctx: Ctx, subject: str, number: str) -> None:
    with portal_of(request).database.unit_of_work(ctx.tenant.context()) as session:
        try:
            appointments.cancel(session, number, subject=subject)
        except appointments.AppointmentError:
            pass


routes = [
    Route("/appointments", appointments_page, methods=["GET", "POST"]),
    Route("/appointments/{number}/cancel", cancel, methods=["POST"]),
]
