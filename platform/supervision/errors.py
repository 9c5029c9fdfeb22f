"""Refusals of the supervision services: a code, a Chinese and an English message, optionally a field."""
from __future__ import annotations


class SupervisionError(Exception):
    status = 400

    def __init__(self, code: str, zh: str, en: str, *, field: str | None = None, details: dict | None = None):
        self.code, self.zh, self.en, self.field, self.details = code, zh, en, field, details or {}
        super().__init__(f"{code}: {zh} / {en}")


class NotFound(SupervisionError):
    """Does not exist, or is outside the actor's tenant or subtree (the two look the same)."""

    status = 404

    def __init__(self, what: str, key: object):
        super().__init__("not_found", f"找不到{what} {key}", f"no {what} {key}")


class Forbidden(SupervisionError):
    status = 403


class WrongState(SupervisionError):
    status = 409


class Invalid(SupervisionError):
    """Field-level problems: ``errors`` is a list of {field, code, zh, en}."""

    status = 422

    def __init__(self, errors: list[dict]):
        super().__init__("invalid", "内容有误，请按提示修改", "please correct the listed fields",
                         details={"errors": errors})
        self.errors = errors
