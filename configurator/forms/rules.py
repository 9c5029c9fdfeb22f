"""Checks shared by several field types: length, range, pattern, allowed values, parsing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import Invalid
from .patterns import matches_in_full
from .spec import CleanEnv, FieldSpec

MAX_ABS_NUMBER = Decimal("1e15")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_length(spec: FieldSpec, text: str, default_max: int | None = None) -> None:
    maximum = spec.max_length if spec.max_length is not None else default_max
    if spec.min_length is not None and len(text) < spec.min_length:
        raise Invalid("too_short", min=spec.min_length)
    if maximum is not None and len(text) > maximum:
        raise Invalid("too_long", max=maximum)


def check_pattern(spec: FieldSpec, text: str) -> None:
    if spec.pattern is not None and not matches_in_full(spec.pattern, text):
        raise Invalid("pattern")


def check_enum(spec: FieldSpec, value: Any) -> None:
    if spec.enum is not None and value not in spec.enum:
        raise Invalid("not_allowed")


def check_range(spec: FieldSpec, value: Any) -> None:
    """Numbers and money; ``min``/``max`` are kept as Decimal."""
    if spec.min_value is not None and value < spec.min_value:
        raise Invalid("too_small", min=spec.min_value)
    if spec.max_value is not None and value > spec.max_value:
        raise Invalid("too_large", max=spec.max_value)


def check_date_range(spec: FieldSpec, value: dt.date, env: CleanEnv, subpath: str = "") -> None:
    earliest = resolve_date_bound(spec.min_value, env)
    latest = resolve_date_bound(spec.max_value, env)
    if earliest is not None and value < earliest:
        raise Invalid("date_too_early", subpath, min=earliest.isoformat())
    if latest is not None and value > latest:
        raise Invalid("date_too_late", subpath, max=latest.isoformat())


def resolve_date_bound(bound: Any, env: CleanEnv) -> dt.date | None:
    return env.today if bound == "today" else bound


def parse_decimal(raw: Any, strip: str = "") -> Decimal:
    """Read a number from int/float/Decimal/text; refuse booleans, NaN, infinity and huge values."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
        raise Invalid("not_a_number")
    text = raw.strip().replace(",", "").strip(strip) if isinstance(raw, str) else raw
    try:
        number = Decimal(str(text)) if isinstance(text, float) else Decimal(text)
    except (InvalidOperation, ValueError):
        raise Invalid("not_a_number") from None
    if not number.is_finite() or abs(number) >= MAX_ABS_NUMBER:
        raise Invalid("not_a_number")
    return number


def parse_date(raw: Any, subpath: str = "") -> dt.date:
    """Read an ISO date (YYYY-MM-DD) or a ``date``; a datetime keeps only its date."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise Invalid("not_a_date", subpath)


def decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
