"""The tenant admin's theme page (/portal-admin/theme): tokens and template overrides, saved as a checked
draft, previewed on any portal page with ``?preview=draft``, then published. Needs ``administer_tenant``
in the tenant (identity's portal relying party). Always rendered in the base theme, so a broken tenant
theme can be fixed from here."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.portal import themes
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
    trail,
)
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
        form = await request.form(max_fields=200, max_part_size=128 * 1024)
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
            elif action == "save":
                submitted = _submitted(form)
                with session.begin_nested():
                    themes.save_draft(session, ctx.tenant.code, tokens=submitted[0], templates=submitted[1],
                                      actor=user.subject)
                message = ("草稿已保存，可先预览再发布", "Draft saved: preview it, then publish")
        except themes.ThemeInvalid as invalid:
            problems, status = [p.to_dict() for p in invalid.problems], 422
        except themes.ThemeError as refused:
            problems, status = [{"path": "", "zh": refused.zh, "en": refused.en, "line": None}], 409
        view = themes.theme_view(session, ctx.tenant.code)
        inherited = themes.resolve_theme(session, ctx.tenant)
        failures = [{"name": f.template_name, "error": f.error, "line": f.line, "count": f.count, "at": f.last_at,
                     "revision": f.revision} for f in themes.recent_failures(session, ctx.tenant.code)]
    if action in ("publish", "discard") and not problems:
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
                              (ctx._("全部事项"), f"{ctx.base}/items?preview=draft")]}
    return render(request, ctx, BASE_THEME, "portal/admin_theme.html", data, status)


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
            "discard": ("草稿已放弃", "The draft is discarded")}.get(action or "")


routes = [Route("/portal-admin/theme", theme_admin, methods=["GET", "POST"])]

__all__ = ["routes"]
