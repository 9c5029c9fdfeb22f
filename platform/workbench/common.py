"""What every workbench page needs: the signed-in staff member as an Actor, links, CSRF, rendering.

The workbench is an OIDC client of the platform's provider (client ``workbench``). Its routes sit inside
the ``/workbench`` mount, so the relying party's own prefix is empty: the mount's root path
(``/workbench`` or ``/t/<code>/workbench``) already is the room's base, on every tenant host and path.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.platform.approval.actors import Actor, actor_from_user
from tongban.platform.approval.guards import STATE_LABELS
from tongban.platform.calendar.working_days import last_day
from tongban.platform.identity.web.rp import RelyingParty, RPUser
from tongban.platform.web.pages import current_tenant
from tongban.platform.workbench.labels import GLOBALS
from tongban.tenants.directory import TenantInfo

BEIJING = ZoneInfo("Asia/Shanghai")
rp = RelyingParty("workbench")
LACKING = {"accept_cases": ("窗口收件需要窗口受理权限", "Window intake needs the window clerk's permission"),
           "view_cases": ("查看办件需要相应权限", "Viewing cases needs the permission to view them")}


@dataclass(frozen=True)
class Staff:
    user: RPUser
    actor: Actor
    tenant: TenantInfo
    base: str  # this room's path on this host: /workbench or /t/<code>/workbench
    csrf: str

    @property
    def site(self) -> str:
        """The tenant's site root on this host ('' or /t/<code>)."""
        return self.base[: -len("/workbench")] if self.base.endswith("/workbench") else ""


async def call(function, *args, **kwargs):
    return await run_in_threadpool(function, *args, **kwargs)


def room_base(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


async def signed_in_staff(request: Request, permission: str | None = None, *, hide: bool = False) -> Staff | Response:
    """The staff member acting here, or the response that asks them to sign in / says they may not.

    With ``permission``, staff who lack it here get a refusal — or, with ``hide``, the page a missing case
    gets (a case page says nothing to those who may not see cases)."""
    tenant = current_tenant(request)
    base = room_base(request)
    user = await rp.current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{base}/auth/login?next={quote(target)}", status_code=303)
    if user.user_type != "staff":
        return refusal(request, tenant, base, 403, "工作台仅供工作人员使用", "The workbench is for staff only")
    if "mfa" not in (user.claims.get("amr") or []):
        return refusal(request, tenant, base, 403, "请使用动态验证码重新登录", "Please sign in again with your verification code",
                       link=f"{base}/auth/logout")
    actor = actor_from_user(user, department=user.claims.get("department") or None)
    if not any(g.covers(tenant.path) for g in actor.grants):
        homes = _home_links(request, actor)
        at_root = tenant.path.count("/") == 2  # the province's own address, where city and county staff land
        if at_root and len(homes) == 1 and request.method == "GET" and request.url.path == f"{base}/":
            return RedirectResponse(homes[0][1], status_code=303)  # the one workbench they have: open it
        return refusal(request, tenant, base, 403, f"您在{tenant.name}没有工作人员角色",
                       f"You hold no staff role in {tenant.name}", others=homes)
    staff = Staff(user, actor, tenant, base, csrf_token(request))
    if permission and not may(staff, permission):
        if hide:
            return not_found(request, staff)
        zh, en = LACKING.get(permission, LACKING["view_cases"])
        return lacking(request, staff, zh, en)
    return staff


def may(staff: Staff, permission: str) -> bool:
    """The staff member holds ``permission`` in this tenant (by a grant here or above it with its subtree)."""
    return staff.actor.may(permission, staff.tenant.path)


def lacking(request: Request, staff: Staff, zh: str, en: str) -> Response:
    return render(request, "message.html", {"tenant": staff.tenant, "base": staff.base, "staff": staff,
                                            "title_zh": zh, "title_en": en, "link": staff.base + "/",
                                            "others": []}, 403)


def _home_links(request: Request, actor: Actor) -> list[tuple[str, str]]:
    snapshot = request.app.state.directory.snapshot
    links = []
    for grant in actor.grants:
        info = snapshot.by_code.get(grant.tenant_code)
        if info is not None and (info.name, f"/t/{info.code}/workbench/") not in links:
            links.append((info.name, f"/t/{info.code}/workbench/"))
    return links


def csrf_token(request: Request) -> str:
    session = request.cookies.get(rp.cookie, "")
    key = request.app.state.settings.secret_key.encode()
    return hmac.new(key, f"workbench-csrf:{session}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, form) -> bool:
    return hmac.compare_digest(str(form.get("csrf_token", "")), csrf_token(request))


def render(request: Request, template: str, context: dict, status: int = 200, *, history: bool = False) -> Response:
    """A workbench page. Never stored by the browser or a proxy: it shows applicants' personal data, and a window's
    shared computer must not show it again from its cache (Back) after the clerk has signed out. ``history``: the
    intake form, which this browser alone may keep for Back (private): Back must bring back the same form with its
    one-time submission key, so that submitting it again shows the first receipt instead of a second case."""
    context = {"bj": bj, "due_day": due_day, "state_label": state_label, **GLOBALS, **context}
    response = request.app.state.templates.TemplateResponse(request, f"workbench/{template}", context,
                                                            status_code=status)
    response.headers["Cache-Control"] = "private" if history else "no-store"
    return response


def refusal(request: Request, tenant, base: str, status: int, zh: str, en: str, *, link: str | None = None,
            others: list | None = None) -> Response:
    return render(request, "message.html", {"tenant": tenant, "base": base, "staff": None, "title_zh": zh,
                                            "title_en": en, "link": link, "others": others or []}, status)


def not_found(request: Request, staff: Staff) -> Response:
    """The same page whether the case does not exist or is not this tenant's."""
    return render(request, "message.html", {"tenant": staff.tenant, "base": staff.base, "staff": staff,
                                            "title_zh": "找不到该办件", "title_en": "No such case",
                                            "link": staff.base + "/", "others": []}, 404)


def bj(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(BEIJING).strftime(fmt) if value else ""


def due_day(value: datetime | None) -> str:
    """A due instant (exclusive, 00:00 after the last working day) as the last day it covers."""
    return last_day(value).isoformat() if value else ""


def state_label(state: str) -> tuple[str, str]:
    return STATE_LABELS.get(state, (state, state))


def page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1
