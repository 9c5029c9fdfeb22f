"""The tenant tree: province > city/county > district > township > village, keyed by division code."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tongban.platform.db import Base, utcnow

# Paths compare byte-wise on both databases: "C" collation on PostgreSQL so that range scans over a
# materialised path prefix use the plain b-tree index.
PathString = String(200).with_variant(String(200, collation="C"), "postgresql")


class Level(str, enum.Enum):
    PROVINCE = "province"
    CITY_COUNTY = "city_county"
    DISTRICT = "district"
    TOWNSHIP = "township"
    VILLAGE = "village"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def label_zh(self) -> str:
        return {"province": "省", "city_county": "市县", "district": "区", "township": "乡镇街道",
                "village": "村社区"}[self.value]


class TenantStatus(str, enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Tenant(Base):
    __tablename__ = "tenants"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("tenants.code"), index=True)
    path: Mapped[str] = mapped_column(PathString, unique=True)
    depth: Mapped[int] = mapped_column(Integer)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=TenantStatus.ACTIVE.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    hosts: Mapped[list[TenantHost]] = relationship(back_populates="tenant", cascade="all, delete-orphan")

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent, read off the materialised path."""
        return [c for c in self.path.strip("/").split("/")][:-1]


class TenantHost(Base):
    """An extra host name that serves a tenant (e.g. a county's own domain)."""

    __tablename__ = "tenant_hosts"

    host: Mapped[str] = mapped_column(String(253), primary_key=True)
    tenant_code: Mapped[str] = mapped_column(ForeignKey("tenants.code", ondelete="CASCADE"), index=True)

    tenant: Mapped[Tenant] = relationship(back_populates="hosts")


class DirectoryVersion(Base):
    """One row bumped on every change to the tree, so each worker knows when to reload its cache."""

    __tablename__ = "tenant_directory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


Index("ix_tenants_level", Tenant.level)
