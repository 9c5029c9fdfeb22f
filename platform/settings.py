"""Settings read from ``TONGBAN_*`` environment variables, with safe defaults for a fresh clone."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VAR_DIR = REPO_ROOT / "var"


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it (zh + en)."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    admin_database_url: str
    redis_url: str | None
    secret_key: str
    production: bool
    base_domain: str
    var_dir: Path
    tenant_cache_seconds: float = 10.0
    huey_immediate: bool = False
    log_json: bool = True
    public_url: str | None = None  # TONGBAN_PUBLIC_URL: where citizens reach the platform (QR codes on paper)
    extra: dict = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "postgresql"

    @property
    def app_role(self) -> str | None:
        """The non-owner PostgreSQL role the application connects as (row-level security applies)."""
        return make_url(self.database_url).username if self.is_postgres else None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("TONGBAN_VAR_DIR", DEFAULT_VAR_DIR))
    database_url = env.get("TONGBAN_DATABASE_URL") or f"sqlite:///{var_dir / 'tongban.db'}"
    production = env.get("TONGBAN_ENV", "development").lower() == "production"
    secret_key = env.get("TONGBAN_SECRET_KEY", "")
    if production and len(secret_key) < 32:
        raise SettingsError(
            "生产模式必须设置 TONGBAN_SECRET_KEY（至少 32 个字符）。"
            " / Production mode requires TONGBAN_SECRET_KEY (at least 32 characters)."
        )
    if not secret_key:
        secret_key = _development_secret(var_dir)
    return Settings(
        database_url=database_url,
        admin_database_url=env.get("TONGBAN_ADMIN_DATABASE_URL") or database_url,
        redis_url=env.get("TONGBAN_REDIS_URL") or None,
        secret_key=secret_key,
        production=production,
        base_domain=env.get("TONGBAN_BASE_DOMAIN", "localhost").lower(),
        var_dir=var_dir,
        tenant_cache_seconds=float(env.get("TONGBAN_TENANT_CACHE_SECONDS", "10")),
        huey_immediate=env.get("TONGBAN_HUEY_IMMEDIATE", "") in ("1", "true", "yes"),
        log_json=env.get("TONGBAN_LOG_FORMAT", "json") == "json",
        public_url=_public_url(env.get("TONGBAN_PUBLIC_URL", "")),
    )


def _public_url(value: str) -> str | None:
    """The platform's public address (``https://zwfw.hainan.gov.cn``), without a trailing slash; None when unset
    (each request's own origin is used then)."""
    value = value.strip()
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 — raises ValueError for a port that is no number
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
    except ValueError:  # an unclosed [ipv6 address, a port that is no number
        usable = False
    if not usable:
        raise SettingsError(
            f"TONGBAN_PUBLIC_URL 必须是 http(s) 开头的完整地址，如 https://zwfw.hainan.gov.cn（当前为 {value!r}）。"
            f" / TONGBAN_PUBLIC_URL must be an absolute http(s) address such as https://zwfw.hainan.gov.cn"
            f" (it is {value!r})."
        )
    return value.rstrip("/")


def _development_secret(var_dir: Path) -> str:
    """A per-checkout random secret kept under var/, so development sessions survive restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value
