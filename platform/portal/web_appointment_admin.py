"""The tenant admin's appointment windows (/portal-admin/appointments): the windows that take bookings, their
items, daily times, places and how far ahead; saving one opens its slots. Needs ``administer_tenant`` here. The
rules are ``appointment_windows``'; this only translates."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.calendar.store import build_calendar
from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_windows as windows
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


def _page(request: Request, ctx: Ctx, typed: dict | None, problems: dict, error, status: int):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        rows = windows.windows(session)
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
            "times_of": windows.times_text}
    return render(request, ctx, BASE_THEME, "portal/admin_appointments.html", data, status)


routes = [Route("/portal-admin/appointments", windows_page, methods=["GET", "POST"])]
