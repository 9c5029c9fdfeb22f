"""Password reset by an emailed link: signed (itsdangerous), expiring and single-use (a database row).

Asking for a link looks the same whether or not the account exists. Using a link sets the password,
ends every session of the account, revokes its tokens and voids its other outstanding links.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tongban.platform.identity import sessions, throttle
from tongban.platform.identity.accounts import normalise_username
from tongban.platform.identity.common import IdentityError, audit, utc
from tongban.platform.identity.config import IdentityConfig
from tongban.platform.identity.mailer import Email
from tongban.platform.identity.models import Account, IssuedToken, PasswordReset
from tongban.platform.identity.passwords import check_policy

SALT = "tongban.identity.password-reset"


class ResetLinkInvalid(IdentityError):
    code = "invalid_reset_link"

    def __init__(self) -> None:
        super().__init__(
            "重置链接无效、已使用或已过期，请重新申请",
            "The reset link is invalid, used or expired; ask again",
        )


def _serializer(config: IdentityConfig) -> URLSafeSerializer:
    return URLSafeSerializer(config.secret_key, salt=SALT)


def request_reset(
    session: Session,
    config: IdentityConfig,
    identifier: str,
    *,
    link_for: Callable[[str], str],
    now: datetime,
    address: str = "",
) -> None:
    """Email a link to each active account whose username or email is ``identifier``; silent otherwise."""
    key = normalise_username(identifier)
    if not key:
        return
    accounts = session.scalars(
        select(Account).where(or_(Account.username == key, Account.email == key), Account.status == "active")
    )
    for account in accounts:
        if account.email:
            row = PasswordReset(
                id=secrets.token_urlsafe(24),
                account_id=account.id,
                created_at=now,
                expires_at=now + config.reset_link_ttl,
            )
            session.add(row)
            config.mailer.send(_reset_email(config, account, link_for(_serializer(config).dumps(row.id))))
            audit(
                session,
                actor=address or "unknown",
                action="password_reset_requested",
                target=account.subject,
                at=now,
            )
    session.flush()


def _reset_email(config: IdentityConfig, account: Account, link: str) -> Email:
    minutes = int(config.reset_link_ttl.total_seconds() // 60)
    body = (
        f"{account.display_name}，您好：\n\n请在 {minutes} 分钟内打开以下链接设置新密码（仅可使用一次）：\n"
        f"{link}\n\n如果不是您本人操作，请忽略本邮件。\n\n"
        f"Open the link above within {minutes} minutes to set a new password (it works once). "
        "If you did not ask for it, ignore this email."
    )
    return Email(to=account.email, subject="重置密码 / Reset your password · 海南政务服务", body=body)


def _live_row(session: Session, config: IdentityConfig, token: str, now: datetime) -> PasswordReset:
    try:
        reset_id = _serializer(config).loads(token)
    except BadSignature:
        raise ResetLinkInvalid() from None
    row = session.get(PasswordReset, reset_id, with_for_update=True)
    if row is None or row.used_at is not None or utc(row.expires_at) <= now:
        raise ResetLinkInvalid()
    return row


def check_link(session: Session, config: IdentityConfig, token: str, now: datetime) -> Account:
    return session.get(Account, _live_row(session, config, token, now).account_id)


def complete_reset(
    session: Session, config: IdentityConfig, token: str, new_password: str, *, now: datetime
) -> Account:
    row = _live_row(session, config, token, now)
    account = session.get(Account, row.account_id)
    check_policy(new_password, username=account.username)
    account.password_hash = config.passwords.hash(new_password)
    account.password_changed_at = now
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.account_id == account.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    sessions.end_all_for(session, account.id, now)
    session.execute(
        update(IssuedToken)
        .where(IssuedToken.account_id == account.id, IssuedToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    throttle.clear(session, throttle.username_key(account.username))
    audit(session, actor=account.subject, action="password_reset", target=account.subject, at=now)
    session.flush()
    return account
