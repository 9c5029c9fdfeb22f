"""Ratings (好差评) and the rectification each bad rating opens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned

LEVELS = {5: ("非常满意", "very satisfied"), 4: ("满意", "satisfied"), 3: ("基本满意", "fairly satisfied"),
          2: ("不满意", "dissatisfied"), 1: ("非常不满意", "very dissatisfied")}
BAD = frozenset({1, 2})


class Rating(TenantOwned, Base):
    """One rating per case (一事一评) or per window visit (一次一评); ``state`` valid | appealed | excluded."""

    __tablename__ = "service_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    visit_key: Mapped[str | None] = mapped_column(String(80))
    rater: Mapped[str] = mapped_column(String(80))
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    item_code: Mapped[str] = mapped_column(String(60), default="")
    channel: Mapped[str] = mapped_column(String(12), default="")
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="valid")
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    appeal_decision: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("case_id"), UniqueConstraint("tenant_id", "visit_key"),  # a ticket number is the hall's own
                      Index("ix_service_ratings_tenant_rated", "tenant_id", "rated_at"))


class Rectification(TenantOwned, Base):
    """整改 of a bad rating: the department reports, calls the applicant back (回访), the applicant confirms."""

    __tablename__ = "rating_rectifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("service_ratings.id", ondelete="CASCADE"), unique=True)
    department: Mapped[str] = mapped_column(String(100), default="")
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | reported | called | confirmed | void
    report: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    reported_at: Mapped[datetime | None] = mapped_column()
    callback_at: Mapped[datetime | None] = mapped_column()
    callback_by: Mapped[str | None] = mapped_column(String(80))
    callback_note: Mapped[str | None] = mapped_column(Text)
    applicant_satisfied: Mapped[bool | None] = mapped_column()
    confirmed_at: Mapped[datetime | None] = mapped_column()
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012
