"""Removing what the provider can never use again: sign-in sessions (the provider's and the web rooms'),
authorisation codes and token records past expiry.

Each rule is one guarded ``DELETE``: running it twice, or in two workers at once, removes each row once and
nothing that is still alive. A used code stays while any token of its family lives, because presenting it
again must still revoke that family (replay detection); it goes with the family's last token.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from tongban.platform.identity.backchannel import owe_logouts
from tongban.platform.identity.models import (
    AuthorizationCode,
    IssuedToken,
    ProviderSession,
    RelyingPartySession,
)
from tongban.platform.identity.sessions import session_sid


@dataclass(frozen=True)
class Purged:
    sessions: int
    rp_sessions: int
    tokens: int
    codes: int


def purge_expired(session: Session, now: datetime) -> Purged:
    """Delete the expired rows; tokens before codes, so a family's code follows its last token.

    A provider session that expired without a sign-out ends here: the registered clients that got tokens under
    it are owed a Logout Token first (back-channel logout), while its tokens are still on record."""
    _owe_logouts_for_expired(session, now)
    return Purged(
        _count(session, delete(ProviderSession).where(ProviderSession.expires_at <= now)),
        _count(session, delete(RelyingPartySession).where(RelyingPartySession.expires_at <= now)),
        _count(session, delete(IssuedToken).where(_token_dead(now))),
        _count(session, delete(AuthorizationCode).where(
            AuthorizationCode.expires_at <= now,
            ~exists(select(IssuedToken.id).where(IssuedToken.family == AuthorizationCode.code_hash)))),
    )


def _owe_logouts_for_expired(session: Session, now: datetime) -> None:
    """Mark the expired sessions that issued tokens ended (a guarded UPDATE: two purges at once end each once)
    and owe their clients a Logout Token."""
    ended = session.scalars(
        update(ProviderSession)
        .where(ProviderSession.expires_at <= now, ProviderSession.ended_at.is_(None),
               exists(select(IssuedToken.id).where(IssuedToken.session_id == ProviderSession.id)))
        .values(ended_at=now)
        .returning(ProviderSession.id)
        .execution_options(synchronize_session=False))
    owe_logouts(session, list(ended), sid_of=session_sid)


def _token_dead(now: datetime):
    """Nothing in the record works any more: the access token expired, and the refresh token (if any) too."""
    no_refresh = or_(IssuedToken.refresh_hash.is_(None), IssuedToken.refresh_expires_at.is_(None))
    return and_(IssuedToken.access_expires_at <= now,
                or_(no_refresh, IssuedToken.refresh_expires_at <= now))


def _count(session: Session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def huey_purge() -> Purged:
    """The periodic task's body: one transaction on the worker's database (with the Logout Tokens delivered, or
    given up, over 30 days ago)."""
    from tongban.platform.db import utcnow
    from tongban.platform.identity.logout_delivery import purge_spent
    from tongban.platform.jobs import worker_database
    from tongban.tenants.isolation import TenantContext

    with worker_database().unit_of_work(TenantContext.system("identity: purge expired")) as session:
        purge_spent(session, utcnow())
        return purge_expired(session, utcnow())
