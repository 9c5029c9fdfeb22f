"""监察事项 (the department side of supervision): the alerts raised against this department, an appeal (申诉),
the rectification report (整改) with attachments in answer to 督办, and complaints to answer by their deadline."""
from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.platform.supervision import attachments, petitions
from tongban.platform.supervision.ratings import service as ratings
from tongban.platform.supervision.errors import NotFound, SupervisionError
from tongban.platform.supervision.service import RESPONDING, SupervisionService, supervision_for
from tongban.platform.workbench.common import Staff, call, csrf_ok, lacking, render, signed_in_staff

DONE = {"appeal": ("申诉已提交", "Appeal sent"), "rectify": ("整改报告已提交", "Rectification report sent"),
        "answer": ("已答复", "Answer sent"), "rating_report": ("差评整改情况已报送", "Rectification of the rating reported"),
        "rating_callback": ("回访情况已记录，等待评价人确认", "Call-back noted: the rater is asked to confirm"),
        "rating_appeal": ("差评申诉已提交，由监察人员裁定", "Appeal sent: a supervisor decides")}
RATING_ACTIONS = ("report", "callback", "appeal")


def _service(request: Request) -> SupervisionService:
    return supervision_for(request.app)


async def _staff(request: Request) -> Staff | Response:
    staff = await signed_in_staff(request)
    if isinstance(staff, Response):
        return staff
    if not (_answers_alerts(staff) or _answers_petitions(staff)):
        return lacking(request, staff, "处理监察事项需要审批、窗口受理或好差评处理权限",
                       "Answering supervision needs the approver's, the window clerk's or the rating handler's permission")
    return staff


def _answers_alerts(staff: Staff) -> bool:
    return any(staff.actor.may(p, staff.tenant.path) for p in RESPONDING)


def _answers_petitions(staff: Staff) -> bool:
    return petitions.may_answer(staff.actor, staff.tenant.path)


async def department_page(request: Request, *, error: SupervisionError | None = None, failed: int | None = None,
                          status: int = 200) -> Response:
    staff = await _staff(request)
    if isinstance(staff, Response):
        return staff
    alerts = (await call(_service(request).department_alerts, staff.actor, staff.tenant.code)
              if _answers_alerts(staff) else [])
    rectifications = (await call(ratings.department_rectifications, request.app.state.database, staff.actor,
                                 staff.tenant.code) if _answers_alerts(staff) else [])
    open_petitions = (await call(petitions.to_answer, request.app.state.database, staff.actor, staff.tenant.code)
                      if _answers_petitions(staff) else [])
    done = request.query_params.get("done")
    return render(request, "supervision.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "alerts": alerts, "petitions": open_petitions,
        "rectifications": rectifications,
        "done": DONE.get(done or ""), "error": error, "failed": failed, "types": ", ".join(attachments.TYPES),
        }, status)


async def answer_alert(request: Request) -> Response:
    staff = await _staff(request)
    if isinstance(staff, Response):
        return staff
    alert_id, action = request.path_params["alert_id"], request.path_params["action"]
    form = await request.form()
    if not csrf_ok(request, form) or action not in ("appeal", "rectify"):
        return await department_page(request, error=_expired(), failed=alert_id, status=400)
    text = str(form.get("text", "")).strip()
    files = [f for f in form.getlist("attachments") if isinstance(f, UploadFile) and f.filename]
    try:
        stored = [await _store(request, f) for f in files]
        supervision = _service(request)
        if action == "appeal":
            await call(supervision.appeal, staff.actor, staff.tenant.code, alert_id, reasons=text, attachments=stored)
        else:
            await call(supervision.rectify, staff.actor, staff.tenant.code, alert_id, report=text, attachments=stored)
    except NotFound:
        return await department_page(request, error=SupervisionError("not_found", "找不到该监察事项", "No such alert"),
                                     status=404)
    except SupervisionError as error:
        return await department_page(request, error=error, failed=alert_id, status=400)
    return RedirectResponse(f"{staff.base}/supervision?done={action}", status_code=303)


async def answer_petition(request: Request) -> Response:
    staff = await _staff(request)
    if isinstance(staff, Response):
        return staff
    form = await request.form()
    if not csrf_ok(request, form):
        return await department_page(request, error=_expired(), status=400)
    petition_id = request.path_params["petition_id"]
    try:
        await call(petitions.answer, request.app.state.database, staff.actor, staff.tenant.code, petition_id,
                   text=str(form.get("answer", "")))
    except SupervisionError as error:
        return await department_page(request, error=error, failed=f"p{petition_id}",
                                     status=404 if isinstance(error, NotFound) else 400)
    return RedirectResponse(f"{staff.base}/supervision?done=answer", status_code=303)


async def answer_rating(request: Request) -> Response:
    """整改 of a bad rating: report what was corrected, note the call-back (回访), or appeal the rating."""
    staff = await _staff(request)
    if isinstance(staff, Response):
        return staff
    form = await request.form(max_fields=5)
    rating_id, action = request.path_params["rating_id"], request.path_params["action"]
    if not csrf_ok(request, form) or action not in RATING_ACTIONS:
        return await department_page(request, error=_expired(), failed=f"r{rating_id}", status=400)
    text, database = str(form.get("text", "")), request.app.state.database
    step = {"report": lambda: ratings.report_rectification(database, staff.actor, staff.tenant.code, rating_id,
                                                            report=text),
            "callback": lambda: ratings.record_callback(database, staff.actor, staff.tenant.code, rating_id, note=text),
            "appeal": lambda: ratings.appeal_rating(database, staff.actor, staff.tenant.code, rating_id, reason=text)}
    try:
        await call(step[action])
    except SupervisionError as error:
        return await department_page(request, error=error, failed=f"r{rating_id}",
                                     status=404 if isinstance(error, NotFound) else 409 if error.code == "wrong_state" else 400)
    return RedirectResponse(f"{staff.base}/supervision?done=rating_{action}", status_code=303)


async def _store(request: Request, upload: UploadFile) -> dict:
    data = await upload.read(attachments.MAX_BYTES + 1)
    return await call(attachments.keep, request.app.state.settings.var_dir, upload.filename or "file", data)


def _expired() -> SupervisionError:
    return SupervisionError("csrf", "表单已过期，请刷新后重试", "The form expired; reload the page and try again")
