"""Paying the Logout Tokens owed (``backchannel.owe_logouts``): handed to huey after the sign-out commits,
each delivery claimed once, POSTed as ``application/x-www-form-urlencoded`` ``logout_token=...``, and retried
with backoff (10 s, 20 s, 40 s … an hour) by the sweeper until the client answers 200 (or 204, which some
frameworks send for an empty 200), at most ``MAX_ATTEMPTS`` times. A rolled-back sign-out hands over nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.identity.backchannel import PENDING_KEY, logout_token
from tongban.platform.identity.models import LogoutDelivery
from tongban.tenants.isolation import TenantContext

log = logging.getLogger("tongban.identity.backchannel")

MAX_ATTEMPTS = 8
CLAIM = timedelta(seconds=60)
TIMEOUT_SECONDS = 5
ACCEPTED = (200, 204)
RETENTION = timedelta(days=30)

Post = Callable[[str, str], int]  # (uri, logout token) -> HTTP status


def install_dispatch(factory) -> None:
    """After commit, hand the new deliveries' ids to huey; after rollback, forget them."""
    event.listen(factory, "after_commit", lambda session: _after_commit(session))
    event.listen(factory, "after_rollback", lambda session: session.info.pop(PENDING_KEY, None))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the outer transaction may still roll back
    pending = session.info.pop(PENDING_KEY, None)
    ids = [d.id for d in pending or () if d.id is not None]
    if ids:
        from tongban.platform.tasks import deliver_logout_tokens

        deliver_logout_tokens(ids)


def deliver(database, ids: list[int], *, now: datetime | None = None, post: Post | None = None) -> int:
    """Send the given deliveries once each; returns how many the clients accepted.

    ``now`` schedules (the claim, the next attempt); each token is stamped with the time it is really sent."""
    post = post or post_form
    accepted = 0
    for delivery_id in ids:
        at = now or utcnow()
        claimed = _claim(database, delivery_id, at)
        if claimed is None:
            continue
        uri, token = claimed
        try:
            status = post(uri, token)
            error = None if status in ACCEPTED else f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - any failure to deliver is retried later
            error = f"{type(exc).__name__}: {exc}"[:500]
        _finish(database, delivery_id, at, error)
        accepted += error is None
    return accepted


def post_form(uri: str, token: str) -> int:
    from tongban.platform.notify import outbound

    body = urlencode({"logout_token": token}).encode()  # production: never into the deployment's own network
    return outbound.post(uri, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"},
                         timeout=TIMEOUT_SECONDS)


def configured_issuer() -> str | None:
    return os.environ.get("TONGBAN_IDENTITY_ISSUER", "").rstrip("/") or None


def _claim(database, delivery_id: int, now: datetime) -> tuple[str, str] | None:
    """(URI, freshly signed token) if this worker claimed the delivery, else None."""
    with database.unit_of_work(TenantContext.none()) as session:
        claimed = session.execute(
            update(LogoutDelivery)
            .where(LogoutDelivery.id == delivery_id, LogoutDelivery.sent_at.is_(None),
                   LogoutDelivery.attempts < MAX_ATTEMPTS,
                   or_(LogoutDelivery.claimed_until.is_(None), LogoutDelivery.claimed_until < now))
            .values(claimed_until=now + CLAIM, attempts=LogoutDelivery.attempts + 1)
        ).rowcount
        if not claimed:
            return None
        delivery = session.get(LogoutDelivery, delivery_id)
        issuer = delivery.issuer or configured_issuer()
        if issuer is None:  # tokens issued before the issuer was recorded, and none configured: give up
            delivery.attempts, delivery.last_error = MAX_ATTEMPTS, "no issuer known"
            log.warning("logout token not sent", extra={"fields": {"client_id": delivery.client_id}})
            return None
        return delivery.uri, logout_token(session, delivery, utcnow(), issuer=issuer)


def _finish(database, delivery_id: int, now: datetime, error: str | None) -> None:
    with database.unit_of_work(TenantContext.none()) as session:
        delivery = session.get(LogoutDelivery, delivery_id)
        delivery.claimed_until = None
        if error is None:
            delivery.sent_at, delivery.last_error = now, None
            return
        delivery.last_error, delivery.next_attempt_at = error, now + backoff(delivery.attempts)
        log.warning("logout token refused", extra={"fields": {"client_id": delivery.client_id, "error": error,
                                                              "attempts": delivery.attempts}})


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


def due_for_sweep(database, *, now: datetime | None = None, older_than: int = 30, limit: int = 500) -> list[int]:
    """Unsent deliveries no relay confirmed: created over ``older_than`` seconds ago and due for a try."""
    now = now or utcnow()
    with database.unit_of_work(TenantContext.none()) as session:
        return list(session.scalars(
            select(LogoutDelivery.id).where(
                LogoutDelivery.sent_at.is_(None), LogoutDelivery.attempts < MAX_ATTEMPTS,
                LogoutDelivery.next_attempt_at <= now,
                LogoutDelivery.created_at <= now - timedelta(seconds=older_than),
                or_(LogoutDelivery.claimed_until.is_(None), LogoutDelivery.claimed_until < now))
            .order_by(LogoutDelivery.id).limit(limit)))


def purge_spent(session: Session, now: datetime, *, keep: timedelta = RETENTION) -> int:
    """Deliveries accepted, or given up, over ``keep`` ago go; one still owed never does."""
    spent = delete(LogoutDelivery).where(
        LogoutDelivery.created_at < now - keep,
        or_(LogoutDelivery.sent_at.is_not(None), LogoutDelivery.attempts >= MAX_ATTEMPTS))
    return session.execute(spent.execution_options(synchronize_session=False)).rowcount or 0


def huey_sweep() -> int:
    """The periodic task's body: send what is due again (a failed client, or a hand-off lost in a crash)."""
    from tongban.platform.jobs import worker_database

    database = worker_database()
    return deliver(database, due_for_sweep(database))
