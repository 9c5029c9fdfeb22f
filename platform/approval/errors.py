"""Refusals of the approval engine: a code, a Chinese and an English message; nothing was changed."""
from __future__ import annotations


class ApprovalError(Exception):
    status = 400

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None, details: dict | None = None):
        self.code, self.zh, self.en, self.field, self.details = code, zh, en, field, details or {}
        super().__init__(f"{code}: {zh} / {en}")


class NotAllowed(ApprovalError):
    """The action does not fit the case's current state or node."""

    status = 409


class Forbidden(ApprovalError):
    """The actor lacks the role or permission in the handling tenant (reads as 'not found' from outside)."""

    status = 403


class Conflict(ApprovalError):
    """Someone else changed the case or task first (optimistic locking)."""

    status = 409


class CaseNotFound(ApprovalError):
    status = 404

    def __init__(self, key: str):
        super().__init__("case_not_found", f"找不到办件 {key}", f"no case {key}")


class SubmissionInvalid(ApprovalError):
    """The form or materials failed validation: ``errors`` are field-level, zh + en."""

    status = 422

    def __init__(self, errors: list[dict]):
        super().__init__("submission_invalid", "申请内容有误，请按提示修改", "Please correct the highlighted fields",
                         details={"errors": errors})
        self.errors = errors
