"""License types (证照类型): configured by province admins, seeded with the common ones.

A field: ``{name, zh, en, required, personal, source}``. ``source`` says where a case's value comes from
(``form.<field>``, ``applicant.<key>``, ``case.<attr>``; alternatives joined by ``|``, the first with a value
wins) when a license is issued from a concluded case. ``personal`` says how the public verification (扫码查验)
shows the field — staff, the holder and department systems always see it whole (see :func:`public_mark`):

* ``False``: in full; ``True``: masked to its first character;
* ``"name"``: a person's name, masked as 王*明; ``"hidden"``: left out (a child's name, a person's address,
  ID number, phone, date of birth);
* ``"holder_name"`` / ``"holder_hidden"``: the same, only when the holder is a person (an enterprise's own name
  and address are public).
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.sharing.errors import Forbidden, Invalid, problem
from tongban.platform.sharing.models import LicenseType

CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
SOURCE = re.compile(r"^(form|applicant|case)\.[a-z_][a-z0-9_]*(\|(form|applicant|case)\.[a-z_][a-z0-9_]*)*$")
HOLDER_KINDS = ("person", "enterprise", "any")
PROVINCE = "46"
PERSONAL_MARKS = (False, True, "name", "hidden", "holder_name", "holder_hidden")


def _f(name, zh, en, source=None, *, required=True, personal=False) -> dict:
    return {"name": name, "zh": zh, "en": en, "required": required, "personal": personal, "source": source}


_ENTERPRISE = [_f("name", "名称", "Name", "form.enterprise_name"),
               _f("legal_representative", "法定代表人", "Legal representative",
                  "form.legal_representative|form.legal_rep_name"),
               _f("address", "住所", "Address", "form.address|form.premises_address", required=False)]

DEFAULT_TYPES: list[dict] = [
    {"code": "business_license", "name_zh": "营业执照", "name_en": "Business license", "holder_kind": "enterprise",
     "department": "市场监督管理局", "validity_years": None, "fields": [
         *_ENTERPRISE, _f("enterprise_type", "类型", "Type", "form.enterprise_type", required=False),
         _f("registered_capital", "注册资本", "Registered capital", "form.capital|form.registered_capital",
            required=False),
         _f("business_scope", "经营范围", "Business scope", "form.business_scope", required=False),
         _f("established_on", "成立日期", "Established on", "case.concluded_on", required=False)],
     "template": {"title_zh": "营业执照", "title_en": "Business License", "accent": "#b3261e"}},
    {"code": "food_business_license", "name_zh": "食品经营许可证", "name_en": "Food business license",
     "holder_kind": "enterprise", "department": "市场监督管理局", "validity_years": 5, "fields": [
         *_ENTERPRISE, _f("premises", "经营场所", "Premises", "form.premises|form.premises_address", required=False),
         _f("main_business", "主体业态", "Main business", "form.main_business|form.business_format",
            required=False),
         _f("business_items", "经营项目", "Business items", "form.business_items", required=False)],
     "template": {"title_zh": "食品经营许可证", "title_en": "Food Business License", "accent": "#1b5e20"}},
    {"code": "drug_business_license", "name_zh": "药品经营许可证", "name_en": "Drug business license",
     "holder_kind": "enterprise", "department": "药品监督管理局", "validity_years": 5, "fields": [
         *_ENTERPRISE, _f("business_scope", "经营范围", "Business scope", "form.business_scope", required=False)],
     "template": {"title_zh": "药品经营许可证", "title_en": "Drug Business License", "accent": "#0d47a1"}},
    {"code": "planning_permit", "name_zh": "建设工程规划许可证", "name_en": "Construction planning permit",
     "holder_kind": "enterprise", "department": "自然资源和规划局", "validity_years": 2, "fields": [
         *_ENTERPRISE[:2], _f("project_code", "项目代码", "Project code", "form.project_code"),
         _f("project_name", "建设项目名称", "Project", "form.project_name"),
         _f("location", "建设位置", "Location", "form.location", required=False)],
     "template": {"title_zh": "建设工程规划许可证", "title_en": "Construction Planning Permit", "accent": "#4e342e"}},
    {"code": "construction_permit", "name_zh": "建筑工程施工许可证", "name_en": "Construction work permit",
     "holder_kind": "enterprise", "department": "住房和城乡建设局", "validity_years": None, "fields": [
         *_ENTERPRISE[:2], _f("project_code", "项目代码", "Project code", "form.project_code"),
         _f("project_name", "工程名称", "Project", "form.project_name")],
     "template": {"title_zh": "建筑工程施工许可证", "title_en": "Construction Work Permit", "accent": "#e65100"}},
    {"code": "real_estate_certificate", "name_zh": "不动产权证书", "name_en": "Real estate title certificate",
     "holder_kind": "any", "department": "不动产登记中心", "validity_years": None, "fields": [
         _f("owner", "权利人", "Owner", "applicant.name", personal="holder_name"),
         _f("location", "坐落", "Location", "form.location", personal="holder_hidden"),
         _f("area", "面积", "Area (m²)", "form.area", required=False)],
     "template": {"title_zh": "不动产权证书", "title_en": "Real Estate Title Certificate", "accent": "#6a1b9a"}},
    {"code": "birth_certificate", "name_zh": "出生医学证明", "name_en": "Medical birth certificate",
     "holder_kind": "person", "department": "卫生健康委员会", "validity_years": None, "fields": [
         _f("child_name", "新生儿姓名", "Child's name", "form.child_name", personal="hidden"),
         _f("birth_date", "出生日期", "Date of birth", "form.birth_date", personal="hidden"),
         _f("mother_name", "母亲姓名", "Mother", "form.mother_name", personal="name"),
         _f("father_name", "父亲姓名", "Father", "form.father_name", required=False, personal="name")],
     "template": {"title_zh": "出生医学证明", "title_en": "Medical Birth Certificate", "accent": "#ad1457"}},
    {"code": "resident_id_card", "name_zh": "居民身份证", "name_en": "Resident identity card",
     "holder_kind": "person", "department": "公安局", "validity_years": 20, "fields": [
         _f("name", "姓名", "Name", "applicant.name", personal="holder_name"),
         _f("address", "住址", "Address", "form.address", personal="hidden")],
     "template": {"title_zh": "居民身份证（电子）", "title_en": "Resident Identity Card", "accent": "#01579b"}},
    {"code": "project_approval", "name_zh": "企业投资项目核准批复", "name_en": "Project approval",
     "holder_kind": "enterprise", "department": "发展和改革委员会", "validity_years": 2, "fields": [
         _f("project_name", "项目名称", "Project", "form.project_name", required=False),
         _f("investment_wan_yuan", "总投资（万元）", "Investment (10k yuan)", "form.investment_wan_yuan",
            required=False)],
     "template": {"title_zh": "项目核准批复", "title_en": "Project Approval", "accent": "#37474f"}},
]


def check_type(body: dict) -> list[dict]:
    errors = []
    if not CODE.match(str(body.get("code", ""))):
        errors.append(problem("code", "invalid", "证照类型编码应为小写字母、数字和下划线", "code: lower-case letters, digits, _"))
    for key, zh, en in (("name_zh", "请填写中文名称", "enter the Chinese name"),
                        ("name_en", "请填写英文名称", "enter the English name")):
        if not str(body.get(key, "")).strip():
            errors.append(problem(key, "required", zh, en))
    if body.get("holder_kind") not in HOLDER_KINDS:
        errors.append(problem("holder_kind", "invalid", "持证主体应为 person、enterprise 或 any",
                              "holder_kind is person, enterprise or any"))
    errors.extend(_check_fields(body.get("fields")))
    return errors


def _check_fields(fields) -> list[dict]:
    if not isinstance(fields, list) or not fields:
        return [problem("fields", "required", "至少需要一个字段", "at least one field")]
    errors, seen = [], set()
    for i, field in enumerate(fields):
        name = field.get("name") if isinstance(field, dict) else None
        if not isinstance(name, str) or not FIELD_NAME.match(name) or name in seen:
            errors.append(problem(f"fields[{i}].name", "invalid", "字段名无效或重复", "field name invalid or repeated"))
        source = field.get("source") if isinstance(field, dict) else None
        if source is not None and not SOURCE.match(str(source)):
            errors.append(problem(f"fields[{i}].source", "invalid", "来源应为 form./applicant./case. 开头",
                                  "source starts with form., applicant. or case."))
        if isinstance(field, dict) and field.get("personal") not in (None, *PERSONAL_MARKS):
            errors.append(problem(f"fields[{i}].personal", "invalid",
                                  "个人信息标记应为 true、false、name、hidden、holder_name 或 holder_hidden",
                                  "personal is true, false, name, hidden, holder_name or holder_hidden"))
        seen.add(name)
    return errors


def define_type(session: Session, body: dict, *, actor) -> LicenseType:
    """Create or change a license type (province admins only); refused whole with field-level reasons."""
    if not is_province_admin(actor):
        raise Forbidden("forbidden", "只有省级管理员可以配置证照类型", "only province admins configure license types")
    errors = check_type(body)
    if errors:
        raise Invalid(errors)
    row = session.get(LicenseType, body["code"]) or LicenseType(code=body["code"])
    row.name_zh, row.name_en, row.holder_kind = body["name_zh"].strip(), body["name_en"].strip(), body["holder_kind"]
    row.fields = [dict(f) for f in body["fields"]]
    row.template = dict(body.get("template") or {"title_zh": row.name_zh, "title_en": row.name_en})
    row.validity_years, row.department = body.get("validity_years"), body.get("department", "")
    row.updated_at, row.updated_by = utcnow(), getattr(actor, "subject", str(actor))
    session.add(row)
    session.flush()
    return row


def seed_license_types(session: Session) -> int:
    """The common license types; safe to run twice (existing ones are left as admins changed them)."""
    created = 0
    for body in DEFAULT_TYPES:
        if session.get(LicenseType, body["code"]) is None:
            session.add(LicenseType(**{**body, "updated_by": "seed"}))
            created += 1
    session.flush()
    return created


def get_type(session: Session, code: str) -> LicenseType | None:
    return session.get(LicenseType, code)


def all_types(session: Session) -> list[LicenseType]:
    return list(session.scalars(select(LicenseType).order_by(LicenseType.code)))


def is_province_admin(actor) -> bool:
    """An approval Actor (or anything with ``may``) allowed to configure items at the province."""
    if getattr(actor, "kind", None) == "system":
        return True
    may = getattr(actor, "may", None)
    return bool(may and may("configure_items", f"/{PROVINCE}/"))


# --- what the public verification shows of a field ------------------------------------------------------------
_STRICTNESS = {None: 0, "name": 1, "mask": 2, "hidden": 3}
_DEFAULT_MARKS = {(t["code"], f["name"]): f["personal"] for t in DEFAULT_TYPES for f in t["fields"] if f["personal"]}
_PERSON_DATA = re.compile(r"address|phone|mobile|email|id_number|id_card|birth")


def _resolved(mark, person: bool) -> str | None:
    if mark is True:
        return "mask"
    if mark in ("holder_name", "holder_hidden"):
        return mark.removeprefix("holder_") if person else None
    return mark if mark in ("name", "hidden") else None


def public_mark(type_code: str | None, spec: dict, *, person: bool) -> str | None:
    """How anyone verifying a license sees one of its fields: None (in full), ``"name"``, ``"mask"`` or
    ``"hidden"``. The strictest of the type's own mark, the mark the seeded type of that code gives the field
    (a copy of a seeded type saved before a field was marked never shows more) and, for a person holder, a
    field whose name says it holds an address, phone, e-mail, ID number or birth date (hidden unless marked)."""
    name = str(spec.get("name", ""))
    marks = [_resolved(spec.get("personal"), person), _resolved(_DEFAULT_MARKS.get((type_code, name)), person)]
    if person and _PERSON_DATA.search(name):
        marks.append("hidden")
    return max(marks, key=_STRICTNESS.__getitem__)
