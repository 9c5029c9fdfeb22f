"""The item editors: standard elements, form builder, materials and flow — one page each, the same cycle.

GET shows the open draft (or the latest version). A POST either changes the working copy's structure
(add, remove, reorder, preview: shown again, nothing saved) or saves: the part's own check runs first and
every fault is shown at its path with nothing saved; a clean part goes through ``catalogue.edit_draft``
with optimistic locking. The domain refuses edits of a standard owned by another tenant: that is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin import (
    drafts,
    elements_form,
    flow_form,
    form_builder,
    form_preview,
    materials_form,
)
from tongban.configurator.admin.access import Access, P, page
from tongban.configurator.admin.paths import Fault, Faults, parse_op
from tongban.configurator.admin.posted import Posted
from tongban.configurator.admin.views import message, not_found, redirect, render
from tongban.configurator.publishing.catalogue import CatalogueError
from tongban.tenants.isolation import TenantViolation


@dataclass(frozen=True)
class Part:
    key: str
    read: Callable[[Posted, object, str], object]
    apply: Callable[[object, str, str, Posted], object]
    check: Callable[[object, dict], list[Fault]]
    view: Callable[[object], dict]
    empty: Callable[[], object]


PARTS = {
    "elements": Part(
        "elements",
        lambda p, saved, code: elements_form.read(p, saved, code=code),
        elements_form.apply,
        elements_form.check,
        elements_form.view,
        dict,
    ),
    "form": Part(
        "form",
        lambda p, saved, code: form_builder.read(p, saved),
        form_builder.apply,
        form_builder.check,
        form_builder.view,
        lambda: {"fields": []},
    ),
    "materials": Part(
        "materials",
        lambda p, saved, code: materials_form.read(p, saved),
        materials_form.apply,
        materials_form.check,
        materials_form.view,
        list,
    ),
    "flow": Part(
        "flow",
        lambda p, saved, code: flow_form.read(p, saved),
        flow_form.apply,
        flow_form.check,
        flow_form.view,
        lambda: {"nodes": [], "edges": []},
    ),
}


@dataclass
class Screen:
    """What one editor page shows."""

    value: object
    faults: list[Fault]
    unsaved: bool = False
    notice: tuple[str, str] | None = None
    json_text: str | None = None
    try_preview: bool = False


def edit_part(request: Request, access: Access, part: Part) -> Response:
    code = request.path_params["code"]
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        try:
            state = drafts.editing(session, code)
        except CatalogueError:
            return not_found(request, access)
    saved = state.content.get(part.key)
    if access.posted is None:
        notice = ("已保存", "Saved") if request.query_params.get("saved") else None
        return _show(
            request,
            access,
            part,
            state,
            Screen(saved if saved is not None else part.empty(), [], notice=notice),
        )
    return _post(request, access, part, state, saved)


def _post(request: Request, access: Access, part: Part, state: drafts.Editing, saved) -> Response:
    posted = access.posted
    verb, path = parse_op(posted.text("op") or "save")
    if verb == "save_json":
        value, faults = _from_json(posted.raw("json"))
        if faults:
            screen = Screen(
                saved if saved is not None else part.empty(), faults, json_text=posted.raw("json")
            )
            return _show(request, access, part, state, screen, 422)
        if part.key == "elements" and isinstance(value, dict):
            value["code"] = state.item.code  # the item's code is its key: fixed once created
    else:
        value = part.read(posted, saved, state.item.code)
    if verb not in ("save", "save_json"):
        value = part.apply(value, verb, path, posted)
        screen = Screen(value, [], unsaved=value != saved, try_preview=verb == "try")
        return _show(request, access, part, state, screen)
    faults = part.check(value, state.content)
    if faults:
        screen = Screen(
            value, faults, unsaved=True, json_text=posted.raw("json") if verb == "save_json" else None
        )
        return _show(request, access, part, state, screen, 422)
    return _save(request, access, part, state, value, posted.text("base"))


def _save(request: Request, access: Access, part: Part, state: drafts.Editing, value, base: str) -> Response:
    code = state.item.code
    try:
        with request.app.state.database.unit_of_work(access.tenant.context()) as session:
            drafts.save_part(session, code, part.key, value, actor=access.actor, base=base)
    except CatalogueError as error:
        screen = Screen(value, [Fault("", error.zh, error.en, error.code)], unsaved=True)
        return _show(request, access, part, state, screen, 409 if error.code == "conflict" else 422)
    except TenantViolation:
        return refused_standard(request, access, state.owner)
    return redirect(access.url(f"/items/{code}/{part.key}?saved=1"))


def refused_standard(request: Request, access: Access, owner: str) -> Response:
    owner_info = request.app.state.directory.snapshot.by_code.get(owner)
    owner_name = owner_info.name if owner_info else owner
    return message(
        request,
        access,
        403,
        "本级不能修改该事项的标准内容",
        "The standard cannot be changed here",
        detail_zh=f"该事项的标准由{owner_name}制定和发布；{access.tenant.name}只能在“本地设置”中调整允许本地化的内容。",
        detail_en=f"The item's standard belongs to {owner_name} ({owner}); {access.tenant.name} can only "
        "adjust the locally variable settings.",
    )


def _from_json(text: str) -> tuple[object, list[Fault]]:
    try:
        return json.loads(text), []
    except ValueError as error:
        return None, [Fault("json", f"JSON 格式错误：{error}", f"Not valid JSON: {error}", "json")]


def _show(request: Request, access: Access, part: Part, state: drafts.Editing, screen: Screen,
          status_code: int = 200) -> Response:
    value = screen.value
    json_text = screen.json_text
    if json_text is None:
        json_text = json.dumps(value, ensure_ascii=False, indent=2)
    context = {"item": state.item, "state": state, "part": part.key, "value": value, "code": state.item.code,
               "faults": Faults(screen.faults), "unsaved": screen.unsaved, "notice": screen.notice,
               "editable": editable(access, state), "json_text": json_text, "title": _title(state),
               **part.view(value), **_extras(access, part, state, screen)}
    return render(request, access, f"edit_{part.key}.html", context, status_code)


def _extras(access: Access, part: Part, state: drafts.Editing, screen: Screen) -> dict:
    """The form's live preview of the working copy; the flow's diagram as saved."""
    if part.key == "form":
        if not isinstance(screen.value, dict):
            return {"live": form_preview.Preview(available=False)}
        return {"live": form_preview.preview(screen.value, access.posted, try_it=screen.try_preview)}
    if part.key == "flow":
        return {"diagram": flow_form.diagram(state.content.get("flow"))}
    return {}


def editable(access: Access, state: drafts.Editing) -> bool:
    return access.can(P.CONFIGURE_ITEMS) and state.owner == access.tenant.code


def _title(state: drafts.Editing) -> str:
    return (state.content.get("elements") or {}).get("name") or state.item.code


def _endpoint(part: Part):
    @page(change=P.CONFIGURE_ITEMS)
    def endpoint(request: Request, access: Access) -> Response:
        return edit_part(request, access, part)

    endpoint.__name__ = f"edit_{part.key}"
    return endpoint


routes = [
    Route(f"/items/{{code}}/{key}", _endpoint(part), methods=["GET", "POST"], name=f"admin_edit_{key}")
    for key, part in PARTS.items()
]
