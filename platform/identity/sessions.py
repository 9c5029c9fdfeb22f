"""Provider sessions (single sign-on): created after the password, completed after the second factor.

A session in stage ``second_factor`` or ``enrol`` authenticates nothing: it only lets its holder finish
signing in. The acting subject (self or an enterprise the person is an agent of) lives on the session.

Ending a session (sign-out at the provider or from any room, a password reset) revokes the tokens issued
under it and ends the rooms' sessions that came from it (single sign-out, ``rp_store.end_bound_to``); registered
clients outside the database are told by back-channel logout (``backchannel.owe_logouts``).
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tongban.platform.identity import backchannel, rp_store
from tongban.platform.identity.accounts import may_act_for
from tongban.platform.identity.common import IdentityError, audit, digest, utc
from tongban.platform.identity.models import Account, Enterprise, IssuedToken, ProviderSession


class Stage(str, enum.Enum):
    SECOND_FACTOR = "second_factor"
    ENROL = "enrol"
    COMPLETE = "complete"


def start(
    session: Session,
    account: Account,
    *,
    stage: Stage,
    now: datetime,
    ttl: timedelta,
    address: str = "",
    amr: list[str] | None = None,
) -> ProviderSession:
    row = ProviderSession(
        id=secrets.token_urlsafe(32),
        account_id=account.id,
        stage=stage.value,
        auth_time=now,
        amr=amr or ["pwd"],
        created_at=now,
        expires_at=now + ttl,
        client_address=address[:64],
    )
    session.add(row)
    session.flush()
    return row


def load(
    session: Session, session_id: str | None, now: datetime, *, stage: Stage | None = Stage.COMPLETE
) -> ProviderSession | None:
    """The live session with this id (in ``stage``, unless stage is None), or None."""
    if not session_id:
        return None
    row = session.get(ProviderSession, session_id)
    if row is None or row.ended_at is not None or utc(row.expires_at) <= now:
        return None
    if stage is not None and row.stage != stage.value:
        return None
    account = session.get(Account, row.account_id)
    if account is None or account.status != "active":
        return None
    return row


def complete(row: ProviderSession, *, now: datetime, ttl: timedelta, method: str = "otp") -> None:
    row.stage = Stage.COMPLETE.value
    row.amr = sorted({*row.amr, method, "mfa"})
    row.auth_time = now
    row.expires_at = now + ttl


def session_sid(session_id: str) -> str:
    """The ``sid`` claim: derived from the provider session, never the session id itself."""
    return digest("sid:" + session_id)[:32]


def end(session: Session, row: ProviderSession, now: datetime) -> None:
    """Sign out: the session ends, and what came from it ends with it (``_identity_changed``)."""
    row.ended_at = now
    _identity_changed(session, row, now)


def _identity_changed(session: Session, row: ProviderSession, now: datetime) -> None:
    """What was handed out under a provider session no longer holds (signed out, or acting for someone else now):
    the tokens issued under it are revoked, the rooms' sessions that came from it end on every host (single
    sign-out), and each registered client that got tokens under it is owed a Logout Token (back-channel logout,
    sent after commit)."""
    backchannel.owe_logouts(session, [row.id], sid_of=session_sid)
    session.execute(
        update(IssuedToken)
        .where(IssuedToken.session_id == row.id, IssuedToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    rp_store.end_bound_to(session, session_sid(row.id))


def end_all_for(session: Session, account_id: int, now: datetime) -> int:
    rows = list(session.scalars(
        select(ProviderSession).where(
            ProviderSession.account_id == account_id, ProviderSession.ended_at.is_(None)
        )
    ))
    for row in rows:
        end(session, row, now)
    return len(rows)


class NoSuchAccount(IdentityError):
    code = "not_found"

    def __init__(self, username: str) -> None:
        super().__init__(f"找不到账号 {username}", f"No such account {username}")


def revoke_all_of(session: Session, username: str, now: datetime, *, actor: str) -> int:
    """An operator signs someone out everywhere (a lost phone, a shared computer): every session ends."""
    account = session.scalar(select(Account).where(Account.username == username))
    if account is None:
        raise NoSuchAccount(username)
    ended = end_all_for(session, account.id, now)
    audit(session, actor=actor, action="sessions_revoked", target=account.subject, at=now, ended=ended)
    return ended


class ActingRefused(IdentityError):
    code = "acting_refused"

    def __init__(self) -> None:
        super().__init__("您不是该企业的经办人", "You are not an agent of this enterprise")


def act_as(session: Session, row: ProviderSession, enterprise_subject: str | None, *, actor: str,
           now: datetime) -> None:
    """Switch between acting as oneself (None) and acting for an enterprise one is an agent of. What came from this
    session carries the identity it was given: when that changes, the rooms' sessions end (on every host), the tokens
    issued under it are revoked and each client with a back-channel URI is owed a Logout Token — no portal or app
    goes on acting for the enterprise, or as oneself, after the switch. The provider session stays: the next
    sign-in anywhere is immediate and carries the new identity."""
    before = row.acting_enterprise_id
    if enterprise_subject in (None, "", "self"):
        row.acting_enterprise_id = None
        if before is not None:
            _identity_changed(session, row, now)
        return
    enterprise = session.scalar(select(Enterprise).where(Enterprise.subject == enterprise_subject))
    if enterprise is None or not may_act_for(session, row.account_id, enterprise.id):
        raise ActingRefused()
    row.acting_enterprise_id = enterprise.id
    if before != enterprise.id:
        _identity_changed(session, row, now)
    audit(
        session, actor=actor, action="acting_switched", target=enterprise.subject, enterprise=enterprise.uscc
    )
