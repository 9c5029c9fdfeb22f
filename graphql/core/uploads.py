"""POST /graphql/uploads: a program hands in one file for one material (or form file field) of an item, then
names it by the returned id in ``submitApplication`` / ``supplyCase``.

A plain ``multipart/form-data`` request with the user's bearer token (scope ``cases:write``) and the fields
``itemCode``, ``materialId`` (or ``field``), ``tenant`` (default: the request's) and ``file``. The file is
checked as the portal checks it — the material's formats and size, its real content sniffed from the bytes
— and kept for the token's person (or acting enterprise): nobody else can name it. The engine then takes
the file's name, size and type from the stored upload, never from what the program says.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from tongban.configurator.materials.spec import MAX_SIZE_MB
from tongban.graphql.core.auth import CASES_WRITE, Requires, bearer_token, verify
from tongban.graphql.core.context import build_context
from tongban.graphql.core.errors import ApiError
from tongban.graphql.core.http import _errors, _json, _take
from tongban.graphql.core.limits import limits_of
from tongban.graphql.core.tenancy import tenant_of
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.files.store import UploadRefused
from tongban.platform.identity.tokens import TokenRefused
from tongban.platform.portal import applying
from tongban.platform.portal.web_common import portal_state

MAX_REQUEST_BYTES = (MAX_SIZE_MB + 1) * 1024 * 1024  # the largest material a catalogue allows, and the form around it


async def admitted(request: Request, requires: Requires, max_bytes: int, too_large: ApiError):
    """The checks every upload beside GraphQL passes before its body is read: the bearer token and its scope,
    the rate limit, a declared length within ``max_bytes``, a multipart body. (principal, rate decision), or
    the refusal to send."""
    app = request.app
    try:
        token = bearer_token(request.headers.get("authorization"))
        principal = await run_in_threadpool(verify, app, token) if token else None
        requires.check(principal)
    except TokenRefused as refused:
        return _errors(401, [ApiError("UNAUTHENTICATED", refused.zh, refused.en)],
                       {"www-authenticate": f'Bearer error="{refused.code}"'})
    except ApiError as error:
        return _errors(401 if error.code == "UNAUTHENTICATED" else 403, [error])
    decision = _take(app, limits_of(app), principal, request.client.host if request.client else "")
    if not decision.allowed:
        return _errors(429, [ApiError("RATE_LIMITED", f"请求过于频繁，请 {decision.retry_after} 秒后再试",
                                      f"too many requests; retry in {decision.retry_after} s")], decision.headers())
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return _errors(411, [ApiError("LENGTH_REQUIRED", "请在请求头中给出 Content-Length",
                                      "send the Content-Length header")])
    if int(length) > max_bytes:
        return _errors(413, [too_large])
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _errors(400, [ApiError("BAD_REQUEST", "请以 multipart/form-data 上传",
                                      "send the file as multipart/form-data")])
    return principal, decision


async def upload(request: Request) -> Response:
    app = request.app
    limits = limits_of(app)
    checked = await admitted(request, Requires(CASES_WRITE, account=True), MAX_REQUEST_BYTES,
                             ApiError("PAYLOAD_TOO_LARGE", f"文件超过 {MAX_SIZE_MB} MB",
                                      f"the file is larger than {MAX_SIZE_MB} MB"))
    if isinstance(checked, Response):
        return checked
    principal, decision = checked
    async with request.form(max_files=1, max_fields=8) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            return _refused(UploadRefused("file_required", "请选择要上传的文件（字段 file）",
                                          "attach the file (field `file`)"), "file")
        fields = {k: str(form.get(k) or "").strip() or None for k in ("itemCode", "materialId", "field", "tenant")}
        return await run_in_threadpool(_keep, app, principal, request.scope.get("state", {}).get("tenant"),
                                       limits, fields, file, decision.headers())


def _keep(app, principal, request_tenant, limits, fields: dict, file: UploadFile, headers: dict) -> Response:
    context = build_context(app, principal, request_tenant, limits)
    try:
        place = tenant_of(context, fields["tenant"])
    except ApiError as error:
        return _errors(404 if error.code == "NOT_FOUND" else 400, [error])
    portal = portal_state(app)
    with app.state.database.unit_of_work(place.context()) as session:
        guide = portal.guides.guide(session, place, fields["itemCode"] or "")
        if guide is None or not guide.online:
            return _refused(UploadRefused("item_not_found", "该地区没有可网上申请的此事项",
                                          "no such item to apply for online here"), "itemCode", headers)
        try:
            kept = applying.keep_upload(session, portal.store, guide, version_parts(session, guide.version_id)[1],
                                        context.actor.subject, material_id=fields["materialId"],
                                        field=fields["field"], filename=file.filename, stream=file.file)
        except UploadRefused as refused:
            return _refused(refused, "materialId" if refused.code in ("purpose_required", "unknown_purpose")
                            else "file", headers)
        body = {**kept.descriptor(), "materialId": fields["materialId"], "field": fields["field"]}
    body["contentType"] = body.pop("content_type")
    return _json(201, body, headers)


def _refused(refused: UploadRefused, field: str, headers: dict | None = None) -> Response:
    return _json(422, {"errors": [{"field": field, "code": refused.code, "messageZh": refused.zh,
                                   "messageEn": refused.en}]}, headers)
