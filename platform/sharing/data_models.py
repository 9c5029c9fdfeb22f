"""Shared base data (共享基础数据), the data dictionary (共享指标项), function groups (职能群) and item chains
(协同串). Provincial tables: every tenant reads them through the sharing services."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow


class EnterpriseRecord(Base):
    __tablename__ = "sharing_enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_representative: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    registered_capital: Mapped[str] = mapped_column(String(30), default="")  # yuan, decimal text
    business_scope: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | cancelled | revoked
    established_on: Mapped[date | None] = mapped_column(Date)
    subject: Mapped[str | None] = mapped_column(String(80), index=True)  # who registered it / acts for it
    source: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonRecord(Base):
    __tablename__ = "sharing_persons"

    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    subject: Mapped[str | None] = mapped_column(String(80), index=True)
    source: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Qualification(Base):
    """资格资质: a person's or an enterprise's professional qualification."""

    __tablename__ = "sharing_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[str] = mapped_column(String(18), index=True)
    category: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(40), default="")
    number: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="valid")
    source: Mapped[str] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("holder_id", "number"),)


class ConstructionProject(Base):
    """工程建设项目 with its national project code."""

    __tablename__ = "sharing_projects"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    investor_id: Mapped[str] = mapped_column(String(18), index=True)
    investor_name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300))
    investment_wan_yuan: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(40))  # 立项 | 供地 | 规划报建 | 施工 | 竣工验收
    source: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DataElement(Base):
    """共享指标项: one shared data element, where its value lives and the form fields that carry it."""

    __tablename__ = "sharing_data_elements"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)  # e.g. enterprise.name
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(120))
    field_names: Mapped[list] = mapped_column(JSON)  # form field names that hold this element


class FunctionGroup(Base):
    """职能群: items that share data elements (and usually follow one another)."""

    __tablename__ = "sharing_function_groups"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(120))
    item_codes: Mapped[list] = mapped_column(JSON, default=list)
    element_codes: Mapped[list] = mapped_column(JSON, default=list)
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemRelation(Base):
    """协同串: ``after_item`` (后置) needs the result of ``before_item`` (前置) — a concluded case of it, or
    a valid license of ``license_type``."""

    __tablename__ = "sharing_item_relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    before_item: Mapped[str] = mapped_column(String(60))
    after_item: Mapped[str] = mapped_column(String(60), index=True)
    requirement: Mapped[str] = mapped_column(String(12))  # case | license
    license_type: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("before_item", "after_item"),
                      Index("ix_sharing_item_relations_before", "before_item"))
