"""`tongban db upgrade|downgrade`: alembic driven from code, plus the PostgreSQL role the app connects as."""
from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tongban.platform.db import build_admin_engine
from tongban.platform.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "heads") -> None:
    command.upgrade(alembic_config(settings.admin_database_url), revision)
    if settings.is_postgres:
        ensure_app_role(settings)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings.admin_database_url), revision)


def ensure_app_role(settings: Settings) -> None:
    """Create the application's login role (if missing) and grant it data rights, never ownership.

    Owners and superusers bypass row-level security, so the app must not connect as the migrating role.
    """
    app_url = make_url(settings.database_url)
    admin_url = make_url(settings.admin_database_url)
    role = app_url.username
    if role == admin_url.username:
        return
    if not role or not ROLE_NAME.match(role):
        raise ValueError(f"invalid application role name {role!r}")
    engine = build_admin_engine(settings.admin_database_url)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
        if not exists:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS'))
        if app_url.password:
            conn.execute(text(f'ALTER ROLE "{role}" PASSWORD ' + _literal(conn, app_url.password)))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
        conn.execute(text(f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"'))
    engine.dispose()


def _literal(conn, value: str) -> str:
    return conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar()
