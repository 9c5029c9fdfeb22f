"""A tenant's local settings form: only what ``configurator.publishing.overrides`` lets a tenant vary —
address, hours, phone, notes, local assignees of flow nodes, extra local materials and local fee amounts
where the fee allows a local rate. Input names are the fault paths (``overrides.fees.f1``)."""

from __future__ import annotations

import json

from tongban.configurator.admin import materials_form
from tongban.configurator.admin.paths import Fault, append, apply_row_op
from tongban.configurator.admin.posted import Posted, as_text, label_text
from tongban.configurator.items.assignees import choices as assignee_choices
from tongban.configurator.publishing.overrides import ALLOWED, TEXT_FIELDS

PREFIX = "overrides"
EXTRA = f"{PREFIX}.extra_materials"


def read(posted: Posted, content: dict) -> dict:
    overrides: dict = {}
    for key in TEXT_FIELDS:
        if posted.text(f"{PREFIX}.{key}"):
            overrides[key] = posted.text(f"{PREFIX}.{key}")
    fees = {
        fee["id"]: posted.text(f"{PREFIX}.fees.{fee['id']}")
        for fee in local_fees(content)
        if posted.text(f"{PREFIX}.fees.{fee['id']}")
    }
    if fees:
        overrides["fees"] = fees
    assignees = {}
    for node in assignable_nodes(content):
        chosen = {
            k: posted.text(f"{PREFIX}.assignees.{node['id']}.{k}")
            for k in ("department", "role")
            if posted.text(f"{PREFIX}.assignees.{node['id']}.{k}")
        }
        if chosen:
            assignees[node["id"]] = chosen
    if assignees:
        overrides["assignees"] = assignees
    extra = materials_form.read(posted, prefix=EXTRA)
    if extra:
        overrides["extra_materials"] = extra
    return overrides


def read_json(text: str) -> tuple[dict | None, list[Fault]]:
    """The advanced path: the overrides typed as JSON; the domain still checks every key."""
    try:
        value = json.loads(text or "{}")
    except ValueError as error:
        return None, [Fault("overrides_json", f"JSON 格式错误：{error}", f"Not valid JSON: {error}", "json")]
    if not isinstance(value, dict):
        return None, [
            Fault("overrides_json", "本地设置应为 JSON 对象", "The overrides must be a JSON object", "json")
        ]
    return value, []


def apply(overrides: dict, verb: str, path: str) -> dict:
    doc = {"overrides": overrides}
    if verb == "add" and path == EXTRA:
        rows = overrides.setdefault("extra_materials", [])
        append(doc, EXTRA, materials_form.new_row(len(rows) + 1, id_prefix="local"))
    else:
        apply_row_op(doc, verb, path)
    return doc["overrides"]


def local_fees(content: dict) -> list[dict]:
    return [
        f
        for f in (content.get("elements") or {}).get("fees") or []
        if isinstance(f, dict) and f.get("local_rate_allowed") and f.get("id")
    ]


def assignable_nodes(content: dict) -> list[dict]:
    nodes = (content.get("flow") or {}).get("nodes") or []
    return [
        n
        for n in nodes
        if isinstance(n, dict) and n.get("id") and n.get("kind") not in ("parallel_split", "join", "conclude")
    ]


def view(content: dict, overrides: dict) -> dict:
    """``content`` is the standard version this tenant serves; ``overrides`` what the form holds."""
    elements = content.get("elements") or {}
    fees = [f for f in elements.get("fees") or [] if isinstance(f, dict)]
    fixed_fees = [f for f in fees if not f.get("local_rate_allowed")]
    return {
        "texts": _text_rows(elements, overrides),
        "fees": _fee_rows(content, overrides.get("fees") or {}),
        "fixed_fees": fixed_fees,
        "nodes": _node_rows(content, overrides.get("assignees") or {}),
        "extra": materials_form.view(overrides.get("extra_materials") or [], prefix=EXTRA),
        "allowed": sorted(ALLOWED),
        "json": json.dumps(overrides, ensure_ascii=False, indent=2),
        "assignee_choices": assignee_choices(),
    }


def _text_rows(elements: dict, overrides: dict) -> list[dict]:
    return [
        {"key": key, "zh": zh, "en": en, "name": f"{PREFIX}.{key}",
         "standard": as_text(elements.get(key)), "value": as_text(overrides.get(key))}
        for key, (zh, en) in TEXT_FIELDS.items()
    ]


def _fee_rows(content: dict, fees: dict) -> list[dict]:
    return [
        {"id": f["id"], "name": as_text(f.get("name")), "standard": as_text(f.get("amount")),
         "value": as_text(fees.get(f["id"]))}
        for f in local_fees(content)
    ]


def _node_rows(content: dict, assignees: dict) -> list[dict]:
    rows = []
    for node in assignable_nodes(content):
        local = assignees.get(node["id"]) or {}
        rows.append({"id": node["id"], "label": label_text(node.get("label")) or node["id"],
                     "standard": node.get("assignment") or {}, "department": as_text(local.get("department")),
                     "role": as_text(local.get("role"))})
    return rows
