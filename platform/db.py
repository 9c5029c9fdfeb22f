"""The data layer's ground: the declarative base, engines, and one unit of work per request or command.

Every unit of work is bound to a :class:`~tongban.tenants.isolation.TenantContext`; the isolation module
hooks the session so that PostgreSQL sees the tenant through ``set_config(..., true)`` (transaction-local)
and every ORM query carries the tenant criteria as a safety net.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import time
from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import NullPool

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """A stored instant as an aware UTC datetime (raw and Core reads on SQLite return it naive; it was UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def build_engine(url: str, *, pool_size: int = 10) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # psycopg prepares a statement after its fifth use on a connection, and deallocates all of the connection's
    # prepared statements after any rollback: the approval engine's own, prepared on first use (approval/wire.py),
    # would vanish with them. So psycopg's preparing is off; the statements that run on every action are prepared.
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, connect_args={"prepare_threshold": None})
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", lambda conn, record, _proxy: _ping_if_idle(engine.dialect, conn, record))
    return engine


IDLE_PING_SECONDS = 10.0  # a pooled connection idle longer than this is pinged before use


def _note_idle(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect, dbapi_connection, record) -> None:
    """Ping a connection only when it sat idle for a while (a server restart, a firewall dropping quiet
    connections): ``pool_pre_ping`` pinged on every checkout, one more round trip per unit of work. A
    connection that fails the ping is replaced by the pool (DisconnectionError makes it retry); one lost
    between two busy requests fails that request once and SQLAlchemy recycles the pool."""
    from sqlalchemy.exc import DisconnectionError

    since = record.info.get("idle_since")
    if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except Exception as error:  # noqa: BLE001 - any failure means the connection is gone
        raise DisconnectionError(str(error)) from error
    if not alive:
        raise DisconnectionError("the connection did not answer")


def build_admin_engine(url: str) -> Engine:
    """An engine for migrations and role management: no pool, used briefly."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return build_engine(url)
    return create_engine(url, poolclass=NullPool)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # the default page cache is 2 MB: with millions of cases every index probe went to the OS; 64 MB per
    # connection keeps the hot index pages (the tick's claim touches three indexes of a table of millions)
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


class Database:
    """Engine + session factory. Built by the app factory or the CLI, never at import time."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = build_engine(url, pool_size=pool_size)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        from tongban.platform.approval.unit import install_session_hooks as install_case_units
        from tongban.platform.identity.logout_delivery import install_dispatch as install_logout_dispatch
        from tongban.platform.notify.outbox import install_dispatch
        from tongban.tenants.isolation import install_session_hooks

        install_session_hooks(self.sessionmaker)
        install_case_units(self.sessionmaker)
        install_dispatch(self.sessionmaker)
        install_logout_dispatch(self.sessionmaker)

    @contextmanager
    def unit_of_work(self, tenant) -> Iterator[Session]:
        """One transaction bound to ``tenant`` (a TenantContext); commits on success, rolls back on error."""
        session = self.sessionmaker(info={"tenant": tenant})
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
