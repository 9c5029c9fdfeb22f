"""Registered vertical systems, their cases' external ids, received messages and webhook deliveries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned


class VerticalClient(Base):
    """A department system allowed to report cases for ``tenant_code`` and its subtree."""

    __tablename__ = "vertical_clients"

    client_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tenant_code: Mapped[str] = mapped_column(String(12))
    department: Mapped[str] = mapped_column(String(100))
    webhook_url: Mapped[str | None] = mapped_column(String(300))
    webhook_secret: Mapped[str | None] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VerticalLink(TenantOwned, Base):
    """The platform case that mirrors a vertical system's case ``external_id``."""

    __tablename__ = "vertical_case_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(60))
    external_id: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(100), default="")
    license_required: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("client_id", "external_id"),)


class VerticalMessage(Base):
    """A message already applied: the same idempotency key again changes nothing and gets the same answer."""

    __tablename__ = "vertical_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(60))
    idempotency_key: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("client_id", "idempotency_key"),)


class WebhookDelivery(TenantOwned, Base):
    """An alert to push to a vertical system: written with the alert, sent after commit, retried with backoff."""

    __tablename__ = "vertical_webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(60))
    alert_id: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_vertical_webhook_deliveries_pending", "delivered_at", "next_attempt_at"),)
