"""The lead department's clerk in the workbench: stages waiting for acceptance, what each department still
owes, accepting a stage once, the joint acceptance appointment, and the project dashboard."""
from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tongban.platform.construction.errors import ConstructionError
from tongban.platform.construction.views import dashboard_view, label
from tongban.platform.construction.web_portal import construction_of
from tongban.platform.workbench.common import BEIJING, call, csrf_ok, render, signed_in_staff


async def board(request: Request) -> Response:
    staff = await signed_in_staff(request)
    if isinstance(staff, Response):
        return staff
    service = construction_of(request)

    def load():
        waiting = service.waiting_for(staff.tenant.code)["stages"]
        rows = []
        for stage, project in waiting:
            rows.append({"stage": stage, "project": project, "owed": service.dashboard(project.id).owed
                         if stage.state == "accepted" else []})
        return rows
    rows = await call(load)
    return render(request, "construction.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                                 "rows": rows, "state_label": label, "csrf_token": staff.csrf,
                                                 "message": request.query_params.get("done"),
                                                 "problem": request.query_params.get("problem")})


async def project_page(request: Request) -> Response:
    staff = await signed_in_staff(request)
    if isinstance(staff, Response):
        return staff
    service = construction_of(request)
    try:
        dashboard = await call(service.dashboard, request.path_params["project_id"])
    except ConstructionError:
        dashboard = None
    if dashboard is None or dashboard.project.tenant_id != staff.tenant.code:
        return render(request, "message.html", {"tenant": staff.tenant, "base": staff.base, "staff": staff,
                                                "title_zh": "找不到该项目", "title_en": "No such project",
                                                "link": staff.base + "/construction", "others": []}, 404)
    return render(request, "construction_project.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                                         "csrf_token": staff.csrf, "power_base": staff.site,
                                                         **dashboard_view(dashboard)})


async def accept(request: Request) -> Response:
    return await _act(request, lambda service, staff, form: service.accept(
        request.path_params["project_id"], request.path_params["stage"], staff.actor), "accepted")


async def joint(request: Request) -> Response:
    def schedule(service, staff, form):
        at = datetime.fromisoformat(str(form.get("at") or "")).replace(tzinfo=BEIJING)
        return service.schedule_joint_acceptance(request.path_params["project_id"], staff.actor, at)
    return await _act(request, schedule, "scheduled")


async def _act(request: Request, action, done: str) -> Response:
    staff = await signed_in_staff(request)
    if isinstance(staff, Response):
        return staff
    form = await request.form()
    target = f"{staff.base}/construction"
    if not csrf_ok(request, form):
        return RedirectResponse(target + "?problem=csrf", status_code=303)
    try:
        await call(action, construction_of(request), staff, form)
    except ConstructionError as error:
        return RedirectResponse(f"{target}?problem={error.errors[0]['code']}", status_code=303)
    except ValueError:
        return RedirectResponse(f"{target}?problem=invalid_time", status_code=303)
    return RedirectResponse(f"{target}?done={done}", status_code=303)


routes = [
    Route("/construction", board, name="workbench_construction"),
    Route("/construction/{project_id:int}", project_page, name="workbench_construction_project"),
    Route("/construction/{project_id:int}/{stage}/accept", accept, methods=["POST"]),
    Route("/construction/{project_id:int}/joint", joint, methods=["POST"]),
]
