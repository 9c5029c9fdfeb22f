"""Public pages of the foundation: a tenant's home with its place in the tree and its notices."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.platform.content.notices import latest_notices
from tongban.tenants.directory import TenantInfo
from tongban.tenants.resolution import TenantResolutionError


def current_tenant(request: Request) -> TenantInfo:
    state = request.scope.get("state", {})
    if "tenant_error" in state:
        raise state["tenant_error"]
    return state["tenant"]


def tenant_link(request: Request, tenant: TenantInfo) -> str:
    return f"/t/{tenant.code}/"


def home(request: Request):
    tenant = current_tenant(request)
    snapshot = request.app.state.directory.snapshot
    with request.app.state.database.unit_of_work(tenant.context()) as session:
        notices = [{"title": n.title, "body": n.body, "published_at": n.published_at}
                   for n in latest_notices(session, limit=5)]
    context = {
        "tenant": tenant,
        "ancestors": snapshot.ancestors(tenant.code),
        "children": snapshot.children.get(tenant.code, ()),
        "grandchildren": {c.code: snapshot.children.get(c.code, ()) for c in snapshot.children.get(tenant.code, ())},
        "notices": notices,
        "tenant_count": len(snapshot.by_code),
        "is_root": tenant.parent_code is None,
    }
    return request.app.state.templates.TemplateResponse(request, "home.html", context)


routes = [Route("/", home, name="home")]

__all__ = ["routes", "current_tenant", "TenantResolutionError"]
