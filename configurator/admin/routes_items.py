"""The item list (search, filters, paging, bulk enable/disable in this tenant) and creating an item."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin import elements_form
from tongban.configurator.admin.access import Access, P, page
from tongban.configurator.admin.listing import STATES, ItemFilter, list_items
from tongban.configurator.admin.paths import Fault, Faults, from_problems, parse_op
from tongban.configurator.admin.views import redirect, render
from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, KINDS
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.catalogue import CatalogueError

BULK = {
    "enable": (True, "已启用", "enabled"),
    "disable": (False, "已停用", "disabled"),
    "inherit": (None, "已恢复为跟随上级", "now follow the level above"),
}


@page()
def home(request: Request, access: Access) -> Response:
    return redirect(access.url("/items"))


def _filter(request: Request) -> ItemFilter:
    q = request.query_params
    page_no = q.get("page", "1")
    return ItemFilter(
        q=q.get("q", "").strip()[:100],
        kind=q.get("kind", ""),
        department=q.get("department", ""),
        audience=q.get("audience", ""),
        case_type=q.get("case_type", ""),
        state=q.get("state", ""),
        page=int(page_no) if page_no.isdigit() else 1,
    )


@page(change=P.MANAGE_TENANT_ITEMS)
def items(request: Request, access: Access) -> Response:
    notice, faults = None, []
    if access.posted is not None:
        notice, faults = _bulk(request, access)
    wanted = _filter(request)
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        listed = list_items(session, wanted)
        served = {e.code for e in request.app.state.catalogue.catalogue(session, access.tenant)}
    context = {
        "page": listed,
        "filter": wanted,
        "served": served,
        "kinds": KINDS,
        "case_types": CASE_TYPES,
        "audiences": AUDIENCES,
        "states": STATES,
        "notice": notice,
        "faults": Faults(faults),
    }
    return render(request, access, "items.html", context, 422 if faults else 200)


def _bulk(request: Request, access: Access) -> tuple[tuple[str, str] | None, list[Fault]]:
    """Enable, disable or un-decide the chosen items for this tenant (its subtree inherits the decision)."""
    codes = access.posted.values("items")
    verb, _ = parse_op(access.posted.text("op"))
    if verb not in BULK:
        return None, [Fault("op", "请选择操作", "Choose what to do", "required")]
    if not codes:
        return None, [Fault("items", "请先勾选事项", "Tick at least one item", "required")]
    enabled, zh, en = BULK[verb]
    try:
        with request.app.state.database.unit_of_work(access.tenant.context()) as session:
            count = local.set_enabled(session, access.tenant.code, codes, enabled, actor=access.actor)
    except CatalogueError as error:
        return None, [Fault("items", error.zh, error.en, error.code)]
    return (
        f"{count} 个事项在{access.tenant.name}及下级{zh}",
        f"{count} item(s) {en} in {access.tenant.name} and below",
    ), []


@page(view=(P.CONFIGURE_ITEMS,), change=P.CONFIGURE_ITEMS)
def new_item(request: Request, access: Access) -> Response:
    posted = access.posted
    if posted is None:
        return _new_page(request, access, {"levels": [], "channels": [], "audience": [], "fees": []}, [])
    elements = elements_form.read(posted, None)
    verb, path = parse_op(posted.text("op") or "save")
    if verb != "save":
        return _new_page(request, access, elements_form.apply(elements, verb, path, posted), [])
    faults = elements_form.check(elements)
    if faults:
        return _new_page(request, access, elements, faults, 422)
    try:
        with request.app.state.database.unit_of_work(access.tenant.context()) as session:
            catalogue.create_item(session, owner=access.tenant.code, elements=elements, actor=access.actor)
    except ContentInvalid as invalid:
        return _new_page(request, access, elements, from_problems(invalid.problems, "elements."), 422)
    return redirect(access.url(f"/items/{elements['code']}/form?created=1"))


def _new_page(
    request: Request, access: Access, elements: dict, faults: list[Fault], status: int = 200
) -> Response:
    context = {
        "value": elements,
        "faults": Faults(faults),
        "new": True,
        "editable": True,
        **elements_form.view(elements),
    }
    return render(request, access, "item_new.html", context, status)


routes = [
    Route("/", home, name="admin_home"),
    Route("/items", items, methods=["GET", "POST"], name="admin_items"),
    Route("/items/new", new_item, methods=["GET", "POST"], name="admin_new_item"),
]
