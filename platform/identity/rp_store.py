"""Relying-party sessions of the first-party web rooms: claims in clear, tokens sealed (Fernet, keyed from the
platform secret), the row found by the hash of the cookie's id."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete

from tongban.platform.identity.common import digest, utc
from tongban.platform.identity.models import RelyingPartySession


@dataclass(frozen=True)
class TokenSet:
    id_token: str
    access_token: str
    refresh_token: str | None
    access_expires_at: datetime


def _fernet(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"rp-tokens:{secret_key}".encode()).digest()))


def seal(secret_key: str, tokens: TokenSet) -> str:
    data = {"id": tokens.id_token, "access": tokens.access_token, "refresh": tokens.refresh_token}
    return _fernet(secret_key).encrypt(json.dumps(data).encode()).decode()


def unseal(secret_key: str, sealed: str, expires: datetime) -> TokenSet | None:
    try:
        data = json.loads(_fernet(secret_key).decrypt(sealed.encode()))
    except InvalidToken:
        return None
    return TokenSet(data["id"], data["access"], data.get("refresh"), expires)


def create(
    session, *, secret_key: str, client_id: str, claims: dict, tokens: TokenSet, now: datetime, ttl: timedelta
) -> str:
    """Store a new RP session; returns the id to put (signed) in the cookie."""
    session_id = secrets.token_urlsafe(32)
    session.add(
        RelyingPartySession(
            id_hash=digest(session_id),
            client_id=client_id,
            subject=claims["sub"],
            claims=claims,
            sealed_tokens=seal(secret_key, tokens),
            access_expires_at=tokens.access_expires_at,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    session.flush()
    return session_id


def load(session, session_id: str | None, client_id: str, now: datetime) -> RelyingPartySession | None:
    if not session_id:
        return None
    row = session.get(RelyingPartySession, digest(session_id))
    if row is None or row.client_id != client_id or utc(row.expires_at) <= now:
        return None
    return row


def replace_tokens(
    row: RelyingPartySession, *, secret_key: str, tokens: TokenSet, claims: dict | None
) -> None:
    row.sealed_tokens = seal(secret_key, tokens)
    row.access_expires_at = tokens.access_expires_at
    if claims:
        row.claims = claims


def remove(session, session_id: str | None) -> None:
    if session_id:
        session.execute(delete(RelyingPartySession).where(RelyingPartySession.id_hash == digest(session_id)))
