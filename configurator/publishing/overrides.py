"""Local overrides: the few fields a tenant may vary, how they are checked, and how layers merge.

Allowed: address/hours/phone of the item, local assignees of flow nodes, extra local materials, local
fee amounts where the item's fee allows a local rate, and local notes. Everything else is the standard.
"""
from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from tongban.configurator.items.assignees import assignment_problems
from tongban.configurator.items.problems import Problem
from tongban.configurator.materials.spec import check_materials

TEXT_FIELDS = {"location": ("办理地点", "location"), "hours": ("办理时间", "hours"),
               "phone": ("咨询电话", "phone"), "notes": ("本地说明", "local notes")}
ALLOWED = set(TEXT_FIELDS) | {"assignees", "extra_materials", "fees"}


def check_overrides(content: dict, overrides: dict, *, departments=None) -> list[Problem]:
    """Problems of ``overrides`` against a version's ``content`` (also used to flag overrides a new version broke)."""
    if not isinstance(overrides, dict):
        return [Problem("overrides", "type", "本地化设置应为对象", "overrides must be an object")]
    problems = [Problem(f"overrides.{key}", "not_overridable", f"“{key}”是省级标准内容，不能在本地修改",
                        f"{key!r} is part of the provincial standard and cannot be changed locally")
                for key in overrides if key not in ALLOWED]
    for key, (zh, en) in TEXT_FIELDS.items():
        value = overrides.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 500):
            problems.append(Problem(f"overrides.{key}", "invalid", f"{zh}应为 500 字以内的文字",
                                    f"{en} must be text of at most 500 characters"))
    problems += _check_assignees(content, overrides.get("assignees"), departments)
    problems += _check_fees(content, overrides.get("fees"))
    problems += _check_extra_materials(content, overrides.get("extra_materials"))
    return problems


def _check_assignees(content: dict, assignees, departments) -> list[Problem]:
    if assignees is None:
        return []
    if not isinstance(assignees, dict):
        return [Problem("overrides.assignees", "type", "本地办理人应为对象", "assignees must be an object")]
    nodes = {n.get("id") for n in (content.get("flow") or {}).get("nodes", [])}
    problems = []
    for node_id, assignment in assignees.items():
        path = f"overrides.assignees.{node_id}"
        if node_id not in nodes:
            problems.append(Problem(path, "unknown_node", f"流程中没有环节“{node_id}”",
                                    f"the flow has no node {node_id!r}"))
        elif not isinstance(assignment, dict) or not (assignment.get("department") or assignment.get("role")):
            problems.append(Problem(path, "invalid", "本地办理人须指定部门或角色",
                                    "a local assignee names a department or a role"))
        else:
            problems += assignment_problems(path, assignment, departments)
    return problems


def _check_fees(content: dict, fees) -> list[Problem]:
    if fees is None:
        return []
    if not isinstance(fees, dict):
        return [Problem("overrides.fees", "type", "本地收费应为对象", "local fees must be an object")]
    standard = {f.get("id"): f for f in (content.get("elements") or {}).get("fees") or []}
    problems = []
    for fee_id, amount in fees.items():
        path = f"overrides.fees.{fee_id}"
        fee = standard.get(fee_id)
        if fee is None:
            problems.append(Problem(path, "unknown_fee", f"没有收费项目“{fee_id}”", f"there is no fee {fee_id!r}"))
        elif not fee.get("local_rate_allowed"):
            problems.append(Problem(path, "fee_not_local", f"收费项目“{fee.get('name')}”执行全省统一标准",
                                    f"the fee {fee.get('name')!r} has one provincial rate"))
        elif not _is_money(amount):
            problems.append(Problem(path, "invalid_amount", "金额应为不小于 0 的数（最多两位小数）",
                                    "the amount must be a non-negative sum with at most two decimals"))
    return problems


def _check_extra_materials(content: dict, extra) -> list[Problem]:
    if extra is None:
        return []
    fields = {f.get("name") for f in (content.get("form") or {}).get("fields", []) if isinstance(f, dict)}
    problems = check_materials(extra, form_fields=fields, prefix="overrides.extra_materials")
    standard_ids = {m.get("id") for m in content.get("materials") or []}
    for i, material in enumerate(extra if isinstance(extra, list) else []):
        if isinstance(material, dict) and material.get("id") in standard_ids:
            problems.append(Problem(f"overrides.extra_materials[{i}].id", "duplicate_id",
                                    "本地材料编号与标准材料重复", "a local material reuses a standard material's id"))
    return problems


def _is_money(value) -> bool:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return amount >= 0 and amount == amount.quantize(Decimal("0.01"))


def apply_layers(content: dict, layers: list[tuple[str, dict]]) -> tuple[dict, dict[str, str]]:
    """Lay each (tenant code, overrides) on the content, root first, nearest last; return content and sources."""
    merged = copy.deepcopy(content)
    sources: dict[str, str] = {}
    elements = merged.setdefault("elements", {})
    for code, overrides in layers:
        for key in TEXT_FIELDS:
            if overrides.get(key) is not None:
                elements[key] = overrides[key]
                sources[f"elements.{key}"] = code
        for node in (merged.get("flow") or {}).get("nodes", []):
            local = (overrides.get("assignees") or {}).get(node.get("id"))
            if local:
                node["assignment"] = {**(node.get("assignment") or {}), **local}
                sources[f"flow.{node['id']}.assignment"] = code
        for fee in elements.get("fees") or []:
            amount = (overrides.get("fees") or {}).get(fee.get("id"))
            if amount is not None and fee.get("local_rate_allowed"):
                fee["amount"] = str(amount)
                sources[f"fees.{fee['id']}"] = code
        for material in overrides.get("extra_materials") or []:
            merged.setdefault("materials", []).append({**material, "local": True, "source_tenant": code})
            sources[f"materials.{material.get('id')}"] = code
    return merged, sources
