"""Attachments to a department's appeal (申诉) or rectification report (整改): what may be attached, kept on the
platform's file store, and how a program names a file it handed in before (over the API).

The rule is one for every way in: one of ``TYPES``, at most 20 MB, not empty, its first bytes those of its
kind. A program uploads first (``POST /graphql/uploads/attachments``) and gets a sealed reference — the file's
descriptor signed for the staff member who uploaded it — which only that person can attach, and only unaltered.
"""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.workbench import uploads

TYPES = ("pdf", "jpg", "jpeg", "png", "ofd", "docx", "doc", "xlsx", "xls", "zip")
MAX_BYTES = 20 * 1024 * 1024
SEAL_MAX_AGE = 24 * 3600  # a reference is named within a day of its upload


def keep(var_dir, name: str, data: bytes) -> dict:
    """The file stored, as the alert's event keeps it (id, name, size, content type); SupervisionError otherwise."""
    name = name or "file"
    ext = uploads.extension(name)
    signature = uploads.SIGNATURES.get(ext)
    if ext not in TYPES or not data or len(data) > MAX_BYTES or (signature and not data.startswith(signature)):
        raise SupervisionError("attachment_invalid", f"附件“{name}”格式或大小不符（{', '.join(TYPES)}，20 MB 以内）",
                               f"attachment {name!r} must be one of {', '.join(TYPES)} under 20 MB",
                               field="attachments")
    return uploads.store(var_dir, name, data)


def seal(secret_key: str, subject: str, descriptor: dict) -> str:
    return _serializer(secret_key).dumps({"by": subject, "file": descriptor})


def unseal(secret_key: str, subject: str, references: list[str]) -> list[dict]:
    """The descriptors of files ``subject`` uploaded, or SupervisionError naming the reference that is not one."""
    files = []
    for index, reference in enumerate(references):
        try:
            sealed = _serializer(secret_key).loads(reference, max_age=SEAL_MAX_AGE)
        except BadSignature:
            sealed = None
        if not sealed or sealed.get("by") != subject:
            raise SupervisionError("attachment_unknown", "附件引用无效或已过期，请重新上传",
                                   "the attachment reference is not valid (or expired); upload the file again",
                                   field=f"attachments.{index}")
        files.append(sealed["file"])
    return files


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="tongban supervision attachment")
