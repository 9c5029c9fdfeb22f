"""The online service hall (网上办事大厅) of each tenant: home, browsing by facet, search.

Every page is tenant-scoped by the request (host name or /t/<code>/ prefix) and rendered in the tenant's
theme. The other pages live beside this module: web_guide (item guides and lists), web_apply (applying,
drafts, uploads), web_cases (my cases, progress, public results), web_appointments, web_admin (themes).
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from tongban.configurator.items.elements import AUDIENCES, KINDS
from tongban.platform.portal import (
    web_admin,
    web_appointment_admin,
    web_apply,
    web_appointments,
    web_cases,
    web_feedback,
    web_guide,
)
from tongban.platform.portal.catalogue import theme_names
from tongban.platform.portal.reads import latest_notices
from tongban.platform.portal.search import highlight
from tongban.platform.construction import web_portal as construction_portal
from tongban.platform.portal.web_common import (
    Ctx,
    call,
    page,
    page_number,
    paginate,
    portal_of,
    render,
    theme_of,
    trail,
)
from tongban.platform.web.pages import tree_context

FILTERS = ("audience", "department", "theme", "event", "kind")


@page
async def home(request: Request, ctx: Ctx):
    return await call(_home, request, ctx)


def _home(request: Request, ctx: Ctx):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
        notices = latest_notices(session, limit=5)
    data = {
        **tree_context(request.app.state.directory.snapshot, ctx.tenant),
        "trail": trail(request, ctx)[:-1] + [{"href": "", "label": ctx.tenant.name}],
        "notices": notices, "item_count": len(index.items), "audience_counts": index.audience_counts,
        "facets": index.home,
    }
    return render(request, ctx, theme, "home.html", data)


@page
async def items(request: Request, ctx: Ctx):
    return await call(_items, request, ctx)


def _items(request: Request, ctx: Ctx):
    portal = portal_of(request)
    chosen = {k: ctx.query[k] for k in FILTERS if ctx.query.get(k)}
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
    rows = index.filter(**chosen)
    data = {"trail": trail(request, ctx, (ctx._("全部事项"), None)), "chosen": _chosen_labels(chosen),
            "results": paginate([{"item": i, "runs": [(i.name, False)]} for i in rows], page_number(ctx)),
            "facets": _facets(index, chosen), "query_args": chosen}
    return render(request, ctx, theme, "portal/items.html", data)


def _chosen_labels(chosen: dict) -> list[dict]:
    labels = {"audience": lambda v: AUDIENCES.get(v, (v, v)), "kind": lambda v: KINDS.get(v, (v, v)),
              "theme": lambda v: (theme_names().get(v, v),) * 2}
    return [{"key": k, "value": v, "label": labels.get(k, lambda x: (x, x))(v)} for k, v in chosen.items()]


def _facets(index, chosen: dict) -> dict:
    audience = chosen.get("audience")
    themes = [t for a, rows in index.themes.items() if audience in (None, a) for t in rows]
    return {"audience": [(k, v) for k, v in AUDIENCES.items()], "themes": themes,
            "departments": index.departments, "events": index.life_events,
            "kinds": [(k, KINDS.get(k, (k, k)), n) for k, n in index.kinds]}


@page
async def search(request: Request, ctx: Ctx):
    return await call(_search, request, ctx)


def _search(request: Request, ctx: Ctx):
    portal = portal_of(request)
    query = (ctx.query.get("q") or "").strip()[:40]
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
    hits = index.search.search(query) if query else []
    results = paginate(hits, page_number(ctx))
    results["rows"] = [{"item": index.items[h.position],
                        "runs": highlight(index.items[h.position].name, index.search.spans(h, query))}
                       for h in results["rows"]]
    data = {"trail": trail(request, ctx, (ctx._("搜索"), None)), "query": query, "results": results,
            "query_args": {"q": query}}
    return render(request, ctx, theme, "portal/search.html", data)


routes = [
    Route("/", home, name="home"),
    Route("/items", items),
    Route("/search", search),
    *web_guide.routes,
    *web_apply.routes,
    *web_cases.routes,
    *web_feedback.routes,
    *web_appointments.routes,
    *web_admin.routes,
    *web_appointment_admin.routes,
    *construction_portal.routes,
]
