"""TOTP second factor (RFC 6238, pyotp): enrolment with an otpauth URI, verification with a window
of one step either side, and no reuse: each time step's code is accepted once per account."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

from tongban.platform.identity.common import IdentityError
from tongban.platform.identity.models import Account

ISSUER_NAME = "海南政务服务 Tongban"
VALID_WINDOW = 1


class SecondFactorRefused(IdentityError):
    code = "invalid_second_factor"

    def __init__(self) -> None:
        super().__init__("动态验证码不正确或已使用", "The verification code is wrong or was already used")


def is_enrolled(account: Account) -> bool:
    return account.totp_secret is not None and account.totp_enabled_at is not None


def begin_enrolment(account: Account) -> str:
    """Give the account a fresh, not yet enabled secret; return the otpauth:// URI for an authenticator."""
    if is_enrolled(account):
        raise IdentityError(
            "已启用动态验证码", "A second factor is already enrolled", code="already_enrolled"
        )
    account.totp_secret = pyotp.random_base32()
    account.totp_last_step = None
    return provisioning_uri(account)


def provisioning_uri(account: Account) -> str:
    return pyotp.TOTP(account.totp_secret).provisioning_uri(name=account.username, issuer_name=ISSUER_NAME)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(account: Account, code: str, now: datetime) -> None:
    """Accept a current code once; raise SecondFactorRefused otherwise."""
    if account.totp_secret is None:
        raise SecondFactorRefused()
    step = _matching_step(account.totp_secret, code, now)
    if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
        raise SecondFactorRefused()
    account.totp_last_step = step


def confirm_enrolment(account: Account, code: str, now: datetime) -> None:
    """The first code from the authenticator app proves the secret was stored; then it is enabled."""
    verify(account, code, now)
    account.totp_enabled_at = now


def reset(account: Account) -> None:
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
