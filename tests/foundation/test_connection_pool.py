"""Pooled PostgreSQL connections: pinged only after sitting idle, replaced when the server dropped them."""
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tests_support import ON_POSTGRES
from tongban.platform import db as dbmod
from tongban.platform.db import Database
from tongban.tenants.isolation import TenantContext

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the pool is PostgreSQL's (SQLite opens files)")


def _backend(database) -> int:
    with database.unit_of_work(TenantContext.system("pool test")) as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar()


def _terminate(admin_engine, pid: int) -> None:
    with admin_engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    time.sleep(0.2)


@pytest.fixture
def database(db, settings):
    own = Database(settings.database_url, pool_size=1)
    yield own
    own.dispose()


def test_a_busy_connection_is_reused_without_a_ping(database):
    first = _backend(database)
    pings = []
    real = database.engine.dialect.do_ping
    database.engine.dialect.do_ping = lambda conn: pings.append(conn) or real(conn)
    try:
        assert _backend(database) == first
    finally:
        database.engine.dialect.do_ping = real
    assert pings == []  # pool_pre_ping would have pinged here: one more round trip per unit of work


def test_a_connection_dropped_while_idle_is_replaced_before_use(database, admin_engine, monkeypatch):
    first = _backend(database)
    _terminate(admin_engine, first)
    monkeypatch.setattr(dbmod, "IDLE_PING_SECONDS", 0.0)  # it has been idle "long enough"
    assert _backend(database) != first  # the ping failed, the pool opened a new connection: no error seen


def test_a_connection_dropped_between_busy_requests_fails_once_then_the_pool_recovers(database, admin_engine):
    first = _backend(database)
    _terminate(admin_engine, first)
    with pytest.raises(OperationalError) as raised:
        _backend(database)
    assert raised.value.connection_invalidated
    assert _backend(database) != first
