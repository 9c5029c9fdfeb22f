"""The tenant of a tenant-scoped field: the explicit ``tenant`` argument, else the request's own tenant
(``/t/<code>/graphql`` or the host name). Unknown, suspended and forbidden tenants look the same."""
from __future__ import annotations

from tongban.graphql.core.context import ApiContext
from tongban.graphql.core.errors import ApiError, tenant_not_found
from tongban.tenants.directory import TenantInfo
from tongban.tenants.resolution import TenantResolutionError, by_code


def tenant_of(context: ApiContext, code: str | None) -> TenantInfo:
    if code is None:
        if context.request_tenant is None:
            raise ApiError("BAD_USER_INPUT", "请指定地区（tenant 参数）", "pass the tenant argument")
        return context.request_tenant
    try:
        return by_code(context.snapshot, code.strip())
    except TenantResolutionError:
        raise tenant_not_found(code) from None


def staff_tenant(context: ApiContext, code: str | None, permission: str) -> TenantInfo:
    """A tenant where the caller holds ``permission`` — otherwise the same "not found" as a bad code."""
    tenant = tenant_of(context, code)
    actor = context.actor
    if actor is None or actor.kind != "staff" or not actor.may(permission, tenant.path):
        raise tenant_not_found(tenant.code)
    return tenant
