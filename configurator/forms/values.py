"""Conversions of canonical values: to CEL-ready values and to JSON-ready values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def to_cel(value: Any) -> Any:
    """Money becomes a double, dates ISO strings; containers are converted deeply."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_cel(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_cel(item) for item in value]
    return value


def to_json(value: Any) -> Any:
    """Money becomes a string with two decimals ("12.50"), dates ISO strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def is_blank(raw: Any) -> bool:
    """Nothing entered: None, blank text, an empty list or a dict of blanks."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple)):
        return not raw
    if isinstance(raw, dict):
        return all(is_blank(item) for item in raw.values())
    return False
