"""Checking a password and a second factor, with throttling, without revealing whether an account exists.

Both functions return their refusal instead of raising it, so that the caller's unit of work commits
the failure counters before the refusal is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tongban.platform.identity import throttle, totp
from tongban.platform.identity.accounts import by_username, normalise_username
from tongban.platform.identity.common import IdentityError, audit
from tongban.platform.identity.config import IdentityConfig
from tongban.platform.identity.models import Account, ProviderSession


class SignInRefused(IdentityError):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("用户名或密码错误", "Wrong username or password")


class SignInLocked(IdentityError):
    code = "temporarily_locked"

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            f"尝试次数过多，请 {minutes} 分钟后再试", f"Too many attempts; try again in {minutes} minutes"
        )


@dataclass(frozen=True)
class Attempt:
    account: Account | None = None
    refusal: IdentityError | None = None


def _locked(session: Session, keys: list[str], now: datetime) -> SignInLocked | None:
    until = throttle.locked_until(session, keys, now)
    if until is None:
        return None
    return SignInLocked(max(1, int((until - now).total_seconds() + 59) // 60))


def check_password(
    session: Session, config: IdentityConfig, *, username: str, password: str, address: str, now: datetime
) -> Attempt:
    username = normalise_username(username)
    keys = [throttle.username_key(username), throttle.address_key(address)]
    account = by_username(session, username) if username else None
    locked = _locked(session, keys, now)
    if locked is not None:
        config.passwords.burn(password)
        audit(
            session,
            actor=address or "unknown",
            action="sign_in_while_locked",
            at=now,
            target=account.subject if account else "",
        )
        return Attempt(refusal=locked)
    if account is not None and account.status == "active":
        ok = config.passwords.verify(account.password_hash, password)
    else:
        config.passwords.burn(password)
        ok = False
    if not ok:
        return Attempt(refusal=_count_failure(session, config, keys, account, address, now))
    throttle.clear(session, keys[0])
    if config.passwords.needs_rehash(account.password_hash):
        account.password_hash = config.passwords.hash(password)
    audit(session, actor=account.subject, action="signed_in", target=account.subject, at=now, address=address)
    return Attempt(account=account)


def _count_failure(
    session: Session,
    config: IdentityConfig,
    keys: list[str],
    account: Account | None,
    address: str,
    now: datetime,
) -> IdentityError:
    policy = config.throttle
    locked_user = throttle.record_failure(session, keys[0], policy.username_failures, policy, now)
    locked_address = throttle.record_failure(session, keys[1], policy.address_failures, policy, now)
    audit(
        session,
        actor=address or "unknown",
        action="sign_in_failed",
        at=now,
        target=account.subject if account else "",
        username_key=keys[0],
    )
    if locked_user or locked_address:
        audit(
            session,
            actor="system",
            action="sign_in_locked",
            at=now,
            target=account.subject if account else "",
            username_key=keys[0] if locked_user else "",
            address=address if locked_address else "",
        )
        return _locked(session, keys, now) or SignInRefused()
    return SignInRefused()


def check_second_factor(
    session: Session,
    config: IdentityConfig,
    row: ProviderSession,
    account: Account,
    *,
    code: str,
    address: str,
    now: datetime,
    enrolling: bool = False,
) -> IdentityError | None:
    """Verify a TOTP code for a half-signed-in session; failures count like wrong passwords."""
    keys = [throttle.username_key(account.username), throttle.address_key(address)]
    locked = _locked(session, keys, now)
    if locked is not None:
        return locked
    try:
        if enrolling:
            totp.confirm_enrolment(account, code, now)
            audit(session, actor=account.subject, action="totp_enrolled", target=account.subject, at=now)
        else:
            totp.verify(account, code, now)
    except totp.SecondFactorRefused as refusal:
        error = _count_failure(session, config, keys, account, address, now)
        return error if isinstance(error, SignInLocked) else refusal
    throttle.clear(session, keys[0])
    return None
