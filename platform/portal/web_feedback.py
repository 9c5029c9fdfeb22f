"""Consultations and complaints (咨询投诉) and the rating of a concluded case (好差评), for signed-in applicants."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.portal import cases, feedback
from tongban.platform.portal.web_common import (
    Ctx,
    PortalUser,
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
from tongban.tenants.isolation import TenantContext


EXPIRED = ("表单已过期，请确认后重新提交", "The form expired: check it and submit again")


@page
async def consult(request: Request, ctx: Ctx):
    """GET: the form and one's own questions; POST: ask — then back to the page (a refresh asks nothing twice),
    or the form again with what was typed and the problem at its field."""
    user = require_user(ctx)
    form = await request.form(max_fields=10) if request.method == "POST" else None
    expired = form is not None and not await csrf_ok(request, form)
    return await call(_consult, request, ctx, user, form, expired)


def _consult(request: Request, ctx: Ctx, user: PortalUser, form, expired: bool):
    from tongban.platform.supervision.errors import SupervisionError

    portal = portal_of(request)
    error, problem_field, status = None, None, 200
    typed = {"kind": str(form.get("kind") or "consultation"), "department": str(form.get("department") or ""),
             "case": str(form.get("case") or ""), "question": str(form.get("question") or "")} if form else {
        "kind": "consultation", "department": "", "case": str(ctx.query.get("case") or "")[:40], "question": ""}
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        departments = [d for d, _n in portal.index.index(session, ctx.tenant).departments]
        own_cases = feedback.cases_to_ask_about(session, user.subject, ctx.tenant.code)
    if expired:
        error, status = EXPIRED, 403
    elif form is not None:
        try:
            feedback.ask(portal.database, ctx.tenant.code, kind=typed["kind"], subject=user.subject,
                         question=typed["question"], department=typed["department"], known_departments=departments,
                         case_number=typed["case"])
            return redirect(ctx, ctx.link("/consult", asked="1"))
        except SupervisionError as refused:
            error, problem_field, status = (refused.zh, refused.en), refused.field, 422
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        mine = feedback.my_petitions(session, user.subject)
    data = {"trail": trail(request, ctx, (ctx._("咨询投诉"), None)), "kinds": feedback.KINDS, "typed": typed,
            "departments": departments, "own_cases": own_cases, "mine": mine, "error": error,
            "problem_field": problem_field,
            "asked": ctx.query.get("asked") == "1" and form is None}
    return render(request, ctx, theme, "portal/consult.html", data, status)


@page
async def rate_case(request: Request, ctx: Ctx):
    user = require_user(ctx)
    form = await request.form()
    number = request.path_params["number"]
    if not await csrf_ok(request, form):
        return redirect(ctx, f"{ctx.base}/cases/{number}")
    outcome = await call(_rate, request, user, number, form)
    return redirect(ctx, f"{ctx.base}/cases/{number}?rated={outcome}")


def _rate(request: Request, user: PortalUser, number: str, form) -> str:
    from tongban.platform.supervision.errors import SupervisionError

    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant rates own case")) as session:
        view = cases.applicant_case(session, number, user.subject)
    if view is None:
        raise not_found(None)
    try:
        level = int(str(form.get("level") or 0))
        feedback.rate(portal.database, user.actor, view.id, level=level, reason=str(form.get("reason") or ""))
    except (ValueError, SupervisionError) as refused:
        return getattr(refused, "code", "level_invalid")
    return "ok"


@page
async def confirm_rectification(request: Request, ctx: Ctx):
    """The rater answers the department's call-back: satisfied, or not (it goes back to be rectified again)."""
    user = require_user(ctx)
    form = await request.form(max_fields=5)
    number = request.path_params["number"]
    if not await csrf_ok(request, form):
        return redirect(ctx, ctx.link(f"/cases/{number}", rated="expired"))
    outcome = await call(_confirm, request, user, number, str(form.get("satisfied", "")) == "yes")
    return redirect(ctx, ctx.link(f"/cases/{number}", rated=outcome))


def _confirm(request: Request, user: PortalUser, number: str, satisfied: bool) -> str:
    from tongban.platform.supervision.errors import SupervisionError

    portal = portal_of(request)
    with portal.database.unit_of_work(TenantContext.system("applicant confirms a rectification")) as session:
        view = cases.applicant_case(session, number, user.subject)
        rating = feedback.rating_of(session, view.id) if view else None
    if rating is None:
        raise not_found(None)
    try:
        feedback.confirm(portal.database, user.actor, rating["id"], satisfied=satisfied)
    except SupervisionError as refused:
        return refused.code
    return "confirmed" if satisfied else "not_satisfied"


routes = [
    Route("/consult", consult, methods=["GET", "POST"]),
    Route("/cases/{number}/rating", rate_case, methods=["POST"]),
    Route("/cases/{number}/rating/confirm", confirm_rectification, methods=["POST"]),
]
