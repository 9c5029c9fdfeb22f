"""The foundation's page helpers: the request's tenant and its place in the tree.

The home page itself is the portal's (platform/portal/web.py, mounted at "/" before these routes); it keeps
what the foundation promised: the tenant's name as the page's heading, the breadcrumb of its ancestors,
the tenant list (every city and county on the province's page, with the count of all portals), notices.
"""
from __future__ import annotations

from starlette.requests import Request

from tongban.tenants.directory import Snapshot, TenantInfo
from tongban.tenants.resolution import TenantResolutionError


def current_tenant(request: Request) -> TenantInfo:
    state = request.scope.get("state", {})
    if "tenant_error" in state:
        raise state["tenant_error"]
    return state["tenant"]


def tenant_link(request: Request, tenant: TenantInfo) -> str:
    return f"/t/{tenant.code}/"


def tree_context(snapshot: Snapshot, tenant: TenantInfo) -> dict:
    """The tenant's ancestors, children and grandchildren, and the number of portals in the province."""
    children = snapshot.children.get(tenant.code, ())
    return {
        "ancestors": snapshot.ancestors(tenant.code),
        "children": children,
        "grandchildren": {c.code: snapshot.children.get(c.code, ()) for c in children},
        "tenant_count": len(snapshot.by_code),
        "is_root": tenant.parent_code is None,
    }


routes: list = []

__all__ = ["TenantResolutionError", "current_tenant", "routes", "tenant_link", "tree_context"]
