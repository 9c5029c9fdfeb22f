"""An item's form for staff: shown read-only on a case, and filled in at the window (no JavaScript).

Both views come from the form engine's ``render_spec``; posted fields are named ``f.<path>`` (``f.members[0].name``,
``f.period.start``) and turned back into the engine's submission shape by :func:`parse`, which only ever
sends keys of the schema.
"""
from __future__ import annotations

import re
from typing import Any

from tongban.configurator.forms import FieldError, FormSchema, render_spec
from tongban.platform.approval.queries import masked_number

ROW_KEY = re.compile(r"^f\.(?P<group>[A-Za-z_][\w]*)\[(?P<index>\d{1,3})\]\.(?P<child>[A-Za-z_][\w]*)(?P<end>\.start|\.end)?$")
MASKED_TYPES = {"resident_id"}


# --- read-only --------------------------------------------------------------------------------------------
def read_only(schema: FormSchema, data: dict, snapshot=None) -> list[dict]:
    """Label and display text of each visible field, resident IDs masked, divisions by name (from the tenant
    directory's ``snapshot``); groups as rows of the same."""
    return [_shown(f, snapshot) for f in render_spec(schema, data or {}) if f["visible"]]


def _shown(field: dict, snapshot=None) -> dict:
    if field["type"] == "group":
        rows = [[_shown(c, snapshot) for c in row if c["visible"]] for row in field.get("rows", [])]
        return {"label": field["label"], "type": "group", "rows": rows, "text": ""}
    if field["type"] == "division" and snapshot is not None and field.get("value") in snapshot.by_code:
        code = field["value"]
        names = [t.name for t in snapshot.ancestors(code)[1:]] + [snapshot.by_code[code].name]  # below the province
        return {"label": field["label"], "type": "division", "text": " ".join(names), "rows": []}
    return {"label": field["label"], "type": field["type"], "text": display(field), "rows": []}


def display(field: dict) -> str:
    value, kind = field.get("value"), field["type"]
    if value in (None, "", []):
        return "—"
    options = {o["value"]: o["label"]["zh"] for o in field.get("options") or []}
    if kind in ("select", "radio"):
        return options.get(value, str(value))
    if kind == "multi_select":
        return "、".join(options.get(v, str(v)) for v in value)
    if kind == "checkbox":
        return "是 Yes" if value else "否 No"
    if kind == "date_range" and isinstance(value, dict):
        return f"{value.get('start', '')} 至 {value.get('end', '')}"
    if kind == "file":
        return "、".join(str(f.get("name", "")) for f in value if isinstance(f, dict))
    if kind in MASKED_TYPES:
        return masked_number(str(value))
    return str(value)


def masked_applicant(applicant: dict, form_data: dict | None = None) -> dict:
    """The applicant with ID numbers masked. Without an ID number on record (a window intake of an older kind,
    the demo's cases) the form's is shown: not an empty 证件号码 above a form that has it."""
    if not (applicant.get("id_number") or applicant.get("uscc")):
        number = (form_data or {}).get("id_number") or (form_data or {}).get("uscc")
        if isinstance(number, str):
            applicant = {**applicant, "id_number": number}
    return {**applicant, "id_number": masked_number(applicant.get("id_number")),
            "resident_id": masked_number(applicant.get("resident_id"))}


# --- editable (window intake) -----------------------------------------------------------------------------
def editable(schema: FormSchema, values: dict | None, errors: list[dict], identity: dict, *,
             extra_rows: dict[str, int] | None = None) -> list[dict]:
    """The fields to fill in, with what was typed (or the prefill), errors, and blank rows for groups."""
    field_errors = [FieldError(e["path"], e.get("code", ""), e["zh"], e["en"]) for e in errors
                    if not str(e.get("path", "")).startswith("materials.")]
    fields = render_spec(schema, values, field_errors, identity=identity)
    for f in fields:
        if f["type"] == "group":
            limits = f["constraints"]
            wanted = max(len(f["rows"]), 1, int(limits.get("min_rows") or 0)) + (extra_rows or {}).get(f["name"], 0)
            while len(f["rows"]) < min(wanted, int(limits.get("max_rows") or 200)):
                index = len(f["rows"])
                f["rows"].append([{**c, "path": f"{f['path']}[{index}].{c['name']}"} for c in f["template"]])
    return fields


def parse(schema: FormSchema, form, files: dict[str, list[dict]]) -> dict:
    """The submission from posted ``f.`` fields (strings kept as typed; the engine cleans them)."""
    data: dict[str, Any] = {}
    for spec in schema.fields:
        if spec.type == "group":
            rows = _rows(spec, form)
            if rows:
                data[spec.name] = rows
        else:
            value = _value(spec, form, f"f.{spec.name}", files.get(spec.name))
            if value not in (None, "", []):
                data[spec.name] = value
    return data


def _value(spec, form, key: str, uploaded: list[dict] | None) -> Any:
    if spec.type == "multi_select":
        return [str(v) for v in form.getlist(key) if str(v)]
    if spec.type == "checkbox":
        return "true" if form.get(key) else None
    if spec.type == "date_range":
        start, end = str(form.get(key + ".start") or "").strip(), str(form.get(key + ".end") or "").strip()
        return {"start": start, "end": end} if start or end else None
    if spec.type == "file":
        return uploaded or None
    raw = form.get(key)
    return str(raw).strip() if isinstance(raw, str) else None


def _rows(spec, form) -> list[dict]:
    indices = sorted({int(m.group("index")) for key in form if (m := ROW_KEY.match(key))
                      and m.group("group") == spec.name})
    rows = []
    for index in indices:
        row = {}
        for child in spec.fields:
            value = _value(child, form, f"f.{spec.name}[{index}].{child.name}", None)
            if value not in (None, "", []):
                row[child.name] = value
        if row:
            rows.append(row)
    return rows

