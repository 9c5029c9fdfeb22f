"""Explicit, audited reads over a subtree by province- or city-level roles."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantContext, TenantOwned


class SubtreeAccess(TenantOwned, Base):
    """Who opened a subtree scope, over which tenant, and why; owned by the acting tenant."""

    __tablename__ = "subtree_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(120))
    subtree_code: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def open_subtree(database, tenant, *, actor: str, reason: str):
    """A unit of work over ``tenant`` and its subtree, after recording who asked and why.

    The record is written in its own transaction first, so a refused or failed read is still on file.
    """
    if not reason.strip():
        raise ValueError("跨租户查询必须说明理由 / a subtree read needs a reason")
    with database.unit_of_work(TenantContext.of(tenant)) as session:
        session.add(SubtreeAccess(tenant_id=tenant.code, actor=actor, subtree_code=tenant.code, reason=reason))
    return database.unit_of_work(TenantContext.subtree_of(tenant, reason=reason))


def access_log(session: Session) -> list[SubtreeAccess]:
    from sqlalchemy import select

    return list(session.scalars(select(SubtreeAccess).order_by(SubtreeAccess.id)))
