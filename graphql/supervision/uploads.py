"""POST /graphql/uploads/attachments: staff hand in one file for a department's appeal or rectification report,
then name it by the returned ``attachment`` reference in ``appealAlert`` / ``rectifyAlert`` (``attachments``).

A plain ``multipart/form-data`` request with a staff member's bearer token (scope ``supervision:write``) and the
field ``file``. The supervision room decides what may be attached (``platform/supervision/attachments.py``);
this only translates HTTP to it and back.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from tongban.graphql.core.auth import SUPERVISION_WRITE, Requires, bearer_token, verify
from tongban.graphql.core.errors import ApiError
from tongban.graphql.core.http import _errors, _json, _take
from tongban.graphql.core.limits import limits_of
from tongban.platform.identity.tokens import TokenRefused
from tongban.platform.supervision import attachments
from tongban.platform.supervision.errors import SupervisionError

MAX_REQUEST_BYTES = attachments.MAX_BYTES + 1024 * 1024  # the largest attachment and the form around it


async def upload_attachment(request: Request) -> Response:
    app = request.app
    limits = limits_of(app)
    try:
        token = bearer_token(request.headers.get("authorization"))
        principal = await run_in_threadpool(verify, app, token) if token else None
        Requires(SUPERVISION_WRITE, staff=True).check(principal)
    except TokenRefused as refused:
        return _errors(401, [ApiError("UNAUTHENTICATED", refused.zh, refused.en)],
                       {"www-authenticate": f'Bearer error="{refused.code}"'})
    except ApiError as error:
        return _errors(401 if error.code == "UNAUTHENTICATED" else 403, [error])
    decision = _take(app, limits, principal, request.client.host if request.client else "")
    if not decision.allowed:
        return _errors(429, [ApiError("RATE_LIMITED", f"请求过于频繁，请 {decision.retry_after} 秒后再试",
                                      f"too many requests; retry in {decision.retry_after} s")], decision.headers())
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        return _errors(411, [ApiError("LENGTH_REQUIRED", "请在请求头中给出 Content-Length",
                                      "send the Content-Length header")])
    if int(length) > MAX_REQUEST_BYTES:
        return _errors(413, [ApiError("PAYLOAD_TOO_LARGE", "附件超过 20 MB", "the attachment is larger than 20 MB")])
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return _errors(400, [ApiError("BAD_REQUEST", "请以 multipart/form-data 上传",
                                      "send the file as multipart/form-data")])
    async with request.form(max_files=1, max_fields=4) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            return _refused("file_required", "请选择要上传的文件（字段 file）", "attach the file (field `file`)",
                            decision.headers())
        data = await file.read(attachments.MAX_BYTES + 1)
    try:
        kept = await run_in_threadpool(attachments.keep, app.state.settings.var_dir, file.filename, data)
    except SupervisionError as refused:
        return _refused(refused.code, refused.zh, refused.en, decision.headers())
    reference = attachments.seal(app.state.settings.secret_key, principal.subject, kept)
    return _json(201, {"attachment": reference, "name": kept["name"], "size": kept["size"],
                       "contentType": kept["content_type"]}, decision.headers())


def _refused(code: str, zh: str, en: str, headers: dict) -> Response:
    return _json(422, {"errors": [{"field": "file", "code": code, "messageZh": zh, "messageEn": en}]}, headers)
