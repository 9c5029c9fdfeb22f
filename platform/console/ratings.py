"""差评整改 for supervisors: the bad ratings of the subtree with their rectification, and the departments' appeals
to decide (剔除: the rating leaves the figures; or it stands). The rules are ``supervision.ratings``'."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.platform.console import common
from tongban.platform.console.alerts import service
from tongban.platform.console.common import render, signed_in_supervisor
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.ratings import service as ratings
from tongban.platform.workbench.common import call

DONE = {"exclude": ("申诉成立，该差评已剔除", "Appeal upheld: the rating is excluded"),
        "uphold": ("申诉不成立，差评维持", "Appeal rejected: the rating stands")}


async def ratings_page(request: Request, *, error: SupervisionError | None = None, failed: int | None = None,
                       status: int = 200) -> Response:
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    appealed = request.query_params.get("appealed") == "1"
    rows = await call(ratings.bad_ratings, service(request), staff.actor, scope.code, appealed_only=appealed)
    return render(request, "ratings.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "scope": scope, "rows": rows,
        "appealed": appealed, "trail": common.trail(request, staff, scope), "error": error, "failed": failed,
        "done": DONE.get(request.query_params.get("done", ""))}, status)


async def decide(request: Request) -> Response:
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    form = await request.form(max_fields=5)
    rating_id, decision = request.path_params["rating_id"], str(form.get("decision", ""))
    if not common.csrf_ok(request, form) or decision not in DONE:
        return await ratings_page(request, error=SupervisionError("csrf", "表单已过期，请刷新后重试",
                                                                   "The form expired: reload and try again"),
                                  failed=rating_id, status=400)
    scope = common.scope_tenant(request, staff)
    try:
        await call(ratings.decide_rating_appeal, request.app.state.database, staff.actor, scope.code, rating_id,
                   exclude=decision == "exclude", reason=str(form.get("reason", "")).strip())
    except SupervisionError as error:
        return await ratings_page(request, error=error, failed=rating_id, status=409)
    return RedirectResponse(f"{staff.base}/ratings?tenant={scope.code}&done={decision}", status_code=303)
