"""The province's construction configuration (工程建设项目审批): stage templates, the investment negative list
(a draft published as numbered versions) and the parks' regional assessments, with their change history.

Routes translate only: the checks, versions and audit records live in platform/construction/configuration.
Only a province administrator (配置事项 at 海南省) sees these pages; anyone else gets the room's refusal.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.admin.access import Access, P, page
from tongban.configurator.admin.history import Change, _difference, _short
from tongban.configurator.admin.paths import Fault, Faults, parse_op
from tongban.configurator.admin.views import message, redirect, render
from tongban.platform.approval.departments import DEPARTMENTS
from tongban.platform.construction import catalogue, configuration as conf, regional
from tongban.platform.construction.errors import ConstructionError
from tongban.platform.identity.grants import allows
from tongban.platform.identity.permissions import Permission
from tongban.tenants.access import open_subtree

SUBTREE_REASON = "区域评估配置"
DONE = {
    "saved": ("阶段模板已保存", "Stage template saved"),
    "entry": ("已保存到负面清单草稿（尚未发布）", "Saved to the negative list draft (not yet published)"),
    "retire": ("已在草稿中废止该条目（发布后生效）", "Retired in the draft (takes effect when published)"),
    "restore": ("已在草稿中恢复该条目", "Restored in the draft"),
    "discard": ("已放弃草稿", "Draft discarded"),
    "published": ("负面清单新版本已发布，立项受理即按新版本审查", "New version published; 立项 intake checks it from now on"),
    "assessment": ("区域评估已保存", "Regional assessment saved"),
    "removed": ("区域评估已撤销", "Regional assessment withdrawn"),
}
TABS = (
    ("stages", "阶段模板", "Stage templates"),
    ("negative-list", "投资负面清单", "Negative list"),
    ("regional", "区域评估", "Regional assessments"),
    ("history", "变更记录", "History"),
)
Construction = page(view=(P.CONFIGURE_ITEMS,), change=P.CONFIGURE_ITEMS)


def _editor(access: Access) -> conf.Editor:
    return conf.Editor(access.actor, lambda permission, path: allows(access.user.roles, Permission(permission), path))


def _faults(error: ConstructionError) -> list[Fault]:
    return [Fault(p["path"], p["zh"], p["en"], p["code"]) for p in error.errors]


def _refused_below(request: Request, access: Access) -> Response | None:
    if access.tenant.code == catalogue.PROVINCE:
        return None
    return message(request, access, 403, "工程建设项目审批配置由省级管理员在省级后台维护",
                   "The construction configuration is kept by province admins in the province's admin",
                   links=(("/admin/construction", "到省级后台 · Province admin"),))


def _render(request: Request, access: Access, template: str, part: str, context: dict, status: int = 200):
    done = DONE.get(request.query_params.get("done", ""))
    base = {"part": part, "ctabs": TABS, "notice": done, "departments": DEPARTMENTS,
            "project_types": catalogue.PROJECT_TYPES, "industries": catalogue.INDUSTRIES,
            "entry_kinds": conf.KINDS, "assessment_kinds": regional.KINDS}
    return render(request, access, f"construction_{template}.html", {**base, **context}, status)


# ---------------------------------------------------------------- stage templates

@Construction
def stages(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        rows = catalogue.templates(session)
    return _render(request, access, "stages", "stages", {"templates": rows, "title": "阶段模板"})


@Construction
def stage(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    name = request.path_params["stage"]
    database = request.app.state.database
    with database.unit_of_work(access.tenant.context()) as session:
        try:
            row = conf.template_of(session, name)
        except ConstructionError:
            return message(request, access, 404, "没有该阶段模板", "No such stage template")
        value = conf.template_document(row)
        if access.posted is None:
            return _stage_page(request, access, session, name, value, [])
        posted = access.posted
        change = conf.TemplateChange(stage=name, name_zh=posted.text("name_zh"), name_en=posted.text("name_en"),
                                     lead_department=posted.text("lead_department"),
                                     limit_days=posted.text("limit_days"),
                                     item_codes=posted.values("item_codes") + posted.words("more_codes"),
                                     commitment_items=posted.values("commitment_items"),
                                     project_types=posted.values("project_types"))
    try:
        with database.unit_of_work(access.tenant.context()) as session:
            conf.update_template(session, _editor(access), access.tenant, change)
    except ConstructionError as error:
        typed = {**change.__dict__, "limit_days": change.limit_days}
        with database.unit_of_work(access.tenant.context()) as session:
            return _stage_page(request, access, session, name, typed, _faults(error), error.status)
    return redirect(access.url(f"/construction/stages/{name}?done=saved"))


def _stage_page(request, access, session, name: str, value: dict, faults: list[Fault], status: int = 200):
    served = request.app.state.catalogue.catalogue(session, access.tenant)
    chosen = [c for c in value["item_codes"]]
    by_code = {e.code: e for e in served}
    picker = [(c, by_code.get(c)) for c in chosen] + [(e.code, e) for e in served if e.code not in chosen]
    return _render(request, access, "stage", "stages", {
        "stage": name, "value": value, "picker": picker, "faults": Faults(faults),
        "title": f"阶段模板 · {value.get('name_zh') or name}"}, status)


# ---------------------------------------------------------------- the negative list

@Construction
def negative_list(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    database = request.app.state.database
    posted = access.posted
    if posted is not None:
        verb, code = parse_op(posted.text("op") or "add")
        try:
            with database.unit_of_work(access.tenant.context()) as session:
                editor = _editor(access)
                if verb in ("retire", "restore"):
                    conf.retire_entry(session, editor, code, retired=verb == "retire")
                elif verb == "discard":
                    conf.discard_draft(session, editor)
                elif verb == "publish":
                    conf.publish_negative_list(session, editor, note=posted.text("note"))
                    verb = "published"
                else:
                    conf.save_entry(session, editor, access.tenant, _entry(posted))
                    verb = "entry"
        except ConstructionError as error:
            return _list_page(request, access, _faults(error), error.status, typed=_entry(posted))
        return redirect(access.url(f"/construction/negative-list?done={verb}"))
    return _list_page(request, access, [])


def _entry(posted) -> conf.EntryChange:
    return conf.EntryChange(code=posted.text("code"), kind=posted.text("kind"), industry=posted.text("industry"),
                            description=posted.text("description"), extra_item_code=posted.text("extra_item_code"))


def _list_page(request, access, faults, status=200, typed: conf.EntryChange | None = None):
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        state = conf.negative_list_state(session)
        history = conf.versions(session)
    return _render(request, access, "negative_list", "negative-list", {
        "state": state, "versions": history, "faults": Faults(faults),
        "typed": typed or conf.EntryChange("", "prohibited", "", ""), "title": "投资负面清单"}, status)


@Construction
def negative_entry(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    code = request.path_params["code"]
    database = request.app.state.database
    with database.unit_of_work(access.tenant.context()) as session:
        entry = next((e for e in conf.negative_list_state(session).entries if e["code"] == code), None)
    if entry is None:
        return message(request, access, 404, "清单中没有该条目", "No such entry in the list")
    typed = conf.EntryChange(entry["code"], entry["kind"], entry["industry"], entry["description"],
                             entry.get("extra_item_code") or "")
    faults, status = [], 200
    if access.posted is not None:
        typed = _entry(access.posted)
        try:
            with database.unit_of_work(access.tenant.context()) as session:
                conf.save_entry(session, _editor(access), access.tenant, typed, original=code)
        except ConstructionError as error:
            faults, status = _faults(error), error.status
        else:
            return redirect(access.url("/construction/negative-list?done=entry"))
    return _render(request, access, "negative_entry", "negative-list", {
        "code": code, "typed": typed, "faults": Faults(faults), "title": f"负面清单条目 · {code}"}, status)


# ---------------------------------------------------------------- regional assessments

def _tenants_below(request: Request, access: Access) -> dict[str, str]:
    """The cities and counties below the province (where parks lie), by code."""
    snapshot = request.app.state.directory.snapshot
    return {code: t.name for code, t in sorted(snapshot.by_code.items())
            if code != access.tenant.code and t.path.startswith(access.tenant.path) and t.path.count("/") <= 4}


def _subtree(request: Request, access: Access):
    return open_subtree(request.app.state.database, access.tenant, actor=access.actor, reason=SUBTREE_REASON)


def _assessment(posted) -> conf.AssessmentChange:
    return conf.AssessmentChange(tenant_code=posted.text("tenant_code"), area=posted.text("area"),
                                 kind=posted.text("kind"), name=posted.text("name"),
                                 material_ids=posted.values("material_ids"), concluded_on=posted.text("concluded_on"),
                                 valid_until=posted.text("valid_until"), report_ref=posted.text("report_ref"))


@Construction
def assessments(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    posted, below = access.posted, _tenants_below(request, access)
    typed, faults, status = None, [], 200
    if posted is not None:
        verb, target = parse_op(posted.text("op") or "add")
        try:
            with _subtree(request, access) as session:
                if verb == "remove" and target.isdigit():
                    conf.remove_assessment(session, _editor(access), int(target))
                else:
                    conf.save_assessment(session, _editor(access), access.tenant, _assessment(posted), below)
        except ConstructionError as error:
            typed, faults, status = _assessment(posted), _faults(error), error.status
        else:
            done = "removed" if verb == "remove" else "assessment"
            return redirect(access.url(f"/construction/regional?done={done}"))
    return _assessments_page(request, access, below, typed, faults, status)


def _assessments_page(request, access, below, typed, faults, status=200, *, editing: int | None = None):
    with _subtree(request, access) as session:
        rows = conf.assessments(session)
        materials = conf.known_materials(session, access.tenant)
    blank = conf.AssessmentChange("", "", "", "", [], "", "", "")
    return _render(request, access, "regional", "regional", {
        "rows": rows, "below": below, "tenant_choices": {c: (n, c) for c, n in below.items()},
        "materials": {mid: f"{name}（{mid}）" for mid, name in materials.items()},
        "typed": typed or blank, "faults": Faults(faults),
        "editing": editing, "title": "区域评估"}, status)


@Construction
def assessment(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    number = int(request.path_params["id"])
    below = _tenants_below(request, access)
    with _subtree(request, access) as session:
        row = next((r for r in conf.assessments(session) if r.id == number), None)
    if row is None:
        return message(request, access, 404, "没有该区域评估", "No such regional assessment")
    typed = conf.AssessmentChange(row.tenant_id, row.area, row.kind, row.name, list(row.material_ids or []),
                                  row.concluded_on.isoformat(), row.valid_until.isoformat() if row.valid_until else "",
                                  row.report_ref or "")
    if access.posted is None:
        return _assessments_page(request, access, below, typed, [], editing=number)
    typed = _assessment(access.posted)
    try:
        with _subtree(request, access) as session:
            conf.save_assessment(session, _editor(access), access.tenant, typed, below, assessment_id=number)
    except ConstructionError as error:
        return _assessments_page(request, access, below, typed, _faults(error), error.status, editing=number)
    return redirect(access.url("/construction/regional?done=assessment"))


# ---------------------------------------------------------------- history

@Construction
def history(request: Request, access: Access) -> Response:
    if refused := _refused_below(request, access):
        return refused
    with request.app.state.database.unit_of_work(access.tenant.context()) as session:
        rows = conf.history(session)
    changes = []
    for row in rows:
        diff = dict(row.diff or {})
        differences = [_difference(k, v[0], v[1]) for k, v in sorted(diff.items())
                       if isinstance(v, list) and len(v) == 2 and k not in ("version", "retired")]
        extras = [(row.entity.removeprefix("construction_"), row.entity_key)]
        extras += [(k, _short(v)) for k, v in sorted(diff.items()) if k in ("version", "retired")]
        changes.append(Change(row.id, row.at, row.tenant_id, row.actor, row.action,
                              conf.ACTIONS.get(row.action, (row.action, row.action)), differences, extras))
    return _render(request, access, "history", "history", {"changes": changes, "title": "工程建设配置变更记录"})


@Construction
def home(request: Request, access: Access) -> Response:
    return redirect(access.url("/construction/stages"))


routes = [
    Route("/construction", home, name="admin_construction"),
    Route("/construction/stages", stages, name="admin_construction_stages"),
    Route("/construction/stages/{stage}", stage, methods=["GET", "POST"], name="admin_construction_stage"),
    Route("/construction/negative-list", negative_list, methods=["GET", "POST"], name="admin_construction_negative"),
    Route("/construction/negative-list/{code}", negative_entry, methods=["GET", "POST"],
          name="admin_construction_entry"),
    Route("/construction/regional", assessments, methods=["GET", "POST"], name="admin_construction_regional"),
    Route("/construction/regional/{id:int}", assessment, methods=["GET", "POST"],
          name="admin_construction_assessment"),
    Route("/construction/history", history, name="admin_construction_history"),
]
