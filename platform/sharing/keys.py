"""Issuer keys: one active Ed25519 key per issuing tenant, rotated on demand; old public keys keep verifying.

Private keys are sealed (Fernet, key derived from the platform secret) in the database and only ever
opened inside :func:`sign`; nothing outside this module sees them.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tongban.platform.db import utcnow
from tongban.platform.sharing.models import SigningKey

_PUBLIC_CACHE: dict[str, Ed25519PublicKey] = {}


def _fernet(secret_key: str) -> Fernet:
    derived = hashlib.sha256(f"tongban.sharing.signing-keys\x00{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def active_key(session: Session, tenant_code: str) -> SigningKey | None:
    return session.scalar(select(SigningKey).where(SigningKey.tenant_code == tenant_code, SigningKey.active))


def create_key(session: Session, tenant_code: str, secret_key: str, now: datetime | None = None) -> SigningKey:
    """A new active key for ``tenant_code``; the previous one is retired (and still verifies)."""
    now = now or utcnow()
    session.execute(update(SigningKey).where(SigningKey.tenant_code == tenant_code, SigningKey.active)
                    .values(active=False, retired_at=now))
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = SigningKey(kid=f"{tenant_code}-{now:%Y%m%d}-{secrets.token_hex(4)}", tenant_code=tenant_code,
                     public_key=base64.b64encode(raw_public).decode(),
                     sealed_private=_fernet(secret_key).encrypt(raw_private).decode(), active=True, created_at=now)
    session.add(key)
    session.flush()
    return key


rotate = create_key


def sign(session: Session, tenant_code: str, secret_key: str, message: bytes) -> tuple[str, str]:
    """(key id, base64 signature) of ``message`` by the tenant's active key (made on first use)."""
    key = active_key(session, tenant_code) or create_key(session, tenant_code, secret_key)
    private = Ed25519PrivateKey.from_private_bytes(_fernet(secret_key).decrypt(key.sealed_private.encode()))
    return key.kid, base64.b64encode(private.sign(message)).decode()


def public_key(session: Session, kid: str) -> Ed25519PublicKey | None:
    cached = _PUBLIC_CACHE.get(kid)
    if cached is None:
        encoded = session.scalar(select(SigningKey.public_key).where(SigningKey.kid == kid))
        if encoded is None:
            return None
        cached = _PUBLIC_CACHE[kid] = Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded))
    return cached


def verify(session: Session, kid: str, signature: str, message: bytes) -> bool:
    key = public_key(session, kid)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(signature), message)
        return True
    except (InvalidSignature, ValueError):
        return False


def keys_of(session: Session, tenant_code: str) -> list[SigningKey]:
    return list(session.scalars(select(SigningKey).where(SigningKey.tenant_code == tenant_code)
                                .order_by(SigningKey.id)))
