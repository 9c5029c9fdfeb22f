"""One application form and one set of materials per stage (一张表单、一套材料).

The stage form is the union of its items' forms: a field whose name carries a shared data element (the
sharing center's data dictionary) is asked once, under the first name met, whatever each item calls it;
fields of the same name are asked once as well. Materials are de-duplicated across items by the e-license
type that satisfies them or, failing that, by name.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tongban.configurator.publishing.clock import current_generation
from tongban.configurator.publishing.effective import effective_item
from tongban.platform.sharing.dictionary import element_of_field


@dataclass
class StageItem:
    code: str
    name: str
    department: str
    legal_limit_days: int
    promised_limit_days: int
    power_type: str
    schema: dict
    materials: list[dict]


@dataclass
class AssembledMaterial:
    id: str
    name: str
    item_codes: list[str]
    spec_ids: list[str]  # the ids the items' own material lists use
    rongque_days: int | None  # accepted with a gap when every item allows it (the shortest supply days)
    required: bool


@dataclass
class AssembledForm:
    schema: dict  # a form schema the configurator's engine validates
    items: list[StageItem]
    materials: list[AssembledMaterial]
    field_items: dict[str, list[str]] = field(default_factory=dict)  # stage field → item codes asking it
    renamed: dict[str, dict[str, str]] = field(default_factory=dict)  # item → {item field: stage field}
    asked: int = 0  # fields the items ask in total (before asking shared ones once)

    def values_for(self, item_code: str, data: dict) -> dict:
        """The stage form's values under the item's own field names."""
        names = self.renamed.get(item_code, {})
        return {own: data.get(stage) for own, stage in names.items() if stage in data}


class _ItemCache:
    """A worker's stage items per tenant and item list, valid while the catalogue clock's generation stands
    still (a hit costs one primary-key read of the clock; any publish or override recomputes)."""

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._entries: OrderedDict[tuple, tuple[int, list[StageItem]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, tenant, codes: list[str]) -> list[StageItem]:
        generation = current_generation(session)
        key = (tenant.code, tuple(codes))
        with self._lock:
            hit = self._entries.get(key)
            if hit and hit[0] == generation:
                self._entries.move_to_end(key)
                return hit[1]
        items = _load(session, tenant, codes)
        with self._lock:
            self._entries[key] = (generation, items)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return items


_CACHE = _ItemCache()


def load_items(session: Session, tenant, codes: list[str]) -> list[StageItem]:
    return _CACHE.get(session, tenant, codes)


def _load(session: Session, tenant, codes: list[str]) -> list[StageItem]:
    found = []
    for code in codes:
        served = effective_item(session, tenant, code)
        if served is None:
            continue
        elements = served.content["elements"]
        department = _department(served.content, elements)
        found.append(StageItem(code, elements["name"], department, int(elements.get("legal_limit_days") or 0),
                               int(elements.get("promised_limit_days") or 0),
                               (elements.get("power") or {}).get("power_type", elements.get("kind", "")),
                               served.content.get("form") or {"fields": []}, served.content.get("materials") or []))
    return found


def _department(content: dict, elements: dict) -> str:
    """The department code the item's flow assigns its decision to (the first node with one)."""
    for node in (content.get("flow") or {}).get("nodes", []):
        department = (node.get("assignment") or {}).get("department")
        if department:
            return department
    return elements.get("department", "")


def assemble(session: Session, items: list[StageItem], *, form_id: str, title_zh: str, title_en: str) -> AssembledForm:
    elements = element_of_field(session)
    fields: list[dict] = []
    by_key: dict[str, str] = {}  # element code or field name → stage field name
    field_items: dict[str, list[str]] = {}
    renamed: dict[str, dict[str, str]] = {}
    asked = 0
    rules: list[dict] = []
    for item in items:
        renamed[item.code] = {}
        for spec in item.schema.get("fields", []):
            asked += 1
            name = spec["name"]
            key = elements.get(name) or f"field:{name}"
            stage_name = by_key.get(key) or by_key.get(f"field:{name}")
            if stage_name is None:
                stage_name = name if not any(f["name"] == name for f in fields) else f"{item.code}.{name}"
                by_key[key] = by_key[f"field:{name}"] = stage_name
                fields.append({**spec, "name": stage_name})
            renamed[item.code][name] = stage_name
            field_items.setdefault(stage_name, []).append(item.code)
        own = {f["name"] for f in item.schema.get("fields", [])}
        if all(renamed[item.code].get(n) == n for n in own):
            rules += [r for r in item.schema.get("rules", []) if r["id"] not in {x["id"] for x in rules}]
    schema = {"id": form_id, "title": {"zh": title_zh, "en": title_en}, "fields": fields}
    if rules:
        schema["rules"] = rules
    return AssembledForm(schema, items, _materials(items), field_items, renamed, asked)


def _materials(items: list[StageItem]) -> list[AssembledMaterial]:
    merged: dict[str, AssembledMaterial] = {}
    used_ids: set[str] = set()
    for item in items:
        for spec in item.materials:
            key = f"license:{spec['satisfied_by_license_type']}" if spec.get("satisfied_by_license_type") \
                else f"name:{spec['name']}"
            days = spec.get("rongque_supply_days") if spec.get("rongque_allowed") else None
            required = spec.get("required", True) is True
            found = merged.get(key)
            if found is None:
                mid = spec["id"] if spec["id"] not in used_ids else f"{item.code}.{spec['id']}"
                used_ids.add(mid)
                merged[key] = AssembledMaterial(mid, spec["name"], [item.code], [spec["id"]], days, required)
                continue
            found.item_codes.append(item.code)
            found.spec_ids.append(spec["id"])
            found.required = found.required or required
            found.rongque_days = None if days is None or found.rongque_days is None else min(days, found.rongque_days)
    return list(merged.values())
