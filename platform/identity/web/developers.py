"""/developers/apps: register an application, see it, rotate its secret (each secret is shown once), set its
back-channel logout URI."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.identity import developers
from tongban.platform.identity.clients import SCOPES
from tongban.platform.identity.common import IdentityError, InvalidInput, NotFound
from tongban.platform.identity.service import SessionRequired
from tongban.platform.identity.web.common import (
    call,
    csrf_ok,
    error_text,
    provider_session_id,
    redirect,
    render,
    service_of,
)


def _login(path: str) -> Response:
    return redirect(f"/login?next={path}")


def _expired(request: Request) -> Response:
    return render(
        request,
        "message.html",
        {"title_zh": "页面已过期，请重试", "title_en": "Page expired", "body_zh": "", "body_en": ""},
        400,
    )


async def apps_page(request: Request) -> Response:
    service, sid = service_of(request), provider_session_id(request)
    form_values = {
        "name": "",
        "redirect_uris": "",
        "scopes": ["openid", "profile"],
        "client_type": "confidential",
        "backchannel_logout_uri": "",
        "backchannel_logout_session_required": False,
    }
    problems, created, secret = [], None, None
    blank = dict(form_values)
    if request.method == "POST":
        if not await csrf_ok(request):
            return _expired(request)
        form = await request.form()
        form_values = {
            "name": str(form.get("name", "")),
            "redirect_uris": str(form.get("redirect_uris", "")),
            "scopes": [str(s) for s in form.getlist("scopes")],
            "client_type": str(form.get("client_type", "confidential")),
            **_backchannel_fields(form),
        }
        try:
            created, secret = await call(developers.register_app, service, sid, **form_values)
            form_values = blank  # registered: pressing 注册 again must not register it twice
        except SessionRequired:
            return _login("/developers/apps")
        except IdentityError as refused:
            problems = [error_text(p) for p in getattr(refused, "problems", [refused])]
    try:
        apps = await call(developers.my_apps, service, sid)
    except SessionRequired:
        return _login("/developers/apps")
    return render(
        request,
        "apps.html",
        {
            "apps": apps,
            "scopes": {s: SCOPES[s] for s in developers.DEVELOPER_SCOPES},
            "form": form_values,
            "problems": problems,
            "created": created,
            "secret": secret,
        },
        400 if problems else 200,
    )


def _backchannel_fields(form) -> dict:
    return {
        "backchannel_logout_uri": str(form.get("backchannel_logout_uri", "")),
        "backchannel_logout_session_required": form.get("backchannel_logout_session_required") == "on",
    }


async def _set_backchannel_logout(request: Request, service, sid, client_id: str) -> Response:
    """The app page's back-channel logout form: saved, or the page again with the field's error."""
    fields = _backchannel_fields(await request.form())
    error = None
    try:
        app = await call(
            developers.set_app_backchannel_logout,
            service,
            sid,
            client_id,
            uri=fields["backchannel_logout_uri"],
            session_required=fields["backchannel_logout_session_required"],
        )
    except InvalidInput as refused:
        error = error_text(refused)
        app = await call(developers.app_detail, service, sid, client_id)
    context = {"app": app, "scopes": SCOPES, "secret": None, "error": error, "saved": error is None,
               "form": fields if error else None}
    return render(request, "app.html", context, 400 if error else 200)


async def app_page(request: Request) -> Response:
    service, sid, client_id = (
        service_of(request),
        provider_session_id(request),
        request.path_params["client_id"],
    )
    secret = None
    try:
        if request.method == "POST" and (await request.form()).get("action") == "backchannel_logout":
            if not await csrf_ok(request):
                return _expired(request)
            return await _set_backchannel_logout(request, service, sid, client_id)
        if request.method == "POST":
            if not await csrf_ok(request):
                return _expired(request)
            secret = await call(developers.rotate_app_secret, service, sid, client_id)
        app = await call(developers.app_detail, service, sid, client_id)
    except SessionRequired:
        return _login(f"/developers/apps/{client_id}")
    except NotFound as missing:
        return render(
            request,
            "message.html",
            {
                "title_zh": missing.zh,
                "title_en": missing.en,
                "body_zh": "",
                "body_en": "",
                "link": "/developers/apps",
            },
            404,
        )
    except IdentityError as refused:
        return render(
            request,
            "message.html",
            {
                "title_zh": refused.zh,
                "title_en": refused.en,
                "body_zh": "",
                "body_en": "",
                "link": f"/developers/apps/{client_id}",
            },
            400,
        )
    return render(request, "app.html", {"app": app, "scopes": SCOPES, "secret": secret})


routes = [
    Route("/developers/apps", apps_page, methods=["GET", "POST"]),
    Route("/developers/apps/{client_id}", app_page, methods=["GET", "POST"]),
]
