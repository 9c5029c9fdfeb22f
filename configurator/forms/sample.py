"""Plausible valid values for a form — for demos, seeds and benchmarks (never shown as someone's data)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .schema import FormSchema
from .spec import FieldSpec

SAMPLE_ID = "460100199003070015"  # check digit valid (the demo citizen's)
SAMPLE_USCC = "91460100MA5T0YF0PN"  # check character valid (the demo enterprise's)


def sample_values(schema: FormSchema | dict, *, overrides: dict | None = None) -> dict[str, Any]:
    """Values for every field (hidden ones are dropped by the engine); ``overrides`` win. Dates a rule wants
    in the past are moved there; values a pattern refuses are left for ``overrides`` to give."""
    from .validation import validate_submission

    parsed = schema if isinstance(schema, FormSchema) else FormSchema.parse(schema)
    values = {spec.name: _value(spec) for spec in parsed.fields if spec.compute is None}
    values = {k: v for k, v in values.items() if v is not None}
    values.update(overrides or {})
    for error in validate_submission(parsed, values).errors:
        if error.code == "date_too_late" and "." not in error.path and "[" not in error.path:
            values[error.path] = "1990-01-01"
    return values


def _value(spec: FieldSpec) -> Any:
    if spec.default is not None:
        return _json(spec.default)
    maker = _MAKERS.get(spec.type)
    return maker(spec) if maker else None


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text(spec: FieldSpec) -> str:
    text = f"示例{spec.label.zh}"[: spec.max_length or 50]
    return text.ljust(spec.min_length or 0, "示")


def _number(spec: FieldSpec) -> str:
    low = spec.min_value if spec.min_value is not None else Decimal(1)
    return str(max(low, Decimal(1)) if spec.max_value is None else min(max(low, Decimal(1)), spec.max_value))


def _money(spec: FieldSpec) -> str:
    amount = Decimal("10000.00")
    if spec.max_value is not None:
        amount = min(amount, spec.max_value)
    if spec.min_value is not None:
        amount = max(amount, spec.min_value)
    return f"{amount:.2f}"


def _date(spec: FieldSpec) -> str:
    day = date.today() + timedelta(days=1)
    if isinstance(spec.min_value, date):
        day = max(day, spec.min_value)
    return day.isoformat()


def _first_option(spec: FieldSpec) -> str | None:
    return spec.option_values[0] if spec.option_values else None


def _group(spec: FieldSpec) -> list[dict]:
    row = {child.name: _value(child) for child in spec.fields if child.compute is None}
    return [{k: v for k, v in row.items() if v is not None} for _ in range(max(spec.min_rows or 1, 1))]


_MAKERS = {
    "text": _text, "textarea": _text, "number": _number, "money": _money, "date": _date,
    "date_range": lambda s: {"start": _date(s), "end": (date.fromisoformat(_date(s)) + timedelta(days=30)).isoformat()},
    "select": _first_option, "radio": _first_option,
    "multi_select": lambda s: [s.option_values[0]] if s.option_values else [],
    "checkbox": lambda s: True, "phone": lambda s: "13800138000", "email": lambda s: "demo@example.cn",
    "resident_id": lambda s: SAMPLE_ID, "uscc": lambda s: SAMPLE_USCC,
    "division": lambda s: s.within or "460105",
    "file": lambda s: [{"id": "sample", "name": "示例材料.pdf", "size": 1024, "content_type": "application/pdf"}],
    "group": _group,
}
