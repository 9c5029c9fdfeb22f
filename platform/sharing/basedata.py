"""Shared base data: enterprises, natural persons, qualifications and construction projects.

Writes come from the library itself (a business license issued through 多证合一 registers the enterprise)
and from department imports; reads go through :mod:`tongban.platform.sharing.api` (logged, purpose-bound)
or, for the holder's own data, through prefill.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.sharing.data_models import (
    ConstructionProject,
    EnterpriseRecord,
    PersonRecord,
    Qualification,
)

ENTERPRISE_FIELDS = ("name", "legal_representative", "address", "registered_capital", "business_scope", "status",
                     "established_on")
PERSON_FIELDS = ("name", "address", "phone")
PROJECT_FIELDS = ("name", "investor_id", "investor_name", "location", "investment_wan_yuan", "stage")
STAGES = ("立项", "供地", "规划报建", "施工", "竣工验收")


def upsert_enterprise(session: Session, uscc: str, *, source: str, subject: str | None = None,
                      now: datetime | None = None, **values) -> EnterpriseRecord:
    row = session.get(EnterpriseRecord, uscc) or EnterpriseRecord(uscc=uscc, status="active")
    for name in ENTERPRISE_FIELDS:
        if values.get(name) not in (None, ""):
            setattr(row, name, _date(values[name]) if name == "established_on" else str(values[name]))
    row.name = row.name or ""
    row.legal_representative = row.legal_representative or ""
    row.subject = subject or row.subject
    row.source, row.updated_at = source, now or utcnow()
    session.add(row)
    session.flush()
    return row


def upsert_person(session: Session, id_number: str, *, name: str, source: str, subject: str | None = None,
                  now: datetime | None = None, **values) -> PersonRecord:
    row = session.get(PersonRecord, id_number) or PersonRecord(id_number=id_number)
    row.name = name or row.name
    for field in ("address", "phone"):
        if values.get(field):
            setattr(row, field, str(values[field]))
    row.address, row.phone = row.address or "", row.phone or ""
    row.subject = subject or row.subject
    row.source, row.updated_at = source, now or utcnow()
    session.add(row)
    session.flush()
    return row


def add_qualification(session: Session, *, holder_id: str, category: str, number: str, issuer: str,
                      level: str = "", valid_until: date | None = None, source: str) -> Qualification:
    row = session.scalar(select(Qualification).where(Qualification.holder_id == holder_id,
                                                     Qualification.number == number))
    row = row or Qualification(holder_id=holder_id, number=number)
    row.category, row.level, row.issuer, row.valid_until, row.source = category, level, issuer, valid_until, source
    row.status = row.status or "valid"
    session.add(row)
    session.flush()
    return row


def upsert_project(session: Session, code: str, *, source: str, now: datetime | None = None,
                   **values) -> ConstructionProject:
    row = session.get(ConstructionProject, code) or ConstructionProject(code=code)
    for name in PROJECT_FIELDS:
        if values.get(name) not in (None, ""):
            setattr(row, name, str(values[name]))
    row.source, row.updated_at = source, now or utcnow()
    session.add(row)
    session.flush()
    return row


def enterprise(session: Session, uscc: str) -> EnterpriseRecord | None:
    return session.get(EnterpriseRecord, uscc)


def person(session: Session, id_number: str) -> PersonRecord | None:
    return session.get(PersonRecord, id_number)


def enterprise_of_subject(session: Session, subject: str) -> EnterpriseRecord | None:
    return session.scalar(select(EnterpriseRecord).where(EnterpriseRecord.subject == subject)
                          .order_by(EnterpriseRecord.updated_at.desc()).limit(1))


def person_of_subject(session: Session, subject: str) -> PersonRecord | None:
    return session.scalar(select(PersonRecord).where(PersonRecord.subject == subject).limit(1))


def qualifications_of(session: Session, holder_id: str) -> list[Qualification]:
    return list(session.scalars(select(Qualification).where(Qualification.holder_id == holder_id)
                                .order_by(Qualification.id)))


def projects_of(session: Session, investor_id: str) -> list[ConstructionProject]:
    return list(session.scalars(select(ConstructionProject).where(
        or_(ConstructionProject.investor_id == investor_id)).order_by(ConstructionProject.code)))


def as_dict(row, fields: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(row, name)) for name in fields}


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
