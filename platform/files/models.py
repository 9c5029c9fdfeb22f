"""Uploads: one row per stored file, owned by the tenant whose portal received it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned


class Upload(TenantOwned, Base):
    __tablename__ = "portal_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)  # the public, unguessable id
    owner_subject: Mapped[str] = mapped_column(String(80))
    item_code: Mapped[str] = mapped_column(String(60))
    purpose: Mapped[str] = mapped_column(String(80))  # a material id or a form file field
    original_name: Mapped[str] = mapped_column(String(160))
    stored_name: Mapped[str] = mapped_column(String(80))  # random, relative to the uploads directory
    kind: Mapped[str] = mapped_column(String(12))  # the sniffed type
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_portal_uploads_owner", "tenant_id", "owner_subject", "item_code"),)

    def descriptor(self) -> dict:
        """The form engine's and the approval engine's file reference."""
        return {"id": self.token, "name": self.original_name, "size": self.size, "content_type": self.content_type}
