"""Item guides (办事指南) with material templates, the power and responsibility lists, and notices."""
from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.content.notices import Notice, latest_notices
from tongban.platform.portal import appointments
from tongban.platform.portal.guide import Guide
from tongban.platform.portal.material_docs import DOCX, material_document
from tongban.platform.portal.web_common import (
    Ctx,
    call,
    finish,
    not_found,
    page,
    page_number,
    paginate,
    portal_of,
    render,
    theme_of,
    trail,
)


def _guide_and_theme(request: Request, ctx: Ctx, code: str) -> tuple[Guide, object, bool]:
    """The item's guide, the theme, and whether a window here takes appointments for it."""
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        guide = portal.guides.guide(session, ctx.tenant, code)
        bookable = bool(appointments.windows_for(session, code))
    if guide is None:
        raise not_found(ctx)
    return guide, theme, bookable


@page
async def guide_page(request: Request, ctx: Ctx):
    return await call(_guide_page, request, ctx, request.path_params["code"])


def _guide_page(request: Request, ctx: Ctx, code: str):
    guide, theme, bookable = _guide_and_theme(request, ctx, code)
    data = {"trail": trail(request, ctx, (ctx._("全部事项"), f"{ctx.base}/items"), (guide.name, None)),
            "guide": guide, "e": guide.elements, "svg": guide.svg(ctx.lang),
            "apply_url": f"{ctx.base}/items/{quote(code)}/apply",
            "appointment_url": ctx.link("/appointments", item=code) if bookable else None}
    return render(request, ctx, theme, "portal/guide.html", data)


@page
async def material_file(request: Request, ctx: Ctx):
    params = request.path_params
    return await call(_material_file, request, ctx, params["code"], params["material"], params["variant"])


def _material_file(request: Request, ctx: Ctx, code: str, material_id: str, variant: str) -> Response:
    if variant not in ("template", "sample"):
        raise not_found(ctx)
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        guide = portal.guides.guide(session, ctx.tenant, code)
        content = _form_fields(session, portal, ctx, code) if guide else []
    material = next((m for m in (guide.materials if guide else []) if m["id"] == material_id), None)
    if material is None:
        raise not_found(ctx)
    fields = content if material_id in ("application", "apply", "form") or "申请" in material["name"] else []
    name, body = material_document(item_name=guide.name, material=material, fields=fields,
                                   sample=variant == "sample")
    response = Response(body, media_type=DOCX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
    return finish(ctx, response)


def _form_fields(session, portal, ctx: Ctx, code: str) -> list[dict]:
    from tongban.configurator.publishing.effective import effective_item

    served = effective_item(session, ctx.tenant, code)
    return list((served.content.get("form") or {}).get("fields", [])) if served else []


@page
async def powers(request: Request, ctx: Ctx):
    return await call(_list_page, request, ctx, "portal/powers.html", "权力清单")


@page
async def responsibilities(request: Request, ctx: Ctx):
    return await call(_list_page, request, ctx, "portal/responsibilities.html", "责任清单")


def _list_page(request: Request, ctx: Ctx, template: str, title: str):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        index = portal.index.index(session, ctx.tenant)
    rows = [{"item": i, "power": i.facts.power, "legal_basis": i.facts.legal_basis} for i in index.with_power()]
    data = {"trail": trail(request, ctx, (ctx._(title), None)), "results": paginate(rows, page_number(ctx), 50),
            "query_args": {}}
    return render(request, ctx, theme, template, data)


@page
async def power_detail(request: Request, ctx: Ctx):
    return await call(_power_detail, request, ctx, request.path_params["code"])


def _power_detail(request: Request, ctx: Ctx, code: str):
    guide, theme, _ = _guide_and_theme(request, ctx, code)
    if not guide.elements.get("power"):
        raise not_found(ctx)
    data = {"trail": trail(request, ctx, (ctx._("权力清单"), f"{ctx.base}/powers"), (guide.name, None)),
            "guide": guide, "e": guide.elements, "power": guide.elements["power"], "svg": guide.svg(ctx.lang)}
    return render(request, ctx, theme, "portal/power.html", data)


@page
async def notices(request: Request, ctx: Ctx):
    return await call(_notices, request, ctx)


def _notices(request: Request, ctx: Ctx):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        rows = [{"id": n.id, "title": n.title, "published_at": n.published_at}
                for n in latest_notices(session, limit=200)]
    data = {"trail": trail(request, ctx, (ctx._("通知公告"), None)), "results": paginate(rows, page_number(ctx)),
            "query_args": {}}
    return render(request, ctx, theme, "portal/notices.html", data)


@page
async def notice(request: Request, ctx: Ctx):
    return await call(_notice, request, ctx, request.path_params["id"])


def _notice(request: Request, ctx: Ctx, notice_id: int):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
        row = session.scalar(select(Notice).where(Notice.id == notice_id))
        found = row and {"id": row.id, "title": row.title, "body": row.body, "published_at": row.published_at}
    if not found:
        raise not_found(ctx)
    data = {"trail": trail(request, ctx, (ctx._("通知公告"), f"{ctx.base}/notices"), (found["title"], None)),
            "notice": found}
    return render(request, ctx, theme, "portal/notice.html", data)


routes = [
    Route("/items/{code}", guide_page),
    Route("/items/{code}/materials/{material}/{variant}", material_file),
    Route("/powers", powers),
    Route("/powers/{code}", power_detail),
    Route("/responsibilities", responsibilities),
    Route("/notices", notices),
    Route("/notices/{id:int}", notice),
]
