"""The portal's tables: tenant themes, drafts of applications, appointment slots and bookings, query attempts.

A tenant theme is configuration its subtree inherits (a township looks like its county unless it sets its
own), so it is a ``TenantInherited`` row: visible to the tenant and everything below it, written only by
the tenant itself (row-level security on PostgreSQL, the ORM flush check on both databases). Its published
logo is inherited the same way; a logo change waiting in its theme draft is ``TenantOwned``: no one below sees it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantInherited, TenantOwned

DRAFT, PUBLISHED = "draft", "published"


class PortalTheme(TenantInherited, Base):
    """A tenant's theme: design tokens and template overrides by name; one draft and one published row."""

    __tablename__ = "portal_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(12))  # draft | published
    tokens: Mapped[dict] = mapped_column(JSON, default=dict)
    templates: Mapped[dict] = mapped_column(JSON, default=dict)  # template name → source
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("tenant_id", "status"),)


class PortalLogo(TenantInherited, Base):
    """A tenant's logo: checked and re-encoded PNG bytes (kept in the database, as workers share no disk),
    served at a URL named by ``sha256``; one row per tenant, inherited by its subtree like the theme."""

    __tablename__ = "portal_logos"

    id: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class PortalLogoDraft(TenantOwned, Base):
    """The logo change waiting in a tenant's theme draft: a checked PNG to show once the theme is published, or
    (``sha256`` empty) the removal of the tenant's own logo. ``TenantOwned``, unlike the published logo: no tenant
    below sees it, not even with raw SQL."""

    __tablename__ = "portal_logo_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    sha256: Mapped[str | None] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id"),)

    @property
    def removes(self) -> bool:
        return self.sha256 is None


class ThemeFailure(TenantOwned, Base):
    """A tenant template that failed while rendering a page (the page fell back to the parent's)."""

    __tablename__ = "portal_theme_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_name: Mapped[str] = mapped_column(String(120))
    revision: Mapped[int] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    page_tenant: Mapped[str] = mapped_column(String(12))
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "template_name", "revision"),)


class ApplicationDraft(TenantOwned, Base):
    """An application saved on the server, resumable on any device by the same applicant."""

    __tablename__ = "portal_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_subject: Mapped[str] = mapped_column(String(80))
    item_code: Mapped[str] = mapped_column(String(60))
    form_data: Mapped[dict] = mapped_column(JSON, default=dict)
    files: Mapped[dict] = mapped_column(JSON, default=dict)  # material id / file field → upload tokens
    licenses: Mapped[dict] = mapped_column(JSON, default=dict)  # material id → e-license number
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "applicant_subject", "item_code"),)


class AppointmentWindow(TenantOwned, Base):
    """A window that takes appointments, as the tenant's administrator set it up: which items it serves (none
    listed: every item), its daily time slots, the places in each and how many working days ahead it opens."""

    __tablename__ = "portal_appointment_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(200), default="")
    items: Mapped[list] = mapped_column(JSON, default=list)  # item codes; empty: every item of the tenant
    times: Mapped[list] = mapped_column(JSON, default=list)  # [["09:00", "10:00"], …], Beijing time
    capacity: Mapped[int] = mapped_column(Integer)
    horizon_days: Mapped[int] = mapped_column(Integer)  # working days ahead that can be booked
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class AppointmentSlot(TenantOwned, Base):
    """A window's time slot on one day with its capacity; ``booked`` only moves by a guarded update."""

    __tablename__ = "portal_appointment_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    window: Mapped[str] = mapped_column("window_name", String(100))
    day: Mapped[date] = mapped_column(Date)
    start: Mapped[str] = mapped_column("start_time", String(5))  # "09:00", Beijing time
    end: Mapped[str] = mapped_column("end_time", String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("tenant_id", "window_name", "day", "start_time"),
                      Index("ix_portal_appointment_slots_day", "tenant_id", "day"))


class AppointmentClosure(TenantOwned, Base):
    """A day the hall (or one window) takes no appointments — a typhoon, a power cut, a training day: no slot of it
    is offered, and the bookings it held are cancelled with a text saying why."""

    __tablename__ = "portal_appointment_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    window: Mapped[str] = mapped_column("window_name", String(50), default="")  # "": every window of the tenant
    reason: Mapped[str] = mapped_column(String(100))
    closed_by: Mapped[str] = mapped_column(String(80))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "day", "window_name"),)


ACTIVE_BOOKING = text("status = 'booked'")


class Appointment(TenantOwned, Base):
    """A booking: booked → cancelled (by the applicant, before it starts) | attended | no_show (by the window, on
    or after its day). A cancelled or past booking stays on file; one person holds one active booking per slot."""

    __tablename__ = "portal_appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("portal_appointment_slots.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    applicant_subject: Mapped[str] = mapped_column(String(80), index=True)
    applicant_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    item_code: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12), default="booked")  # booked | cancelled | attended | no_show
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]  # cancelled, checked in or marked absent
    handled_by: Mapped[str | None] = mapped_column(String(80))
    reminded_at: Mapped[datetime | None]  # texted the day before (once)

    __table_args__ = (Index("uq_portal_appointments_active", "slot_id", "applicant_subject", unique=True,
                            sqlite_where=ACTIVE_BOOKING, postgresql_where=ACTIVE_BOOKING),)


class QueryAttempts(Base):
    """Wrong query codes in the current window, per key of ``portal.throttle`` (and the license lookups' own keys;
    not tenant data)."""

    __tablename__ = "portal_query_attempts"

    # "case-ip:<sha256 of number and address>" | "ip:<address>" | "case:<number>" | "verify…:<address>"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)
    failures: Mapped[int] = mapped_column(Integer, default=0)
