"""An item version's content — elements, form, materials, flow — checked as one whole before publishing."""
from __future__ import annotations

from tongban.configurator.flows import check_flow
from tongban.configurator.forms import check_schema
from tongban.configurator.items.assignees import flow_assignment_problems
from tongban.configurator.items.elements import check_elements
from tongban.configurator.items.problems import Problem
from tongban.configurator.materials.spec import check_materials

PARTS = ("elements", "form", "materials", "flow")


def empty_content(elements: dict) -> dict:
    return {"elements": elements, "form": {"fields": []}, "materials": [], "flow": None}


def check_content(content: dict, *, departments=None) -> list[Problem]:
    """Every problem of the content; ``departments``: the known ones (``assignees.known_departments``)."""
    if not isinstance(content, dict):
        return [Problem("", "type", "事项内容应为对象", "item content must be an object")]
    problems = check_elements(content.get("elements") or {})
    form = content.get("form") or {"fields": []}
    problems += [Problem(_join("form", e.path), "form_invalid", e.message_zh, e.message_en) for e in check_schema(form)]
    fields = {f.get("name") for f in form.get("fields", []) if isinstance(f, dict)}
    problems += check_materials(content.get("materials"), form_fields=fields)
    flow = content.get("flow")
    if flow is None:
        problems.append(Problem("flow", "required", "请配置办理流程", "the item needs an approval flow"))
    else:
        promised = (content.get("elements") or {}).get("promised_limit_days")
        limit = promised if isinstance(promised, int) and not isinstance(promised, bool) else None
        problems += [Problem(_join("flow", e.path), e.code, e.message_zh, e.message_en)
                     for e in check_flow(flow, promised_limit_days=limit)]
        problems += flow_assignment_problems(flow, departments)
    return problems


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


def summary_of(content: dict) -> dict:
    """The columns a catalogue list needs, so listing 2,000 items never loads 2,000 contents."""
    e = content.get("elements") or {}
    return {
        "name": e.get("name", ""),
        "kind": e.get("kind", ""),
        "department": e.get("department", ""),
        "case_type": e.get("case_type", ""),
        "audience": ",".join(e.get("audience") or []),
        "levels": ",".join(e.get("levels") or []),
        "channels": ",".join(e.get("channels") or []),
        "legal_limit_days": e.get("legal_limit_days"),
        "promised_limit_days": e.get("promised_limit_days"),
    }
