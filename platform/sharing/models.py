"""The e-license library (电子证照库): license types, issuer keys, licenses, department clients, the access log.

The library is provincial: one store for every tenant, read across tenants by the holder, by applicants
at intake (免收证照) and by departments with a purpose and a case reference. So these tables carry the
issuing tenant as data (``issuer_tenant``) and are guarded by the sharing services, not by tenant RLS.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow


class LicenseType(Base):
    """A kind of license configured by province admins: its fields and its certificate template."""

    __tablename__ = "sharing_license_types"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(120))
    holder_kind: Mapped[str] = mapped_column(String(12))  # person | enterprise | any
    fields: Mapped[list] = mapped_column(JSON)  # [{name, zh, en, required, personal, source}]
    template: Mapped[dict] = mapped_column(JSON)  # {title_zh, title_en, accent, shown: [field names]}
    validity_years: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


class SigningKey(Base):
    """An issuer tenant's Ed25519 key. The private half is sealed with the platform secret and never
    leaves ``keys``; retired keys keep verifying what they signed."""

    __tablename__ = "sharing_signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(40), unique=True)
    tenant_code: Mapped[str] = mapped_column(String(12), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, base64
    sealed_private: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()


class License(Base):
    __tablename__ = "sharing_licenses"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    type_code: Mapped[str] = mapped_column(String(60))
    holder_kind: Mapped[str] = mapped_column(String(12))  # person | enterprise
    holder_id: Mapped[str] = mapped_column(String(18))  # resident ID or USCC
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_subject: Mapped[str | None] = mapped_column(String(80))  # the holder's account, when known
    issuer_tenant: Mapped[str] = mapped_column(String(12))
    issuer_department: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="valid")  # valid | suspended | revoked | expired
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_at: Mapped[datetime | None] = mapped_column()
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(40))
    signature: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(12))  # case | import
    case_number: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (Index("ix_sharing_licenses_holder", "holder_id", "type_code", "status"),
                      Index("ix_sharing_licenses_subject", "holder_subject", "type_code"))


class SharingClient(Base):
    """A department system registered by province admins: which tenant and department it speaks for, which
    license types it may issue (import) and read, and how many reads a minute it may make."""

    __tablename__ = "sharing_clients"

    client_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tenant_code: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(100))
    may_issue: Mapped[list] = mapped_column(JSON, default=list)
    may_read: Mapped[list] = mapped_column(JSON, default=list)  # license types, or "base_data"
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessLog(Base):
    """Every read of a license or base record by someone other than its holder: who, when, which case,
    for what purpose, with or without the holder's consent. The holder sees all of it."""

    __tablename__ = "sharing_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # exemption | staff_view | api | base_data
    holder_id: Mapped[str] = mapped_column(String(18))
    license_number: Mapped[str | None] = mapped_column(String(80))
    record: Mapped[str] = mapped_column(String(80))  # what was read (license number, base record key)
    accessor: Mapped[str] = mapped_column(String(80))  # account subject or client id
    accessor_name: Mapped[str] = mapped_column(String(200))
    accessor_tenant: Mapped[str | None] = mapped_column(String(12))
    accessor_department: Mapped[str | None] = mapped_column(String(100))
    case_ref: Mapped[str | None] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_sharing_access_log_holder", "holder_id", "at"),
                      Index("ix_sharing_access_log_accessor", "accessor", "at"))
