"""Small builders that keep the demo catalogue's data readable: fields, materials, fees and flows.

Every builder returns plain JSON-ready dicts in the formats of ``configurator.forms`` (form schema),
``configurator.materials.spec`` (materials) and ``configurator.flows`` (flow definition).
"""
from __future__ import annotations

from itertools import pairwise
from typing import Any

HAINAN = "46"
STANDARD_HOURS = "法定工作日 上午 9:00-12:00，下午 14:30-17:30（冬季 14:00-17:00，以当地政务服务中心公布为准）"
HOTLINE = "12345（海南省政务服务便民热线）"
PROVINCE_CENTRE = "海南省政务服务中心"
LOCAL_CENTRE = "各市县政务服务中心"
TOWNSHIP_CENTRE = "各乡镇（街道）便民服务中心"

# 权责清单 wording common to administrative powers (责任事项 and 追责情形 after 行政许可法 第七章).
RESPONSIBILITIES = ["受理责任", "审查责任", "决定责任", "送达责任", "事后监管责任",
                    "其他法律法规规章文件规定应履行的责任"]
ACCOUNTABILITY = ["对符合法定条件的申请不予受理、不予办理的", "对不符合法定条件的申请准予办理的",
                  "擅自增设、变更办理程序或者条件的", "未在法定期限内作出决定的",
                  "索取或者收受他人财物或者谋取其他利益的"]


def power(kind: str) -> dict:
    return {"power_type": kind, "responsibilities": list(RESPONSIBILITIES),
            "accountability": list(ACCOUNTABILITY)}


# ---------------------------------------------------------------- form fields

def field(name: str, kind: str, zh: str, en: str, **props: Any) -> dict:
    return {"name": name, "type": kind, "label": {"zh": zh, "en": en}, **props}


def option(value: str, zh: str, en: str) -> dict:
    return {"value": value, "label": {"zh": zh, "en": en}}


def person_fields(*, with_address: bool = True) -> list[dict]:
    """The applicant, prefilled from the signed-in person and locked where the identity is verified."""
    fields = [
        field("applicant_name", "text", "申请人姓名", "Applicant name", required=True,
              prefill="identity.name", locked=True, max_length=50),
        field("applicant_id", "resident_id", "公民身份号码", "Resident ID number", required=True,
              prefill="identity.resident_id", locked=True),
        field("phone", "phone", "联系电话", "Phone", required=True, prefill="identity.phone",
              phone_kind="mobile"),
    ]
    if with_address:
        fields += address_fields("home", "居住地址", "Home address")
    return fields


def enterprise_fields() -> list[dict]:
    """The applicant enterprise, prefilled from the enterprise the agent acts for."""
    return [
        field("enterprise_name", "text", "单位名称", "Enterprise name", required=True,
              prefill="identity.name", max_length=100),
        field("uscc", "uscc", "统一社会信用代码", "Unified social credit code", required=True,
              prefill="identity.uscc", locked=True),
        field("legal_representative", "text", "法定代表人（负责人）", "Legal representative", required=True,
              prefill="identity.legal_representative", max_length=50),
        field("contact_phone", "phone", "联系电话", "Contact phone", required=True),
    ]


def address_fields(prefix: str, zh: str, en: str, *, required: bool = True) -> list[dict]:
    """A division cascade within Hainan plus the street address."""
    return [
        field(f"{prefix}_division", "division", f"{zh}（行政区划）", f"{en} (division)", required=required,
              within=HAINAN),
        field(f"{prefix}_address", "text", f"{zh}（详细地址）", f"{en} (street)", required=required,
              max_length=200),
    ]


def family_group(name: str = "family_members", zh: str = "家庭成员", en: str = "Family members",
                 *, min_rows: int = 1, max_rows: int = 10) -> dict:
    return field(name, "group", zh, en, required=True, min_rows=min_rows, max_rows=max_rows, fields=[
        field("member_name", "text", "姓名", "Name", required=True, max_length=50),
        field("member_id", "resident_id", "公民身份号码", "Resident ID number", required=True),
        field("relation", "select", "与申请人关系", "Relation", required=True, options=[
            option("self", "本人", "Self"), option("spouse", "配偶", "Spouse"), option("child", "子女", "Child"),
            option("parent", "父母", "Parent"), option("other", "其他", "Other")]),
        field("monthly_income", "money", "月收入（元）", "Monthly income (CNY)"),
    ])


def promise_checkbox() -> dict:
    return field("promise", "checkbox", "本人承诺所填信息及所交材料真实有效", "I confirm the information is true",
                 required=True)


def form(form_id: str, zh: str, en: str, fields: list[dict], rules: list[dict] | None = None) -> dict:
    schema = {"id": form_id, "title": {"zh": zh, "en": en}, "fields": fields}
    if rules:
        schema["rules"] = rules
    return schema


def rule(rule_id: str, expr: str, field_name: str, zh: str, en: str) -> dict:
    return {"id": rule_id, "expr": expr, "field": field_name, "message": {"zh": zh, "en": en}}


# ---------------------------------------------------------------- materials and fees

def material(material_id: str, name: str, *, form: str = "original", formats=("pdf", "jpg", "png"),
             size: int = 10, count: int = 1, template: str | None = None, license: str | None = None,
             rongque_days: int | None = None, required_if: str | None = None,
             source: str | None = None) -> dict:
    """One required material; ``license`` names the e-license type that satisfies it (免提交)."""
    m: dict[str, Any] = {"id": material_id, "name": name, "form": form, "count": count,
                         "formats": list(formats), "max_size_mb": size, "required": required_if is None}
    if required_if:
        m["required_if"] = required_if
    if template:
        m["template"] = template
    if license:
        m["satisfied_by_license_type"] = license
    if rongque_days:
        m["rongque_allowed"], m["rongque_supply_days"] = True, rongque_days
    if source:
        m["source"] = source
    return m


def id_card(material_id: str = "id_card", name: str = "居民身份证") -> dict:
    return material(material_id, name, license="resident_id_card", source="申请人自备")


def household_register(material_id: str = "hukou", name: str = "居民户口簿") -> dict:
    return material(material_id, name, license="household_register", source="申请人自备")


def business_license(material_id: str = "business_license") -> dict:
    return material(material_id, "营业执照", form="copy", license="business_license", source="申请人自备")


def fee(fee_id: str, name: str, amount: str, basis: str, *, local_rate: bool = False) -> dict:
    return {"id": fee_id, "name": name, "amount": amount, "basis": basis, "local_rate_allowed": local_rate}


# ---------------------------------------------------------------- flows

def node(node_id: str, kind: str, zh: str, en: str, days: int | None = None, *, role: str | None = None,
         department: str | None = None, **extra: Any) -> dict:
    n: dict[str, Any] = {"id": node_id, "kind": kind, "label": {"zh": zh, "en": en}}
    if days is not None:
        n["time_limit_days"] = days
    assignment = {k: v for k, v in (("role", role), ("department", department)) if v}
    if assignment:
        n["assignment"] = assignment
    n.update(extra)
    return n


def accept(days: int = 0) -> dict:
    return node("accept", "start", "受理", "Acceptance", days, role="window_clerk",
                actions=["accept", "refuse_to_accept", "return_for_supplement"])


def conclude() -> dict:
    return node("conclude", "conclude", "办结", "Concluded")


def certificate(license_type: str, zh: str, en: str, days: int = 0, department: str | None = None) -> dict:
    return node("certificate", "issue_certificate", zh, en, days, role="certificate_clerk",
                department=department, license_type=license_type)


def chain(name_zh: str, name_en: str, nodes: list[dict]) -> dict:
    """A straight flow through ``nodes`` in order."""
    edges = [{"from": a["id"], "to": b["id"]} for a, b in pairwise(nodes)]
    return {"name": {"zh": name_zh, "en": name_en}, "nodes": nodes, "edges": edges}


def immediate(name_zh: str, name_en: str, *, license: tuple[str, str, str] | None = None,
              department: str | None = None) -> dict:
    """即办件: accepted, checked and (optionally) certified on the spot."""
    middle = [node("check", "review", "当场审核", "On-the-spot check", 0, role="window_clerk",
                   department=department)]
    if license:
        middle.append(certificate(*license, days=0, department=department))
    return chain(name_zh, name_en, [accept(0), *middle, conclude()])


def promised(name_zh: str, name_en: str, *, review: int, decide: int, department: str,
             license: tuple[str, str, str] | None = None, certificate_days: int = 1, accept_days: int = 1,
             extra: list[dict] | None = None) -> dict:
    """承诺件: accept → review → (extra steps) → decide → (certificate) → conclude."""
    nodes = [accept(accept_days),
             node("review", "review", "审查", "Review", review, role="reviewer", department=department),
             *(extra or []),
             node("decide", "decide", "决定", "Decision", decide, role="approver", department=department,
                  actions=["approve", "reject", "roll_back", "return_previous"])]
    if license:
        nodes.append(certificate(*license, days=certificate_days, department=department))
    return chain(name_zh, name_en, [*nodes, conclude()])


def reported_up(name_zh: str, name_en: str, *, survey: int, decide: int, department: str,
                to_level: str = "city_county") -> dict:
    """上报件: the township accepts and checks, then reports to the city/county which decides."""
    return chain(name_zh, name_en, [
        accept(1),
        node("survey", "review", "入户调查、审核", "Household survey and check", survey,
             role="social_assistance_officer", department=department),
        node("report", "report_up", "上报审批", "Report for approval", 1, role="township_leader",
             to_level=to_level),
        node("decide", "decide", "审批确认", "Approval", decide, role="approver", department=department,
             actions=["approve", "reject", "roll_back", "return_previous"]),
        conclude(),
    ])


def parallel(name_zh: str, name_en: str, tasks: list[tuple[str, str, str, str, int]], *,
             tail: list[dict], accept_days: int = 0) -> dict:
    """联办件: the split hands every (id, zh, en, department, days) task out at once; all must finish."""
    task_nodes = [node(task_id, "dept_task", zh, en, days, role="handler", department=department)
                  for task_id, zh, en, department, days in tasks]
    nodes = [accept(accept_days), node("split", "parallel_split", "并联办理", "Parallel handling"),
             *task_nodes, node("join", "join", "汇聚", "Join", join_mode="all"), *tail, conclude()]
    edges = [{"from": "accept", "to": "split"}]
    edges += [{"from": "split", "to": t["id"]} for t in task_nodes]
    edges += [{"from": t["id"], "to": "join"} for t in task_nodes]
    after = ["join", *(n["id"] for n in tail), "conclude"]
    edges += [{"from": a, "to": b} for a, b in pairwise(after)]
    return {"name": {"zh": name_zh, "en": name_en}, "nodes": nodes, "edges": edges}


def reported_up_with_license(name_zh: str, name_en: str, *, survey: int, decide: int, department: str,
                             license: tuple[str, str, str], certificate_days: int) -> dict:
    """上报件 that ends with a certificate issued by the higher level."""
    flow = reported_up(name_zh, name_en, survey=survey, decide=decide, department=department)
    issue = certificate(*license, days=certificate_days, department=department)
    nodes = [*flow["nodes"][:-1], issue, conclude()]
    return chain(name_zh, name_en, nodes)


# ---------------------------------------------------------------- the item

def item(code: str, name: str, *, kind: str, department: str, case_type: str, levels: list[str],
         audience: list[str], legal: int, promised_days: int, legal_basis: str, conditions: str,
         form: dict, materials: list[dict], flow: dict, location: str = LOCAL_CENTRE,
         channels: list[str] | None = None, fees: list[dict] | None = None,
         life_events: list[str] | None = None, themes: list[str] | None = None,
         must_online: bool = False) -> dict:
    """A whole item version's content (elements, form, materials, flow) ready for ``check_content``."""
    elements = {
        "code": code, "name": name, "kind": kind, "department": department, "legal_basis": legal_basis,
        "conditions": conditions, "case_type": case_type, "levels": levels,
        "channels": channels or ["online", "window", "mobile"], "audience": audience,
        "legal_limit_days": legal, "promised_limit_days": promised_days, "location": location,
        "hours": STANDARD_HOURS, "phone": HOTLINE, "fees": fees or [], "life_events": life_events or [],
        "themes": themes or [], "power": power(kind),
    }
    if must_online:
        elements["must_handle_online"] = True
    return {"elements": elements, "form": form, "materials": materials, "flow": flow}
