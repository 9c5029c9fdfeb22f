"""Test fixtures: the suite runs on SQLite by default and on PostgreSQL when TONGBAN_TEST_POSTGRES_URL is set.

TONGBAN_TEST_POSTGRES_URL names a fresh database and a role allowed to migrate it (CI: user postgres);
the application itself connects as the non-owner role ``tongban_app`` so row-level security applies.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import sys

import pytest
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent / "support"))

_TMP = Path(tempfile.mkdtemp(prefix="tongban-tests-"))
POSTGRES_ADMIN_URL = os.environ.get("TONGBAN_TEST_POSTGRES_URL")
APP_ROLE = "tongban_app"


def _urls() -> tuple[str, str]:
    if POSTGRES_ADMIN_URL:
        admin = make_url(POSTGRES_ADMIN_URL)
        app = admin.set(username=APP_ROLE, password=None)
        return app.render_as_string(hide_password=False), admin.render_as_string(hide_password=False)
    url = f"sqlite:///{_TMP / 'tongban.db'}"
    return url, url


APP_URL, ADMIN_URL = _urls()
os.environ["TONGBAN_DATABASE_URL"] = APP_URL
os.environ["TONGBAN_ADMIN_DATABASE_URL"] = ADMIN_URL
os.environ["TONGBAN_VAR_DIR"] = str(_TMP / "var")
os.environ["TONGBAN_HUEY_IMMEDIATE"] = "1"
os.environ.pop("TONGBAN_REDIS_URL", None)
os.environ.setdefault("TONGBAN_TENANT_CACHE_SECONDS", "0")

from tongban.platform.settings import load_settings  # noqa: E402



@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def migrated(settings):
    from tongban.platform import migrate

    migrate.upgrade(settings)
    return settings


@pytest.fixture(scope="session")
def database(migrated):
    from tongban.platform.db import Database
    from tongban.platform.seed import seed_tenants

    db = Database(migrated.database_url, pool_size=5)
    seed_tenants(db)
    from tongban.platform.calendar.store import seed_calendar
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.system("test seed")) as session:
        seed_calendar(session)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def admin_engine(migrated):
    from tongban.platform.db import build_admin_engine

    engine = build_admin_engine(migrated.admin_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(database, admin_engine):
    """The seeded database, cleaned after each test: data tables emptied, the Hainan tree restored."""
    yield database
    _clean(admin_engine)
    _forget_worker_caches()


def _forget_worker_caches() -> None:
    """Caches keyed by ids that never repeat in production; emptied tables here hand the ids out again."""
    from tongban.platform.approval import flowcache, guards

    flowcache._CACHE.clear()
    guards._PATHS.clear()
    from tongban.platform.approval import oversight

    oversight.forget_rules()
    from tongban.platform.identity import directory

    directory.forget()


def _clean(engine) -> None:
    from sqlalchemy import delete, text, update

    from tongban.platform.models import metadata
    from tongban.tenants.divisions import parse_divisions, bundled_hainan
    from tongban.tenants.models import Tenant, TenantHost

    keep = {"tenants", "tenant_directory_version", "alembic_version", "catalogue_clock", "calendar_days",
            "calendar_years", "calendar_version"}
    hainan = [d.code for d in parse_divisions(bundled_hainan())]
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            if table.name not in keep:
                conn.execute(delete(table))
        conn.execute(delete(TenantHost))
        extra = [c for c in conn.execute(text("SELECT code FROM tenants")).scalars() if c not in set(hainan)]
        for code in sorted(extra, key=len, reverse=True):
            conn.execute(delete(Tenant).where(Tenant.code == code))
        conn.execute(update(Tenant).values(status="active"))
        conn.execute(text("DELETE FROM calendar_days WHERE day >= '2027-01-01'"))
        conn.execute(text("DELETE FROM calendar_years WHERE year > 2026"))
        conn.execute(text("UPDATE calendar_version SET version = version + 1"))
        conn.execute(text("UPDATE tenant_directory_version SET version = version + 1"))


@pytest.fixture
def app(db, settings):
    from tongban.platform.app import create_app

    return create_app(settings, database=db, request_logs=False)


@pytest.fixture
def client(app):
    from starlette.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client
