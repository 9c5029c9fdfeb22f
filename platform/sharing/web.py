"""Web routes of the sharing center: public license verification (page and JSON), the holder's wallet,
the department import API and the item-chain diagram. Routes translate only; the services decide."""
from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tongban.platform.identity.tokens import TokenRefused
from tongban.platform.identity.web import identity_for, portal_rp
from tongban.platform.portal.web_common import Ctx, page, render, require_user, theme_of, trail
from tongban.platform.sharing import diagram, lookups, wallet
from tongban.platform.sharing.errors import Invalid, RateLimited, SharingError
from tongban.platform.sharing.service import sharing_for
from tongban.platform.sharing.verification import status_label
from tongban.tenants.isolation import TenantContext

WRITE_SCOPE = "licenses:write"


def _tenant(request: Request):
    return request.scope.get("state", {}).get("tenant")


def _page(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    shared = {"tenant": _tenant(request), "status_label": status_label, "root": request.scope.get("root_path", "")}
    response = request.app.state.templates.TemplateResponse(
        request, f"sharing/{template}", {**shared, **context}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def _public_url(request: Request) -> str:
    """Where a phone reaches /verify: the operator's public address when set, else the one the request came to."""
    from tongban.platform.approval.documents import public_address

    return public_address(request.app.state.settings.public_url, f"{request.url.scheme}://{request.url.netloc}")


# --- verification ---------------------------------------------------------------------------------------------
NOINDEX = {"X-Robots-Tag": "noindex, nofollow"}  # a license number is not for search engines to collect


def _address(request: Request) -> str:
    return request.client.host if request.client else ""


async def _verify(request: Request):
    return await run_in_threadpool(sharing_for(request.app).verify, request.path_params["number"],
                                   address=_address(request))


def _status_of(result) -> int:
    return 404 if result.outcome == "not_found" else 200


async def verify_page(request: Request) -> Response:
    if not request.path_params["number"].strip():
        return RedirectResponse(f"{request.scope.get('root_path', '')}/verify", status_code=303)
    try:
        result = await _verify(request)
    except RateLimited as refused:
        return _lookup_page(request, lookups.normalise(request.path_params["number"])[:100],
                            {"zh": refused.zh, "en": refused.en}, 429, refused.retry_after)
    return _noindex(_page(request, "verify.html", {"v": result}, _status_of(result)))


async def verify_json(request: Request) -> Response:
    try:
        result = await _verify(request)
    except RateLimited as refused:
        return JSONResponse({"error": refused.code, "zh": refused.zh, "en": refused.en}, status_code=429,
                            headers={**NOINDEX, "Retry-After": str(refused.retry_after), "Cache-Control": "no-store"})
    return JSONResponse(result.as_json(), status_code=_status_of(result), headers=NOINDEX)


async def verify_lookup(request: Request) -> Response:
    """查验入口: someone types the number printed on a license and is taken to its verification page."""
    if "number" not in request.query_params:
        return _lookup_page(request, "", None)
    typed = request.query_params["number"][:200]
    refused = lookups.typed_problem(typed)
    if refused is not None:
        return _lookup_page(request, typed, refused, 422)
    target = quote(lookups.normalise(typed), safe="")
    return RedirectResponse(f"{request.scope.get('root_path', '')}/verify/{target}", status_code=303)


def _lookup_page(request: Request, typed: str, error: dict | None, status_code: int = 200,
                 retry_after: int | None = None) -> Response:
    response = _noindex(_page(request, "lookup.html", {"typed": typed, "error": error}, status_code))
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _noindex(response: Response) -> Response:
    response.headers.update(NOINDEX)
    return response


# --- the holder's wallet --------------------------------------------------------------------------------------
def _who(user) -> dict:
    return {"subject": user.subject, "user_type": user.user_type, "name": user.name, "uscc": user.uscc,
            "enterprise_sub": user.enterprise_sub}


@page
async def wallet_page(request: Request, ctx: Ctx) -> Response:
    """我的证照 inside the portal of the tenant the holder came from (its host or /t/<code>/; else the
    province's), in that tenant's theme, with its header and breadcrumb."""
    user = require_user(ctx)
    keys, entries, log = await run_in_threadpool(lambda: sharing_for(request.app).wallet(**_who(user.rp)))
    holder = {"name": user.name, "is_enterprise": user.kind == "enterprise", "uscc": user.rp.uscc or "",
              "agent_name": user.rp.claims.get("agent_name", "")}
    data = {**wallet.page_data(entries, log), "holder": holder, "unverified_id": keys.unverified_id,
            "trail": trail(request, ctx, (ctx._("我的证照"), None))}
    return await run_in_threadpool(_themed, request, ctx, "sharing/wallet.html", data)


def _themed(request: Request, ctx: Ctx, template: str, data: dict) -> Response:
    with request.app.state.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    return render(request, ctx, theme, template, data)


async def wallet_pdf(request: Request) -> Response:
    user = await portal_rp.current_user(request)
    if user is None:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/auth/login?next=/wallet", status_code=303)
    number = request.path_params["number"]
    try:
        pdf = await run_in_threadpool(lambda: sharing_for(request.app).holder_pdf(
            number, public_url=_public_url(request), **_who(user)))
    except SharingError as error:
        return _error(request, error)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="license-{number}.pdf"', "Cache-Control": "no-store"})


# --- department import API ---------------------------------------------------------------------------------------
async def import_licenses(request: Request) -> Response:
    try:
        principal = _principal(request, WRITE_SCOPE)
    except TokenRefused as refused:
        return JSONResponse({"error": refused.code, "error_description": refused.en, "zh": refused.zh},
                            status_code=refused.status,
                            headers={"WWW-Authenticate": f'Bearer error="{refused.code}", scope="{WRITE_SCOPE}"'})
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"error": "invalid_request", "errors": [
            {"path": "", "code": "not_json", "zh": "请求体应为 JSON 对象", "en": "the body must be a JSON object"}]},
            status_code=400)
    try:
        result = await run_in_threadpool(sharing_for(request.app).import_licenses, principal, body.get("records"))
    except SharingError as error:
        return _error(request, error, json=True)
    return JSONResponse(result, status_code=200)


def _principal(request: Request, scope: str):
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise TokenRefused("missing bearer token")
    return identity_for(request.app).verify_access_token(header[7:].strip(), required_scopes=(scope,))


# --- item chains ----------------------------------------------------------------------------------------------------
def _diagram(request: Request, focus: str | None) -> tuple[str, list, dict]:
    from tongban.platform.sharing import chains
    from tongban.platform.sharing.license_types import get_type

    with request.app.state.database.unit_of_work(TenantContext.system("sharing: chain diagram")) as session:
        svg = diagram.render_svg(session, focus)
        relations = chains.prerequisites(session, focus) if focus else []
        names = chains.item_names(session, [r.before_item for r in relations] + ([focus] if focus else []))
        return svg, [{"before": r.before_item, "name": names.get(r.before_item, r.before_item),
                      "requirement": r.requirement, "license_type": r.license_type,
                      "license_name": _type_name(get_type(session, r.license_type)) if r.license_type else None}
                     for r in relations], names


def _type_name(ltype) -> str | None:
    return f"{ltype.name_zh} / {ltype.name_en}" if ltype else None


async def chains_page(request: Request) -> Response:
    focus = request.path_params.get("item_code")
    svg, needs, names = await run_in_threadpool(_diagram, request, focus)
    return _page(request, "chains.html", {"svg": svg, "focus": focus, "needs": needs,
                                          "focus_name": names.get(focus, focus) if focus else None})


async def chains_svg(request: Request) -> Response:
    svg, _needs, _names = await run_in_threadpool(_diagram, request, request.query_params.get("item"))
    return Response(svg, media_type="image/svg+xml")


def _error(request: Request, error: SharingError, *, json: bool = False) -> Response:
    body = {"error": error.code, "zh": error.zh, "en": error.en, "field": error.field}
    if isinstance(error, Invalid):
        body["errors"] = error.errors
    if json or "application/json" in request.headers.get("accept", ""):
        return JSONResponse(body, status_code=error.status)
    return _page(request, "message.html", {"error": body}, error.status)


routes = [
    Route("/verify", verify_lookup, name="sharing_verify_lookup"),
    Route("/verify/{number:path}", verify_page, name="sharing_verify"),
    Route("/api/sharing/verify/{number:path}", verify_json, name="sharing_verify_json"),
    Route("/wallet", wallet_page, name="sharing_wallet"),
    Route("/wallet/{number}.pdf", wallet_pdf, name="sharing_wallet_pdf"),
    Route("/api/sharing/licenses", import_licenses, methods=["POST"], name="sharing_import"),
    Route("/sharing/chains", chains_page, name="sharing_chains"),
    Route("/sharing/chains.svg", chains_svg, name="sharing_chains_svg"),
    Route("/sharing/chains/{item_code}", chains_page, name="sharing_chain"),
]
