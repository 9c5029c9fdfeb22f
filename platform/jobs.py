"""Background work: the huey instance, and a ledger that makes each job safe to run twice.

huey keeps its queue in SQLite under var/ by default and in Redis when ``TONGBAN_REDIS_URL`` is set.
Tests run tasks in immediate mode (``TONGBAN_HUEY_IMMEDIATE=1``).
"""
from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache

from huey import RedisHuey, SqliteHuey
from sqlalchemy import String, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.db import Base, Database, utcnow
from tongban.platform.settings import load_settings


class JobRun(Base):
    """A job key that has run: the second delivery of the same key does nothing."""

    __tablename__ = "job_runs"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    worker: Mapped[str] = mapped_column(String(80))
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)


def claim(session: Session, key: str) -> bool:
    """Record ``key`` as run inside the caller's transaction; False if another delivery already ran it."""
    try:
        with session.begin_nested():
            session.execute(insert(JobRun).values(key=key, worker=f"{os.uname().nodename}:{os.getpid()}"))
        return True
    except IntegrityError:
        return False


def build_huey(settings=None):
    settings = settings or load_settings()
    name = os.environ.get("TONGBAN_QUEUE_NAME", "tongban")
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, immediate=settings.huey_immediate)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(settings.var_dir / "huey.db"), immediate=settings.huey_immediate)


huey = build_huey()


@lru_cache(maxsize=1)
def worker_database() -> Database:
    """The database a worker process uses; built on first use, not at import."""
    return Database(load_settings().database_url, pool_size=2)
