"""Rendering the admin room's pages: the shared context, refusals, and the item tabs."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.configurator.admin import paths
from tongban.configurator.admin.access import Access
from tongban.configurator.admin.posted import as_text, joined, label_parts, label_text
from tongban.platform.identity.permissions import Permission
from tongban.platform.identity.web.common import with_csrf_cookie

TABS = (
    ("elements", "事项要素", "Elements"),
    ("form", "表单", "Form"),
    ("materials", "材料", "Materials"),
    ("flow", "流程", "Flow"),
    ("publish", "发布", "Publish"),
    ("matrix", "地区矩阵", "Tenant matrix"),
    ("local", "本地设置", "Local settings"),
    ("history", "变更记录", "History"),
)


class Helpers:
    """Small functions the templates call."""

    anchor = staticmethod(paths.anchor)
    label_parts = staticmethod(label_parts)
    label_text = staticmethod(label_text)
    as_text = staticmethod(as_text)
    joined = staticmethod(joined)


def render(
    request: Request, access: Access, template: str, context: dict, status_code: int = 200
) -> Response:
    directory = request.app.state.directory.snapshot
    base = {
        "access": access,
        "tenant": access.tenant,
        "admin_user": access.user,
        "root": access.root,
        "base": access.root.removesuffix("/admin"),
        "csrf_token": access.csrf,
        "h": Helpers,
        "P": Permission,
        "tabs": TABS,
        "ancestors": directory.ancestors(access.tenant.code),
        "faults": paths.Faults(),
        "name_of": lambda code: directory.by_code[code].name if code in directory.by_code else code,
    }
    response = request.app.state.templates.TemplateResponse(
        request, f"admin/{template}", {**base, **context}, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return with_csrf_cookie(request, response)


def message(
    request: Request,
    access: Access,
    status_code: int,
    zh: str,
    en: str,
    *,
    detail_zh: str = "",
    detail_en: str = "",
    links: tuple[tuple[str, str], ...] = (),
) -> Response:
    return render(
        request,
        access,
        "message.html",
        {"title_zh": zh, "title_en": en, "detail_zh": detail_zh, "detail_en": detail_en, "links": links},
        status_code,
    )


def forbidden(
    request: Request, access: Access, permission: Permission | None, *, csrf: bool = False
) -> Response:
    if csrf:
        return message(
            request,
            access,
            403,
            "表单已过期，请返回重新提交",
            "The form expired; go back and submit it again",
        )
    label = permission.label if permission else ""
    links = tuple(
        (f"/t/{code}/admin/", f"到 {_name(request, code)} 的管理后台 · Admin of {code}")
        for code in access.admin_tenants()
        if code != access.tenant.code
    )
    return message(
        request,
        access,
        403,
        "无权在该地区执行此操作",
        "Not permitted for this tenant",
        detail_zh=f"您在{access.tenant.name}没有“{label}”权限。",
        detail_en=f"You lack the permission {permission.value if permission else ''!r} in "
        f"{access.tenant.name} ({access.tenant.code}).",
        links=links,
    )


def not_found(
    request: Request, access: Access, zh: str = "找不到该事项", en: str = "No such item"
) -> Response:
    return message(request, access, 404, zh, en)


def _name(request: Request, code: str) -> str:
    tenant = request.app.state.directory.snapshot.by_code.get(code)
    return tenant.name if tenant else code


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
