"""Web plumbing shared by the identity routes: the service, cookies, CSRF, request reading, responses."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, TimestampSigner
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tongban.platform.identity.common import IdentityError
from tongban.platform.identity.config import config_from_settings
from tongban.platform.identity.oidc.server import HttpRequest, OAuthResponse
from tongban.platform.identity.service import IdentityService

SSO_COOKIE = "tb_sso"
CSRF_COOKIE = "tb_csrf"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def identity_for(app) -> IdentityService:
    """The app's identity service, built on first use from its settings and database (tests may preset it)."""
    service = getattr(app.state, "identity", None)
    if service is None:
        service = IdentityService(app.state.database, config_from_settings(app.state.settings))
        app.state.identity = service
    return service


def service_of(request: Request) -> IdentityService:
    return identity_for(request.app)


def origin_of(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


async def read_http(request: Request) -> HttpRequest:
    form: list[tuple[str, str]] = []
    if request.method == "POST" and request.headers.get("content-type", "").startswith(FORM_TYPES):
        form = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    return HttpRequest(
        request.method,
        str(request.url),
        dict(request.headers),
        list(request.query_params.multi_items()),
        form,
        client_address(request),
    )


def oauth_response(response: OAuthResponse) -> Response:
    headers = {k: v for k, v in response.headers if k.lower() != "content-type"}
    if isinstance(response.body, dict):
        return JSONResponse(response.body, status_code=response.status, headers=headers)
    return Response(
        response.body or b"",
        status_code=response.status,
        headers=headers,
        media_type=next((v for k, v in response.headers if k.lower() == "content-type"), None),
    )


def insecure_transport(request: Request) -> Response | None:
    """In production the provider answers only over https (behind a proxy: uvicorn --proxy-headers)."""
    if service_of(request).config.production and request.url.scheme != "https":
        return JSONResponse(
            {"error": "insecure_transport", "error_description": "OAuth 2 requires https"}, status_code=400
        )
    return None


# --- the provider's session cookie ------------------------------------------------------------------------
def _signer(request: Request) -> TimestampSigner:
    return TimestampSigner(service_of(request).config.secret_key, salt="tongban.identity.sso")


def provider_session_id(request: Request) -> str | None:
    value = request.cookies.get(SSO_COOKIE)
    if not value:
        return None
    max_age = int(service_of(request).config.session_ttl.total_seconds())
    try:
        return _signer(request).unsign(value, max_age=max_age).decode()
    except BadSignature:
        return None


def set_provider_session(request: Request, response: Response, session_id: str) -> None:
    config = service_of(request).config
    response.set_cookie(
        SSO_COOKIE,
        _signer(request).sign(session_id).decode(),
        max_age=int(config.session_ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=config.production,
        path="/",
    )


def clear_provider_session(response: Response) -> None:
    response.delete_cookie(SSO_COOKIE, path="/")


# --- CSRF: double submit of a random cookie value -----------------------------------------------------------
def csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE) or request.scope.setdefault("state", {}).get("csrf_new")
    if not token:
        token = secrets.token_urlsafe(24)
        request.scope["state"]["csrf_new"] = token
    return token


def with_csrf_cookie(request: Request, response: Response) -> Response:
    new = request.scope.get("state", {}).get("csrf_new")
    if new:
        response.set_cookie(
            CSRF_COOKIE,
            new,
            httponly=True,
            samesite="lax",
            path="/",
            secure=service_of(request).config.production,
        )
    return response


async def csrf_ok(request: Request) -> bool:
    sent = (await request.form()).get("csrf_token", "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and isinstance(sent, str) and hmac.compare_digest(cookie, sent)


def safe_next(value: str | None, default: str = "/account") -> str:
    """Only local paths: never an open redirect to another host."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    return default if parts.scheme or parts.netloc else value


def render(request: Request, template: str, context: dict, status_code: int = 200) -> Response:
    templates = request.app.state.templates
    context = {"tenant": None, "csrf_token": csrf_token(request), **context}
    response = templates.TemplateResponse(request, f"identity/{template}", context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return with_csrf_cookie(request, response)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_text(error: IdentityError) -> dict:
    return {"code": error.code, "zh": error.zh, "en": error.en, "field": error.field}


async def call(function, *args, **kwargs):
    """Run a synchronous service call (database, argon2, authlib) off the event loop."""
    return await run_in_threadpool(function, *args, **kwargs)
