"""One case for staff: its detail page, the action forms that post to the engine, its documents and files."""
from __future__ import annotations

import inspect

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from tongban.configurator.flows import render_svg
from tongban.platform.approval import actions, documents, queries
from tongban.platform.approval.errors import ApprovalError, CaseNotFound, Conflict
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.service import ACTIONS
from tongban.platform.db import utcnow
from tongban.platform.workbench import actionforms, formview, uploads
from tongban.platform.workbench.common import Staff, call, csrf_ok, not_found, render, signed_in_staff
from tongban.platform.workbench.labels import DONE, OUTCOMES


async def case_page(request: Request) -> Response:
    staff = await signed_in_staff(request, "view_cases", hide=True)
    if isinstance(staff, Response):
        return staff
    try:
        view = await call(load_view, request, staff, request.path_params["case_id"])
    except CaseNotFound:
        return not_found(request, staff)
    done = request.query_params.get("done")
    return render_case(request, staff, view, done=done if done in DONE else None)


def load_view(request: Request, staff: Staff, case_id: int) -> dict:
    approval = request.app.state.approval
    with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
        detail = queries.case_detail(session, case_id, staff.actor, staff.tenant.code,
                                     calendar=approval.calendars.calendar(session), now=utcnow())
        schema = version_parts(session, detail.case.version_id)[1] if detail.handled_here else None
    names = request.app.state.directory.snapshot.by_code
    view = {"detail": detail, "case": detail.case, "fields": [], "svg": None, "forms": {}, "departments": [],
            "node_labels": {}, "material_names": {m.material_id: m.name for m in detail.materials},
            "received_at": names[detail.case.received_tenant_id].name if detail.case.received_tenant_id in names
            else detail.case.received_tenant_id,
            "handled_by": names[detail.case.tenant_id].name if detail.case.tenant_id in names else detail.case.tenant_id,
            "applicant": formview.masked_applicant(detail.case.applicant or {}, detail.case.form_data),
            "case_forms": actionforms.case_forms(detail.case, detail.permissions) if detail.handled_here else []}
    if detail.handled_here:
        view["fields"] = formview.read_only(schema, detail.case.form_data, request.app.state.directory.snapshot)
        view["svg"] = Markup(render_svg(detail.flow, highlight=detail.current_nodes))
        view["forms"] = {ot.task.id: actionforms.forms_for(detail.case.state, ot.node_kind, ot.actions,
                                                           paused=bool(detail.case.paused),
                                                           roll_back_to=(ot.previous, ot.earlier))
                         for ot in detail.open_tasks if ot.mine}
        view["node_labels"] = {n.id: n.label.zh for n in detail.flow.nodes}
        view["departments"] = sorted({n.assignment.department for n in detail.flow.nodes
                                      if n.assignment and n.assignment.department})
    return view


def render_case(request: Request, staff: Staff, view: dict, *, done: str | None = None,
                error: ApprovalError | None = None, posted: actionforms.Posted | None = None,
                status: int = 200) -> Response:
    return render(request, "case.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base, **view,
                                         "done": done, "error": error, "posted": posted,
                                         "conflict": isinstance(error, Conflict),
                                         **_mine_before(staff, error, posted)},
                  status)


def _mine_before(staff: Staff, error, posted) -> dict:
    """Whether the step this form acted on was already done by this very staff member: the same action (sent twice,
    e.g. after going back), or another one from another tab — then what was done, and that this one was not."""
    details = (error.details or {}) if isinstance(error, Conflict) else {}
    if not staff.actor.subject or details.get("completed_by") != staff.actor.subject:
        return {"already_mine": False, "done_before": None}
    outcome = details.get("outcome")
    same = posted is None or actions.OUTCOME_OF.get(posted.action) == outcome
    return {"already_mine": same, "done_before": None if same else OUTCOMES.get(outcome, (outcome, outcome))}


async def act(request: Request) -> Response:
    staff = await signed_in_staff(request, "view_cases", hide=True)
    if isinstance(staff, Response):
        return staff
    case_id, action = request.path_params["case_id"], request.path_params["action"]
    if action not in actionforms.TASK_ACTIONS + actionforms.CASE_ACTIONS:
        return not_found(request, staff)
    form = await request.form()
    posted = None
    try:
        if not csrf_ok(request, form):
            raise ApprovalError("csrf", "页面已过期，请刷新后重试", "the page expired; reload it and try again")
        posted = actionforms.parse(action, form)
        await call(perform, request, staff, case_id, posted)
    except CaseNotFound:
        return not_found(request, staff)
    except ApprovalError as error:
        try:
            view = await call(load_view, request, staff, case_id)
        except CaseNotFound:
            return not_found(request, staff)
        posted = posted or actionforms.Posted(action, None, None, {}, {})
        return render_case(request, staff, view, error=error, posted=posted, status=error.status)
    return RedirectResponse(f"{staff.base}/cases/{case_id}?done={action}#result", status_code=303)


def perform(request: Request, staff: Staff, case_id: int, posted: actionforms.Posted) -> dict:
    """Check the case is handled here and the task unchanged, then one engine call."""
    takes_revision = "expected_revision" in inspect.signature(ACTIONS[posted.action]).parameters
    with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
        _case, names = queries.handled_case(session, case_id, staff.tenant.code, task_id=posted.task_id,
                                            expected_revision=posted.revision)
    arguments = dict(posted.arguments)
    if posted.action == "request_supplement":
        chosen = [{"material_id": m, "name": names[m]} for m in posted.missing_ids if m in names]
        arguments["missing"] = chosen + arguments["missing"]
    if takes_revision and posted.revision is not None:
        arguments["expected_revision"] = posted.revision
    if posted.action in actionforms.TASK_ACTIONS:
        arguments["task_id"] = posted.task_id
    return request.app.state.approval.act(case_id, posted.action, staff.actor, **arguments)


async def document(request: Request) -> Response:
    staff = await signed_in_staff(request, "view_cases", hide=True)
    if isinstance(staff, Response):
        return staff
    kind = request.path_params["kind"]
    public_url = documents.public_address(request.app.state.settings.public_url,
                                          f"{request.url.scheme}://{request.url.netloc}",
                                          site=staff.site, tenant_code=staff.tenant.code)
    try:
        _title, pdf = await call(queries.document_pdf, request.app.state.database, staff.tenant,
                                request.path_params["case_id"], kind, public_url=public_url)
    except CaseNotFound:
        return not_found(request, staff)
    except ApprovalError:
        return not_found(request, staff)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{kind}.pdf"'})


async def case_file(request: Request) -> Response:
    """A file handed in with the case (only through a case handled here that lists it)."""
    staff = await signed_in_staff(request, "view_cases", hide=True)
    if isinstance(staff, Response):
        return staff
    file_id = request.path_params["file_id"]
    try:
        view = await call(load_view, request, staff, request.path_params["case_id"])
    except CaseNotFound:
        return not_found(request, staff)
    listed = {f.get("id"): f for m in view["detail"].materials for f in (m.files or [])}
    path = uploads.path_of(request.app.state.settings.var_dir, file_id) if file_id in listed else None
    if path is None:
        return not_found(request, staff)
    return FileResponse(path, media_type=listed[file_id].get("content_type") or "application/octet-stream",
                        filename=listed[file_id].get("name") or file_id, content_disposition_type="inline")
