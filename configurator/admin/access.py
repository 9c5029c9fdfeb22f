"""Who is asking, in which tenant, allowed to do what: the admin room's sign-in and permission checks.

The room is an OIDC client (``admin``) of the platform's provider. It is mounted at ``/admin``, so its
relying party needs no prefix of its own: the mount's root path already makes its routes
``/admin/auth/*`` (and ``/t/<code>/admin/auth/*``), the redirect URIs the seed registers for it.
Permissions come from the role catalogue and are checked in the tenant of the request.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.configurator.admin.posted import Posted
from tongban.platform.identity.permissions import Permission, Role
from tongban.platform.identity.web.common import CSRF_COOKIE, csrf_token
from tongban.platform.identity.web.rp import RelyingParty, RPUser
from tongban.platform.web.pages import current_tenant
from tongban.tenants.directory import TenantInfo

admin_rp = RelyingParty("admin")
P = Permission
ANY_ADMIN = (P.CONFIGURE_ITEMS, P.PUBLISH_ITEMS, P.MANAGE_TENANT_ITEMS, P.ADMINISTER_TENANT)
ADMIN_ROLES = {r.value for r in Role if r.permissions & set(ANY_ADMIN)}


@dataclass(frozen=True)
class Access:
    """The signed-in administrator acting in the request's tenant (and what they posted, if anything)."""

    user: RPUser
    tenant: TenantInfo
    root: str  # this room's URL prefix for the request: "/admin" or "/t/460105100/admin"
    csrf: str
    posted: Posted | None = None

    def can(self, permission: Permission) -> bool:
        return self.user.allows(permission, self.tenant)

    def covers(self, tenant: TenantInfo) -> bool:
        """Whether ``tenant`` is the request's tenant or below it."""
        return tenant.path.startswith(self.tenant.path)

    @property
    def actor(self) -> str:
        return f"{self.user.name}（{self.user.subject}）"[:120]

    def url(self, path: str = "/") -> str:
        return self.root + path

    def admin_tenants(self) -> list[str]:
        """Tenant codes where this user holds an administrator's role (for the way out of a refusal)."""
        return sorted({g.tenant_code for g in self.user.roles if g.role in ADMIN_ROLES})


Handler = Callable[[Request, Access], Response]


def page(*, view: tuple[Permission, ...] = ANY_ADMIN, change: Permission | None = None):
    """A synchronous page handler, run off the event loop after the checks: signed in (else to sign-in),
    any of ``view`` in this tenant, and for a POST a valid CSRF token and the ``change`` permission."""

    def decorate(handler: Handler):
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            from tongban.configurator.admin.views import forbidden

            tenant = current_tenant(request)
            root = request.scope.get("root_path", "")
            user = await admin_rp.current_user(request)
            if user is None:
                return _to_sign_in(request, root)
            access = Access(user, tenant, root, csrf_token(request))
            if not any(access.can(p) for p in view):
                return forbidden(request, access, view[0])
            if request.method == "POST":
                posted = Posted((await request.form()).multi_items())
                if not _csrf_ok(request, posted):
                    return forbidden(request, access, None, csrf=True)
                if change is not None and not access.can(change):
                    return forbidden(request, access, change)
                access = Access(user, tenant, root, access.csrf, posted)
            return await run_in_threadpool(handler, request, access)

        return endpoint

    return decorate


def _csrf_ok(request: Request, posted: Posted) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = posted.raw("csrf_token")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


def _to_sign_in(request: Request, root: str) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{root}/auth/login?next={quote(here)}", status_code=303)
