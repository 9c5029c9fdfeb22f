"""Removing what the provider can never use again: sign-in sessions (the provider's and the web rooms'),
authorisation codes and token records past expiry.

Each rule is one guarded ``DELETE``: running it twice, or in two workers at once, removes each row once and
nothing that is still alive. A used code stays while any token of its family lives, because presenting it
again must still revoke that family (replay detection); it goes with the family's last token.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from tongban.platform.identity.models import (
    AuthorizationCode,
    IssuedToken,
    ProviderSession,
    RelyingPartySession,
)


@dataclass(frozen=True)
class Purged:
    sessions: int
    rp_sessions: int
    tokens: int
    codes: int


def purge_expired(session: Session, now: datetime) -> Purged:
    """Delete the expired rows; tokens before codes, so a family's code follows its last token."""
    return Purged(
        _count(session, delete(ProviderSession).where(ProviderSession.expires_at <= now)),
        _count(session, delete(RelyingPartySession).where(RelyingPartySession.expires_at <= now)),
        _count(session, delete(IssuedToken).where(_token_dead(now))),
        _count(session, delete(AuthorizationCode).where(
            AuthorizationCode.expires_at <= now,
            ~exists(select(IssuedToken.id).where(IssuedToken.family == AuthorizationCode.code_hash)))),
    )


def _token_dead(now: datetime):
    """Nothing in the record works any more: the access token expired, and the refresh token (if any) too."""
    no_refresh = or_(IssuedToken.refresh_hash.is_(None), IssuedToken.refresh_expires_at.is_(None))
    return and_(IssuedToken.access_expires_at <= now,
                or_(no_refresh, IssuedToken.refresh_expires_at <= now))


def _count(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def huey_purge() -> Purged:
    """The periodic task's body: one transaction on the worker's database."""
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.tenants.isolation import TenantContext

    with worker_database().unit_of_work(TenantContext.system("identity: purge expired")) as session:
        return purge_expired(session, utcnow())
