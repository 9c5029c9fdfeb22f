"""The investor's pages in each tenant's portal: the negative list, my projects, a stage's one application
form, supplying a 容缺 material, and the project dashboard. Routes translate; the domain decides."""
from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.configurator.forms import FieldError, FormSchema, render_spec
from tongban.platform.construction.catalogue import INDUSTRIES, PROJECT_TYPES
from tongban.platform.construction.errors import ConstructionError
from tongban.platform.construction.projects import ProjectApplication
from tongban.platform.construction.service import ConstructionService
from tongban.platform.construction.views import dashboard_view, label
from tongban.platform.files.store import UploadRefused, UploadRules
from tongban.platform.portal.apply_view import field_view
from tongban.platform.portal.applying import Attempt
from tongban.platform.portal.formdata import parse_post
from tongban.platform.portal.web_common import (
    Ctx,
    call,
    csrf_ok,
    not_found,
    page,
    portal_of,
    redirect,
    render,
    require_user,
    theme_of,
    trail,
)

MB = 1024 * 1024
FORMATS = ["pdf", "jpg", "png", "zip"]


def construction_of(request: Request) -> ConstructionService:
    service = getattr(request.app.state, "construction", None)
    if service is None:
        service = request.app.state.construction = ConstructionService(
            request.app.state.database, approval=request.app.state.approval)
    return service


def _render(request, ctx, template, data, status=200):
    portal = portal_of(request)
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        theme = theme_of(session, ctx)
    return render(request, ctx, theme, f"construction/{template}", {"state_label": label, **data}, status)


def _crumbs(ctx: Ctx, *more):
    return ((ctx.pick("工程建设项目", "Construction projects"), f"{ctx.base}/construction/projects"), *more)


# ---------------------------------------------------------------- the negative list (public)

@page
async def negative_list(request: Request, ctx: Ctx):
    entries = await call(construction_of(request).negative_list, ctx.tenant.code)
    return await call(_render, request, ctx, "negative_list.html", {
        "trail": trail(request, ctx, (ctx.pick("投资负面清单", "Investment negative list"), None)),
        "prohibited": [e for e in entries if e.kind == "prohibited"],
        "restricted": [e for e in entries if e.kind == "restricted"], "industries": INDUSTRIES})


# ---------------------------------------------------------------- my projects and registering one

@page
async def my_projects(request: Request, ctx: Ctx):
    user = require_user(ctx)
    errors, values = [], {}
    if request.method == "POST":
        form = await request.form()
        if not await csrf_ok(request, form):
            return redirect(ctx, f"{ctx.base}/construction/projects")
        values = {k: str(form.get(k) or "").strip() for k in ("code", "name", "area", "investment_wan_yuan",
                                                              "land_area_m2", "industry", "project_type")}
        application = ProjectApplication(investor_uscc=user.identity.get("uscc", ""), investor_name=user.name, **values)
        try:
            project = await call(construction_of(request).register, ctx.tenant.code, user.actor, application)
            return redirect(ctx, f"{ctx.base}/construction/projects/{project.id}")
        except ConstructionError as error:
            errors = error.errors
    projects = await call(construction_of(request).projects_of, user.subject)
    status = 422 if errors else 200
    return await call(_render, request, ctx, "projects.html", {
        "trail": trail(request, ctx, (ctx.pick("工程建设项目", "Construction projects"), None)),
        "projects": projects, "errors": errors, "values": values, "types": PROJECT_TYPES, "industries": INDUSTRIES,
        "may_register": user.kind == "enterprise"}, status)


def _own(request: Request, ctx: Ctx, project_id: int):
    user = require_user(ctx)
    try:
        return user, construction_of(request).investor_dashboard(project_id, user.subject)
    except ConstructionError:
        return None, None


# ---------------------------------------------------------------- the dashboard

@page
async def project_page(request: Request, ctx: Ctx):
    require_user(ctx)
    user, board = await call(_own, request, ctx, request.path_params["project_id"])
    if board is None:
        raise not_found(ctx)
    return await call(_render, request, ctx, "project.html", {
        "trail": trail(request, ctx, *_crumbs(ctx, (board.project.name, None))), **dashboard_view(board),
        "power_base": ctx.base,
        "message": ctx.query.get("done")})


# ---------------------------------------------------------------- a stage's one application

@page
async def apply_stage(request: Request, ctx: Ctx):
    require_user(ctx)
    project_id, stage = request.path_params["project_id"], request.path_params["stage"]
    user, board = await call(_own, request, ctx, project_id)
    if board is None or stage not in {s.stage for s in board.stages}:
        raise not_found(ctx)
    service = construction_of(request)
    assembled = await call(service.stage_form, project_id, stage)
    schema = FormSchema.parse(assembled.schema)
    values, errors = _known_values(board), []
    commitments: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form()
        if not await csrf_ok(request, form):
            return redirect(ctx, request.url.path)
        values = parse_post(schema, {k: form.getlist(k) for k in form if k.startswith("f.")})
        commitments = {k[len("commit."):]: str(form.get(k) or "") for k in form if k.startswith("commit.")}
        files, errors = await call(_store_files, request, ctx, user, board.project, assembled.materials, form)
        if not errors:
            try:
                await call(service.apply, project_id, stage, user.actor, form_data=values, files=files,
                           commitments=commitments)
                return redirect(ctx, f"{ctx.base}/construction/projects/{project_id}?done=applied")
            except ConstructionError as error:
                errors = error.errors
    stage_row = next(s for s in board.stages if s.stage == stage)
    field_errors = [FieldError(e["path"], e["code"], e["zh"], e["en"]) for e in errors
                    if not e["path"].startswith(("materials.", "commitments.", "state", "actor"))]
    specs = render_spec(schema, values or None, field_errors, identity=user.identity)
    snapshot = request.app.state.directory.snapshot
    fields = [field_view(f, schema, user.identity, Attempt(form_data=values), {}, snapshot) for f in specs]
    template = service.templates(ctx.tenant.code)
    commitment_items = next((t.commitment_items for t in template if t.stage == stage), [])
    return await call(_render, request, ctx, "apply.html", {
        "trail": trail(request, ctx, *_crumbs(ctx, (board.project.name, f"{ctx.base}/construction/projects/{project_id}"),
                                               (stage_row.name_zh, None))),
        "project": board.project, "stage": stage_row, "form": assembled, "fields": fields, "errors": errors,
        "material_errors": {e["path"][len("materials."):]: e for e in errors if e["path"].startswith("materials.")},
        "commitment_items": [i for i in assembled.items if i.code in commitment_items], "commitments": commitments,
        "other_errors": [e for e in errors if e["path"].startswith(("state", "actor", "commitments."))]},
        422 if errors else 200)


def _known_values(board) -> dict:
    """What earlier stages and the project already said: asked once, shown again prefilled."""
    project = board.project
    values = {"project_name": project.name, "project_code": project.code, "enterprise_name": project.investor_name,
              "uscc": project.investor_uscc, "investment": str(project.investment_wan_yuan)}
    for stage in board.stages:
        values.update({k: v for k, v in (stage.form_data or {}).items() if not k.startswith("_")})
    return values


def _store_files(request, ctx, user, project, materials, form) -> tuple[dict, list]:
    portal = portal_of(request)
    files, errors = {}, []
    with portal.database.unit_of_work(ctx.tenant.context()) as session:
        for m in materials:
            for upload in form.getlist(f"file.{m.id}"):
                if not isinstance(upload, UploadFile) or not upload.filename:
                    continue
                try:
                    stored = portal.store.accept(session, owner=user.subject, item_code=project.code[:60],
                                                 purpose=f"construction.{m.id}", filename=upload.filename,
                                                 stream=upload.file, rules=UploadRules(FORMATS, 50 * MB, m.name))
                    files.setdefault(m.id, []).append({"id": stored.token, "name": stored.original_name,
                                                       "size": stored.size})
                except UploadRefused as refused:
                    errors.append({"path": f"materials.{m.id}", "code": refused.code, "zh": refused.zh,
                                   "en": refused.en})
    return files, errors


@page
async def supply(request: Request, ctx: Ctx):
    require_user(ctx)
    project_id, stage, material = (request.path_params["project_id"], request.path_params["stage"],
                                   request.path_params["material"])
    user, board = await call(_own, request, ctx, project_id)
    if board is None:
        raise not_found(ctx)
    form = await request.form()
    if not await csrf_ok(request, form):
        return redirect(ctx, f"{ctx.base}/construction/projects/{project_id}")
    row = next((m for m in board.materials if m.material_id == material), None)
    if row is None:
        raise not_found(ctx)
    spec = type("M", (), {"id": material, "name": row.name})
    files, errors = await call(_store_files, request, ctx, user, board.project, [spec], form)
    done = "supplied"
    if not errors:
        try:
            await call(construction_of(request).supply, project_id, stage, material, files.get(material, []), user.actor)
        except ConstructionError:
            done = "supply_failed"
    else:
        done = "supply_failed"
    return redirect(ctx, f"{ctx.base}/construction/projects/{project_id}?done={done}")


routes = [
    Route("/construction/negative-list", negative_list),
    Route("/construction/projects", my_projects, methods=["GET", "POST"]),
    Route("/construction/projects/{project_id:int}", project_page),
    Route("/construction/projects/{project_id:int}/stages/{stage}/apply", apply_stage, methods=["GET", "POST"]),
    Route("/construction/projects/{project_id:int}/stages/{stage}/supply/{material}", supply, methods=["POST"]),
]
