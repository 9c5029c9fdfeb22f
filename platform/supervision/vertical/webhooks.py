"""Pushing alerts back to vertical systems: deliveries written with the alert (outbox pattern), sent after
commit by a worker, signed with HMAC-SHA256 and retried with exponential backoff until they are accepted.

Request: ``POST webhook_url`` with the JSON payload and headers ``X-Tongban-Delivery`` (id, stable across
retries: receivers deduplicate on it), ``X-Tongban-Timestamp`` and ``X-Tongban-Signature:
sha256=<hex HMAC of "timestamp.body" with the client's webhook secret>``. Any 2xx answer counts as delivered.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from tongban.platform.db import utcnow
from tongban.platform.supervision.vertical.models import VerticalClient, WebhookDelivery
from tongban.tenants.isolation import TenantContext

MAX_ATTEMPTS = 10
CLAIM = timedelta(seconds=60)
TIMEOUT_SECONDS = 10


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def deliver_webhooks(database, *, now: datetime | None = None, limit: int = 100, post=None) -> dict:
    """Send the deliveries that are due; returns counts. ``post(url, body, headers) -> status`` for tests."""
    now = now or utcnow()
    post = post or _post
    sent = failed = 0
    for delivery, client in _claim(database, now, limit):
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(now.timestamp()))
        headers = {"Content-Type": "application/json", "X-Tongban-Delivery": str(delivery.id),
                   "X-Tongban-Timestamp": timestamp, "X-Tongban-Signature": sign(client.webhook_secret or "", timestamp, body)}
        try:
            status = post(client.webhook_url, body, headers)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - any failure to deliver is retried later
            error = f"{type(exc).__name__}: {exc}"[:500]
        _finish(database, delivery.id, now, error)
        sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    return {"sent": sent, "failed": failed}


def pending(database) -> list[dict]:
    with database.unit_of_work(TenantContext.system("webhook status")) as session:
        rows = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [{"id": d.id, "alert_id": d.alert_id, "attempts": d.attempts, "delivered_at": d.delivered_at,
                 "next_attempt_at": d.next_attempt_at, "last_error": d.last_error} for d in rows]


def _claim(database, now: datetime, limit: int) -> list[tuple[WebhookDelivery, VerticalClient]]:
    with database.unit_of_work(TenantContext.system("webhook claim")) as session:
        due = list(session.scalars(select(WebhookDelivery.id).where(
            WebhookDelivery.delivered_at.is_(None), WebhookDelivery.attempts < MAX_ATTEMPTS,
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
            .order_by(WebhookDelivery.next_attempt_at).limit(limit)))
        if not due:
            return []
        claimed = list(session.scalars(update(WebhookDelivery).where(
            WebhookDelivery.id.in_(due), WebhookDelivery.delivered_at.is_(None),
            or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
            .values(claimed_until=now + CLAIM, attempts=WebhookDelivery.attempts + 1)
            .returning(WebhookDelivery.id).execution_options(synchronize_session=False)))
        rows = list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(claimed))))
        clients = {c.client_id: c for c in session.scalars(select(VerticalClient).where(
            VerticalClient.client_id.in_({d.client_id for d in rows})))}
        for row in rows:
            session.expunge(row)
        return [(d, clients[d.client_id]) for d in rows if d.client_id in clients]


def _finish(database, delivery_id: int, now: datetime, error: str | None) -> None:
    with database.unit_of_work(TenantContext.system("webhook result")) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        delivery.claimed_until = None
        if error is None:
            delivery.delivered_at, delivery.last_error = now, None
        else:
            delivery.last_error, delivery.next_attempt_at = error, now + backoff(delivery.attempts)


def _post(url: str, body: bytes, headers: dict) -> int:
    from tongban.platform.notify import outbound

    # production: never into the deployment's own network; a 3xx answer is a failed delivery, not a new destination
    return outbound.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)


def huey_deliver() -> dict:
    """Body of a periodic huey task (every minute) that sends due webhook deliveries."""
    from tongban.platform.jobs import worker_database

    return deliver_webhooks(worker_database())
