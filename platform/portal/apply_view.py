"""What the apply page shows: each form field (from configurator.forms.render_spec) with its HTML
attributes and, when the sharing center filled it, its source; each material with the files already handed
in and the e-licence the library offers for it; the item chain; and the errors."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tongban.configurator.forms import FieldError, FormSchema, render_spec
from tongban.platform.files.models import Upload
from tongban.platform.portal.applying import MATERIAL, Attempt, descriptors
from tongban.platform.portal.formdata import INPUT_TYPES, input_attributes
from tongban.platform.sharing.aids import ApplicationAids

UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")
CHAIN_PATH = "item"  # the engine's path for an item-chain refusal


def field_id(path: str) -> str:
    return "f-" + UNSAFE_ID.sub("-", path).strip("-")


def apply_view(guide, schema: FormSchema, attempt: Attempt, uploads: dict[str, Upload], identity: dict,
               lang: str, snapshot, aids: ApplicationAids | None = None) -> dict:
    aids = aids or ApplicationAids()
    field_errors = [FieldError(e["path"], e["code"], e["zh"], e["en"]) for e in attempt.errors
                    if not e["path"].startswith("materials.") and e["path"] and e["path"] != CHAIN_PATH]
    specs = render_spec(schema, attempt.form_data or None, field_errors, identity=identity)
    fields = [_field(f, schema, identity, attempt, uploads, snapshot, aids.prefill) for f in specs]
    materials = [_material(m, attempt, uploads, aids.offers.get(m["id"])) for m in guide.materials]
    return {"fields": fields, "materials": materials, "summary": _summary(attempt.errors, fields, materials, lang),
            "has_errors": bool(attempt.errors), "chain": chain_view(aids.chain)}


def chain_view(chain) -> dict | None:
    """The item chain as the page shows it: what to apply for first (deepest first), and what is already held."""
    if chain is None or (not chain.path and not chain.satisfied):
        return None
    return {"path": [{"item_code": s.item_code, "item_name": s.item_name, "text": (s.zh, s.en)} for s in chain.path],
            "satisfied": [{"item_code": s.item_code, "item_name": s.item_name, "by": s.satisfied_by,
                           "what": (s.license_name, s.license_type) if s.requirement == "license"
                           else ("办结的申请", "a concluded case")} for s in chain.satisfied]}


def field_view(f: dict, schema: FormSchema, identity: dict, attempt: Attempt, uploads, snapshot,
               known: dict | None = None) -> dict:
    """One form field as an apply page shows it (an item's page, or a construction stage's one form)."""
    return _field(f, schema, identity, attempt, uploads, snapshot, known or {})


def _field(f: dict, schema: FormSchema, identity: dict, attempt: Attempt, uploads, snapshot, known: dict) -> dict:
    spec = schema.by_name.get(f["name"])
    f["source"] = _source(known.get(f["name"]), f.get("value"))
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


def _source(entry: dict | None, value) -> tuple[str, str] | None:
    """Where a field's value came from, while it still holds the value the sharing center gave it."""
    if not entry or value in (None, "", []):
        return None
    if _same(entry["value"], value):
        return entry["source_zh"], entry["source_en"]
    return None


def _same(known, value) -> bool:
    if isinstance(known, (list, dict)) or isinstance(value, (list, dict)):
        return known == value
    try:
        return Decimal(str(known)) == Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(known).strip() == str(value).strip()


def _row(children: list[dict], index: int) -> dict:
    for child in children:
        child["id"] = field_id(child["path"])
        child["input_name"] = "f." + child["path"]
        child["input_type"] = INPUT_TYPES.get(child["type"], "text")
        child["attrs"] = input_attributes(child, False)
    return {"index": index, "fields": children}


def _material(m: dict, attempt: Attempt, uploads, offer: dict | None) -> dict:
    """A material with its kept files and, when an e-licence can stand in for it, the licence the library
    holds for the applicant (with a consent box) or why the one held cannot be used."""
    purpose = MATERIAL + m["id"]
    kept = descriptors(uploads, attempt.files.get(purpose, []))
    errors = [e for e in attempt.errors if e["path"] == f"materials.{m['id']}"]
    usable = bool(offer and offer["usable"])
    required_attr = m["required"] and not kept and not usable and not m["rongque_days"]
    return {**m, "purpose": purpose, "kept": kept, "errors": errors, "id_attr": field_id(f"material-{m['id']}"),
            "accept": ",".join("." + f for f in m["formats"]), "required_attr": required_attr,
            "offer": offer, "usable": usable, "use_license": usable and m["id"] in attempt.license_opt_in}


def _summary(errors: list[dict], fields: list[dict], materials: list[dict], lang: str) -> list[dict]:
    """Every error once, at the top, each linking to its field (GOV.UK's error summary)."""
    anchors = {f["path"]: f["id"] for f in fields}
    anchors.update({f"materials.{m['id']}": m["id_attr"] for m in materials})
    anchors[CHAIN_PATH] = "chain"
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
