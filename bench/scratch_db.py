"""A scratch PostgreSQL database for one benchmark run: created, handed over as (app URL, admin URL), dropped."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tongban.platform.db import build_admin_engine

APP_ROLE = "tongban_app"


@contextmanager
def scratch_postgres(admin_url: str) -> Iterator[tuple[str, str]]:
    name = f"tongban_bench_{uuid.uuid4().hex[:8]}"
    engine = build_admin_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = make_url(admin_url).set(database=name)
    try:
        yield (scratch.set(username=APP_ROLE, password=None).render_as_string(False), scratch.render_as_string(False))
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        engine.dispose()
