"""Sharing services for departments (the GraphQL layer calls these): license and base-data reads that need
a purpose and a case of the reader's tenant whose applicant is the holder; limited by license type and
rate; every read logged where the holder sees it.

Pass a unit of work in a system scope (the case may have been received in another tenant); the checks
here are what limit the reader.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.approval.models import Case
from tongban.platform.sharing import access, basedata
from tongban.platform.sharing.clients import BASE_DATA, Reader
from tongban.platform.sharing.errors import Forbidden, NotFound
from tongban.platform.sharing.library import by_number, held_by
from tongban.platform.sharing.models import LicenseType
from tongban.platform.sharing.verification import public_fields, verify_license
from tongban.tenants.models import Tenant


def read_license(session: Session, reader: Reader, number: str, *, purpose: str, case_ref: str,
                 now: datetime | None = None) -> dict:
    purpose, case_ref = access.require_purpose(purpose, case_ref)
    row = by_number(session, number)
    case = _reader_case(session, reader, case_ref)
    if row is None or not _applicant_holds(case, row.holder_subject, row.holder_id):
        raise NotFound("证照")
    if not reader.reads(row.type_code):
        raise Forbidden("type_not_allowed", "无权调取该类证照", "you may not read this license type")
    access.check_rate(session, reader.accessor.subject, reader.rate_per_minute, now)
    access.record_license(session, row, kind="api", accessor=reader.accessor, purpose=purpose, case_ref=case_ref,
                          now=now)
    return license_view(session, row)


def find_licenses(session: Session, reader: Reader, *, type_code: str, purpose: str, case_ref: str,
                  now: datetime | None = None) -> list[dict]:
    """The licenses of ``type_code`` held by the applicant of ``case_ref``."""
    purpose, case_ref = access.require_purpose(purpose, case_ref)
    case = _reader_case(session, reader, case_ref)
    if not reader.reads(type_code):
        raise Forbidden("type_not_allowed", "无权调取该类证照", "you may not read this license type")
    access.check_rate(session, reader.accessor.subject, reader.rate_per_minute, now)
    ids = tuple(i for i in ((case.applicant or {}).get("id_number"), (case.applicant or {}).get("uscc")) if i)
    rows = held_by(session, subjects=(case.applicant_subject,), ids=ids, type_code=type_code)
    for row in rows:
        access.record_license(session, row, kind="api", accessor=reader.accessor, purpose=purpose, case_ref=case_ref,
                              now=now)
    return [license_view(session, row) for row in rows]


def read_base_record(session: Session, reader: Reader, kind: str, key: str, *, purpose: str, case_ref: str,
                     now: datetime | None = None) -> dict:
    """kind: enterprise (USCC) | person (resident ID) | qualifications (holder ID) | projects (investor ID)."""
    purpose, case_ref = access.require_purpose(purpose, case_ref)
    if not reader.reads(BASE_DATA):
        raise Forbidden("base_data_not_allowed", "无权调取基础数据", "you may not read base data")
    case = _reader_case(session, reader, case_ref)
    if not _applicant_holds(case, None, key):
        raise NotFound("记录")
    found = _base(session, kind, key)
    if found is None:
        raise NotFound("记录")
    access.check_rate(session, reader.accessor.subject, reader.rate_per_minute, now)
    access.record(session, kind="base_data", holder_id=key, record_key=f"{kind}:{key}", accessor=reader.accessor,
                  purpose=purpose, case_ref=case_ref, now=now)
    return found


def _base(session: Session, kind: str, key: str):
    if kind == "enterprise":
        row = basedata.enterprise(session, key)
        return row and {"uscc": row.uscc, **basedata.as_dict(row, basedata.ENTERPRISE_FIELDS)}
    if kind == "person":
        row = basedata.person(session, key)
        return row and {"id_number": row.id_number, **basedata.as_dict(row, basedata.PERSON_FIELDS)}
    if kind == "qualifications":
        return {"items": [{"category": q.category, "level": q.level, "number": q.number, "issuer": q.issuer,
                           "valid_until": q.valid_until.isoformat() if q.valid_until else None, "status": q.status}
                          for q in basedata.qualifications_of(session, key)]}
    if kind == "projects":
        return {"items": [{"code": p.code, **basedata.as_dict(p, basedata.PROJECT_FIELDS)}
                          for p in basedata.projects_of(session, key)]}
    return None


def license_view(session: Session, row) -> dict:
    check = verify_license(session, row)
    ltype = session.get(LicenseType, row.type_code)
    return {"number": row.number, "type": row.type_code, "holder_kind": row.holder_kind, "holder_id": row.holder_id,
            "holder_name": row.holder_name, "issuer_tenant": row.issuer_tenant, "department": row.issuer_department,
            "valid_from": row.valid_from.isoformat(), "valid_until": row.valid_until.isoformat() if row.valid_until else None,
            "status": check.status, "outcome": check.outcome, "signature_ok": check.signature_ok,
            "fields": public_fields(ltype, row.content, masked=False)}


def _reader_case(session: Session, reader: Reader, case_ref: str) -> Case:
    """The case, when the reader's tenant (or its subtree) handles or received it; else 'not found'."""
    case = session.scalar(select(Case).where(Case.number == case_ref))
    if case is None:
        raise NotFound("办件")
    paths = session.scalars(select(Tenant.path).where(or_(Tenant.code == case.tenant_id,
                                                          Tenant.code == case.received_tenant_id))).all()
    if not reader.tenant_path or not any(p.startswith(reader.tenant_path) for p in paths):
        raise NotFound("办件")
    return case


def _applicant_holds(case: Case, holder_subject: str | None, holder_id: str) -> bool:
    applicant = case.applicant or {}
    return (holder_subject is not None and holder_subject == case.applicant_subject) or holder_id in (
        applicant.get("id_number"), applicant.get("uscc"))
