"""The materials editor (申请材料): rows with form, count, formats, size, conditions, 容缺 and e-license
linkage (``satisfied_by_license_type``); also the rows of a tenant's extra local materials."""

from __future__ import annotations

import json

from tongban.configurator.admin.paths import Fault, append, apply_row_op, from_problems
from tongban.configurator.admin.posted import Posted, as_text, joined
from tongban.configurator.materials.spec import FORMATS, FORMS, MAX_SIZE_MB, check_materials

TEXTS = (("id", "材料编号", "Material id"), ("name", "材料名称", "Material name"))
OPTIONAL_TEXTS = (
    (
        "required_if",
        "提交条件（CEL，如 form.capital > 1000000）",
        "Required if (CEL, e.g. form.capital > 1000000)",
    ),
    (
        "satisfied_by_license_type",
        "可由电子证照免提交（证照类型编码）",
        "Satisfied by e-license (license type code)",
    ),
    ("template", "空白表格 / 示范文本地址", "Blank form or sample (URL)"),
    ("source", "材料来源", "Source"),
)
MANAGED = {
    "id",
    "name",
    "form",
    "count",
    "formats",
    "max_size_mb",
    "required",
    "rongque_allowed",
    "rongque_supply_days",
} | {k for k, *_ in OPTIONAL_TEXTS}
FORMAT_CHOICES = sorted(FORMATS)


def read(posted: Posted, saved=None, *, prefix: str = "materials") -> list[dict]:
    return [read_row(posted, f"{prefix}[{i}]") for i in posted.indices(prefix)]


def read_row(posted: Posted, row: str) -> dict:
    material = _kept(posted.text(f"{row}._kept"))
    for key, *_ in TEXTS:
        material[key] = posted.text(f"{row}.{key}")
    material["form"] = posted.text(f"{row}.form")
    for key in ("count", "max_size_mb"):
        number = posted.number(f"{row}.{key}")
        material[key] = number if number is not None else (1 if key == "count" else 10)
    material["formats"] = posted.values(f"{row}.formats")
    material["required"] = posted.checked(f"{row}.required")
    for key, *_ in OPTIONAL_TEXTS:
        if posted.text(f"{row}.{key}"):
            material[key] = posted.text(f"{row}.{key}")
    if posted.checked(f"{row}.rongque_allowed"):
        material["rongque_allowed"] = True
        material["rongque_supply_days"] = posted.number(f"{row}.rongque_supply_days")
    return material


def _kept(text: str) -> dict:
    """Keys this editor does not manage ride along in a hidden input, so saving never drops them."""
    try:
        kept = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {k: v for k, v in kept.items() if k not in MANAGED} if isinstance(kept, dict) else {}


def new_row(number: int, id_prefix: str = "m") -> dict:
    return {
        "id": f"{id_prefix}{number}",
        "name": "",
        "form": "original",
        "count": 1,
        "formats": ["pdf", "jpg", "png"],
        "max_size_mb": 10,
        "required": True,
    }


def apply(materials: list, verb: str, path: str, posted: Posted) -> list:
    doc = {"materials": materials}
    if verb == "add" and path == "materials":
        append(doc, "materials", new_row(len(materials) + 1))
    else:
        apply_row_op(doc, verb, path)
    return doc["materials"]


def check(materials: list, content: dict | None = None) -> list[Fault]:
    form = (content or {}).get("form") or {}
    fields = {f.get("name") for f in form.get("fields", []) if isinstance(f, dict)}
    return from_problems(check_materials(materials, form_fields=fields))


def row_view(material: dict, path: str) -> dict:
    kept = {k: v for k, v in material.items() if k not in MANAGED}
    return {
        "path": path,
        "id": as_text(material.get("id")),
        "name": as_text(material.get("name")),
        "form": material.get("form", ""),
        "count": as_text(material.get("count", 1)),
        "formats": [str(f).lower() for f in material.get("formats", ["pdf", "jpg", "png"]) or []],
        "max_size_mb": as_text(material.get("max_size_mb", 10)),
        "required": material.get("required", True) is True,
        "rongque_allowed": bool(material.get("rongque_allowed")),
        "rongque_supply_days": as_text(material.get("rongque_supply_days")),
        "optional": [(key, zh, en, as_text(material.get(key))) for key, zh, en in OPTIONAL_TEXTS],
        "kept": json.dumps(kept, ensure_ascii=False) if kept else "",
        "summary": joined(
            [v for v in (material.get("name"), FORMS.get(material.get("form"), ("",))[0]) if v], " · "
        ),
    }


def view(materials: list, prefix: str = "materials") -> dict:
    rows = [row_view(m, f"{prefix}[{i}]") for i, m in enumerate(materials or []) if isinstance(m, dict)]
    return {
        "rows": rows,
        "forms": FORMS,
        "format_choices": FORMAT_CHOICES,
        "max_size_mb": MAX_SIZE_MB,
        "texts": TEXTS,
    }
