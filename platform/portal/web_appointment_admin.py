"""The tenant admin's appointment windows (/portal-admin/appointments): the windows that take bookings, their
items, daily times, places and how far ahead; saving one opens its slots. Closing a day (临时闭厅) asks first, naming
the bookings it cancels; a closure can be reopened. Needs ``administer_tenant`` here. The rules are
``appointment_windows``' and ``appointment_closures``'; this only translates."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.calendar.store import build_calendar
from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_closures as closures
from tongban.platform.portal import appointment_windows as windows
from tongban.platform.portal.appointments import AppointmentError, AppointmentInvalid
from tongban.platform.portal.web_admin import _admin
from tongban.platform.portal.web_common import Ctx, call, csrf_ok, page, portal_of, redirect, render, trail
from tongban.themes.loader import BASE_THEME

EXPIRED = ("表单已过期，请确认后重新保存", "The form expired: check it and save again")


@page
async def windows_page(request: Request, ctx: Ctx):
    user = _admin(ctx)
    form = None
    if request.method == "POST":
        form = await request.form(max_fields=20, max_part_size=16 * 1024)
        if not await csrf_ok(request, form):
            return await call(_page, request, ctx, dict(form), {}, EXPIRED, 403)
        return await call(_save, request, ctx, user.subject, form)
    return await call(_page, request, ctx, None, {}, None, 200)


def _save(request: Request, ctx: Ctx, actor: str, form):
    portal = portal_of(request)
    window_id = str(form.get("window_id") or "")
    revision = str(form.get("revision") or "")
    try:
        with portal.database.unit_of_work(ctx.tenant.context()) as session:
            known = portal.index.index(session, ctx.tenant).by_code
            settings = windows.read_settings(form, known)
            _, opened = windows.save(session, ctx.tenant.code, settings,
                                     window_id=int(window_id) if window_id.isdigit() else None,
                                     expected_revision=int(revision) if revision.isdigit() else None,
                                     actor=actor, calendar=build_calendar(session), now=utcnow())
    except windows.WindowInvalid as invalid:
        return _page(request, ctx, dict(form), invalid.problems, None, 422)
    except windows.WindowConflict as conflict:
        return _page(request, ctx, dict(form), {}, (conflict.zh, conflict.en), 409)
    missing = ",".join(str(y) for y in sorted(opened.unverified_years))
    return redirect(ctx, ctx.link("/portal-admin/appointments", saved=settings.name, opened=opened.created,
                                  missing=missing))


@page
async def close_day(request: Request, ctx: Ctx):
    """POST: the day, window and reason; without ``confirm`` the page asks first, naming what it cancels."""
    user = _admin(ctx)
    form = await request.form(max_fields=10, max_part_size=4 * 1024)
    if not await csrf_ok(request, form):
        return await call(_page, request, ctx, None, {}, EXPIRED, 403, closing=dict(form))
    return await call(_close, request, ctx, user.subject, form)


def _close(request: Request, ctx: Ctx, actor: str, form):
    portal, now = portal_of(request), utcnow()
    typed = {k: str(form.get(k) or "") for k in ("day", "window", "reason")}
    try:
        with portal.database.unit_of_work(ctx.tenant.context()) as session:
            names = {w.name for w in windows.windows(session)}
            day, window, reason = closures.read_closure(form, names, now)
            if form.get("confirm") != "1":
                held = closures.affected(session, day, window, now)
                shown = window or min(names, default="")  # the text names each booking's own window
                sample = closures.closure_text(reason, shown, day, "09:00", "10:00", "YY…")
                slots = closures.offered(session, day, window, now)
                return _page(request, ctx, None, {}, None, 200, closing=typed | {"sample": sample, "slots": slots},
                             confirming=held)
            done = closures.close(session, ctx.tenant.code, day, window, reason, actor=actor, now=now)
    except AppointmentInvalid as invalid:
        return _page(request, ctx, None, invalid.problems, None, 422, closing=typed)
    except AppointmentError as refused:
        return _page(request, ctx, None, {refused.field or "day": (refused.zh, refused.en)}, None, 409, closing=typed)
    return redirect(ctx, ctx.link("/portal-admin/appointments", closed=done.day.isoformat(), cancelled=done.cancelled,
                                  texted=done.texted))


@page
async def reopen_day(request: Request, ctx: Ctx):
    _admin(ctx)
    form = await request.form(max_fields=5, max_part_size=1024)
    if not await csrf_ok(request, form):
        return await call(_page, request, ctx, None, {}, EXPIRED, 403)
    return await call(_reopen, request, ctx, request.path_params["closure_id"])


def _reopen(request: Request, ctx: Ctx, closure_id: str):
    portal = portal_of(request)
    try:
        with portal.database.unit_of_work(ctx.tenant.context()) as session:
            reopened = closures.reopen(session, int(closure_id) if closure_id.isdigit() else 0, now=utcnow())
    except AppointmentError as refused:
        return _page(request, ctx, None, {}, (refused.zh, refused.en), 409)
    return redirect(ctx, ctx.link("/portal-admin/appointments", reopened=reopened.day.isoformat()))


def _page(request: Request, ctx: Ctx, typed: dict | None, problems: dict, error, status: int, *,
          closing: dict | None = None, confirming: int | None = None):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        rows = windows.windows(session)
        closed = closures.upcoming(session, utcnow())
    editing = next((w for w in rows if str(w.id) == ctx.query.get("edit")), None)
    if typed is not None:
        form = {**windows.default_form(), "open": "", **typed}
    else:
        form = windows.form_of(editing) if editing else windows.default_form()
        form |= {"window_id": str(editing.id) if editing else "", "revision": str(editing.revision) if editing else ""}
    missing = [y for y in ctx.query.get("missing", "").split(",") if y.isdigit()]
    data = {"trail": trail(request, ctx, (ctx._("预约窗口设置"), None)), "windows": rows, "form": form,
            "problems": problems, "error": error, "saved": ctx.query.get("saved"),
            "opened": ctx.query.get("opened"), "missing": missing,
            "times_of": windows.times_text, "closures": closed, "closing": closing or {}, "confirming": confirming,
            "closed": ctx.query.get("closed"), "cancelled": ctx.query.get("cancelled"),
            "texted": ctx.query.get("texted"), "reopened": ctx.query.get("reopened")}
    return render(request, ctx, BASE_THEME, "portal/admin_appointments.html", data, status)


routes = [Route("/portal-admin/appointments", windows_page, methods=["GET", "POST"]),
          Route("/portal-admin/appointments/closures", close_day, methods=["POST"]),
          Route("/portal-admin/appointments/closures/{closure_id}/reopen", reopen_day, methods=["POST"])]
