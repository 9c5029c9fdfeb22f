"""Reading an HTML form post into the form engine's submission shape, and back (no JavaScript needed).

Field names in the page are the engine's paths under ``f.``: ``f.name``, ``f.period.start`` /
``f.period.end`` (date ranges), ``f.members[0].name`` (rows of a group, with ``f.members.rows`` the row
count shown). Multi-selects and checkbox groups repeat their name. File fields and materials are read by
the upload service, not here. Blank values and blank rows are left out, as if never entered.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tongban.configurator.forms import FormSchema
from tongban.configurator.forms.spec import FieldSpec, beijing_today
from tongban.configurator.forms.values import is_blank

PREFIX = "f."
MAX_ROWS = 50


def parse_post(schema: FormSchema, form: Mapping[str, list[str]], *, extra_rows: dict[str, int] | None = None,
               drop_rows: dict[str, int] | None = None) -> dict[str, Any]:
    """The submission dict; ``extra_rows``/``drop_rows`` add a blank row to or remove a row from a group."""
    data: dict[str, Any] = {}
    for spec in schema.fields:
        if spec.type == "file":
            continue
        if spec.type == "group":
            rows = _rows(spec, form, (drop_rows or {}).get(spec.name))
            if (extra_rows or {}).get(spec.name):
                rows.append({})
            if rows:
                data[spec.name] = rows
            continue
        value = _value(spec, PREFIX + spec.name, form)
        if not is_blank(value):
            data[spec.name] = value
    return data


def _value(spec: FieldSpec, name: str, form: Mapping[str, list[str]]) -> Any:
    values = [v for v in form.get(name, []) if isinstance(v, str)]
    if spec.type == "multi_select":
        return [v for v in values if v.strip()]
    if spec.type == "checkbox":
        return "true" if values and values[-1] in ("true", "on", "1", "yes") else None
    if spec.type == "date_range":
        start, end = _first(form, name + ".start"), _first(form, name + ".end")
        return {"start": start, "end": end} if (start or end) else None
    return values[-1].strip() if values else None


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip() if isinstance(values[0], str) else ""


def _rows(spec: FieldSpec, form: Mapping[str, list[str]], dropped: int | None) -> list[dict[str, Any]]:
    try:
        count = min(int(_first(form, f"{PREFIX}{spec.name}.rows") or 0), spec.max_rows or MAX_ROWS, MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        if i == dropped:
            continue
        row = {}
        for child in spec.fields:
            value = _value(child, f"{PREFIX}{spec.name}[{i}].{child.name}", form)
            if not is_blank(value):
                row[child.name] = value
        if row:
            rows.append(row)
    return rows


def shown_rows(spec: dict, minimum: int = 1) -> int:
    """How many rows a group shows: its rows, at least its minimum (and one to start with)."""
    return max(len(spec.get("rows") or []), minimum)


def input_attributes(field: dict, static_required: bool) -> dict[str, Any]:
    """HTML attributes that let the browser check cheaply what the server checks authoritatively."""
    c = field.get("constraints") or {}
    attrs: dict[str, Any] = {}
    if static_required:
        attrs["required"] = True
    for key, attr in (("max_length", "maxlength"), ("min_length", "minlength")):
        if key in c:
            attrs[attr] = c[key]
    kind = field["type"]
    if kind in ("number", "money", "date"):
        for key in ("min", "max"):
            if key in c:  # "today" as the server will judge it, so the browser's picker offers no earlier day
                attrs[key] = beijing_today().isoformat() if c[key] == "today" else c[key]
    if kind == "number":
        attrs["step"] = "1" if not c.get("decimals") else "0." + "0" * (c["decimals"] - 1) + "1"
    if kind == "money":
        attrs["step"] = "0.01"
    if kind == "resident_id":
        attrs.update(maxlength=18, minlength=18, autocomplete="off")
    if kind == "uscc":
        attrs.update(maxlength=18, minlength=18)
    if kind == "phone":
        attrs.update(inputmode="tel", autocomplete="tel")
    if field.get("readonly"):
        attrs["readonly"] = True
    return attrs


INPUT_TYPES = {"number": "number", "money": "number", "date": "date", "email": "email", "phone": "tel"}
