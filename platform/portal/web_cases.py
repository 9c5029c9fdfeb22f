"""My cases (我的办件), a case's public timeline, progress by number + query code, public results."""
from __future__ import annotations

from itsdangerous import BadSignature
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.approval.numbers import normalise_case_number, normalise_query_code
from tongban.platform.db import utcnow
from tongban.platform.portal import cases, feedback, supplying, throttle
from tongban.platform.portal.models import ApplicationDraft
from tongban.platform.portal.web_apply import FLASH_COOKIE, flash_serializer, to_case_with_flash
from tongban.platform.portal.web_common import (
    Ctx,
    PortalUser,
    call,
    csrf_ok,
    finish,
    not_found,
    page,
    page_number,
    paginate,
    portal_of,
    render,
    require_user,
    theme_of,
    trail,
    with_posted_files,
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
    return show_case(request, ctx, user, number, flash=_flash(request, number))


def show_case(request: Request, ctx: Ctx, user: PortalUser, number: str, *, flash: dict | None = None,
              errors: list[dict] = (), values: dict | None = None, status: int = 200) -> Response:
    """The applicant's case page; after a refused answer, with its field errors and what was typed."""
    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant reads own case")) as session:
        view = cases.applicant_case(session, number, user.subject)
        rating = _rating(session, view)
        waits = supplying.awaiting(session, number, user.subject, utcnow()) if view else None
    if view is None or waits is None:
        raise not_found(ctx)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    flash = flash or {}
    data = {"trail": trail(request, ctx, (ctx._("我的办件"), f"{ctx.base}/cases"), (number, None)),
            "case": view, "query_code": flash.get("query_code"), "done": DONE_MESSAGES.get(flash.get("done", "")),
            "tenant_name": _tenant_name(request, view.tenant_code), "rating": rating,
            "may_rate": rating is None and _ratings_available() and feedback.rateable(view.state),
            "levels": _levels(), "rated": RATED_MESSAGES.get(ctx.query.get("rated", "")),
            "waits": waits.page(), "errors": _by_field(errors), "error_summary": _summary(errors),
            "values": values or {}}
    return render(request, ctx, theme, "portal/case.html", data, status)


DONE_MESSAGES = {"supply": ("补正材料已提交，办件恢复办理，办理时限继续计算。",
                            "Your supplements were handed in: handling and its time limit resume."),
                 "rongque": ("容缺材料已补交。", "The material to follow was handed in."),
                 "withdraw": ("申请已撤回。", "The application was withdrawn.")}


def _by_field(errors) -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for error in errors:
        grouped.setdefault(error["path"], []).append((error["zh"], error["en"]))
    return grouped


def _summary(errors) -> list[dict]:
    return [{"href": "#" + anchor_of(e["path"]), "text": (e["zh"], e["en"])} for e in errors]


def anchor_of(path: str) -> str:
    """The element a field error belongs to: ``supply.materials.m1`` → ``supply-m1``, ``withdraw`` → ``withdraw``."""
    return path.replace(".materials.", "-").replace(".", "-")


RATED_MESSAGES = {"ok": ("感谢您的评价", "Thank you for your rating"),
                  "reason_required": ("差评请说明原因", "A bad rating needs a reason"),
                  "already_rated": ("已经评价过了（一事一评）", "This case was rated already"),
                  "level_invalid": ("请选择评价等级", "Choose a rating"),
                  "reason_too_long": ("评价内容不能超过 1000 字", "At most 1,000 characters"),
                  "not_done": ("办件办结后才能评价", "A case can be rated once it is concluded"),
                  "confirmed": ("感谢您的确认，该差评整改已办结", "Thank you: the rectification is closed"),
                  "not_satisfied": ("已退回部门重新整改", "Sent back to the department to rectify again"),
                  "wrong_state": ("当前不能确认整改", "The rectification cannot be confirmed now"),
                  "expired": ("表单已过期，请重新提交", "The form expired: submit it again")}


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


def _flash(request: Request, number: str) -> dict:
    """The one-time message for this case (the query code after submitting, an answer handed in)."""
    try:
        flash = flash_serializer(request).loads(request.cookies.get(FLASH_COOKIE, ""), max_age=600)
    except BadSignature:
        return {}
    return flash if isinstance(flash, dict) and flash.get("number") == number else {}


@page
async def hand_in(request: Request, ctx: Ctx):
    """补正 (the supplement form) or one awaited 容缺 material (``/rongque/<material>``)."""
    user = require_user(ctx)
    return await with_posted_files(request, ctx, _hand_in, user, request.path_params, max_files=40, max_fields=200)


def _hand_in(request: Request, ctx: Ctx, user: PortalUser, params: dict, form) -> Response:
    portal, number = portal_of(request), params["number"]
    waits = _awaiting(portal, ctx, number, user)
    kind = supplying.RONGQUE if "material" in params else supplying.SUPPLY
    material = params.get("material")
    note = str(form.get("note") or "")
    answer = supplying.Answer(kind, _files(form, [material] if material else waits.uploads_for(kind)), note,
                              material, _revision(form))
    place = request.app.state.directory.snapshot.by_code[waits.tenant_code].context()
    errors = supplying.hand_in(portal.database, portal.store, portal.approval, place, waits, user.actor, answer)
    if errors:
        return show_case(request, ctx, user, number, errors=errors, values={"note": note}, status=422)
    return to_case_with_flash(request, ctx, number, {"done": kind})


def _awaiting(portal, ctx: Ctx, number: str, user: PortalUser) -> supplying.Awaiting:
    with portal.database.unit_of_work(TenantContext.system("applicant answers own case")) as session:
        waits = supplying.awaiting(session, number, user.subject, utcnow())
    if waits is None:
        raise not_found(ctx)
    return waits


def _files(form, material_ids) -> dict[str, list[tuple[str, object]]]:
    """The files chosen per material (``file.<material id>``); an empty file input sends no name."""
    return {mid: [(f.filename, f.file) for f in form.getlist(f"file.{mid}")
                  if isinstance(f, UploadFile) and f.filename] for mid in material_ids}


def _revision(form) -> int | None:
    value = str(form.get("revision") or "")
    return int(value) if value.isdigit() else None


@page
async def withdraw(request: Request, ctx: Ctx):
    """撤回: the reason (optional), then a confirmation page, then the engine."""
    user = require_user(ctx)
    form = await request.form()
    if not await csrf_ok(request, form):
        return finish(ctx, Response("表单已过期，请刷新后重试 / the form expired; reload it", status_code=403))
    return await call(_withdraw, request, ctx, user, request.path_params["number"], form)


def _withdraw(request: Request, ctx: Ctx, user: PortalUser, number: str, form) -> Response:
    portal = portal_of(request)
    waits = _awaiting(portal, ctx, number, user)
    reason, revision = str(form.get("reason") or "")[:supplying.NOTE_LIMIT], _revision(form)
    values = {"reason": reason}
    errors = supplying.withdrawal_refused(waits)
    if not errors and form.get("confirm") != "yes":
        return _confirm_withdraw(request, ctx, user, number, reason, revision)
    errors = errors or supplying.withdraw(portal.approval, waits, user.actor, reason, revision)
    if errors:
        return show_case(request, ctx, user, number, errors=errors, values=values, status=422)
    return to_case_with_flash(request, ctx, number, {"done": supplying.WITHDRAW})


def _confirm_withdraw(request: Request, ctx: Ctx, user: PortalUser, number: str, reason: str,
                      revision: int | None) -> Response:
    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant reads own case")) as session:
        view = cases.applicant_case(session, number, user.subject)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    data = {"trail": trail(request, ctx, (ctx._("我的办件"), f"{ctx.base}/cases"),
                           (number, f"{ctx.base}/cases/{number}"), (ctx._("撤回申请"), None)),
            "case": view, "tenant_name": _tenant_name(request, view.tenant_code), "reason": reason,
            "revision": revision if revision is not None else ""}
    return render(request, ctx, theme, "portal/case_withdraw.html", data)


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
    asked = form if form is not None else ctx.query  # a notice's QR code links here with the number filled in
    number = normalise_case_number(str(asked.get("number") or "")[:60])[:40]
    code = normalise_query_code(str(asked.get("code") or "")[:24])[:12]
    error, view, status = None, None, 200
    if form is not None:
        try:
            with portal.database.unit_of_work(TenantContext.system("progress query by number and code")) as session:
                view = throttle.guarded(session, number, address, utcnow(),
                                        lambda: cases.case_by_query_code(session, portal.secret_key, number, code))
            if view is None:
                error, status = ("办件编号或查询码不正确。", "The case number or query code is not right."), 404
        except throttle.TooManyAttempts as locked:
            error, status = (locked.zh, locked.en), 429
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    data = {"trail": trail(request, ctx, (ctx._("办件查询"), None)), "number": number, "error": error,
            "code": code if form is None else "", "example": cases.example_number(ctx.tenant.code, utcnow()),
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
    Route("/cases/{number}/supply", hand_in, methods=["POST"]),
    Route("/cases/{number}/rongque/{material}", hand_in, methods=["POST"]),
    Route("/cases/{number}/withdraw", withdraw, methods=["POST"]),
    Route("/progress", progress, methods=["GET", "POST"]),
    Route("/results", results),
]
