"""My cases (我的办件), a case's public timeline, progress by number + query code, public results."""
from __future__ import annotations

from itsdangerous import BadSignature
from sqlalchemy import select
from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.db import utcnow
from tongban.platform.portal import cases, throttle
from tongban.platform.portal.models import ApplicationDraft
from tongban.platform.portal.web_apply import FLASH_COOKIE, flash_serializer
from tongban.platform.portal.web_common import (
    Ctx,
    PortalUser,
    call,
    csrf_ok,
    not_found,
    page,
    page_number,
    paginate,
    portal_of,
    render,
    require_user,
    theme_of,
    trail,
)
from tongban.tenants.isolation import TenantContext


@page
async def my_cases(request: Request, ctx: Ctx):
    user = require_user(ctx)
    return await call(_my_cases, request, ctx, user)


def _my_cases(request: Request, ctx: Ctx, user: PortalUser):
    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant reads own cases")) as session:
        rows = cases.my_cases(session, user.subject)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
        drafts = [{"code": d.item_code, "updated_at": d.updated_at,
                   "name": index.by_code[d.item_code].name if d.item_code in index.by_code else d.item_code}
                  for d in session.scalars(select(ApplicationDraft).where(
                      ApplicationDraft.applicant_subject == user.subject).order_by(ApplicationDraft.updated_at.desc()))]
    names = request.app.state.directory.snapshot.by_code
    for row in rows:
        row["tenant_name"] = names[row["tenant_code"]].name if row["tenant_code"] in names else row["tenant_code"]
    data = {"trail": trail(request, ctx, (ctx._("我的办件"), None)), "results": paginate(rows, page_number(ctx)),
            "drafts": drafts, "query_args": {}}
    return render(request, ctx, theme, "portal/cases.html", data)


@page
async def case_page(request: Request, ctx: Ctx):
    user = require_user(ctx)
    response = await call(_case_page, request, ctx, user, request.path_params["number"])
    response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def _case_page(request: Request, ctx: Ctx, user: PortalUser, number: str):
    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant reads own case")) as session:
        view = cases.applicant_case(session, number, user.subject)
        rating = _rating(session, view)
    if view is None:
        raise not_found(ctx)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    data = {"trail": trail(request, ctx, (ctx._("我的办件"), f"{ctx.base}/cases"), (number, None)),
            "case": view, "query_code": _flash_code(request, number),
            "tenant_name": _tenant_name(request, view.tenant_code), "rating": rating,
            "may_rate": rating is None and view.state in RATEABLE and _ratings_available(),
            "levels": _levels(), "rated": RATED_MESSAGES.get(ctx.query.get("rated", ""))}
    return render(request, ctx, theme, "portal/case.html", data)


RATEABLE = ("concluded", "refused")
RATED_MESSAGES = {"ok": ("感谢您的评价", "Thank you for your rating"),
                  "reason_required": ("差评请说明原因", "A bad rating needs a reason"),
                  "already_rated": ("已经评价过了（一事一评）", "This case was rated already"),
                  "level_invalid": ("请选择评价等级", "Choose a rating")}


def _ratings_available() -> bool:
    try:
        from tongban.platform.supervision.ratings import service  # noqa: F401
    except ImportError:
        return False
    return True


def _rating(session, view):
    if view is None or not _ratings_available():
        return None
    from tongban.platform.portal.feedback import rating_of

    return rating_of(session, view.id)


def _levels() -> dict:
    if not _ratings_available():
        return {}
    from tongban.platform.portal.feedback import levels

    return levels()


def _flash_code(request: Request, number: str) -> str | None:
    try:
        flash = flash_serializer(request).loads(request.cookies.get(FLASH_COOKIE, ""), max_age=600)
    except BadSignature:
        return None
    return flash.get("query_code") if flash.get("number") == number else None


def _tenant_name(request: Request, code: str) -> str:
    tenant = request.app.state.directory.snapshot.by_code.get(code)
    return tenant.name if tenant else code


@page
async def progress(request: Request, ctx: Ctx):
    form = await request.form() if request.method == "POST" else None
    if form is not None and not await csrf_ok(request, form):
        form = None
    address = request.client.host if request.client else ""
    return await call(_progress, request, ctx, form, address)


def _progress(request: Request, ctx: Ctx, form, address: str):
    portal = portal_of(request)
    number = str(form.get("number") or "").strip() if form else ""
    code = str(form.get("code") or "").strip() if form else ""
    error, view, status = None, None, 200
    if form is not None:
        keys, now = throttle.keys_for(number, address), utcnow()
        with portal.database.unit_of_work(TenantContext.system("progress query by number and code")) as session:
            if throttle.blocked(session, keys, now):
                error, status = ("查询过于频繁，请 15 分钟后再试。", "Too many attempts; try again in 15 minutes."), 429
            else:
                view = cases.case_by_query_code(session, portal.secret_key, number, code)
                if view is None:
                    throttle.record_failure(session, keys, now)
                    error, status = ("办件编号或查询码不正确。", "The case number or query code is not right."), 404
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    data = {"trail": trail(request, ctx, (ctx._("办件查询"), None)), "number": number, "error": error,
            "case": view, "tenant_name": _tenant_name(request, view.tenant_code) if view else None}
    return render(request, ctx, theme, "portal/progress.html", data, status)


@page
async def results(request: Request, ctx: Ctx):
    return await call(_results, request, ctx)


def _results(request: Request, ctx: Ctx):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        rows = cases.public_results(session, ctx.tenant.code)
    data = {"trail": trail(request, ctx, (ctx._("办件结果公示"), None)), "results": paginate(rows, page_number(ctx)),
            "query_args": {}}
    return render(request, ctx, theme, "portal/results.html", data)


routes = [
    Route("/cases", my_cases),
    Route("/cases/{number}", case_page),
    Route("/progress", progress, methods=["GET", "POST"]),
    Route("/results", results),
]
