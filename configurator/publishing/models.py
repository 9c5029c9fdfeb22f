"""The catalogue's tables: items, their immutable versions, publications and each tenant's one-row relation.

An item belongs to the tenant that authored it (``tenant_id``, usually the province) and is visible to
that tenant's whole subtree. A published version never changes; a tenant's relation to an item is one
row (enabled, pinned version, local overrides) that its own subtree inherits, nearest last.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantInherited

DRAFT, PUBLISHED = "draft", "published"


class Item(TenantInherited, Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    latest_version_no: Mapped[int] = mapped_column(Integer, default=0)
    published_version_no: Mapped[int | None] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ItemVersion(TenantInherited, Base):
    """One version of an item's content. A draft is edited; once published it is immutable."""

    __tablename__ = "item_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    version_no: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default=DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock for draft edits
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(100))
    case_type: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(40))
    levels: Mapped[str] = mapped_column(String(80))
    channels: Mapped[str] = mapped_column(String(60))
    legal_limit_days: Mapped[int | None] = mapped_column(Integer)
    promised_limit_days: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(120))
    published_at: Mapped[datetime | None] = mapped_column()

    __mapper_args__ = {"version_id_col": revision}
    __table_args__ = (UniqueConstraint("item_id", "version_no"),)


class Publication(TenantInherited, Base):
    """Which version is served in a scope: one row per (item, scope); republishing updates it in place."""

    __tablename__ = "item_publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("item_versions.id"))
    scope_code: Mapped[str] = mapped_column(String(12))
    include_subtree: Mapped[bool] = mapped_column(Boolean, default=True)
    seq: Mapped[int] = mapped_column(Integer)  # publish order: the latest covering publication wins
    published_by: Mapped[str] = mapped_column(String(120))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("item_id", "scope_code", "include_subtree"),
                      Index("ix_item_publications_scope", "scope_code", "item_id"))


class TenantItem(TenantInherited, Base):
    """A tenant's relation to an item, inherited by its subtree: enabled, pinned version, local overrides."""

    __tablename__ = "tenant_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    enabled: Mapped[bool | None] = mapped_column(Boolean)
    pinned_version_id: Mapped[int | None] = mapped_column(ForeignKey("item_versions.id"))
    overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": revision}
    __table_args__ = (UniqueConstraint("tenant_id", "item_id"),)


class CatalogueClock(Base):
    """One row: the publication order counter, and a generation bumped by every change to what any tenant
    serves, so each worker's cache of effective catalogues knows when to recompute."""

    __tablename__ = "catalogue_clock"

    id: Mapped[int] = mapped_column(primary_key=True)
    publish_seq: Mapped[int] = mapped_column(Integer, default=0)
    generation: Mapped[int] = mapped_column(Integer, default=0)
