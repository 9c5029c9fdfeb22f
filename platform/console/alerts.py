"""实时监察 (live alerts): the list by severity and level over the supervisor's subtree with drill-down, one
alert with its case file and clock, and the supervisor's decisions posted back to the domain service."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from tongban.platform.console import common
from tongban.platform.console.common import Staff, render, signed_in_supervisor
from tongban.platform.supervision import casefile
from tongban.platform.supervision.errors import NotFound, SupervisionError
from tongban.platform.supervision.rules import current_rules
from tongban.platform.supervision.service import SupervisionService, supervision_for
from tongban.platform.workbench import uploads
from tongban.platform.workbench.common import call

PER_PAGE = 50
FILTERS = ("severity", "level", "state", "rule")
ACTIONS = ("confirm", "withdraw", "cancel", "appeal_withdraw", "appeal_reject", "appeal_escalate", "escalate",
           "order_correction", "accept_rectification", "reject_rectification")
DONE = {"confirm": ("已确认并发出", "Confirmed and issued"), "withdraw": ("已撤回", "Withdrawn"),
        "cancel": ("已撤销", "Cancelled"), "appeal_withdraw": ("申诉成立，已撤回", "Appeal upheld, withdrawn"),
        "appeal_reject": ("已驳回申诉", "Appeal rejected"), "appeal_escalate": ("已提交上级", "Escalated"),
        "escalate": ("已提交上级", "Escalated"), "order_correction": ("已下达督办", "督办 ordered"),
        "accept_rectification": ("整改通过，已办结", "Rectification accepted, closed"),
        "reject_rectification": ("已退回整改", "Rectification sent back")}


def service(request: Request) -> SupervisionService:
    return supervision_for(request.app)


async def alert_list(request: Request) -> Response:
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    chosen = {k: request.query_params.get(k) or None for k in FILTERS}
    page = _page(request)
    result = await call(service(request).list_alerts, staff.actor, scope.code, reason="电子监察台",
                        severity=chosen["severity"], level=chosen["level"], state=chosen["state"],
                        rule_code=chosen["rule"], limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    rules = await call(_rules, request)
    return render(request, "alerts.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "scope": scope, "result": result,
        "chosen": chosen, "rules": rules, "page": page, "pages": max(1, -(-result["total"] // PER_PAGE)),
        "trail": common.trail(request, staff, scope), "children": common.children(request, scope),
        "summary": _summary(result["counts"]), "query": lambda **kw: _query(request, **kw)})


def _rules(request: Request) -> list[tuple[str, str]]:
    with request.app.state.database.unit_of_work(_system()) as session:
        return [(code, rule.name_zh) for code, rule in current_rules(session).items()]


def _system():
    from tongban.tenants.isolation import TenantContext

    return TenantContext.system("supervision rules list")


def _summary(counts: dict) -> dict:
    """Open alerts (not withdrawn, cancelled or closed) per severity, and all per state."""
    closed = {"withdrawn", "cancelled", "closed"}
    out = {"severity": dict.fromkeys(common.SEVERITY, 0), "state": dict.fromkeys(common.STATES, 0)}
    for (severity, state), n in counts.items():
        if state not in closed:
            out["severity"][severity] = out["severity"].get(severity, 0) + n
        out["state"][state] = out["state"].get(state, 0) + n
    return out


def _page(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def _query(request: Request, **changes) -> str:
    params = {k: v for k, v in request.query_params.items() if v and k != "page"}
    params.update({k: v for k, v in changes.items()})
    return urlencode({k: v for k, v in params.items() if v})


async def alert_page(request: Request, *, error: SupervisionError | None = None, status: int = 200) -> Response:
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    alert_id = request.path_params["alert_id"]
    try:
        view = await call(_load, request, staff, alert_id)
    except NotFound:
        return common.message(request, staff, staff.tenant, staff.base, 404, "找不到该监察事项", "No such alert",
                              link=staff.base + "/")
    done = request.query_params.get("done")
    return render(request, "alert.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base, **view,
                                          "done": DONE.get(done) if done else None, "error": error}, status)


def _load(request: Request, staff: Staff, alert_id: int) -> dict:
    supervision = service(request)
    alert = supervision.get_alert(staff.actor, staff.tenant.code, alert_id, reason=f"电子监察查看 alert {alert_id}")
    file = casefile.case_file(supervision, staff.actor, staff.tenant.code, alert["case_id"]) if alert["case_id"] else None
    about = casefile.subject_of(supervision, staff.actor, staff.tenant.code, alert) if not file else None
    decides = staff.actor.may("supervise", _path(request, alert["supervisor"]))
    return {"alert": alert, "file": file, "about": about, "decides": decides, "attachments": _attachments(alert)}


def _path(request: Request, code: str) -> str:
    info = request.app.state.directory.snapshot.by_code.get(code)
    return info.path if info else "/"


def _attachments(alert: dict) -> list[dict]:
    return [a for e in alert["events"] for a in (e["details"] or {}).get("attachments") or [] if isinstance(a, dict)]


async def act(request: Request) -> Response:
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    alert_id, action = request.path_params["alert_id"], request.path_params["action"]
    form = await request.form()
    if not common.csrf_ok(request, form) or action not in ACTIONS:
        return common.message(request, staff, staff.tenant, staff.base, 400, "表单已过期，请刷新后重试",
                              "The form expired; reload the page and try again", link=f"{staff.base}/alerts/{alert_id}")
    text = str(form.get("reason", "")).strip()
    try:
        shown = str(form.get("revision", ""))
        await call(_decide, service(request), staff, alert_id, action, text, str(form.get("days", "5")),
                   int(shown) if shown.isdigit() else None)
    except NotFound:
        return common.message(request, staff, staff.tenant, staff.base, 404, "找不到该监察事项", "No such alert",
                              link=staff.base + "/")
    except SupervisionError as error:
        return await alert_page(request, error=error, status=409 if error.code in ("wrong_state", "concurrent_change",
                                                                                      "escalated") else 400)
    return RedirectResponse(f"{staff.base}/alerts/{alert_id}?done={action}", status_code=303)


def _decide(supervision: SupervisionService, staff: Staff, alert_id: int, action: str, text: str, days: str,
            shown: int | None):
    actor, code, kw = staff.actor, staff.tenant.code, {"expected_revision": shown}  # the revision the page showed
    if action.startswith("appeal_"):
        return supervision.decide_appeal(actor, code, alert_id, decision=action[len("appeal_"):], reason=text, **kw)
    if action == "escalate":
        return supervision.decide_appeal(actor, code, alert_id, decision="escalate", reason=text, **kw)
    if action == "order_correction":
        return supervision.order_correction(actor, code, alert_id, instructions=text, days=_days(days), **kw)
    if action in ("accept_rectification", "reject_rectification"):
        return supervision.review_rectification(actor, code, alert_id, accept=action == "accept_rectification",
                                                comment=text, days=_days(days), **kw)
    if action == "confirm":
        return supervision.confirm(actor, code, alert_id, comment=text, **kw)
    return getattr(supervision, action)(actor, code, alert_id, reason=text, **kw)


def _days(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 60:
        raise SupervisionError("days_invalid", "期限应为 1 至 60 个工作日", "the deadline is 1 to 60 working days",
                               field="days")
    return int(value)


async def attachment(request: Request) -> Response:
    """A rectification or appeal attachment of an alert the supervisor may see."""
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    alert_id, file_id = request.path_params["alert_id"], request.path_params["file_id"]
    try:
        alert = await call(service(request).get_alert, staff.actor, staff.tenant.code, alert_id)
    except NotFound:
        alert = None
    found = next((a for a in _attachments(alert) if a.get("id") == file_id), None) if alert else None
    path = uploads.path_of(request.app.state.settings.var_dir, file_id) if found else None
    if path is None:
        return common.message(request, staff, staff.tenant, staff.base, 404, "找不到该附件", "No such attachment")
    return FileResponse(path, media_type=found.get("content_type") or "application/octet-stream",
                        filename=found.get("name") or file_id)


async def complaints_page(request: Request) -> Response:
    """投诉 from the portal, routed here with their answer deadline (the petition rules card the late ones)."""
    staff = await signed_in_supervisor(request)
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    kind = "consultation" if request.query_params.get("kind") == "consultation" else "complaint"
    unanswered = request.query_params.get("unanswered") == "1"
    result = await call(casefile.complaints, service(request), staff.actor, scope.code, kind=kind, unanswered=unanswered)
    return render(request, "complaints.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                               "scope": scope, "result": result, "unanswered": unanswered, "kind": kind,
                                               "trail": common.trail(request, staff, scope)})
