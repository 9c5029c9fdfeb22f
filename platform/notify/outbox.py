"""The transactional outbox: messages are written in the same transaction as the action that causes them,
and sent by huey only after commit — a rolled-back action sends nothing, a crash after commit loses nothing
(the sweeper resends what no relay confirmed)."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import JSON, Index, Integer, String, Text, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantContext, TenantOwned

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8


class OutboxMessage(TenantOwned, Base):
    __tablename__ = "outbox"

    tenant_id: Mapped[str] = mapped_column(String(12))  # read by id or as pending, never by tenant: no index

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(60))
    reference: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)


def add(session: Session, *, tenant_id: str, channel: str, recipient: str, body: str, topic: str,
        subject: str = "", reference: dict | None = None, rows=None) -> OutboxMessage | None:
    """A message to send once the transaction commits. ``rows(table, [row], on_ids=...)``: who writes the row
    instead of the session — the approval engine's case unit, which sends it with its batch and hands the new id
    back for the relay (no message object is returned then)."""
    pending = session.info.setdefault("outbox_pending", [])
    values = {"tenant_id": tenant_id, "channel": channel, "recipient": recipient, "body": body, "topic": topic,
              "subject": subject, "reference": reference or {}}
    if rows is not None:
        now = utcnow()
        rows(OutboxMessage.__table__, [{**values, "created_at": now, "next_attempt_at": now, "attempts": 0,
                                        "claimed_until": None, "sent_at": None, "last_error": None}],
             on_ids=lambda ids: pending.extend(SimpleNamespace(id=i) for i in ids))
        return None
    message = OutboxMessage(**values)
    session.add(message)
    pending.append(message)
    return message


def install_dispatch(factory) -> None:
    """After commit, hand the new messages' ids to huey; after rollback, forget them."""
    event.listen(factory, "after_commit", lambda session: _after_commit(session))  # looked up at call time
    event.listen(factory, "after_rollback", lambda session: session.info.pop("outbox_pending", None))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the outer transaction may still roll back, and holds the database's locks
    pending = session.info.pop("outbox_pending", None)
    if not pending:
        return
    from tongban.platform.notify.handoff import hand_to_relay

    ids = [m.id for m in pending if m.id is not None]
    if ids:
        hand_to_relay(ids)


def relay(database, ids: list[int], channels, *, now: datetime | None = None) -> int:
    """Send the given messages once each: claim them (one statement for all), send each, mark each sent as it goes
    (a crash mid-way resends at most the message in flight, once its claim lapses). Returns how many were sent."""
    sent = 0
    for message in _claim(database, ids, now or utcnow()):
        try:
            channels[message.channel].send(message.recipient, message.subject, message.body)
        except Exception as error:  # the channel failed: try again later, with backoff
            _failed(database, message.id, str(error)[:500])
            continue
        with database.unit_of_work(TenantContext.system("outbox sent")) as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(sent_at=utcnow()))
        sent += 1
    return sent


def _claim(database, ids: list[int], now: datetime) -> list[OutboxMessage]:
    """The given messages still unsent and unclaimed, claimed for ``CLAIM_SECONDS`` (oldest first)."""
    if not ids:
        return []
    with database.unit_of_work(TenantContext.system("outbox claim")) as session:
        claimed = list(session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None),
                   or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage)))
        session.expunge_all()
    return sorted(claimed, key=lambda message: message.id)


def _failed(database, message_id: int, error: str) -> None:
    with database.unit_of_work(TenantContext.system("outbox failed")) as session:
        message = session.get(OutboxMessage, message_id)
        delay = min(2 ** message.attempts * 10, 3600)
        message.last_error, message.claimed_until = error, None
        message.next_attempt_at = utcnow() + timedelta(seconds=delay)


def due_for_sweep(database, *, now: datetime | None = None, older_than: int = 30, limit: int = 500) -> list[int]:
    """Unsent messages no relay confirmed: created over ``older_than`` seconds ago and due for a try."""
    now = now or utcnow()
    with database.unit_of_work(TenantContext.system("outbox sweep")) as session:
        return list(session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
                                           OutboxMessage.next_attempt_at <= now,
                                           OutboxMessage.created_at <= now - timedelta(seconds=older_than),
                                           or_(OutboxMessage.claimed_until.is_(None),
                                               OutboxMessage.claimed_until < now))
            .order_by(OutboxMessage.id).limit(limit)))
