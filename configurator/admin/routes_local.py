"""A tenant's own relation to an item: local settings (only the fields a tenant may vary), enable/disable
for itself and its subtree, and pinning a version; then the item's change history."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin import drafts, overrides_form
from tongban.configurator.admin.access import Access, P, page
from tongban.configurator.admin.history import item_history
from tongban.configurator.admin.paths import Fault, Faults, from_problems, parse_op
from tongban.configurator.admin.routes_items import BULK
from tongban.configurator.admin.views import not_found, redirect, render
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.catalogue import CatalogueError
from tongban.configurator.publishing.effective import EffectiveItem, effective_item
from tongban.configurator.publishing.models import PUBLISHED, ItemVersion
from tongban.tenants.access import open_subtree

HISTORY_REASON = "事项历史"
DONE = {
    "saved": ("本地设置已保存", "Local settings saved"),
    "enable": ("已启用", "Enabled"),
    "disable": ("已停用", "Disabled"),
    "inherit": ("已恢复为跟随上级", "Following the level above again"),
    "pin": ("版本设置已保存", "Version choice saved"),
}


@dataclass(frozen=True)
class LocalState:
    effective: EffectiveItem
    standard: dict  # the version's content before any tenant's overrides
    overrides: dict
    revision: int | None
    enabled: bool | None
    pinned_no: int | None
    published: list[int]


def _load(session, access: Access, code: str) -> LocalState | None:
    item = catalogue.get_item(session, code)
    served = effective_item(session, access.tenant, code)
    if served is None:
        return None
    row = local.relation(session, access.tenant.code, item)
    versions = {
        v.id: v.version_no
        for v in session.scalars(
            select(ItemVersion).where(ItemVersion.item_id == item.id, ItemVersion.state == PUBLISHED)
        )
    }
    return LocalState(
        served,
        session.get(ItemVersion, served.version_id).content,
        dict(row.overrides or {}) if row else {},
        row.revision if row else None,
        row.enabled if row else None,
        versions.get(row.pinned_version_id) if row and row.pinned_version_id else None,
        sorted(versions.values()),
    )


@page(change=P.MANAGE_TENANT_ITEMS)
def local_settings(request: Request, access: Access) -> Response:
    code = request.path_params["code"]
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        try:
            state = _load(session, access, code)
        except CatalogueError:
            return not_found(request, access)
    if state is None:
        return render(
            request, access, "local.html", {"code": code, "part": "local", "title": code, "state": None}
        )
    if access.posted is None:
        done = DONE.get(request.query_params.get("done", ""))
        return _page(request, access, code, state, state.overrides, [], notice=done)
    return _post(request, access, code, state)


def _post(request: Request, access: Access, code: str, state: LocalState) -> Response:
    posted = access.posted
    verb, path = parse_op(posted.text("op") or "save")
    if verb in BULK or verb == "pin":
        return _decide(request, access, code, verb)
    json_text = posted.raw("overrides_json") if verb == "save_json" else None
    if json_text is not None:
        overrides, faults = overrides_form.read_json(json_text)
        if faults:
            return _page(request, access, code, state, state.overrides, faults, 422, json_text)
    else:
        overrides = overrides_form.read(posted, state.standard)
    if verb not in ("save", "save_json"):
        changed = overrides_form.apply(overrides, verb, path)
        return _page(request, access, code, state, changed, [], unsaved=True)
    try:
        _save(request, access, code, overrides, posted.text("revision"))
    except ContentInvalid as invalid:
        return _page(request, access, code, state, overrides, from_problems(invalid.problems), 422, json_text)
    except CatalogueError as error:
        status = 409 if error.code == "conflict" else 422
        faults = [Fault("", error.zh, error.en, error.code)]
        return _page(request, access, code, state, overrides, faults, status)
    return redirect(access.url(f"/items/{code}/local?done=saved"))


def _save(request: Request, access: Access, code: str, overrides: dict, revision: str) -> None:
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        local.set_overrides(session, access.tenant.code, code, overrides, actor=access.actor,
                            expected_revision=int(revision) if revision.isdigit() else None)


def _decide(request: Request, access: Access, code: str, verb: str) -> Response:
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        if verb == "pin":
            chosen = access.posted.text("pin")
            local.pin(
                session,
                access.tenant.code,
                code,
                int(chosen) if chosen.isdigit() else None,
                actor=access.actor,
            )
        else:
            local.set_enabled(session, access.tenant.code, [code], BULK[verb][0], actor=access.actor)
    return redirect(access.url(f"/items/{code}/local?done={verb}"))


def _page(request: Request, access: Access, code: str, state: LocalState, overrides: dict,
          faults: list[Fault], status: int = 200, json_text: str | None = None, *, unsaved: bool = False,
          notice=None) -> Response:
    snapshot = request.app.state.directory.snapshot
    view = overrides_form.view(state.standard, overrides)
    served = state.effective
    sources = {path: snapshot.by_code[c].name if c in snapshot.by_code else c
               for path, c in served.sources.items()}
    context = {"code": code, "part": "local", "state": state, "faults": Faults(faults), "unsaved": unsaved,
               "notice": notice, "sources": sources, "effective": served,
               "decided_by": snapshot.by_code.get(served.decided_by) if served.decided_by else None,
               "title": (served.content.get("elements") or {}).get("name") or code,
               "json_text": json_text if json_text is not None else view["json"],
               "json_open": json_text is not None,
               **view}
    return render(request, access, "local.html", context, status)


@page()
def history(request: Request, access: Access) -> Response:
    code = request.path_params["code"]
    below = request.query_params.get("scope") == "subtree"
    database = request.app.state.database
    unit = (
        open_subtree(database, access.tenant, actor=access.actor, reason=HISTORY_REASON)
        if below
        else database.unit_of_work(access.tenant.context())
    )
    with unit as session:
        try:
            current = drafts.editing(session, code)
        except CatalogueError:
            return not_found(request, access)
        changes = item_history(session, code)
    title = (current.content.get("elements") or {}).get("name") or code
    names = {c: t.name for c, t in request.app.state.directory.snapshot.by_code.items()}
    return render(
        request,
        access,
        "history.html",
        {"code": code, "part": "history", "title": title, "changes": changes, "below": below, "names": names},
    )


routes = [
    Route("/items/{code}/local", local_settings, methods=["GET", "POST"], name="admin_local"),
    Route("/items/{code}/history", history, name="admin_history"),
]
