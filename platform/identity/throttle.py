"""Sign-in throttling: temporary lockout after repeated failures, per username and per client address.

Counters are keyed by the *typed* username (hashed), whether or not such an account exists, so a
lockout never tells an attacker that an account is real. The address limit is higher than the
username limit: many window staff share one office address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tongban.platform.identity.common import digest, utc
from tongban.platform.identity.models import LoginThrottle


@dataclass(frozen=True)
class ThrottlePolicy:
    username_failures: int = 5
    address_failures: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


def username_key(username: str) -> str:
    return "u:" + digest(username.strip().lower())[:40]


def address_key(address: str) -> str:
    return "a:" + (address or "unknown")[:60]


def locked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    """The latest lockout still running on any of ``keys``, or None."""
    latest = None
    for key in keys:
        row = session.get(LoginThrottle, key)
        until = utc(row.locked_until) if row else None
        if until and until > now and (latest is None or until > latest):
            latest = until
    return latest


def record_failure(session: Session, key: str, limit: int, policy: ThrottlePolicy, now: datetime) -> bool:
    """Count one failure; True when this failure starts a lockout."""
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
        session.add(row)
    if utc(row.window_started_at) + policy.window <= now or (
        row.locked_until and utc(row.locked_until) <= now
    ):
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit and row.locked_until is None:
        row.locked_until = now + policy.lockout
        session.flush()
        return True
    session.flush()
    return False


def clear(session: Session, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
        session.flush()
