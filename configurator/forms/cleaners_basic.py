"""Cleaners of the basic field types: text, numbers, money, dates, yes/no and choices.

A cleaner turns one non-blank submitted value into its canonical form or raises
``Invalid``. Blank values never reach a cleaner.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import Invalid
from .rules import (check_date_range, check_enum, check_length, check_pattern, check_range,
                    decimal_places, parse_date, parse_decimal)
from .spec import CleanEnv, FieldSpec

DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000}
CENT = Decimal("0.01")
_TRUE = {"true", "1", "on", "yes", "是"}
_FALSE = {"false", "0", "off", "no", "否"}


def clean_text(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise Invalid("not_text")
    text = str(raw).strip()
    check_length(spec, text, DEFAULT_MAX_LENGTH.get(spec.type))
    check_pattern(spec, text)
    check_enum(spec, text)
    return text


def clean_number(spec: FieldSpec, raw: Any, env: CleanEnv) -> int | float:
    number = parse_decimal(raw)
    if spec.decimals == 0 and number != number.to_integral_value():
        raise Invalid("not_integer")
    if decimal_places(number) > spec.decimals:
        raise Invalid("too_many_decimals", decimals=spec.decimals)
    check_range(spec, number)
    value = int(number) if spec.decimals == 0 else float(number)
    check_enum(spec, value)
    return value


def clean_money(spec: FieldSpec, raw: Any, env: CleanEnv) -> Decimal:
    """Decimal with exactly two places ("12.5" -> Decimal("12.50")); negative only if allowed."""
    amount = parse_decimal(raw, strip="¥￥元 ")
    if decimal_places(amount) > 2:
        raise Invalid("too_many_decimals", decimals=2)
    if amount < 0 and not spec.allow_negative:
        raise Invalid("negative")
    check_range(spec, amount)
    return amount.quantize(CENT)


def clean_date(spec: FieldSpec, raw: Any, env: CleanEnv) -> dt.date:
    value = parse_date(raw)
    check_date_range(spec, value, env)
    return value


def clean_date_range(spec: FieldSpec, raw: Any, env: CleanEnv) -> dict[str, dt.date]:
    """``{"start": ..., "end": ...}`` (or a two-item list) with start <= end."""
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        raw = {"start": raw[0], "end": raw[1]}
    if not isinstance(raw, dict) or set(raw) - {"start", "end"}:
        raise Invalid("not_a_date")
    if raw.get("start") in (None, "") or raw.get("end") in (None, ""):
        raise Invalid("incomplete_range")
    start, end = parse_date(raw["start"], ".start"), parse_date(raw["end"], ".end")
    if start > end:
        raise Invalid("range_reversed")
    check_date_range(spec, start, env, ".start")
    check_date_range(spec, end, env, ".end")
    return {"start": start, "end": end}


def clean_checkbox(spec: FieldSpec, raw: Any, env: CleanEnv) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = raw.strip().lower() if isinstance(raw, str) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise Invalid("not_a_boolean")


def clean_choice(spec: FieldSpec, raw: Any, env: CleanEnv) -> str:
    """select / radio: one of the option values."""
    return _option_value(spec, raw)


def clean_multi_choice(spec: FieldSpec, raw: Any, env: CleanEnv) -> list[str]:
    """multi_select: distinct option values, returned in the options' order."""
    if not isinstance(raw, (list, tuple)):
        raise Invalid("not_a_list")
    chosen: list[str] = []
    for item in raw:
        value = _option_value(spec, item)
        if value in chosen:
            raise Invalid("duplicate_choice", value=value)
        chosen.append(value)
    if spec.min_count is not None and len(chosen) < spec.min_count:
        raise Invalid("too_few_choices", min=spec.min_count)
    if spec.max_count is not None and len(chosen) > spec.max_count:
        raise Invalid("too_many_choices", max=spec.max_count)
    return [value for value in spec.option_values if value in chosen]


def _option_value(spec: FieldSpec, raw: Any) -> str:
    value = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if value is None or value not in spec.option_values:
        raise Invalid("invalid_choice", value=_shown(raw))
    return value


def _shown(raw: Any) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:39] + "…"


def round_computed(spec: FieldSpec, result: Any) -> Any:
    """Round a computed number to the field's precision before it is cleaned."""
    if isinstance(result, bool) or not isinstance(result, (int, float)):
        return result
    places = 2 if spec.type == "money" else spec.decimals if spec.type == "number" else None
    if places is None:
        return result
    return Decimal(repr(result)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
