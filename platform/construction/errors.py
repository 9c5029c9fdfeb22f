"""Errors with field-level messages in Chinese and English; nothing is written when one is raised."""
from __future__ import annotations


def problem(path: str, code: str, zh: str, en: str) -> dict:
    return {"path": path, "code": code, "zh": zh, "en": en}


class ConstructionError(Exception):
    status = 400

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(f"{e['path']}: {e['en']}" for e in errors))
        self.errors = errors


class Invalid(ConstructionError):
    status = 422


class Refused(ConstructionError):
    """The application is refused at intake (e.g. a prohibited entry of the negative list)."""

    status = 409


class Forbidden(ConstructionError):
    status = 403


class NotFound(ConstructionError):
    status = 404


class WrongState(ConstructionError):
    status = 409


def forbidden(zh: str, en: str) -> Forbidden:
    return Forbidden([problem("actor", "forbidden", zh, en)])


def wrong_state(zh: str, en: str) -> WrongState:
    return WrongState([problem("state", "wrong_state", zh, en)])
