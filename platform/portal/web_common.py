"""Web plumbing of the portal: the per-worker state, who and where a request is, CSRF, themed rendering.

Routes stay thin: they build a :class:`Ctx` (tenant, language, signed-in user), call one domain service
inside a unit of work, and render a template of the tenant's theme. Templates receive plain data only
(never the request or the app), because tenant-authored templates see the same context.
"""
from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tongban.configurator.publishing.cache import CatalogueCache
from tongban.platform.approval.actors import Actor, actor_from_user
from tongban.platform.files.store import UploadStore
from tongban.platform.identity.permissions import Permission
from tongban.platform.identity.web.rp import RPUser, portal_rp
from tongban.platform.portal import i18n
from tongban.platform.portal.catalogue import CatalogueIndexCache
from tongban.platform.portal.guide import GuideCache
from tongban.platform.portal.themes import ThemeCache, logo_url, record_failure, resolve_theme
from tongban.platform.sharing.service import sharing_for
from tongban.platform.web.pages import current_tenant
from tongban.platform.web.templating import configure_portal_env, nav_links
from tongban.tenants.directory import TenantInfo
from tongban.themes.loader import RenderFailure, ResolvedTheme, ThemeRenderer

log = logging.getLogger("tongban.portal")
LANG_COOKIE, MODE_COOKIE, CSRF_COOKIE = "tb_lang", "tb_mode", "tb_portal_csrf"
YEAR = 365 * 24 * 3600
CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class PortalState:
    """The portal's per-worker caches, built on first use from the app's services."""

    def __init__(self, app) -> None:
        catalogue = getattr(app.state, "catalogue", None) or CatalogueCache()
        self.renderer = ThemeRenderer(configure_portal_env)
        self.index = CatalogueIndexCache(catalogue)
        self.guides = GuideCache()
        self.themes = ThemeCache(app.state.settings.tenant_cache_seconds)
        self.store = UploadStore(app.state.settings.var_dir / "uploads")
        self.database = app.state.database
        self.approval = app.state.approval
        self.secret_key = app.state.settings.secret_key
        self.sharing = sharing_for(app)


def portal_of(request: Request) -> PortalState:
    return portal_state(request.app)


def portal_state(app) -> PortalState:
    """The app's portal state, built on first use (also for the API's upload endpoint)."""
    state = getattr(app.state, "portal", None)
    if state is None:
        state = app.state.portal = PortalState(app)
    return state


@dataclass
class PortalUser:
    subject: str
    name: str
    kind: str  # person | enterprise | staff
    actor: Actor
    rp: RPUser
    identity: dict = field(default_factory=dict)  # what the form engine may prefill

    def may_administer(self, tenant: TenantInfo) -> bool:
        return self.rp.allows(Permission.ADMINISTER_TENANT, tenant)


@dataclass
class Ctx:
    tenant: TenantInfo
    lang: str
    base: str  # the link prefix: "" on a tenant host, "/t/<code>" under a path prefix
    path: str
    query: dict
    user: PortalUser | None
    csrf: str
    elder: bool
    preview: bool = False
    set_cookies: dict = field(default_factory=dict)
    themes: ThemeCache | None = None
    account_url: str = "/account"  # the identity provider's account page (switch to acting for an enterprise)

    @property
    def _(self) -> Callable[..., str]:
        return i18n.gettext_for(self.lang)

    def pick(self, zh: str | None, en: str | None) -> str:
        return i18n.pick(zh, en, self.lang)

    def link(self, path: str, **params) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{self.base}{path}" + (f"?{query}" if query else "")


async def context_of(request: Request) -> Ctx:
    tenant = current_tenant(request)
    query = dict(request.query_params)
    lang = i18n.choose_language(query.get("lang"), request.cookies.get(LANG_COOKIE))
    mode = query.get("mode") or request.cookies.get(MODE_COOKIE)
    user = await signed_in(request)
    ctx = Ctx(tenant, lang, request.scope.get("root_path", ""), request.url.path, query, user,
              request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24), mode == "elder")
    if query.get("lang") in i18n.LANGUAGES:
        ctx.set_cookies[LANG_COOKIE] = lang
    if query.get("mode") in ("elder", "standard"):
        ctx.set_cookies[MODE_COOKIE] = query["mode"]
    if not request.cookies.get(CSRF_COOKIE):
        ctx.set_cookies[CSRF_COOKIE] = ctx.csrf
    ctx.preview = query.get("preview") == "draft" and user is not None and user.may_administer(tenant)
    ctx.themes = portal_of(request).themes
    ctx.account_url = f"{portal_rp.provider(request)}/account"
    return ctx


async def signed_in(request: Request) -> PortalUser | None:
    if not request.cookies.get(portal_rp.cookie):
        return None
    rp_user = await portal_rp.current_user(request)
    if rp_user is None:
        return None
    claims = rp_user.claims
    identity = {k: v for k, v in {"name": rp_user.name, "phone": claims.get("phone_number"),
                                  "email": claims.get("email"), "uscc": rp_user.uscc,
                                  "legal_representative": claims.get("legal_representative"),
                                  "resident_id": claims.get("resident_id"),
                                  "resident_id_verified": claims.get("resident_id_verified") is True}.items() if v}
    actor = actor_from_user(rp_user)
    return PortalUser(actor.subject, rp_user.name, rp_user.user_type, actor, rp_user, identity)


def sign_in_url(ctx: Ctx, next_path: str | None = None) -> str:
    here = ctx.path + ("?" + urlencode(ctx.query) if ctx.query else "")
    return f"{ctx.base}/auth/login?" + urlencode({"next": next_path or here})


def require_user(ctx: Ctx) -> PortalUser:
    if ctx.user is None:
        raise SignInRequired(sign_in_url(ctx))
    return ctx.user


class SignInRequired(Exception):
    def __init__(self, url: str):
        self.url = url


async def csrf_ok(request: Request, form) -> bool:
    sent = form.get("csrf_token", "")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and isinstance(sent, str) and hmac.compare_digest(cookie, sent)


def not_found(ctx: Ctx) -> HTTPException:
    return HTTPException(404, ("页面不存在", "Page not found"))


def trail(request: Request, ctx: Ctx, *crumbs: tuple[str, str | None]) -> list[dict]:
    """The breadcrumb: the tenant's ancestors, the tenant, then ``crumbs`` as (label, link or None)."""
    snapshot = request.app.state.directory.snapshot
    links = [{"href": f"/t/{a.code}/", "label": a.name} for a in snapshot.ancestors(ctx.tenant.code)]
    links.append({"href": f"{ctx.base}/", "label": ctx.tenant.name})
    links += [{"href": href or "", "label": label} for label, href in crumbs]
    return links


def page_number(ctx: Ctx) -> int:
    try:
        return max(1, min(int(ctx.query.get("page", 1)), 10_000))
    except ValueError:
        return 1


def paginate(rows: list, page: int, size: int = 20) -> dict:
    pages = max(1, -(-len(rows) // size))
    page = min(page, pages)
    return {"rows": rows[(page - 1) * size: page * size], "page": page, "pages": pages, "total": len(rows)}


def theme_of(session, ctx: Ctx) -> ResolvedTheme:
    if ctx.preview or ctx.themes is None:
        return resolve_theme(session, ctx.tenant, preview=ctx.preview)
    return ctx.themes.theme(session, ctx.tenant)


def render(request: Request, ctx: Ctx, theme: ResolvedTheme, template: str, data: dict,
           status: int = 200) -> Response:
    """Render ``template`` in the tenant's theme; a failing tenant template falls back and is reported."""
    portal = portal_of(request)
    context = {**common_context(ctx, theme), **data}
    html, failures = portal.renderer.render(theme, template, context)
    if failures:
        report_failures(request, ctx, theme, failures)
    return finish(ctx, HTMLResponse(html, status_code=status))


def common_context(ctx: Ctx, theme: ResolvedTheme) -> dict:
    tokens = {**theme.tokens, "logo_url": logo_url(theme, ctx.base)}
    return {
        "tenant": ctx.tenant, "lang": ctx.lang, "_": ctx._, "base": ctx.base, "theme": tokens,
        "site_name": ctx.tenant.name + tokens["site_suffix"], "elder": ctx.elder, "preview": ctx.preview,
        "user": {"name": ctx.user.name, "kind": ctx.user.kind} if ctx.user else None, "csrf_token": ctx.csrf,
        "nav": nav_links(ctx.base, ctx.path, ctx.lang), "lang_links": _switch_links(ctx),
        "sign_in_url": sign_in_url(ctx), "sign_out_url": f"{ctx.base}/auth/logout", "account_url": ctx.account_url,
    }


def _switch_links(ctx: Ctx) -> dict:
    def with_(**change) -> str:
        query = {**{k: v for k, v in ctx.query.items() if k not in ("lang", "mode")}, **change}
        return ctx.path + "?" + urlencode(query)
    return {"zh": with_(lang="zh"), "en": with_(lang="en"),
            "elder": with_(mode="standard" if ctx.elder else "elder")}


def finish(ctx: Ctx, response: Response) -> Response:
    for name, value in ctx.set_cookies.items():
        response.set_cookie(name, value, max_age=YEAR, httponly=True, samesite="lax", path="/")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    if ctx.user is not None or ctx.preview:
        response.headers["Cache-Control"] = "no-store"
    return response


def redirect(ctx: Ctx, url: str) -> Response:
    return finish(ctx, RedirectResponse(url, status_code=303))


def report_failures(request: Request, ctx: Ctx, theme: ResolvedTheme, failures: list[RenderFailure]) -> None:
    revisions = {layer.tenant_code: layer.revision for layer in theme.layers}
    snapshot = request.app.state.directory.snapshot
    database = portal_of(request).database
    for failure in failures:
        log.warning("tenant template failed; fell back to the parent's", extra={"fields": {
            "owner": failure.owner, "template": failure.name, "error": failure.error, "line": failure.line,
            "page_tenant": ctx.tenant.code}})
        owner = snapshot.by_code.get(failure.owner)
        if owner is None:
            continue
        try:
            with database.unit_of_work(owner.context()) as session:
                record_failure(session, failure, revision=revisions.get(failure.owner, 0), page_tenant=ctx.tenant.code)
        except Exception:
            log.exception("could not record a theme failure")


async def call(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)


def page(handler):
    """Wrap an ``async (request, ctx)`` handler: builds the context, turns SignInRequired into a redirect and a
    page that is not there (or not the user's) into the tenant's own error page, in its theme with its header."""
    async def endpoint(request: Request) -> Response:
        ctx = await context_of(request)
        try:
            return await handler(request, ctx)
        except SignInRequired as needed:
            return redirect(ctx, needed.url)
        except HTTPException as error:
            if error.status_code not in (403, 404):
                raise
            return await call(_error_page, request, ctx, error)
    endpoint.__name__ = handler.__name__
    return endpoint


def _error_page(request: Request, ctx: Ctx, error: HTTPException) -> Response:
    from tongban.platform.web.errors import error_body

    zh, en = error.detail if isinstance(error.detail, tuple) else (None, None)
    with portal_of(request).database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    return render(request, ctx, theme, "error.html", {"error": error_body(request, error.status_code, zh, en)},
                  error.status_code)


MAX_BODY = 120 * 1024 * 1024  # a form with its files: every material at its largest, and then some


async def with_posted_files(request: Request, ctx: Ctx, handle, *args, max_files: int, max_fields: int) -> Response:
    """A form that carries files: refused before reading when too large (413) or when its CSRF token fails (403);
    else ``handle(request, ctx, *args, form)`` in a worker thread; the spooled files are closed either way."""
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        return finish(ctx, Response("请求过大 / request too large", status_code=413))
    form = await request.form(max_files=max_files, max_fields=max_fields, max_part_size=256 * 1024)
    try:
        if not await csrf_ok(request, form):
            return finish(ctx, Response("表单已过期，请刷新后重试 / the form expired; reload it", status_code=403))
        return await call(handle, request, ctx, *args, form)
    finally:
        await form.close()
