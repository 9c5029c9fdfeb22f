"""The configurator's admin room, mounted at /admin (and /t/<code>/admin): routes translate only.

Sign-in: /admin/auth/* (the ``admin`` OIDC client). Pages: the item list, creating an item, the four
editors (elements, form, materials, flow), publishing, the tenant matrix, local settings and history.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin import routes_construction, routes_editors, routes_items, routes_local, routes_publish
from tongban.configurator.admin.access import Access, admin_rp, page
from tongban.configurator.admin.views import redirect


@page()
def item_home(request: Request, access: Access) -> Response:
    return redirect(access.url(f"/items/{request.path_params['code']}/elements"))


routes: list = [
    *admin_rp.routes(),
    *routes_items.routes,
    Route("/items/{code}", item_home, name="admin_item"),
    *routes_editors.routes,
    *routes_publish.routes,
    *routes_local.routes,
    *routes_construction.routes,
]
