"""Password hashing (argon2id via argon2-cffi) and the password policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tongban.platform.identity.common import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 128


def fast_hasher() -> PasswordHasher:
    """Cheap parameters for tests and demos run in CI; never for production accounts."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Passwords:
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    _dummy: str | None = None

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def burn(self, password: str) -> None:
        """Spend the same time as a real check when there is no account to check against."""
        if self._dummy is None:
            self._dummy = self.hasher.hash("dummy password for timing")
        self.verify(self._dummy, password)


def check_policy(password: str, *, username: str = "") -> None:
    """At least 8 characters, of at least two kinds (letters, digits, other), not the username."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"密码至少 {MIN_LENGTH} 位", f"A password has at least {MIN_LENGTH} characters", field="password"
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            f"密码不能超过 {MAX_LENGTH} 位",
            f"A password has at most {MAX_LENGTH} characters",
            field="password",
        )
    kinds = (
        any(c.isalpha() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    )
    if sum(kinds) < 2:
        raise InvalidInput(
            "密码须包含字母、数字、符号中的至少两种",
            "Use at least two of letters, digits and symbols",
            field="password",
        )
    if username and password.lower() == username.lower():
        raise InvalidInput(
            "密码不能与用户名相同", "The password must differ from the username", field="password"
        )
