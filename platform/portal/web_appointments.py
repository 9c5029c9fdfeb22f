"""Booking a window time slot (预约办理), seeing one's bookings, cancelling one (after a confirmation page).

The rules are ``appointments``'; this only translates. A booking that succeeds redirects (a refresh does not post
it again); one that does not is shown again with what was typed and each problem at its field.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_closures, appointments
from tongban.platform.portal.web_common import (
    Ctx,
    call,
    csrf_ok,
    not_found,
    page,
    portal_of,
    redirect,
    render,
    require_user,
    theme_of,
    trail,
)

EXPIRED = ("表单已过期，请确认后重新提交", "The form expired: check it and submit again")
DONE = {"cancelled": ("预约已取消，号源已释放", "The booking is cancelled and its place released")}


@page
async def appointments_page(request: Request, ctx: Ctx):
    form, expired = None, False
    if request.method == "POST":
        require_user(ctx)
        form = await request.form(max_fields=20)
        expired = not await csrf_ok(request, form)
    return await call(_appointments, request, ctx, form, expired)


def _appointments(request: Request, ctx: Ctx, form, expired: bool):
    portal = portal_of(request)
    item_code = str((form.get("item") if form else ctx.query.get("item")) or "")[:60] or None
    now = utcnow()
    problems, error, status = {}, None, 200
    if form is not None and expired:
        error, status = EXPIRED, 403
    elif form is not None:
        try:  # a unit of work that starts by writing: concurrent bookings queue instead of failing
            with portal.database.unit_of_work(ctx.tenant.context()) as session:
                known = portal.index.index(session, ctx.tenant).by_code
                booked = appointments.book(session, form.get("slot"), subject=ctx.user.subject,
                                           name=str(form.get("name") or ""), phone=str(form.get("phone") or ""),
                                           item_code=item_code, now=now, known_items=known)
            return redirect(ctx, ctx.link("/appointments", booked=booked.number))
        except appointments.AppointmentInvalid as invalid:
            problems, status = invalid.problems, 422
        except appointments.AppointmentError as refused:
            error, status = (refused.zh, refused.en), 409
            if refused.field:
                problems = {refused.field: error}
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
        item = index.by_code.get(item_code) if item_code else None
        days = appointments.available(session, now, item.code if item else None)
        closures = [(c.day, c.window, c.reason) for c in appointment_closures.upcoming(session, now)]
    mine = appointments.bookings_everywhere(portal.database, ctx.user.subject, now) if ctx.user else []
    just_booked = next((b for b in mine if b.number == ctx.query.get("booked")), None)
    typed = form if form is not None else {}
    identity = ctx.user.identity if ctx.user else {}
    snapshot = request.app.state.directory.snapshot
    elsewhere = {b.tenant: snapshot.by_code[b.tenant].name for b in mine
                 if b.tenant != ctx.tenant.code and b.tenant in snapshot.by_code}
    data = {"trail": trail(request, ctx, (ctx._("预约办理"), None)), "days": days, "mine": mine, "error": error,
            "elsewhere": elsewhere, "closures": closures,
            "problems": problems, "booked": just_booked, "item": item, "items": index.by_code,
            "notice": DONE.get(ctx.query.get("done", "")),
            "chosen": str(typed.get("slot") or ""),
            "name": str(typed.get("name") if "name" in typed else (ctx.user.name if ctx.user else "")),
            "phone": str(typed.get("phone") if "phone" in typed else identity.get("phone", ""))}
    return render(request, ctx, theme, "portal/appointments.html", data, status)


@page
async def cancel(request: Request, ctx: Ctx):
    """GET: what is about to be cancelled, with the button; POST: cancel it."""
    user = require_user(ctx)
    number = request.path_params["number"]
    form = await request.form(max_fields=5) if request.method == "POST" else None
    if form is not None and not await csrf_ok(request, form):
        return await call(_confirm, request, ctx, user.subject, number, EXPIRED, 403)
    if form is None:
        return await call(_confirm, request, ctx, user.subject, number, None, 200)
    try:
        await call(_cancel, request, ctx, user.subject, number)
    except appointments.AppointmentError as refused:
        return await call(_confirm, request, ctx, user.subject, number, (refused.zh, refused.en), 409)
    return redirect(ctx, ctx.link("/appointments", done="cancelled"))


def _cancel(request: Request, ctx: Ctx, subject: str, number: str) -> None:
    with portal_of(request).database.unit_of_work(ctx.tenant.context()) as session:
        appointments.cancel(session, number, subject=subject, now=utcnow())


def _confirm(request: Request, ctx: Ctx, subject: str, number: str, error, status: int):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        booking = next((b for b in appointments.my_bookings(session, subject, utcnow()) if b.number == number), None)
    if booking is None:
        raise not_found(ctx)
    data = {"trail": trail(request, ctx, (ctx._("预约办理"), ctx.link("/appointments")), (ctx._("取消预约"), None)),
            "booking": booking, "error": error}
    return render(request, ctx, theme, "portal/appointment_cancel.html", data, status)


routes = [
    Route("/appointments", appointments_page, methods=["GET", "POST"]),
    Route("/appointments/{number}/cancel", cancel, methods=["GET", "POST"]),
]
