"""Cases (办件), their tasks, materials, pauses and hash-chained events.

A case is owned by the tenant that handles it (``tenant_id``) and is also visible to the tenant that
received it (``received_tenant_id``, 全省通办). Tasks, materials, pauses and events belong to the handling
tenant. Every row keeps the item version the case started on; running cases never change version.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantOwned, TenantShared


class Case(TenantShared, Base):
    __tablename__ = "cases"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads ix_cases_tenant_state: no index of its own
    received_tenant_id: Mapped[str] = mapped_column(String(12))  # leads ix_cases_received: no index of its own

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(64))
    parent_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    item_id: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(60))
    item_name: Mapped[str] = mapped_column(String(200))
    version_id: Mapped[int] = mapped_column(Integer)
    case_type: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(12))
    applicant_subject: Mapped[str] = mapped_column(String(80), index=True)
    applicant: Mapped[dict] = mapped_column(JSON)  # name, kind, id number (stored whole; masked on display)
    form_data: Mapped[dict] = mapped_column(JSON)
    assignments: Mapped[dict] = mapped_column(JSON, default=dict)  # node id → the tenant's effective assignment
    state: Mapped[str] = mapped_column(String(20))
    result: Mapped[str | None] = mapped_column(String(20))  # approved | rejected | refused | withdrawn
    result_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    concluded_at: Mapped[datetime | None] = mapped_column()
    promised_due_at: Mapped[datetime | None] = mapped_column()
    legal_due_at: Mapped[datetime | None] = mapped_column()
    promised_limit_days: Mapped[int | None] = mapped_column(Integer)
    legal_limit_days: Mapped[int | None] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_count: Mapped[int] = mapped_column(Integer, default=0)  # pauses ever opened: no look-up when 0
    round: Mapped[int] = mapped_column(Integer, default=1)  # moves on every roll-back
    supplement_requests: Mapped[int] = mapped_column(Integer, default=0)
    gaps_at_intake: Mapped[int | None] = mapped_column(Integer)  # materials missing with 容缺 allowed; None: unknown
    fee_due: Mapped[str | None] = mapped_column(String(20))
    fee_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_number: Mapped[str | None] = mapped_column(String(60))
    delivered_at: Mapped[datetime | None] = mapped_column()
    last_event_hash: Mapped[str] = mapped_column(String(64), default="")
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": revision}
    __table_args__ = (Index("ix_cases_tenant_state", "tenant_id", "state"),
                      Index("ix_cases_received", "received_tenant_id", "submitted_at"))


class SubmissionKey(TenantOwned, Base):
    """A one-time submission key (of a rendered form, or an API client's ``idempotencyKey``) and the case its first
    submission created, bound to the applicant: written with the case in its unit of work, unique per handling
    tenant and applicant, so a repeated or concurrent submission with the key finds that case instead."""

    __tablename__ = "submission_keys"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads the unique key: no index of its own

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_subject: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)

    __table_args__ = (UniqueConstraint("tenant_id", "applicant_subject", "key"),)


class Task(TenantOwned, Base):
    """One active (or finished) node of a case's flow, with whom it waits on and when it is due."""

    __tablename__ = "tasks"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads ix_tasks_open_due: no index of its own

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[str] = mapped_column(String(64))
    node_kind: Mapped[str] = mapped_column(String(24))
    point: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer, default=1)
    branch: Mapped[str | None] = mapped_column(String(140))  # "split:head" inside a parallel branch
    reached_join: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="open")  # open | done | cancelled
    role: Mapped[str | None] = mapped_column(String(40))
    department: Mapped[str | None] = mapped_column(String(100))
    assignee: Mapped[str | None] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    limit_days: Mapped[int | None] = mapped_column(Integer)
    due_at: Mapped[datetime | None] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()
    completed_by: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(24))
    revision: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": revision}
    __table_args__ = (Index("ix_tasks_open_due", "tenant_id", "state", "due_at"),)


class CaseMaterial(TenantOwned, Base):
    __tablename__ = "case_materials"

    tenant_id: Mapped[str] = mapped_column(String(12))  # read by case, never by tenant alone: no index

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))  # leads the unique key
    material_id: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # provided | license | missing | rongque | supplied
    files: Mapped[list] = mapped_column(JSON, default=list)
    license_ref: Mapped[str | None] = mapped_column(String(80))
    supply_due_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("case_id", "material_id"),)


class CasePause(TenantOwned, Base):
    """The clock stopped: supplements, report-up, hearing, testing, expert review (by law these do not count)."""

    __tablename__ = "case_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
    approved_days: Mapped[int | None] = mapped_column(Integer)


class CaseEvent(TenantOwned, Base):
    """An append-only audit event; ``hash`` covers the event and the previous event's hash (阳光审批)."""

    __tablename__ = "case_events"

    tenant_id: Mapped[str] = mapped_column(String(12))  # read by case or id, never by tenant alone: no index

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(40))
    actor_tenant: Mapped[str | None] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    node_id: Mapped[str | None] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("case_id", "seq"),)


class CaseCounter(TenantOwned, Base):
    """Per tenant and day: the sequence in readable case numbers (4601-20261126-000123)."""

    __tablename__ = "case_counters"

    tenant_id: Mapped[str] = mapped_column(String(12))  # leads the unique key: no index of its own

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "day"),)
