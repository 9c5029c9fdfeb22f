"""窗口收件: a clerk applies on behalf of an applicant (channel ``window``), here or — 全省通办 — for any tenant
that handles the item; then the receipt with the case number and the query code (shown once)."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from tongban.configurator.forms import FormSchema, validate_submission
from tongban.configurator.forms.values import to_cel
from tongban.configurator.publishing.effective import effective_item
from tongban.platform.approval import materials as material_rules
from tongban.platform.approval import queries, submission_keys
from tongban.platform.approval.errors import ApprovalError, CaseNotFound, SubmissionInvalid
from tongban.platform.approval.intake import Application
from tongban.platform.workbench import formview, intakeform
from tongban.platform.workbench.common import (
    Staff,
    call,
    csrf_ok,
    not_found,
    refusal,
    render,
    signed_in_staff,
)

RECEIPT_COOKIE = "tb_wb_receipt"
RECEIPT_TTL = 900


async def choose_item(request: Request) -> Response:
    staff = await signed_in_staff(request, "accept_cases")
    if isinstance(staff, Response):
        return staff
    snapshot = request.app.state.directory.snapshot

    def load():
        with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
            return queries.window_items(session, request.app.state.catalogue, staff.tenant,
                                        snapshot.ancestors(staff.tenant.code))

    items = await call(load)
    q = request.query_params.get("q", "").strip()
    if q:
        items = [e for e in items if q in e.name or q.lower() in e.code.lower()]
    return render(request, "intake_items.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                                 "items": items, "q": q})


def _served(request: Request, staff: Staff, item_code: str, handling_code: str):
    """The handling tenant, the item it serves (content) and its form schema; None when not handled there."""
    snapshot = request.app.state.directory.snapshot
    handlers = {code: (name, level) for code, name, level in
                queries.handling_tenants(request.app.state.database, item_code, snapshot.root.code)}
    handling = snapshot.by_code.get(handling_code)
    if handling is None or handling_code not in handlers:
        return None, handlers, None, None
    with request.app.state.database.unit_of_work(handling.context()) as session:
        served = effective_item(session, handling, item_code)
    if served is None or not served.enabled:
        return None, handlers, None, None
    return handling, handlers, served.content, FormSchema.parse(served.content.get("form") or {"fields": []})


async def intake_form(request: Request) -> Response:
    staff = await signed_in_staff(request, "accept_cases")
    if isinstance(staff, Response):
        return staff
    item_code = request.path_params["item_code"]
    handling_code = request.query_params.get("handling") or staff.tenant.code
    handling, handlers, content, schema = await call(_served, request, staff, item_code, handling_code)
    if handling is None and handling_code == staff.tenant.code and handlers:
        other = min(handlers)
        return RedirectResponse(f"{staff.base}/intake/{item_code}?handling={other}", status_code=303)
    if handling is None:
        return not_found(request, staff)
    return _form_page(request, staff, item_code, handling, handlers, content, schema, None, None,
                      key=submission_keys.new_key())


async def submit(request: Request) -> Response:
    staff = await signed_in_staff(request, "accept_cases")
    if isinstance(staff, Response):
        return staff
    form = await request.form()
    if not csrf_ok(request, form):
        return refusal(request, staff.tenant, staff.base, 400, "页面已过期，请返回重新填写",
                       "The page expired; go back and fill it in again", link=request.url.path)
    item_code, handling_code = request.path_params["item_code"], str(form.get("handling") or "")
    handling, handlers, content, schema = await call(_served, request, staff, item_code, handling_code)
    if handling is None:
        return not_found(request, staff)
    settings = request.app.state.settings
    posted = await intakeform.read(form, schema=schema, materials=content.get("materials") or [],
                                   var_dir=settings.var_dir, secret_key=settings.secret_key,
                                   snapshot=request.app.state.directory.snapshot)
    if form.get("add_row") or form.get("refresh") or posted.errors:
        if posted.errors:
            posted.errors += _engine_errors(schema, content, posted)
        extra = {str(form.get("add_row")): 1} if form.get("add_row") else {}
        return _form_page(request, staff, item_code, handling, handlers, content, schema, posted, extra,
                          status=422 if posted.errors else 200)
    try:
        result = await call(_submit, request, staff, item_code, handling.code, posted)
    except SubmissionInvalid as invalid:
        posted.errors += invalid.errors
        return _form_page(request, staff, item_code, handling, handlers, content, schema, posted, {}, status=422)
    except ApprovalError as error:
        posted.errors.append({"path": error.field or "", "zh": error.zh, "en": error.en})
        return _form_page(request, staff, item_code, handling, handlers, content, schema, posted, {},
                          status=error.status)
    response = RedirectResponse(f"{staff.base}/receipts/{result['id']}", status_code=303)
    remembered = {"case": result["id"], "code": result["query_code"], "repeated": bool(result.get("repeated"))}
    response.set_cookie(RECEIPT_COOKIE, _receipts(request).dumps(remembered), max_age=RECEIPT_TTL, httponly=True,
                        samesite="lax", path="/", secure=request.url.scheme == "https")
    return response


def _submit(request: Request, staff: Staff, item_code: str, handling_code: str, posted) -> dict:
    applicant = dict(posted.applicant)
    with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
        applicant["subject"] = queries.applicant_subject(session, request.app.state.settings.secret_key,
                                                         applicant["kind"], applicant["id_number"], applicant["name"])
    application = Application(item_code=item_code, form_data=posted.data, channel="window", applicant=applicant,
                              files=posted.files, licenses=posted.licenses, submission_key=posted.submission_key)
    return request.app.state.approval.submit(handling_code, staff.tenant.code, staff.actor, application)


def _engine_errors(schema: FormSchema, content: dict, posted) -> list[dict]:
    """The engine's own validation (nothing written), so every problem shows at once."""
    result = validate_submission(schema, posted.data, identity=posted.applicant)
    _statuses, material_errors = material_rules.assess(content.get("materials") or [], to_cel(result.cleaned),
                                                       posted.files, posted.licenses)
    known = {(e["path"], e["zh"]) for e in posted.errors}
    found = [{"path": e.path, "code": e.code, "zh": e.message_zh, "en": e.message_en} for e in result.errors]
    return [e for e in found + material_errors if (e["path"], e["zh"]) not in known]


def _form_page(request: Request, staff: Staff, item_code: str, handling, handlers: dict, content: dict,
               schema: FormSchema, posted, extra_rows, *, status: int = 200, key: str | None = None) -> Response:
    errors = posted.errors if posted else []
    applicant = posted.applicant if posted else {"kind": "person"}
    fields = formview.editable(schema, posted.data if posted else None, errors, applicant, extra_rows=extra_rows)
    intakeform.add_division_choices(fields, request.app.state.directory.snapshot)
    secret = request.app.state.settings.secret_key
    kept = {mid: intakeform.keep_token(secret, files) for mid, files in (posted.files if posted else {}).items()}
    kept.update({f"f.{name}": intakeform.keep_token(secret, files)
                 for name, files in (posted.form_files if posted else {}).items()})
    by_path: dict[str, list[dict]] = {}
    for error in errors:
        by_path.setdefault(str(error.get("path", "")), []).append(error)
    others = sorted(((c, n) for c, (n, _level) in handlers.items()), key=lambda t: (t[0] != staff.tenant.code, t[0]))
    return render(request, "intake_form.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "item_code": item_code,
        "item": content["elements"], "materials": content.get("materials") or [], "fields": fields,
        "handling": handling, "handlers": others, "applicant": applicant, "errors": errors, "by_path": by_path,
        "kept": kept, "kept_files": posted.files if posted else {}, "licenses": posted.licenses if posted else {},
        "kinds": intakeform.KINDS,
        "submission_key": key or (posted.submission_key if posted else None) or submission_keys.new_key()}, status,
        history=True)


def _receipts(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="tongban.workbench.receipt")


async def receipt(request: Request) -> Response:
    staff = await signed_in_staff(request, "view_cases", hide=True)
    if isinstance(staff, Response):
        return staff
    case_id = request.path_params["case_id"]

    def load():
        with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
            return queries.visible_case(session, case_id)

    try:
        case = await call(load)
    except CaseNotFound:
        return not_found(request, staff)
    try:
        remembered = _receipts(request).loads(request.cookies.get(RECEIPT_COOKIE, ""), max_age=RECEIPT_TTL)
    except BadSignature:
        remembered = {}
    mine = remembered.get("case") == case.id
    code = remembered.get("code") if mine else None
    handling = request.app.state.directory.snapshot.by_code.get(case.tenant_id)
    response = render(request, "receipt.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                                "case": case, "query_code": code, "handling": handling,
                                                "repeated": mine and remembered.get("repeated"),
                                                "applicant": formview.masked_applicant(case.applicant or {})})
    if mine:
        response.delete_cookie(RECEIPT_COOKIE, path="/")  # the query code is shown once
    return response
