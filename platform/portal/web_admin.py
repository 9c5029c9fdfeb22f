"""The tenant admin's theme page (/portal-admin/theme): tokens, template overrides and the logo image, saved
in a checked draft, previewed on any portal page with ``?preview=draft``, then published (or discarded)
together. The logo (see ``logos``) is served at ``/portal-logo/<sha256>.png`` under the tenant's portal;
a draft logo only with ``?preview=draft`` to an administrator of that tenant, never cached.
Needs ``administer_tenant`` in the tenant (identity's portal relying party). Always rendered in the base
theme, so a broken tenant theme can be fixed from here."""
from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.portal import logos, themes
from tongban.platform.portal.web_common import (
    Ctx,
    PortalUser,
    call,
    csrf_ok,
    page,
    portal_of,
    redirect,
    render,
    require_user,
    signed_in,
    trail,
)
from tongban.platform.web.pages import current_tenant
from tongban.themes.loader import BASE_THEME, overridable_templates
from tongban.themes.tokens import BASE_TOKENS, LABELS, effective_tokens


def _admin(ctx: Ctx) -> PortalUser:
    user = require_user(ctx)
    if not user.may_administer(ctx.tenant):
        raise HTTPException(403, ("您没有管理本地区门户主题的权限", "You may not manage this portal's theme"))
    return user


@page
async def theme_admin(request: Request, ctx: Ctx):
    user = _admin(ctx)
    form = None
    if request.method == "POST":
        if int(request.headers.get("content-length") or 0) > logos.MAX_BYTES + 512 * 1024:
            raise HTTPException(413, ("标志图片不能超过 %d KB" % (logos.MAX_BYTES // 1024),
                                      "the logo image may be at most %d KB" % (logos.MAX_BYTES // 1024)))
        form = await request.form(max_files=1, max_fields=200, max_part_size=128 * 1024)
        if not await csrf_ok(request, form):
            raise HTTPException(403, ("表单已过期，请刷新后重试", "The form expired; reload it"))
    return await call(_theme_admin, request, ctx, user, form)


def _theme_admin(request: Request, ctx: Ctx, user: PortalUser, form):
    portal = portal_of(request)
    problems, message, status, submitted = [], None, 200, None
    action = str(form.get("action") or "save") if form else None
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        try:
            if action == "publish":
                themes.publish_draft(session, ctx.tenant.code, actor=user.subject)
                message = ("主题已发布", "The theme is published")
            elif action == "discard":
                themes.discard_draft(session, ctx.tenant.code, actor=user.subject)
                message = ("草稿已放弃", "The draft is discarded")
            elif action == "upload_logo":
                with session.begin_nested():
                    themes.draft_logo(session, ctx.tenant.code, _upload_bytes(form.get("logo")),
                                      actor=user.subject)
            elif action == "remove_logo" and not themes.draft_logo_removal(session, ctx.tenant.code,
                                                                            actor=user.subject):
                problems, status = [{"path": "logo", "zh": "没有可删除的本级标志", "en": "there is no logo of this "
                                     "tenant's own to remove", "line": None}], 409
            elif action == "save":
                submitted = _submitted(form)
                with session.begin_nested():
                    themes.save_draft(session, ctx.tenant.code, tokens=submitted[0], templates=submitted[1],
                                      actor=user.subject)
                message = ("草稿已保存，可先预览再发布", "Draft saved: preview it, then publish")
        except themes.ThemeInvalid as invalid:
            problems, status = [p.to_dict() for p in invalid.problems], 422
        except logos.LogoInvalid as invalid:
            problems, status = [invalid.problem.to_dict()], 422
        except themes.ThemeError as refused:
            problems, status = [{"path": "", "zh": refused.zh, "en": refused.en, "line": None}], 409
        view = themes.theme_view(session, ctx.tenant.code)
        inherited = themes.resolve_theme(session, ctx.tenant)
        logo = logos.nearest_logo(session, ctx.tenant)
        drafted = logos.nearest_logo(session, ctx.tenant, preview=True) if view.has_draft else logo
        failures = [{"name": f.template_name, "error": f.error, "line": f.line, "count": f.count, "at": f.last_at,
                     "revision": f.revision} for f in themes.recent_failures(session, ctx.tenant.code)]
    if action in ("publish", "discard", "upload_logo", "remove_logo") and not problems:
        portal.themes.clear()
        return redirect(ctx, f"{ctx.base}/portal-admin/theme?done={action}")
    tokens, templates = submitted if submitted else (view.tokens, view.templates)
    parent_tokens = effective_tokens([layer.tokens for layer in inherited.layers if layer.tenant_code != ctx.tenant.code])
    data = {"trail": trail(request, ctx, (ctx._("门户主题"), None)), "view": view, "problems": problems,
            "message": message or _done(ctx.query.get("done")), "tokens": tokens, "templates": templates,
            "token_rows": [{"key": k, "label": LABELS[k], "value": tokens.get(k, ""), "inherited": parent_tokens[k]}
                           for k in BASE_TOKENS],
            "template_names": sorted(overridable_templates()), "failures": failures,
            "preview_links": [(ctx._("首页"), f"{ctx.base}/?preview=draft"),
                              (ctx._("搜索"), f"{ctx.base}/search?q=dj&preview=draft"),
                              (ctx._("全部事项"), f"{ctx.base}/items?preview=draft")],
            "logo": _logo_data(request, ctx, logo),
            "logo_draft": _logo_data(request, ctx, drafted), "logo_changed": drafted != logo,
            "may_remove_logo": drafted is not None and drafted.tenant_code == ctx.tenant.code,
            "logo_problem": next((p for p in problems if p["path"] == logos.FIELD), None)}
    return render(request, ctx, BASE_THEME, "portal/admin_theme.html", data, status)


def _upload_bytes(upload) -> bytes:
    """At most one byte past the limit (the check refuses it), whatever the client declared."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return b""
    return upload.file.read(logos.MAX_BYTES + 1)


def _logo_data(request: Request, ctx: Ctx, logo: logos.LogoRef | None) -> dict | None:
    if logo is None:
        return None
    owner = request.app.state.directory.snapshot.by_code.get(logo.tenant_code)
    return {"url": f"{ctx.base}/portal-logo/{logo.sha256}.png" + ("?preview=draft" if logo.draft else ""),
            "own": logo.tenant_code == ctx.tenant.code, "owner_name": owner.name if owner else logo.tenant_code}


async def logo_image(request: Request) -> Response:
    """The logo the tenant's pages show, by the hash of its PNG: cached for a year, a new logo a new URL. With
    ``?preview=draft``, to an administrator of the tenant, the logo its draft's preview shows (not cached)."""
    sha = request.path_params["sha"]
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        raise HTTPException(404, ("页面不存在", "Page not found"))
    tenant = current_tenant(request)
    preview = request.query_params.get("preview") == "draft" and await _may_preview(request, tenant)
    etag = f'"{sha}"'
    headers = {"ETag": etag, "Cache-Control": "no-store" if preview else "public, max-age=31536000, immutable",
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    content = await call(_logo_content, request, tenant, sha, preview)
    if content is None:
        raise HTTPException(404, ("页面不存在", "Page not found"))
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type="image/png", headers=headers)


async def _may_preview(request: Request, tenant) -> bool:
    user = await signed_in(request)
    return user is not None and user.may_administer(tenant)


def _logo_content(request: Request, tenant, sha: str, preview: bool) -> bytes | None:
    with portal_of(request).database.unit_of_work(tenant.context()) as session:
        return logos.logo_content(session, tenant, sha, preview=preview)


def _submitted(form) -> tuple[dict, dict]:
    tokens = {k: str(form.get(f"token.{k}") or "") for k in BASE_TOKENS}
    templates = {}
    for key in form:
        if key.startswith("template.") and key != "template.new":
            templates[key[len("template."):]] = str(form.get(key) or "")
    new_name = str(form.get("new_template_name") or "").strip()
    if new_name and str(form.get("template.new") or "").strip():
        templates[new_name] = str(form.get("template.new"))
    return tokens, templates


def _done(action: str | None):
    return {"publish": ("主题已发布", "The theme is published"),
            "discard": ("草稿已放弃", "The draft is discarded"),
            "upload_logo": ("新标志已存入主题草稿：请先预览，发布主题后门户页头才使用新标志",
                            ("The new logo is in the theme draft: preview it; portal pages show it once the "
                             "theme is published")),
            "remove_logo": ("删除标志已存入主题草稿：发布主题后改用上级的标志",
                            ("Removing the logo is in the theme draft: once the theme is published, portal pages "
                             "show the parent's logo again")),
            }.get(action or "")


routes = [Route("/portal-admin/theme", theme_admin, methods=["GET", "POST"]),
          Route("/portal-logo/{sha}.png", logo_image, methods=["GET", "HEAD"])]

__all__ = ["routes"]
