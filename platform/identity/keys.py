"""Signing keys: one active RS256 key with a ``kid`` signs; retired keys stay in the JWKS until every token
they signed has expired. ``tongban identity rotate-keys`` (or :func:`rotate`) makes a new active key.

Each worker caches the published keys briefly and reloads at once when it meets an unknown ``kid``
(another worker rotated), at most every few seconds, so a forged ``kid`` cannot flood the database.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from joserfc.jwk import RSAKey
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.identity.common import audit, utc
from tongban.platform.identity.models import SigningKey

ALG = "RS256"


def _new_key(now: datetime) -> SigningKey:
    kid = now.strftime("%Y%m%d") + "-" + secrets.token_hex(6)
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": ALG}, private=True)
    public = {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": ALG}
    return SigningKey(
        kid=kid,
        alg=ALG,
        private_jwk={**key.as_dict(private=True), "kid": kid},
        public_jwk=public,
        status="active",
        created_at=now,
    )


def active_key(session: Session, now: datetime) -> SigningKey:
    """The signing key, created on first use."""
    key = session.scalar(
        select(SigningKey)
        .where(SigningKey.status == "active")
        .order_by(SigningKey.created_at.desc())
        .limit(1)
    )
    if key is None:
        key = _new_key(now)
        session.add(key)
        session.flush()
    return key


def rotate(session: Session, now: datetime, *, grace: timedelta, actor: str) -> SigningKey:
    """Retire the active key (published for ``grace`` more) and start signing with a new one."""
    for old in session.scalars(select(SigningKey).where(SigningKey.status == "active")):
        old.status, old.retired_at, old.publish_until = "retired", now, now + grace
    key = _new_key(now)
    session.add(key)
    audit(session, actor=actor, action="signing_key_rotated", target=key.kid, at=now)
    session.flush()
    return key


def published(session: Session, now: datetime) -> list[SigningKey]:
    """Active and still-published retired keys, newest first."""
    stmt = (
        select(SigningKey)
        .where(or_(SigningKey.status == "active", SigningKey.publish_until > now))
        .order_by(SigningKey.created_at.desc())
    )
    return [k for k in session.scalars(stmt) if k.status == "active" or utc(k.publish_until) > now]


def jwks(session: Session, now: datetime) -> dict:
    active_key(session, now)
    return {"keys": [k.public_jwk for k in published(session, now)]}


def private_key(key: SigningKey) -> RSAKey:
    return RSAKey.import_key(key.private_jwk)


@dataclass(frozen=True)
class PublicKey:
    kid: str
    key: RSAKey
    publish_until: datetime | None


class KeyCache:
    """Per-worker cache of the published public keys for verifying tokens."""

    def __init__(self, database, clock, *, ttl: float = 60.0, min_reload: float = 2.0) -> None:
        self._database, self._clock = database, clock
        self._ttl, self._min_reload = ttl, min_reload
        self._keys: dict[str, PublicKey] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, kid: str) -> PublicKey | None:
        age = time.monotonic() - self._loaded_at
        if age >= self._ttl or (kid not in self._keys and age >= self._min_reload):
            self.reload()
        return self._keys.get(kid)

    def reload(self) -> None:
        from tongban.tenants.isolation import TenantContext

        with self._lock:
            with self._database.unit_of_work(TenantContext.none()) as session:
                rows = published(session, self._clock())
                keys = {
                    k.kid: PublicKey(k.kid, RSAKey.import_key(k.public_jwk), utc(k.publish_until))
                    for k in rows
                }
            self._keys, self._loaded_at = keys, time.monotonic()

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")
