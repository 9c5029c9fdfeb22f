"""Identity settings: lifetimes, issuer, API audience, and the pluggable parts (mailer, clock, hasher).

``TONGBAN_IDENTITY_ISSUER`` fixes the issuer URL (required in production). Unset, the provider uses the
origin it is reached at, and relying parties find it at the base domain with the request's port.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from tongban.platform.identity.common import Clock, system_clock
from tongban.platform.identity.mailer import LoggingMailer, Mailer
from tongban.platform.identity.passwords import Passwords
from tongban.platform.identity.throttle import ThrottlePolicy

API_AUDIENCE = "tongban-api"
CLOCK_SKEW = timedelta(minutes=5)


@dataclass
class IdentityConfig:
    secret_key: str
    issuer: str | None = None
    production: bool = False
    base_domain: str = "localhost"
    api_audience: str = API_AUDIENCE
    access_token_ttl: timedelta = timedelta(minutes=10)
    id_token_ttl: timedelta = timedelta(minutes=10)
    refresh_token_ttl: timedelta = timedelta(days=30)
    code_ttl: timedelta = timedelta(minutes=5)
    session_ttl: timedelta = timedelta(hours=12)
    pending_session_ttl: timedelta = timedelta(minutes=10)
    reset_link_ttl: timedelta = timedelta(minutes=30)
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    passwords: Passwords = field(default_factory=Passwords)
    mailer: Mailer = field(default_factory=LoggingMailer)
    clock: Clock = system_clock

    @property
    def key_publish_grace(self) -> timedelta:
        """How long a retired key stays in the JWKS: the longest token it signed, plus clock skew."""
        return max(self.access_token_ttl, self.id_token_ttl) + CLOCK_SKEW

    def now(self):
        return self.clock()


def config_from_settings(settings, **overrides) -> IdentityConfig:
    issuer = os.environ.get("TONGBAN_IDENTITY_ISSUER", "").rstrip("/") or None
    if settings.production and not issuer:
        from tongban.platform.settings import SettingsError

        raise SettingsError(
            "生产模式必须设置 TONGBAN_IDENTITY_ISSUER（统一身份认证的外部地址）。"
            " / Production mode requires TONGBAN_IDENTITY_ISSUER (the provider's public URL)."
        )
    values = {
        "secret_key": settings.secret_key,
        "issuer": issuer,
        "production": settings.production,
        "base_domain": settings.base_domain,
    }
    values.update(overrides)
    return IdentityConfig(**values)
