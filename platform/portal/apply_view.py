"""What the apply page shows: each form field (from configurator.forms.render_spec) with its HTML
attributes, each material with the files already handed in and its e-licence choice, and the errors."""
from __future__ import annotations

import re

from tongban.configurator.forms import FieldError, FormSchema, render_spec
from tongban.platform.files.models import Upload
from tongban.platform.portal.applying import MATERIAL, Attempt, descriptors
from tongban.platform.portal.formdata import INPUT_TYPES, input_attributes

UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")


def field_id(path: str) -> str:
    return "f-" + UNSAFE_ID.sub("-", path).strip("-")


def apply_view(guide, schema: FormSchema, attempt: Attempt, uploads: dict[str, Upload], identity: dict,
               lang: str, snapshot) -> dict:
    field_errors = [FieldError(e["path"], e["code"], e["zh"], e["en"]) for e in attempt.errors
                    if not e["path"].startswith("materials.") and e["path"]]
    specs = render_spec(schema, attempt.form_data or None, field_errors, identity=identity)
    fields = [_field(f, schema, identity, attempt, uploads, snapshot) for f in specs]
    materials = [_material(m, attempt, uploads) for m in guide.materials]
    return {"fields": fields, "materials": materials, "summary": _summary(attempt.errors, fields, materials, lang),
            "has_errors": bool(attempt.errors)}


def _field(f: dict, schema: FormSchema, identity: dict, attempt: Attempt, uploads, snapshot) -> dict:
    spec = schema.by_name.get(f["name"])
    if spec is not None and spec.locked and spec.compute is None and not identity.get(spec.prefill or ""):
        f["readonly"] = False  # nothing to lock it to: the applicant types it
    static = bool(spec and spec.required and spec.show_if is None and spec.required_if is None
                  and not f["readonly"] and f["type"] not in ("file", "checkbox", "group"))
    f["id"] = field_id(f["path"])
    f["input_name"] = "f." + f["path"]
    f["input_type"] = INPUT_TYPES.get(f["type"], "text")
    f["attrs"] = input_attributes(f, static)
    if f["type"] == "division":
        f["division_options"] = division_options(snapshot, str(f["constraints"].get("within") or ""))
    if f["type"] == "file":
        f["kept"] = descriptors(uploads, attempt.files.get(f["name"], []))
        f["accept"] = ",".join(f["constraints"].get("accept") or [])
    if f["type"] == "group":
        f["shown_rows"] = [_row(row, i) for i, row in enumerate(f.get("rows") or [])]
        minimum = spec.min_rows if spec and spec.min_rows else 1
        while len(f["shown_rows"]) < minimum:
            i = len(f["shown_rows"])
            f["shown_rows"].append(_row([{**child, "path": f"{f['name']}[{i}].{child['name']}", "value": None,
                                          "errors": []} for child in f["template"]], i))
        f["row_count"] = len(f["shown_rows"])
        f["can_add"] = not spec or not spec.max_rows or f["row_count"] < spec.max_rows
    return f


def _row(children: list[dict], index: int) -> dict:
    for child in children:
        child["id"] = field_id(child["path"])
        child["input_name"] = "f." + child["path"]
        child["input_type"] = INPUT_TYPES.get(child["type"], "text")
        child["attrs"] = input_attributes(child, False)
    return {"index": index, "fields": children}


def _material(m: dict, attempt: Attempt, uploads) -> dict:
    purpose = MATERIAL + m["id"]
    kept = descriptors(uploads, attempt.files.get(purpose, []))
    errors = [e for e in attempt.errors if e["path"] == f"materials.{m['id']}"]
    required_attr = m["required"] and not kept and not m["license_type"] and not m["rongque_days"]
    return {**m, "purpose": purpose, "kept": kept, "errors": errors, "id_attr": field_id(f"material-{m['id']}"),
            "accept": ",".join("." + f for f in m["formats"]), "required_attr": required_attr,
            "use_license": m["id"] in attempt.license_opt_in, "license_no": attempt.licenses.get(m["id"], "")}


def _summary(errors: list[dict], fields: list[dict], materials: list[dict], lang: str) -> list[dict]:
    """Every error once, at the top, each linking to its field (GOV.UK's error summary)."""
    anchors = {f["path"]: f["id"] for f in fields}
    anchors.update({f"materials.{m['id']}": m["id_attr"] for m in materials})
    summary = []
    for e in errors:
        path = e["path"]
        base = path.split("[")[0].split(".")[0] if not path.startswith("materials.") else path
        summary.append({"text": e["en"] if lang == "en" else e["zh"],
                        "href": "#" + anchors.get(path, anchors.get(base, field_id(path or "form")))})
    return summary


_DIVISIONS: dict[tuple[int, str], list[tuple[str, str]]] = {}


def division_options(snapshot, within: str) -> list[tuple[str, str]]:
    """(code, indented name) of the tenants under ``within`` (the whole tree when empty), in tree order."""
    key = (snapshot.version, within)
    hit = _DIVISIONS.get(key)
    if hit is None:
        root = snapshot.by_code.get(within) if within else snapshot.root
        depth = root.path.count("/") if root else 0
        hit = [(t.code, "\u3000" * (t.path.count("/") - depth) + t.name) for t in snapshot.subtree(root.code)] \
            if root else []
        if len(_DIVISIONS) > 64:
            _DIVISIONS.clear()
        _DIVISIONS[key] = hit
    return hit
