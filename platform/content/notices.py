"""Notices (通知公告) a tenant publishes on its portal: the first tenant-owned table."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned


class Notice(TenantOwned, Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_notices_tenant_published", "tenant_id", "published_at"),)


class NoticeInvalid(ValueError):
    def __init__(self, field: str, zh: str, en: str):
        self.field, self.zh, self.en = field, zh, en
        super().__init__(f"{field}: {zh} / {en}")


def publish_notice(session: Session, *, title: str, body: str = "") -> Notice:
    """Publish in the unit of work's tenant (the isolation hook fills tenant_id)."""
    title = (title or "").strip()
    if not title:
        raise NoticeInvalid("title", "请填写公告标题", "A notice needs a title")
    if len(title) > 200:
        raise NoticeInvalid("title", "公告标题不能超过 200 个字", "A notice title has at most 200 characters")
    notice = Notice(title=title, body=body)
    session.add(notice)
    session.flush()
    return notice


def latest_notices(session: Session, limit: int = 10) -> list[Notice]:
    return list(session.scalars(select(Notice).order_by(Notice.published_at.desc(), Notice.id.desc()).limit(limit)))
