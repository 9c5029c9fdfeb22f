"""Licenses from concluded cases: the writer the approval engine calls when a certificate is issued.

Register it once at start-up: ``certificates.ISSUERS.append(issue_from_case)``. It runs inside the
case's unit of work (``env.session``), so the license, the enterprise's base record and the case's
conclusion commit together or not at all.
"""
from __future__ import annotations

from datetime import date

from tongban.configurator.forms import resident_id

from tongban.platform.sharing import basedata, license_types
from tongban.platform.sharing.library import LicenseDraft, today, write
from tongban.platform.sharing.models import License, LicenseType
from tongban.platform.sharing.uscc import is_valid as uscc_valid
from tongban.platform.sharing.uscc import new_uscc


def issue_from_case(env, case, license_type: str | None, number: str) -> License:
    """The ISSUERS hook: ``(env, case, license_type, number)``; writes and signs the license."""
    session = env.session
    ltype = _type(session, license_type or "certificate", case)
    holder_kind, holder_id, holder_name = _holder(case, ltype)
    issued_on = today(env.now)
    content = content_from_case(ltype, case, issued_on)
    if ltype.code == "business_license":
        content["uscc"] = holder_id
    draft = LicenseDraft(
        number=number, type_code=ltype.code, holder_kind=holder_kind, holder_id=holder_id, holder_name=holder_name,
        issuer_tenant=case.tenant_id, issuer_department=ltype.department or "", valid_from=issued_on,
        valid_until=_until(issued_on, ltype.validity_years), content=content,
        holder_subject=case.applicant_subject, source="case", case_number=case.number)
    row, _ = write(session, draft, env.secret_key, now=env.now)
    _register_base_data(session, case, row, content)
    return row


def content_from_case(ltype: LicenseType, case, issued_on: date) -> dict:
    values = {}
    for field in ltype.fields:
        value = _source_value(field.get("source"), case, issued_on)
        if value not in (None, ""):
            values[field["name"]] = value
    return values


def _source_value(source: str | None, case, issued_on: date):
    """The value ``source`` names; of alternatives (``form.a|form.b``) the first that has one."""
    for alternative in (source or "").split("|"):
        value = _one_source(alternative, case, issued_on) if alternative else None
        if value not in (None, "", [], {}):
            return value
    return None


def _one_source(source: str, case, issued_on: date):
    where, _, key = source.partition(".")
    if where == "form":
        value = (case.form_data or {}).get(key)
    elif where == "applicant":
        value = (case.applicant or {}).get(key)
    else:
        value = {"concluded_on": issued_on.isoformat(), "number": case.number, "item_name": case.item_name}.get(key)
    if isinstance(value, (dict, list)):
        return value
    return None if value is None else str(value)


def _holder(case, ltype: LicenseType) -> tuple[str, str, str]:
    applicant, form = case.applicant or {}, case.form_data or {}
    # an enterprise's name, or the name a 个体工商户 registers (字号: optional; the operator's own name otherwise)
    enterprise_name = form.get("enterprise_name") or form.get("business_name") or applicant.get("enterprise_name")
    if ltype.holder_kind == "enterprise" or (ltype.holder_kind == "any" and applicant.get("kind") == "enterprise"):
        code = applicant.get("uscc") or form.get("uscc")
        if not uscc_valid(code or ""):
            code = new_uscc(case.tenant_id, f"{case.number}:{ltype.code}")  # a new enterprise (多证合一)
        name = enterprise_name or (applicant.get("name") if applicant.get("kind") == "enterprise" else None)
        return "enterprise", code, str(name or applicant.get("name") or "")
    return "person", str(applicant.get("id_number") or ""), str(applicant.get("name") or "")


def _register_base_data(session, case, row: License, content: dict) -> None:
    applicant = case.applicant or {}
    source = f"license:{row.number}"
    if row.type_code == "business_license":
        basedata.upsert_enterprise(
            session, row.holder_id, source=source, subject=case.applicant_subject, name=row.holder_name,
            legal_representative=content.get("legal_representative") or applicant.get("name"),
            address=content.get("address"), registered_capital=content.get("registered_capital"),
            business_scope=content.get("business_scope"), established_on=row.valid_from, status="active")
    id_number = str(applicant.get("id_number") or "")
    if applicant.get("kind", "person") == "person" and resident_id.is_valid(id_number):
        basedata.upsert_person(session, id_number, name=str(applicant.get("name") or ""), source=f"case:{case.number}",
                               subject=case.applicant_subject, phone=applicant.get("phone"))


def _type(session, code: str, case) -> LicenseType:
    """The configured type; a known default is seeded on first use; an unknown code gets a bare type
    named after the item (so issuing never fails a case for want of configuration)."""
    found = license_types.get_type(session, code)
    if found is not None:
        return found
    defaults = {t["code"]: t for t in license_types.DEFAULT_TYPES}
    body = defaults.get(code) or {"code": code, "name_zh": case.item_name, "name_en": code, "holder_kind": "any",
                                  "fields": [], "template": {"title_zh": case.item_name, "title_en": code},
                                  "validity_years": None, "department": ""}
    row = LicenseType(**{**body, "updated_by": "system"})
    session.add(row)
    session.flush()
    return row


def _until(start: date, years: int | None) -> date | None:
    if not years:
        return None
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)
