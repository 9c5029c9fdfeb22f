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

from tongban.graphql.core.auth import SUPERVISION_WRITE, Requires
from tongban.graphql.core.errors import ApiError
from tongban.graphql.core.http import _json
from tongban.graphql.core.uploads import admitted
from tongban.platform.supervision import attachments
from tongban.platform.supervision.errors import SupervisionError

MAX_REQUEST_BYTES = attachments.MAX_BYTES + 1024 * 1024  # the largest attachment and the form around it


async def upload_attachment(request: Request) -> Response:
    app = request.app
    checked = await admitted(request, Requires(SUPERVISION_WRITE, staff=True), MAX_REQUEST_BYTES,
                             ApiError("PAYLOAD_TOO_LARGE", "附件超过 20 MB", "the attachment is larger than 20 MB"))
    if isinstance(checked, Response):
        return checked
    principal, decision = checked
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
