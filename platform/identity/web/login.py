"""The provider's own pages: sign in (password, then TOTP for staff), enrol TOTP, reset a password, the
account page (act for an enterprise), sign out. Plain HTML forms: they work without JavaScript."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.identity.common import IdentityError
from tongban.platform.identity.sessions import Stage
from tongban.platform.identity.signin import SignInLocked
from tongban.platform.identity.web.common import (
    call,
    clear_provider_session,
    client_address,
    csrf_ok,
    error_text,
    origin_of,
    provider_session_id,
    redirect,
    render,
    safe_next,
    service_of,
    set_provider_session,
)

STAGE_PAGES = {Stage.SECOND_FACTOR: "/login/totp", Stage.ENROL: "/login/totp/enrol"}


def _csrf_refused(request: Request) -> Response:
    return render(
        request,
        "message.html",
        {
            "title_zh": "页面已过期，请返回重试",
            "title_en": "The page expired; go back and try again",
            "body_zh": "",
            "body_en": "",
        },
        400,
    )


def _status(error: IdentityError) -> int:
    return 429 if isinstance(error, SignInLocked) else 400


async def login_page(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        view = await call(service_of(request).session_view, provider_session_id(request))
        if view is not None:
            return redirect(next_url)
        return render(request, "login.html", {"next": next_url, "username": "", "error": None})
    if not await csrf_ok(request):
        return _csrf_refused(request)
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    try:
        step = await call(service_of(request).sign_in, username, password, address=client_address(request))
    except IdentityError as error:
        return render(
            request,
            "login.html",
            {"next": next_url, "username": username, "error": error_text(error)},
            _status(error),
        )
    target = STAGE_PAGES.get(step.stage)
    response = redirect(f"{target}?{urlencode({'next': next_url})}" if target else next_url)
    set_provider_session(request, response, step.session_id)
    return response


async def register_page(request: Request) -> Response:
    """A new person's account; signed in at once and sent on (``next``: the portal they came from)."""
    from tongban.platform.identity.registration import Registration, RegistrationInvalid

    next_url = safe_next(request.query_params.get("next"))
    blank = Registration("", "", "", "", "", "")
    if request.method == "GET":
        return render(request, "register.html", {"next": next_url, "form": blank, "problems": []})
    if not await csrf_ok(request):
        return _csrf_refused(request)
    posted = await request.form()
    form = Registration(**{k: str(posted.get(k, ""))[:200] for k in ("username", "password", "confirm", "name",
                                                                      "id_number", "phone", "email")},
                        agreed=bool(posted.get("agreed")))
    try:
        step = await call(service_of(request).register_and_sign_in, form, address=client_address(request))
    except RegistrationInvalid as invalid:
        shown = Registration(**{**form.__dict__, "password": "", "confirm": ""})  # passwords are never echoed
        return render(request, "register.html", {"next": next_url, "form": shown,
                                                 "problems": [error_text(p) for p in invalid.problems]}, 400)
    except IdentityError as error:
        shown = Registration(**{**form.__dict__, "password": "", "confirm": ""})
        return render(request, "register.html", {"next": next_url, "form": shown, "problems": [error_text(error)]},
                      429 if error.code == "too_many_registrations" else 400)
    response = redirect(next_url)
    set_provider_session(request, response, step.session_id)
    return response


async def totp_page(request: Request) -> Response:
    return await _second_factor(request, enrolling=False)


async def enrol_page(request: Request) -> Response:
    return await _second_factor(request, enrolling=True)


async def _second_factor(request: Request, *, enrolling: bool) -> Response:
    service, session_id = service_of(request), provider_session_id(request)
    next_url = safe_next(request.query_params.get("next"))
    stage = Stage.ENROL if enrolling else Stage.SECOND_FACTOR
    if await call(service.session_view, session_id, stage=stage) is None:
        return redirect("/login?" + urlencode({"next": next_url}))
    context = {"next": next_url, "error": None, "enrolling": enrolling}
    if enrolling:
        secret, uri = await call(service.enrolment, session_id)
        context.update(secret=secret, otpauth_uri=uri, qr_svg=_qr_svg(uri))
    if request.method == "POST":
        if not await csrf_ok(request):
            return _csrf_refused(request)
        code = str((await request.form()).get("code", ""))
        try:
            await call(
                service.second_factor, session_id, code, address=client_address(request), enrolling=enrolling
            )
        except IdentityError as error:
            return render(request, "totp.html", {**context, "error": error_text(error)}, _status(error))
        return redirect(next_url)
    return render(request, "totp.html", context)


def _qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, omitsize=False)


async def account_page(request: Request) -> Response:
    service = service_of(request)
    view = await call(service.session_view, provider_session_id(request))
    if view is None:
        return redirect("/login?next=/account")
    error = None
    if request.method == "POST":
        if not await csrf_ok(request):
            return _csrf_refused(request)
        form = await request.form()
        try:
            await call(service.switch_acting, view.session_id, str(form.get("acting", "self")))
            return redirect(safe_next(str(form.get("next", "")), "/account"))
        except IdentityError as refused:
            error = error_text(refused)
    return render(request, "account.html", {"view": view, "error": error}, 400 if error else 200)


async def sign_out(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "logout_confirm.html", {"logout": None})
    if not await csrf_ok(request):
        return _csrf_refused(request)
    await call(service_of(request).sign_out, provider_session_id(request))
    response = render(
        request,
        "message.html",
        {"title_zh": "您已退出登录", "title_en": "You are signed out", "body_zh": "", "body_en": ""},
    )
    clear_provider_session(response)
    return response


async def reset_request(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "reset_request.html", {"sent": False})
    if not await csrf_ok(request):
        return _csrf_refused(request)
    service = service_of(request)
    base = service.config.issuer or origin_of(request)
    identifier = str((await request.form()).get("identifier", ""))
    await call(
        service.request_password_reset,
        identifier,
        link_for=lambda token: f"{base}/login/reset/{token}",
        address=client_address(request),
    )
    return render(request, "reset_request.html", {"sent": True})


async def reset_form(request: Request) -> Response:
    service, token = service_of(request), request.path_params["token"]
    try:
        username = await call(service.check_reset_link, token)
    except IdentityError as error:
        return render(request, "reset_form.html", {"invalid": error_text(error)}, 400)
    context = {"invalid": None, "username": username, "error": None, "token": token}
    if request.method == "GET":
        return render(request, "reset_form.html", context)
    if not await csrf_ok(request):
        return _csrf_refused(request)
    form = await request.form()
    password = str(form.get("password", ""))
    if password != str(form.get("confirm", "")):
        error = {"zh": "两次输入的密码不一致", "en": "The passwords do not match", "field": "confirm"}
        return render(request, "reset_form.html", {**context, "error": error}, 400)
    try:
        await call(service.reset_password, token, password)
    except IdentityError as error:
        return render(request, "reset_form.html", {**context, "error": error_text(error)}, 400)
    return render(
        request,
        "message.html",
        {
            "title_zh": "密码已重置，请重新登录",
            "title_en": "Password changed; please sign in",
            "body_zh": "",
            "body_en": "",
            "link": "/login",
        },
    )


routes = [
    Route("/login", login_page, methods=["GET", "POST"]),
    Route("/register", register_page, methods=["GET", "POST"]),
    Route("/login/totp", totp_page, methods=["GET", "POST"]),
    Route("/login/totp/enrol", enrol_page, methods=["GET", "POST"]),
    Route("/login/reset", reset_request, methods=["GET", "POST"]),
    Route("/login/reset/{token}", reset_form, methods=["GET", "POST"]),
    Route("/account", account_page, methods=["GET", "POST"]),
    Route("/logout", sign_out, methods=["GET", "POST"]),
]
