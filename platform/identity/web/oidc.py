"""OpenID Connect endpoints: discovery, JWKS, authorize, token, revoke, introspect, userinfo, logout."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tongban.platform.identity.oidc import provider
from tongban.platform.identity.oidc.server import OAuthResponse
from tongban.platform.identity.web.common import (
    call,
    clear_provider_session,
    csrf_ok,
    insecure_transport,
    oauth_response,
    origin_of,
    provider_session_id,
    read_http,
    redirect,
    render,
    service_of,
)

PUBLIC_CACHE = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


async def discovery(request: Request) -> Response:
    return JSONResponse(provider.discovery(service_of(request), origin_of(request)), headers=PUBLIC_CACHE)


async def jwks(request: Request) -> Response:
    return JSONResponse(await call(provider.jwks, service_of(request)), headers=PUBLIC_CACHE)


async def authorize(request: Request) -> Response:
    if (refused := insecure_transport(request)) is not None:
        return refused
    consent = None
    if request.method == "POST" and (await request.form()).get(
        "consent"
    ):  # our consent form, not an RP's POST
        if not await csrf_ok(request):
            return render(
                request,
                "oauth_error.html",
                {"error": "invalid_request", "description": "CSRF check failed"},
                400,
            )
        consent = str((await request.form()).get("consent"))
    http = await read_http(request)
    outcome = await call(
        provider.authorize, service_of(request), http, provider_session_id(request), consent=consent
    )
    return _authorize_outcome(request, outcome)


def _authorize_outcome(request: Request, outcome) -> Response:
    if isinstance(outcome, OAuthResponse):
        return oauth_response(outcome)
    if isinstance(outcome, provider.LoginRequired):
        from urllib.parse import urlencode

        return redirect("/login?" + urlencode({"next": outcome.next_url}))
    if isinstance(outcome, provider.ConsentRequired):
        return render(request, "consent.html", {"consent": outcome})
    return render(
        request, "oauth_error.html", {"error": outcome.error, "description": outcome.description}, 400
    )


async def token(request: Request) -> Response:
    if (refused := insecure_transport(request)) is not None:
        return refused
    return oauth_response(await call(provider.token, service_of(request), await read_http(request)))


async def revoke(request: Request) -> Response:
    return oauth_response(await call(provider.revoke, service_of(request), await read_http(request)))


async def introspect(request: Request) -> Response:
    return oauth_response(await call(provider.introspect, service_of(request), await read_http(request)))


async def userinfo(request: Request) -> Response:
    http = await read_http(request)
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header[:7].lower() == "bearer " else None
    if bearer is None and request.method == "POST":  # RFC 6750 §2.2 form-encoded body parameter
        bearer = dict(http.form).get("access_token")
    response = oauth_response(await call(provider.userinfo, service_of(request), http, bearer))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


async def logout(request: Request) -> Response:
    confirmed = False
    if request.method == "POST":
        confirmed = await csrf_ok(request)
    http = await read_http(request)
    outcome = await call(
        provider.end_session, service_of(request), http, provider_session_id(request), confirmed=confirmed
    )
    if isinstance(outcome, provider.ConfirmLogout):
        return render(request, "logout_confirm.html", {"logout": outcome})
    if isinstance(outcome, provider.ErrorPage):
        return render(
            request, "oauth_error.html", {"error": outcome.error, "description": outcome.description}, 400
        )
    response = (
        oauth_response(outcome)
        if outcome is not None
        else render(
            request,
            "message.html",
            {
                "title_zh": "您已退出登录",
                "title_en": "You are signed out",
                "body_zh": "统一身份认证的登录已结束。",
                "body_en": "Your single sign-on session has ended.",
            },
        )
    )
    clear_provider_session(response)
    return response


routes = [
    Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
    Route("/oidc/jwks", jwks, methods=["GET"]),
    Route("/oidc/authorize", authorize, methods=["GET", "POST"]),
    Route("/oidc/token", token, methods=["POST"]),
    Route("/oidc/revoke", revoke, methods=["POST"]),
    Route("/oidc/introspect", introspect, methods=["POST"]),
    Route("/oidc/userinfo", userinfo, methods=["GET", "POST"]),
    Route("/oidc/logout", logout, methods=["GET", "POST"]),
]
