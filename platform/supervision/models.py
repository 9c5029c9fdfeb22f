"""Electronic supervision (电子监察): rules, armed timers, alerts and the supervision event log.

A *timer* is the precomputed instant at which one rule fires for one subject (a case, a task of a case,
a special procedure, a petition). The tick only reads armed timers whose instant has passed, through the
partial index of armed timers (``fire_at WHERE state = 'armed'``), so its cost follows the number of due
timers, never the number of open cases.
An *alert* (预警/黄牌/红牌) exists at most once per ``(rule_code, subject_key)``: the unique key is what
keeps two workers ticking at the same moment from raising it twice.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned
from tongban.tenants.models import PathString

SEVERITIES = ("warning", "yellow", "red")
ALERT_STATES = ("pending", "issued", "appealed", "under_supervision", "rectification_submitted", "withdrawn",
                "cancelled", "closed")
ARMED = "state = 'armed'"  # the predicate of the due-timer index; queries repeat it literally to use it
SUPERVISED = "state = 'under_supervision'"
# rollup rows are counters updated in place: room left in each page lets PostgreSQL update them without new
# index entries (HOT), since no indexed column ever changes
ROLLUP_FILLFACTOR = 70
COUNTED_STATES = frozenset({"issued", "appealed", "under_supervision", "rectification_submitted", "closed"})


class SupervisionRule(Base):
    """One version of a rule; the row with ``current`` is in force. Province admins edit, every edit is audited."""

    __tablename__ = "supervision_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(160))
    severity: Mapped[str] = mapped_column(String(10))
    threshold_days: Mapped[int] = mapped_column(Integer, default=0)
    auto_issue: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("code", "version"), Index("ix_supervision_rules_current", "current", "code"))


class SupervisionTimer(TenantOwned, Base):
    """When ``rule_code`` fires for ``subject_key``: armed until the tick claims it, which deletes it (the alert is
    then the record that the rule fired for the subject; arming skips subjects that have one). The table holds
    what is still to come, never history."""

    __tablename__ = "supervision_timers"

    tenant_id: Mapped[str] = mapped_column(String(12))  # no index of its own (see migration 0009)
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    subject_key: Mapped[str] = mapped_column(String(60))  # case:12 | case:12:task:40 | case:12:pause:3 | petition:7
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    task_id: Mapped[int | None] = mapped_column(Integer)
    petition_id: Mapped[int | None] = mapped_column(Integer)
    fire_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(8), default="armed")  # armed (databases before 0009 also kept "fired")

    __table_args__ = (UniqueConstraint("rule_code", "subject_key"),
                      Index("ix_supervision_timers_armed", "fire_at", postgresql_where=text(ARMED),
                            sqlite_where=text(ARMED)))


class Alert(TenantOwned, Base):
    """A warning or card against the responsible tenant, department and person; ``tenant_id`` is responsible."""

    __tablename__ = "supervision_alerts"

    tenant_id: Mapped[str] = mapped_column(String(12))  # no index of its own (see migration 0009)
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(40))
    rule_version: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(10))
    subject_key: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    task_id: Mapped[int | None] = mapped_column(Integer)
    petition_id: Mapped[int | None] = mapped_column(Integer)
    case_number: Mapped[str | None] = mapped_column(String(40))
    item_code: Mapped[str] = mapped_column(String(60), default="")
    channel: Mapped[str] = mapped_column(String(12), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    person: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(16))  # province | city_county | district | township | village
    point: Mapped[str | None] = mapped_column(String(16))  # acceptance | handling | review | decision | conclusion
    supervisor_code: Mapped[str] = mapped_column(String(12))  # the tenant whose supervisors decide it now
    raised_at: Mapped[datetime] = mapped_column()
    fired_for: Mapped[datetime | None] = mapped_column()  # the instant the rule came due
    state: Mapped[str] = mapped_column(String(24))
    correction_due_at: Mapped[datetime | None] = mapped_column()  # 督办 deadline while under supervision
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("rule_code", "subject_key"),
                      Index("ix_supervision_alerts_tenant_state", "tenant_id", "state", "raised_at"),
                      Index("ix_supervision_alerts_supervised_due", "correction_due_at",
                            postgresql_where=text(SUPERVISED), sqlite_where=text(SUPERVISED)))


class SupervisionEvent(TenantOwned, Base):
    """The append-only log of everything done to an alert, a rating or a petition (who, when, what, why)."""

    __tablename__ = "supervision_events"

    tenant_id: Mapped[str] = mapped_column(String(12))  # no index of its own (see migration 0009)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(40))  # alert:5 | rating:3 | petition:9
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    actor_tenant: Mapped[str | None] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_supervision_events_subject", "subject", "id"),)


class SyncCursor(Base):
    """How far the tick has read the case event log (one row); its update serialises concurrent syncs."""

    __tablename__ = "supervision_cursor"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    last_tick_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Petition(TenantOwned, Base):
    """A consultation (咨询) or complaint (投诉) that must be answered by ``due_at``."""

    __tablename__ = "petitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # consultation | complaint
    asker_subject: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(100), default="")
    case_number: Mapped[str | None] = mapped_column(String(40))  # the asker's own case it is about, if any
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    asked_at: Mapped[datetime] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column()
    due_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_petitions_tenant_asked", "tenant_id", "kind", "asked_at"),)


class CaseFact(TenantOwned, Base):
    """What one case currently adds to the statistics rollups (so a change applies only its difference)."""

    __tablename__ = "supervision_case_facts"

    tenant_id: Mapped[str] = mapped_column(String(12))  # read by case, never by tenant alone: no index

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    contributions: Mapped[dict] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)


class _Measures:
    """The counts every rollup keeps (see ``stats.facts`` for what each one means)."""

    received: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    concluded: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    early: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    timed: Mapped[int] = mapped_column(Integer, default=0)  # concluded cases with a legal limit
    used_minutes: Mapped[int] = mapped_column(Integer, default=0)  # working time used by ``timed`` cases
    legal_days: Mapped[int] = mapped_column(Integer, default=0)  # their legal limits, summed
    received_for_others: Mapped[int] = mapped_column(Integer, default=0)  # 全省通办 received here, handled elsewhere
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    yellow_cards: Mapped[int] = mapped_column(Integer, default=0)
    red_cards: Mapped[int] = mapped_column(Integer, default=0)
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    ratings_good: Mapped[int] = mapped_column(Integer, default=0)
    ratings_bad: Mapped[int] = mapped_column(Integer, default=0)
    rating_points: Mapped[int] = mapped_column(Integer, default=0)


class Rollup(_Measures, TenantOwned, Base):
    """Counts per tenant, department, item, channel and month (Beijing time), kept by adding differences.

    ``tenant_path`` (a division's place never changes) lets the row-level security policy test a subtree
    without a look-up per row."""

    __tablename__ = "supervision_rollups"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads the unique key: no index of its own
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_path: Mapped[str] = mapped_column(PathString)
    department: Mapped[str] = mapped_column(String(100), default="")
    item_code: Mapped[str] = mapped_column(String(60), default="")
    channel: Mapped[str] = mapped_column(String(12), default="")
    month: Mapped[str] = mapped_column(String(7))

    __table_args__ = (UniqueConstraint("tenant_id", "department", "item_code", "channel", "month"),
                      Index("ix_supervision_rollups_month", "month", "tenant_id"),
                      {"postgresql_with": {"fillfactor": ROLLUP_FILLFACTOR}})


class TenantRollup(_Measures, TenantOwned, Base):
    """The same counts per tenant and month only: a few thousand rows a year for the whole province, which is
    what dashboards, drill-downs and rankings read."""

    __tablename__ = "supervision_rollups_tenant"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads the unique key: no index of its own
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_path: Mapped[str] = mapped_column(PathString)
    month: Mapped[str] = mapped_column(String(7))
    online_received: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "month"), {"postgresql_with": {"fillfactor": ROLLUP_FILLFACTOR}})


class ScoreModel(Base):
    """The performance scoring model of a period (``*`` = every period without its own), versioned."""

    __tablename__ = "supervision_score_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    changed_by: Mapped[str] = mapped_column(String(120))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("period", "version"),)


MEASURES = ("received", "accepted", "concluded", "on_time", "early", "overdue", "timed", "used_minutes", "legal_days",
            "received_for_others", "warnings", "yellow_cards", "red_cards", "ratings", "ratings_good", "ratings_bad",
            "rating_points")
