"""Supervision benchmark: the tick and the province dashboard over 10,000 and 1,000,000 open cases, of which
1,000 come due, on SQLite and PostgreSQL, each beside a naive full scan measured in the same run.

Run: .venv/bin/python bench/supervision.py [--sizes 10000 1000000] [--due 1000]
                                           [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Rows are bulk-inserted by set-based SQL (platform/supervision/synthetic.py): open cases with one open step,
their armed timers (warning fired, yellow due one a minute, red and step later) and the rollups the sync
would have kept. Targets: tick < 100 ms and flat in the number of open cases; dashboard < 200 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))

from tongban.platform import migrate
from tongban.platform.approval.actors import Actor
from tongban.platform.db import Database, build_admin_engine
from tongban.platform.seed import seed_calendar_data, seed_tenants
from tongban.platform.settings import load_settings
from tongban.platform.supervision import synthetic
from tongban.platform.supervision.stats import queries
from tongban.platform.supervision.tick import calendars_for, tick
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

NOW = datetime(2026, 3, 16, 9, tzinfo=timezone(timedelta(hours=8)))
SYSTEM = Actor.system()


def timed(work, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def statements(db, work) -> tuple[int, object]:
    seen = []
    listener = lambda *_a: seen.append(1)
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = work()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen), result


def find_due(db, now) -> int:
    """What the tick reads to know what came due: armed timers up to ``now`` (the (state, fire_at) index)."""
    from tongban.platform.supervision.models import SupervisionTimer as T

    with db.unit_of_work(TenantContext.system("bench find")) as session:
        return len(session.execute(select(T.id, T.rule_code, T.subject_key, T.case_id, T.fire_at)
                                   .where(T.state == "armed", T.fire_at <= now).limit(5000)).all())


def naive_tick(db, now) -> int:
    """Without timers: read every open case and work out its yellow moment on the calendar."""
    calendar = calendars_for(db).calendar()
    due = 0
    with db.unit_of_work(TenantContext.system("naive scan")) as session:
        rows = session.execute(text("SELECT accepted_at, promised_limit_days FROM cases WHERE state = 'in_progress'"))
        for accepted, limit in rows:
            accepted = accepted if isinstance(accepted, datetime) else datetime.fromisoformat(accepted)
            accepted = accepted if accepted.tzinfo else accepted.replace(tzinfo=UTC)
            due += calendar.add_working_days(accepted, limit + 1).due <= now
    return due


def naive_sql(db, now) -> int:
    with db.unit_of_work(TenantContext.system("naive sql")) as session:
        bound = now.astimezone(UTC)
        if not db.is_postgres:
            bound = bound.replace(tzinfo=None)
        return session.execute(text("SELECT count(*) FROM cases WHERE state = 'in_progress' AND promised_due_at <= :n"),
                               {"n": bound}).scalar()


def naive_dashboard(db) -> int:
    with db.unit_of_work(TenantContext.system("naive dashboard")) as session:
        return len(session.execute(text(
            "SELECT tenant_id, channel, count(*), count(accepted_at), sum(CASE WHEN state = 'concluded' THEN 1 ELSE 0 END)"
            " FROM cases GROUP BY tenant_id, channel")).all())


def measure(db, now: datetime, due: int, cases: int) -> dict:
    """The tick (first with ``due`` timers due, then with nothing due) and the dashboards, beside naive scans."""
    find_ms, found = timed(lambda: find_due(db, now), repeat=5)
    count, (tick_ms, result) = statements(db, lambda: timed(lambda: tick(db, now)))
    quiet_ms, _ = timed(lambda: tick(db, now), repeat=5)
    naive_py_ms, naive_due = timed(lambda: naive_tick(db, now))
    naive_sql_ms, _ = timed(lambda: naive_sql(db, now), repeat=3)
    dash_ms, figures = timed(lambda: queries.dashboard(db, SYSTEM, "46", reason="bench"), repeat=5)
    drill_ms, _ = timed(lambda: queries.drill_down(db, SYSTEM, "46", reason="bench"), repeat=5)
    naive_dash_ms, _ = timed(lambda: naive_dashboard(db), repeat=3)
    assert len(result.alerts) == due and figures["received"] == cases, (len(result.alerts), figures["received"])
    assert found == due, found
    return {"find_ms": find_ms, "tick_ms": tick_ms, "statements": count, "quiet_ms": quiet_ms, "naive_py_ms": naive_py_ms,
            "naive_due": naive_due, "naive_sql_ms": naive_sql_ms, "dash_ms": dash_ms, "drill_ms": drill_ms,
            "naive_dash_ms": naive_dash_ms}


def settle(admin) -> None:
    """After loading: on SQLite, copy the loader's write-ahead log into the database file now, so that the
    measured tick does not pay for checkpointing the loader's pages (PostgreSQL's checkpointer runs apart)."""
    if admin.dialect.name == "sqlite":
        with admin.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def more_raises(db, admin, now: datetime, due: int, tenants: list[str], n: int, rounds: int = 2) -> list[float]:
    """Two more ticks that each raise ``due`` alerts (``due`` more cases, all due): one tick is one sample."""
    times = []
    for k in range(rounds):
        later = now + timedelta(minutes=10 * (k + 1))
        with admin.begin() as conn:
            synthetic.load(conn, cases=due, due=due, now=later, tenants=tenants, start_id=40_000_000 + n * 100_000 + k * due)
        settle(admin)
        ms, result = timed(lambda: tick(db, later))
        assert len(result.alerts) == due, len(result.alerts)
        times.append(ms)
    return times


def run(label: str, app_url: str, admin_url: str, sizes: list[int], due: int) -> list[dict]:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db = Database(app_url, pool_size=4)
    seed_tenants(db)
    seed_calendar_data(db)
    admin = build_admin_engine(admin_url)
    with db.unit_of_work(TenantContext.system("bench")) as session:
        tenants = [c for c in session.scalars(select(Tenant.code)) if c != "46"]
    warm = 100  # a first tick that raises a few alerts: imports, caches and statement compilation out of the way
    with admin.begin() as conn:
        synthetic.load(conn, cases=warm, due=10, now=NOW - timedelta(days=1), tenants=tenants, start_id=50_000_000)
    tick(db, NOW - timedelta(days=1))
    results, loaded, extra = [], 0, 0
    for n, size in enumerate(sizes):
        now = NOW + timedelta(hours=n)
        started = time.perf_counter()
        with admin.begin() as conn:
            conn.execute(text("DELETE FROM supervision_rollups"))
            conn.execute(text("DELETE FROM supervision_rollups_tenant"))
            synthetic.load(conn, cases=size - loaded, due=due, now=now, tenants=tenants, start_id=loaded + 1)
            synthetic.rollups_from_cases(conn)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        settle(admin)
        load_s = time.perf_counter() - started
        loaded = size
        row = measure(db, now, due, size + warm + extra)
        more = more_raises(db, admin, now, due, tenants, n)
        extra += len(more) * due  # cases the further raising ticks added
        row["tick_median_ms"] = statistics.median([row["tick_ms"], *more])
        row.update(backend=label, open=size, load_s=load_s)
        results.append(row)
        print(f"[{label}] {size:>9,} open cases (loaded in {load_s:.0f} s): finding the {due} due "
              f"{row['find_ms']:.1f} ms; tick raising them {row['tick_ms']:.0f} ms ({row['statements']} statements; median of "
              f"3 such ticks {row['tick_median_ms']:.0f} ms); "
              f"tick with nothing due {row['quiet_ms']:.1f} ms; naive: every open case through the calendar "
              f"{row['naive_py_ms']:,.0f} ms, SQL scan {row['naive_sql_ms']:.0f} ms | province dashboard "
              f"{row['dash_ms']:.1f} ms, drill-down {row['drill_ms']:.1f} ms; naive GROUP BY over cases "
              f"{row['naive_dash_ms']:,.0f} ms", flush=True)
    db.dispose()
    admin.dispose()
    return results


def table(rows: list[dict]) -> None:
    print("\nbackend     open cases  find due  tick(raise due)  median of 3  statements  quiet tick  naive calendar scan  naive SQL scan"
          "  dashboard  drill-down  naive GROUP BY")
    for r in rows:
        print(f"{r['backend']:<10} {r['open']:>11,} {r['find_ms']:>6.1f} ms {r['tick_ms']:>12.0f} ms {r['tick_median_ms']:>8.0f} ms "
              f"{r['statements']:>10} "
              f"{r['quiet_ms']:>8.1f} ms {r['naive_py_ms']:>16,.0f} ms {r['naive_sql_ms']:>11.0f} ms "
              f"{r['dash_ms']:>7.1f} ms {r['drill_ms']:>8.1f} ms {r['naive_dash_ms']:>11,.0f} ms")
    print("targets: tick < 100 ms and flat in open cases; dashboard < 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--postgres")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    rows = []
    if not args.skip_sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        rows += run("SQLite", url, url, args.sizes, args.due)
    if args.postgres:
        admin = make_url(args.postgres)
        name = f"tongban_bench_{uuid.uuid4().hex[:8]}"
        engine = build_admin_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = admin.set(database=name)
        try:
            rows += run("PostgreSQL", scratch.set(username="tongban_app", password=None).render_as_string(False),
                        scratch.render_as_string(False), args.sizes, args.due)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    table(rows)


if __name__ == "__main__":
    main()
