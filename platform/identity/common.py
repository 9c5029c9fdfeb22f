"""Small pieces every identity module uses: UTC time, token hashing, bilingual errors, audit rows."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tongban.platform.db import as_utc
from tongban.platform.identity.models import AuditEvent

log = logging.getLogger("tongban.identity")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were stored as UTC."""
    return None if value is None else as_utc(value)


def epoch(value: datetime) -> int:
    return int(value.timestamp())


def from_epoch(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def digest(secret: str) -> str:
    """The stored form of a high-entropy secret (codes, refresh tokens): plain SHA-256 is enough."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_subject() -> str:
    return secrets.token_hex(16)


class IdentityError(Exception):
    """A refusal with a stable code and a message in Chinese and English."""

    code = "identity_error"

    def __init__(self, zh: str, en: str, *, code: str | None = None, field: str | None = None) -> None:
        self.zh, self.en, self.field = zh, en, field
        if code:
            self.code = code
        super().__init__(f"{zh} / {en}")


class InvalidInput(IdentityError):
    code = "invalid_input"


class NotFound(IdentityError):
    code = "not_found"


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    tenant_code: str | None = None,
    at: datetime | None = None,
    **detail,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        target=target,
        tenant_code=tenant_code,
        detail=detail,
        at=at or system_clock(),
    )
    session.add(event)
    log.info(
        "identity.%s",
        action,
        extra={
            "fields": {
                "actor": actor,
                "target": target,
                "tenant": tenant_code,
                **{k: v for k, v in detail.items() if k != "secret"},
            }
        },
    )
    return event
