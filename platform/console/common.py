"""What every console page needs: the signed-in supervisor (the workbench's sign-in, shared cookie), the scope
tenant chosen for drill-down, CSRF, rendering.

The console is mounted at ``/supervision`` beside ``/workbench`` and signs in through the workbench's relying
party (``<site>/workbench/auth/login?next=…``): one staff session for both rooms.
"""
from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.platform.approval.actors import actor_from_user
from tongban.platform.supervision.disposition import LABEL_ZH
from tongban.platform.web.pages import current_tenant
from tongban.platform.workbench.common import Staff, bj, csrf_ok, csrf_token, due_day, rp, state_label  # noqa: F401
from tongban.platform.workbench.labels import GLOBALS
from tongban.tenants.directory import TenantInfo

SEVERITY = {"warning": ("预警", "Warning"), "yellow": ("黄牌", "Yellow card"), "red": ("红牌", "Red card")}
STATES = {"pending": ("待确认", "Pending"), "issued": ("已发出", "Issued"), "appealed": ("申诉中", "Appealed"),
          "under_supervision": ("督办中", "Under 督办"), "rectification_submitted": ("整改待审核", "Rectification submitted"),
          "withdrawn": ("已撤回", "Withdrawn"), "cancelled": ("已撤销", "Cancelled"), "closed": ("已办结", "Closed")}
LEVELS = {"province": ("省", "Province"), "city_county": ("市县", "City/County"), "district": ("区", "District"),
          "township": ("乡镇街道", "Township"), "village": ("村社区", "Village")}
READERS = ("supervise", "view_statistics")


def room_site(request: Request) -> str:
    """The tenant's site root on this host ('' or /t/<code>), the console's mount stripped."""
    root = request.scope.get("root_path", "").rstrip("/")
    return root[: -len("/supervision")] if root.endswith("/supervision") else root


async def signed_in_supervisor(request: Request, permission: str = "supervise") -> Staff | Response:
    """The supervisor acting here (a subtree grant over this tenant with ``permission``), or the response."""
    tenant = current_tenant(request)
    site = room_site(request)
    base = site + "/supervision"
    user = await rp.current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{site}/workbench/auth/login?next={quote(target)}", status_code=303)
    if user.user_type != "staff" or "mfa" not in (user.claims.get("amr") or []):
        return message(request, None, tenant, base, 403, "请以工作人员身份使用动态验证码登录",
                       "Sign in as staff with your verification code", link=f"{site}/workbench/auth/logout")
    actor = actor_from_user(user, department=user.claims.get("department") or None)
    if not any(g.subtree and g.covers(tenant.path) and g.allows(permission) for g in actor.grants):
        return message(request, None, tenant, base, 403, f"您在{tenant.name}没有电子监察权限",
                       f"You do not supervise {tenant.name}", link=f"{site}/workbench/")
    return Staff(user, actor, tenant, base, csrf_token(request))


def scope_tenant(request: Request, staff: Staff) -> TenantInfo:
    """The tenant chosen for drill-down (``?tenant=``): this tenant or one below it, else this tenant."""
    code = request.query_params.get("tenant") or ""
    info = request.app.state.directory.snapshot.by_code.get(code)
    if info is None or not info.path.startswith(staff.tenant.path):
        return staff.tenant
    return info


def trail(request: Request, staff: Staff, scope: TenantInfo) -> list[TenantInfo]:
    """The breadcrumbs from the supervisor's tenant down to ``scope``."""
    snapshot = request.app.state.directory.snapshot
    chain = [*snapshot.ancestors(scope.code), scope]
    return [t for t in chain if t.path.startswith(staff.tenant.path)]


def children(request: Request, scope: TenantInfo) -> tuple[TenantInfo, ...]:
    return request.app.state.directory.snapshot.children.get(scope.code, ())


def tenant_name(request: Request, code: str) -> str:
    info = request.app.state.directory.snapshot.by_code.get(code)
    return info.name if info else code


def allowed(staff: Staff | None) -> frozenset[str]:
    """The console permissions (READERS) the staff member holds over their tenant's subtree: the nav shows only
    the rooms that will let them in (alerts and complaints: supervise; dashboard and evaluation: statistics)."""
    if staff is None:
        return frozenset()
    return frozenset(p for p in READERS
                     if any(g.subtree and g.covers(staff.tenant.path) and g.allows(p) for g in staff.actor.grants))


def render(request: Request, template: str, context: dict, status: int = 200) -> Response:
    base = context.get("base", "")
    context = {"allowed": allowed(context.get("staff")), **context}
    context = {"action_labels": {**LABEL_ZH, "raise": "发现"}, "site": base[: -len("/supervision")] if base.endswith("/supervision") else "", "bj": bj, "due_day": due_day, "state_label": state_label, "severity_labels": SEVERITY, "alert_states": STATES,
               "level_names": LEVELS, "name_of": lambda code: tenant_name(request, code), **GLOBALS, **context}
    return request.app.state.templates.TemplateResponse(request, f"supervision/{template}", context,
                                                       status_code=status)


def message(request: Request, staff: Staff | None, tenant, base: str, status: int, zh: str, en: str, *,
            link: str | None = None) -> Response:
    return render(request, "message.html", {"staff": staff, "tenant": tenant, "base": base, "title_zh": zh,
                                            "title_en": en, "link": link}, status)
