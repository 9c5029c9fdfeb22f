"""Relying-party sessions of the first-party web rooms: claims in clear, tokens sealed (Fernet, keyed from the
platform secret), the row found by the hash of the cookie's id.

Private claims (the resident ID) are sealed with the tokens, never stored in clear: a leaked copy of the
sessions table does not list who is signed in by ID number.

Each row keeps the ``sid`` of the provider session it came from. The relying parties share the provider's
database, so single sign-out is back-channel logout done in place: when the provider session ends,
``end_bound_to`` deletes every room's session bound to it, on every host, in the same transaction
(``sessions.end``). A room's per-request check stays the one primary-key read of ``load``.
"""

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

PRIVATE_CLAIMS = ("resident_id",)


@dataclass(frozen=True)
class TokenSet:
    id_token: str
    access_token: str
    refresh_token: str | None
    access_expires_at: datetime


def _fernet(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"rp-tokens:{secret_key}".encode()).digest()))


def seal(secret_key: str, tokens: TokenSet, private: dict | None = None) -> str:
    data = {"id": tokens.id_token, "access": tokens.access_token, "refresh": tokens.refresh_token,
            "private": private or {}}
    return _fernet(secret_key).encrypt(json.dumps(data).encode()).decode()


def split_claims(claims: dict) -> tuple[dict, dict]:
    """(claims kept in clear, private claims to seal)."""
    return ({k: v for k, v in claims.items() if k not in PRIVATE_CLAIMS},
            {k: v for k, v in claims.items() if k in PRIVATE_CLAIMS})


def private_claims(secret_key: str, sealed: str) -> dict:
    try:
        return dict(json.loads(_fernet(secret_key).decrypt(sealed.encode())).get("private") or {})
    except InvalidToken:
        return {}


def claims_of(secret_key: str, row: RelyingPartySession) -> dict:
    """Every claim of the session: those in clear and the sealed private ones."""
    return {**row.claims, **private_claims(secret_key, row.sealed_tokens)}


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
    clear, private = split_claims(claims)
    session.add(
        RelyingPartySession(
            id_hash=digest(session_id),
            client_id=client_id,
            subject=claims["sub"],
            provider_sid=claims.get("sid"),
            claims=clear,
            sealed_tokens=seal(secret_key, tokens, private),
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
    private = private_claims(secret_key, row.sealed_tokens)
    if claims:
        row.claims, private = split_claims(claims)
    row.sealed_tokens = seal(secret_key, tokens, private)
    row.access_expires_at = tokens.access_expires_at


def remove(session, session_id: str | None) -> None:
    if session_id:
        session.execute(delete(RelyingPartySession).where(RelyingPartySession.id_hash == digest(session_id)))


def end_bound_to(session, provider_sid: str) -> None:
    """Single sign-out: the sessions of every room and host that came from this provider session end."""
    session.execute(delete(RelyingPartySession).where(RelyingPartySession.provider_sid == provider_sid))
