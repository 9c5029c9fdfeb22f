"""Publishing an item to a scope (the whole jurisdiction, a subtree, or selected tenants) — or, when the
draft has problems, showing them instead — and the tenant matrix with bulk enable/disable."""

from __future__ import annotations

import re

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin import drafts
from tongban.configurator.admin.access import Access, P, page
from tongban.configurator.admin.paths import Fault, Faults, anchor, parse_op
from tongban.configurator.admin.routes_editors import refused_standard
from tongban.configurator.admin.routes_items import BULK
from tongban.configurator.admin.views import not_found, redirect, render
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.catalogue import CatalogueError
from tongban.configurator.publishing.effective import tenant_matrix
from tongban.configurator.publishing.models import PUBLISHED, ItemVersion
from tongban.configurator.publishing.scopes import PublishScope
from tongban.tenants.access import open_subtree
from tongban.tenants.isolation import TenantViolation

MATRIX_REASON = "事项矩阵"
DEPTHS = {
    "1": ("本级和下一级", "This level and the next"),
    "2": ("往下两级", "Two levels down"),
    "all": ("全部层级", "Every level"),
}
SHOW = {
    "": ("全部地区", "All tenants"),
    "disabled": ("已停用", "Disabled"),
    "overrides": ("有本地设置", "With local settings"),
    "problems": ("本地设置失效", "Broken local settings"),
}


# ---------------------------------------------------------------- publishing


@page(view=(P.PUBLISH_ITEMS, P.CONFIGURE_ITEMS), change=P.PUBLISH_ITEMS)
def publish(request: Request, access: Access) -> Response:
    code = request.path_params["code"]
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        try:
            state = drafts.editing(session, code)
        except CatalogueError:
            return not_found(request, access)
        problems = catalogue.validate_draft(session, code)
        published = list(
            session.scalars(
                select(ItemVersion.version_no)
                .where(ItemVersion.item_id == state.item.id, ItemVersion.state == PUBLISHED)
                .order_by(ItemVersion.version_no)
            )
        )
    if access.posted is None:
        done = request.query_params.get("published")
        notice = (f"已发布第 {done} 版", f"Version {done} published") if done and done.isdigit() else None
        return _publish_page(request, access, state, problems, published, [], notice=notice)
    return _publish_post(request, access, state, problems, published)


def _publish_post(request, access: Access, state, problems, published) -> Response:
    scope, faults = read_scope(request, access)
    version_no = access.posted.text("version")
    if faults:
        return _publish_page(request, access, state, problems, published, faults, status=422)
    try:
        with request.app.state.database.unit_of_work(access.tenant.context()) as session:
            done = catalogue.publish(
                session,
                state.item.code,
                scope,
                actor=access.actor,
                version_no=int(version_no) if version_no.isdigit() else None,
            )
            number = done.version_no
    except ContentInvalid as invalid:
        return _publish_page(request, access, state, invalid.problems, published, [], status=422)
    except CatalogueError as error:
        faults = [Fault("scope", error.zh, error.en, error.code)]
        return _publish_page(request, access, state, problems, published, faults, status=422)
    except TenantViolation:
        return refused_standard(request, access, state.owner)
    return redirect(access.url(f"/items/{state.item.code}/publish?published={number}"))


def read_scope(request: Request, access: Access) -> tuple[PublishScope | None, list[Fault]]:
    posted = access.posted
    kind = posted.text("scope")
    if kind == "all":
        return PublishScope.subtree(access.tenant.code), []
    if kind == "subtree":
        codes = [posted.text("subtree")] if posted.text("subtree") else []
    elif kind == "selected":
        codes = [c for c in re.split(r"[\s,，;；、]+", posted.raw("selected")) if c]
    else:
        return None, [Fault("scope", "请选择发布范围", "Choose where to publish", "required")]
    field = "subtree" if kind == "subtree" else "selected"
    if not codes:
        return None, [Fault(field, "请选择地区", "Choose at least one tenant", "required")]
    snapshot = request.app.state.directory.snapshot
    outside = [c for c in codes if c not in snapshot.by_code or not access.covers(snapshot.by_code[c])]
    if outside:
        return None, [
            Fault(
                field,
                f"不在{access.tenant.name}管辖范围内的地区：{'、'.join(outside)}",
                f"Not within {access.tenant.name}: {', '.join(outside)}",
                "outside",
            )
        ]
    return (PublishScope.subtree(codes[0]) if kind == "subtree" else PublishScope.selected(*codes)), []


def problem_links(access: Access, code: str, problems) -> list[dict]:
    """Each problem of the whole content with a link to the editor tab and the input it concerns."""
    links = []
    for p in problems:
        part = re.split(r"[.\[]", p.path, maxsplit=1)[0] or "elements"
        rest = p.path[len(part) :].lstrip(".")
        relative = p.path if part == "materials" else rest
        target = access.url(f"/items/{code}/{part}") + (f"#{anchor(relative)}" if relative else "")
        links.append({"path": p.path, "zh": p.zh, "en": p.en, "href": target})
    return links


def _publish_page(
    request, access: Access, state, problems, published, faults, *, status: int = 200, notice=None
) -> Response:
    snapshot = request.app.state.directory.snapshot
    posted = access.posted
    context = {
        "item": state.item,
        "state": state,
        "code": state.item.code,
        "part": "publish",
        "title": _title(state),
        "problems": problem_links(access, state.item.code, problems),
        "published": published,
        "tenants": snapshot.subtree(access.tenant.code),
        "faults": Faults(faults),
        "notice": notice,
        "chosen": {
            "scope": posted.text("scope") if posted else "all",
            "subtree": posted.text("subtree") if posted else "",
            "selected": posted.raw("selected") if posted else "",
            "version": posted.text("version") if posted else "",
        },
    }
    return render(request, access, "publish.html", context, status)


# ---------------------------------------------------------------- the tenant matrix


@page(change=P.MANAGE_TENANT_ITEMS)
def matrix(request: Request, access: Access) -> Response:
    code = request.path_params["code"]
    snapshot = request.app.state.directory.snapshot
    root = snapshot.by_code.get(request.query_params.get("root") or access.tenant.code)
    if root is None or not access.covers(root):
        return not_found(request, access, "找不到该地区", "No such tenant here")
    notice, faults = None, []
    if access.posted is not None:
        notice, faults = _bulk(request, access, code, root)
    with open_subtree(request.app.state.database, root, actor=access.actor, reason=MATRIX_REASON) as session:
        try:
            title = _title(drafts.editing(session, code))
        except CatalogueError:
            return not_found(request, access)
        rows = tenant_matrix(session, code, root.code)
    context = {"code": code, "part": "matrix", "title": title, "top": root, "notice": notice,
               "faults": Faults(faults), "ancestors_of_root": snapshot.ancestors(root.code),
               "children": snapshot.children.get(root.code, ()), "count": len(rows),
               **_table(request, snapshot, root, rows)}
    return render(request, access, "matrix.html", context, 422 if faults else 200)


def _table(request: Request, snapshot, root, rows) -> dict:
    """The rows shown (a filter, or the levels asked for: one level below a large subtree by default)."""
    show = request.query_params.get("show", "")
    depths = {r.code: snapshot.by_code[r.code].path.count("/") - root.path.count("/")
              for r in rows if r.code in snapshot.by_code}
    depth = request.query_params.get("depth") or ("all" if len(rows) <= 80 else "1")
    return {"rows": _shown(rows, show, depths, depth), "show": show, "shows": SHOW, "depth": depth,
            "depth_choices": DEPTHS, "depths": depths}


def _title(state: drafts.Editing) -> str:
    return (state.content.get("elements") or {}).get("name") or state.item.code


def _shown(rows, show: str, depths: dict[str, int], depth: str):
    """The rows a filter asks for; without one, the rows down to ``depth`` levels below the root."""
    if not show:
        return rows if depth not in ("1", "2") else [r for r in rows if depths.get(r.code, 0) <= int(depth)]
    if show == "disabled":
        return [r for r in rows if r.published and not r.enabled]
    if show == "overrides":
        return [r for r in rows if r.overrides]
    if show == "problems":
        return [r for r in rows if r.override_problems]
    return rows


def _bulk(request: Request, access: Access, code: str, root) -> tuple[tuple[str, str] | None, list[Fault]]:
    """Enable, disable or un-decide the item for each ticked tenant; each tenant's subtree inherits it."""
    verb, _ = parse_op(access.posted.text("op"))
    chosen = access.posted.values("tenants")
    snapshot = request.app.state.directory.snapshot
    if verb not in BULK or not chosen:
        return None, [
            Fault(
                "tenants",
                "请勾选地区并选择启用或停用",
                "Tick tenants and choose enable or disable",
                "required",
            )
        ]
    if any(c not in snapshot.by_code or not snapshot.by_code[c].path.startswith(root.path) for c in chosen):
        return None, [
            Fault("tenants", "所选地区不在本矩阵范围内", "A ticked tenant is outside this matrix", "outside")
        ]
    enabled, zh, en = BULK[verb]
    try:
        with open_subtree(
            request.app.state.database, root, actor=access.actor, reason=MATRIX_REASON
        ) as session:
            for tenant_code in chosen:
                local.set_enabled(session, tenant_code, [code], enabled, actor=access.actor)
    except CatalogueError as error:
        return None, [Fault("tenants", error.zh, error.en, error.code)]
    names = "、".join(snapshot.by_code[c].name for c in chosen)
    return (f"{names}（含下级）{zh}", f"{len(chosen)} tenant(s) and their subtrees {en}"), []


routes = [
    Route("/items/{code}/publish", publish, methods=["GET", "POST"], name="admin_publish"),
    Route("/items/{code}/matrix", matrix, methods=["GET", "POST"], name="admin_matrix"),
]
