"""The shared data dictionary (共享指标项) and prefill: a form field that carries a shared data element is
filled from the applicant's base record or, within a function group, from their earlier applications,
and says where its value came from."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.models import Case
from tongban.platform.sharing import basedata
from tongban.platform.sharing.data_models import ConstructionProject, DataElement, FunctionGroup

# element code: (zh, en, the form field names that carry it); the base record attribute is the part after the dot
DEFAULT_ELEMENTS: dict[str, tuple[str, str, list[str]]] = {
    "enterprise.uscc": ("统一社会信用代码", "USCC", ["uscc", "enterprise_uscc"]),
    "enterprise.name": ("企业名称", "Enterprise name", ["enterprise_name", "company_name"]),
    "enterprise.legal_representative": ("法定代表人", "Legal representative", ["legal_representative", "legal_rep_name"]),
    "enterprise.address": ("企业住所", "Registered address", ["enterprise_address", "address", "premises_address"]),
    "enterprise.registered_capital": ("注册资本", "Registered capital", ["capital", "registered_capital"]),
    "enterprise.business_scope": ("经营范围", "Business scope", ["business_scope"]),
    "person.name": ("姓名", "Name", ["applicant_name"]),
    "person.id_number": ("身份证号码", "Resident ID", ["id_number"]),
    "person.phone": ("联系电话", "Phone", ["phone", "contact_phone"]),
    "project.code": ("项目代码", "Project code", ["project_code"]),
    "project.name": ("项目名称", "Project name", ["project_name"]),
    "project.location": ("建设地点", "Location", ["location", "project_location"]),
    "project.investment_wan_yuan": ("总投资（万元）", "Investment (10k yuan)", ["investment_wan_yuan"]),
}
_BASE_ATTR = {"enterprise.uscc": "uscc", "enterprise.registered_capital": "registered_capital",
              "person.id_number": "id_number", "project.code": "code"}
SOURCE_LABELS = {"base.enterprise": ("企业基础信息库", "enterprise base data"),
                 "base.person": ("人口基础信息库", "natural-person base data"),
                 "base.project": ("工程建设项目库", "construction project data"),
                 "case": ("上次申请", "your earlier application")}


def seed_data_elements(session: Session) -> int:
    created = 0
    for code, (zh, en, names) in DEFAULT_ELEMENTS.items():
        if session.get(DataElement, code) is None:
            session.add(DataElement(code=code, name_zh=zh, name_en=en, field_names=names))
            created += 1
    session.flush()
    return created


def element_of_field(session: Session) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for element in session.scalars(select(DataElement).order_by(DataElement.code)):
        for name in element.field_names:
            mapping.setdefault(name, element.code)
    return mapping


def prefill_for(session: Session, applicant_subject: str, form_schema: Mapping, *, item_code: str | None = None,
                holder_ids: tuple[str, ...] = ()) -> dict[str, dict]:
    """``{field: {value, source, ref, source_zh, source_en}}`` for the fields of ``form_schema`` that carry a
    shared data element: base data first, then (fields of the item's function groups) earlier applications."""
    elements = element_of_field(session)
    fields = [f["name"] for f in form_schema.get("fields", []) if isinstance(f, Mapping) and f.get("name") in elements]
    records = _base_records(session, applicant_subject, holder_ids)
    filled: dict[str, dict] = {}
    for name in fields:
        element = elements[name]
        kind, _, attr = element.partition(".")
        record = records.get(kind)
        value = getattr(record, _BASE_ATTR.get(element, attr), None) if record is not None else None
        if value not in (None, ""):
            filled[name] = _entry(value, f"base.{kind}", _record_key(record))
    shared = _group_fields(session, item_code, elements) if item_code else set(fields)
    earlier = _earlier_case(session, applicant_subject, item_code)
    if earlier is not None:
        for name in fields:
            if name not in filled and name in shared and (earlier.form_data or {}).get(name) not in (None, ""):
                filled[name] = _entry(earlier.form_data[name], "case", earlier.number)
    return filled


def _entry(value, source: str, ref: str) -> dict:
    zh, en = SOURCE_LABELS[source]
    return {"value": value if isinstance(value, (int, float, list, dict)) else str(value), "source": source,
            "ref": ref, "source_zh": f"{zh}（{ref}）", "source_en": f"{en} ({ref})"}


def _base_records(session: Session, subject: str, ids: tuple[str, ...]) -> dict:
    enterprise = basedata.enterprise_of_subject(session, subject)
    person = basedata.person_of_subject(session, subject)
    for holder in ids:
        enterprise = enterprise or basedata.enterprise(session, holder)
        person = person or basedata.person(session, holder)
    investor = (enterprise.uscc if enterprise else None) or (person.id_number if person else None)
    project = None
    if investor:
        project = session.scalar(select(ConstructionProject).where(ConstructionProject.investor_id == investor)
                                 .order_by(ConstructionProject.updated_at.desc()).limit(1))
    return {"enterprise": enterprise, "person": person, "project": project}


def _record_key(record) -> str:
    return getattr(record, "uscc", None) or getattr(record, "id_number", None) or getattr(record, "code", "")


def _group_fields(session: Session, item_code: str, elements: dict[str, str]) -> set[str]:
    """Form fields whose element a function group of ``item_code`` shares."""
    shared = set()
    for group in session.scalars(select(FunctionGroup)):
        if item_code in group.item_codes:
            shared.update(group.element_codes)
    return {name for name, element in elements.items() if element in shared}


def _earlier_case(session: Session, subject: str, item_code: str | None) -> Case | None:
    """The applicant's latest case of an item in the same function group (or of any item, without one)."""
    stmt = select(Case).where(Case.applicant_subject == subject)
    if item_code:
        peers = set()
        for group in session.scalars(select(FunctionGroup)):
            if item_code in group.item_codes:
                peers.update(group.item_codes)
        if not peers:
            return None
        stmt = stmt.where(Case.item_code.in_(sorted(peers)))
    return session.scalar(stmt.order_by(Case.submitted_at.desc(), Case.id.desc()).limit(1))
