"""Refusals of the sharing center: a code, Chinese and English text and (where it applies) the field."""
from __future__ import annotations


class SharingError(Exception):
    status = 400

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None):
        self.code, self.zh, self.en, self.field = code, zh, en, field
        super().__init__(f"{code}: {zh} / {en}")

    def as_dict(self) -> dict:
        return {"path": self.field or "", "code": self.code, "zh": self.zh, "en": self.en}


class NotFound(SharingError):
    """Also what 'not yours' looks like from outside."""

    status = 404

    def __init__(self, what: str = ""):
        super().__init__("not_found", f"找不到{what or '该记录'}", f"{what or 'record'} not found")


class Forbidden(SharingError):
    status = 403


class RateLimited(SharingError):
    status = 429

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None, retry_after: int = 60):
        super().__init__(code, zh, en, field=field)
        self.retry_after = retry_after


class Invalid(SharingError):
    """Input refused as a whole: ``errors`` are field-level (path, code, zh, en); nothing was written."""

    status = 422

    def __init__(self, errors: list[dict], zh: str = "提交的内容有误，未作任何更改",
                 en: str = "The input was refused; nothing was changed"):
        super().__init__("invalid", zh, en)
        self.errors = errors


def problem(path: str, code: str, zh: str, en: str) -> dict:
    return {"path": path, "code": code, "zh": zh, "en": en}
