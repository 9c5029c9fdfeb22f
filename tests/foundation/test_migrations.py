"""Migrations run up, down and up again on a fresh database, and agree with the models."""
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from tests_support import ON_POSTGRES
from tongban.platform import migrate
from tongban.platform.db import build_admin_engine
from tongban.platform.models import metadata, tenant_inherited_tables, tenant_owned_tables
from tongban.platform.settings import load_settings


@pytest.fixture
def fresh_url(tmp_path, admin_engine):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"tongban_mig_{uuid.uuid4().hex[:8]}"
    autocommit = admin_engine.execution_options(isolation_level="AUTOCOMMIT")
    with autocommit.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(str(admin_engine.url)).set(database=name).render_as_string(hide_password=False)
    with autocommit.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


def _settings_for(url):
    return load_settings({"TONGBAN_DATABASE_URL": url, "TONGBAN_ADMIN_DATABASE_URL": url,
                          "TONGBAN_VAR_DIR": "/tmp/tongban-migration-test"})


def _tables(url):
    engine = build_admin_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(fresh_url):
    settings = _settings_for(fresh_url)
    migrate.upgrade(settings)
    assert {"tenants", "notices", "job_runs"} <= _tables(fresh_url)
    migrate.downgrade(settings, "base")
    assert _tables(fresh_url) <= {"alembic_version"}
    migrate.upgrade(settings)
    assert {"tenants", "notices", "job_runs"} <= _tables(fresh_url)


def test_models_and_migrations_agree(fresh_url):
    migrate.upgrade(_settings_for(fresh_url))
    engine = build_admin_engine(fresh_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_every_tenant_owned_table_is_protected_by_row_level_security(migrated, admin_engine):
    tables = tenant_owned_tables()
    assert "notices" in tables
    if not ON_POSTGRES:
        pytest.skip("row-level security is PostgreSQL's; SQLite relies on the ORM criteria")
    with admin_engine.connect() as conn:
        rows = conn.execute(text("SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                                 "WHERE relname = ANY(:t)"), {"t": tables}).all()
        policies = set(conn.execute(text("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation'"))
                       .scalars())
    assert sorted(r.relname for r in rows if r.relrowsecurity and r.relforcerowsecurity) == tables
    assert policies == set(tables)


def test_every_inherited_table_is_protected_by_its_policy(migrated, admin_engine):
    tables = tenant_inherited_tables()
    assert {"items", "tenant_items"} <= set(tables)
    if not ON_POSTGRES:
        pytest.skip("row-level security is PostgreSQL's; SQLite relies on the ORM criteria")
    with admin_engine.connect() as conn:
        forced = set(conn.execute(text("SELECT relname FROM pg_class WHERE relname = ANY(:t) "
                                       "AND relrowsecurity AND relforcerowsecurity"), {"t": tables}).scalars())
        policies = set(conn.execute(text("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_inherited'"))
                       .scalars())
        owner_deletes = set(conn.execute(text(
            "SELECT tablename FROM pg_policies WHERE policyname = 'owner_deletes' AND permissive = 'RESTRICTIVE'"
            " AND cmd = 'DELETE'")).scalars())
    assert forced == set(tables) == policies == owner_deletes


def test_the_migration_history_has_one_head():
    """Branches that grew side by side are joined by a merge revision, so `db upgrade` and `db downgrade REV`
    have one line to follow (a second head fails this until it is merged)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()


def test_an_upgraded_deployment_keeps_taking_bookings_and_its_department_names_become_codes(fresh_url):
    """Data the earlier versions left: slots opened without a window get their window (0020), so the portal goes
    on offering them; a complaint filed under a department's name is kept under its code (0019)."""
    import json

    settings = _settings_for(fresh_url)
    migrate.upgrade(settings, "0017_lean_case_indexes")
    engine = build_admin_engine(fresh_url)
    try:
        with engine.begin() as conn:
            for start, end, capacity in (("09:00", "10:00", 4), ("14:30", "15:30", 6)):
                conn.execute(text("INSERT INTO portal_appointment_slots (tenant_id, window_name, day, start_time, "
                                  "end_time, capacity, booked) VALUES ('4601', '综合窗口', '2099-01-05', :s, :e, :c, 0)"),
                             {"s": start, "e": end, "c": capacity})
            conn.execute(text("INSERT INTO petitions (tenant_id, kind, asker_subject, department, question, asked_at, "
                              "due_at) VALUES ('4601', 'complaint', 'person:1', '海口市市场监督管理局', '排队太久', "
                              "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        migrate.upgrade(settings)
        with engine.connect() as conn:
            (name, times, capacity, is_open), = conn.execute(text(
                "SELECT name, times, capacity, open FROM portal_appointment_windows WHERE tenant_id = '4601'")).all()
            department = conn.execute(text("SELECT department FROM petitions")).scalar()
    finally:
        engine.dispose()
    times = json.loads(times) if isinstance(times, str) else times
    assert (name, times, capacity, bool(is_open)) == ("综合窗口", [["09:00", "10:00"], ["14:30", "15:30"]], 6, True)
    assert department == "market_regulation"
