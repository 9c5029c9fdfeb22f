"""/developers/apps: register an application, see it, rotate its secret (each secret is shown once)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.identity import developers
from tongban.platform.identity.clients import SCOPES
from tongban.platform.identity.common import IdentityError, NotFound
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


async def apps_page(request: Request) -> Response:
    service, sid = service_of(request), provider_session_id(request)
    form_values = {
        "name": "",
        "redirect_uris": "",
        "scopes": ["openid", "profile"],
        "client_type": "confidential",
    }
    error, created, secret = None, None, None
    if request.method == "POST":
        if not await csrf_ok(request):
            return render(
                request,
                "message.html",
                {"title_zh": "页面已过期，请重试", "title_en": "Page expired", "body_zh": "", "body_en": ""},
                400,
            )
        form = await request.form()
        form_values = {
            "name": str(form.get("name", "")),
            "redirect_uris": str(form.get("redirect_uris", "")),
            "scopes": [str(s) for s in form.getlist("scopes")],
            "client_type": str(form.get("client_type", "confidential")),
        }
        try:
            created, secret = await call(developers.register_app, service, sid, **form_values)
        except SessionRequired:
            return _login("/developers/apps")
        except IdentityError as refused:
            error = error_text(refused)
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
            "error": error,
            "created": created,
            "secret": secret,
        },
        400 if error else 200,
    )


async def app_page(request: Request) -> Response:
    service, sid, client_id = (
        service_of(request),
        provider_session_id(request),
        request.path_params["client_id"],
    )
    secret = None
    try:
        if request.method == "POST":
            if not await csrf_ok(request):
                return render(
                    request,
                    "message.html",
                    {
                        "title_zh": "页面已过期，请重试",
                        "title_en": "Page expired",
                        "body_zh": "",
                        "body_en": "",
                    },
                    400,
                )
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
