"""Tenancy benchmark: seeding every tenant, the province's subtree query, and per-request resolution.

Run: .venv/bin/python bench/tenancy.py [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Prints times and, for resolution, a ratio against a bare Starlette request measured in the same run.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from scratch_db import scratch_postgres  # noqa: E402
from tongban.platform import migrate
from tongban.platform.db import Database
from tongban.platform.seed import seed_tenants
from tongban.platform.settings import load_settings
from tongban.platform.web.middleware import RequestContextMiddleware
from tongban.tenants import tree
from tongban.tenants.directory import TenantDirectory
from tongban.tenants.isolation import TenantContext


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def bench_database(label: str, app_url: str, admin_url: str) -> None:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db = Database(app_url)
    (seed_seconds,) = timed(lambda: seed_tenants(db))
    system = TenantContext.system("bench")

    def province_subtree():
        with db.unit_of_work(system) as s:
            assert len(tree.subtree(s, "/46/")) == 274

    subtree = timed(province_subtree, repeat=50)
    print(f"[{label}] seed all 274 tenants: {seed_seconds * 1000:.0f} ms (target < 1000 ms)")
    print(f"[{label}] province subtree query (274 rows, one range scan): p50 {statistics.median(subtree) * 1000:.2f} ms")
    resolution(db)
    db.dispose()


def resolution(db) -> None:
    async def hello(_request):
        return PlainTextResponse("ok")

    bare = Starlette(routes=[Route("/", hello)])
    directory = TenantDirectory(db, ttl=3600)
    resolved = RequestContextMiddleware(Starlette(routes=[Route("/", hello)]), directory=directory,
                                        base_domain="localhost", log=False)
    unresolved = RequestContextMiddleware(Starlette(routes=[Route("/", hello)]), directory=None,
                                          base_domain="localhost", log=False)
    directory.snapshot  # warm the cache, as a running worker has it
    paths = ["/t/460105100/", "/t/4601/"]
    hosts = [b"haikou.localhost", b"localhost:8000", b"sanya.hainan.localhost"]

    async def run(app, n: int) -> float:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message["type"])

        started = time.perf_counter()
        for i in range(n):
            scope = {"type": "http", "method": "GET", "path": paths[i % 2] if i % 3 == 0 else "/",
                     "root_path": "", "query_string": b"", "headers": [(b"host", hosts[i % 3])],
                     "server": ("127.0.0.1", 8000), "scheme": "http", "http_version": "1.1"}
            await app(scope, receive, send)
        return time.perf_counter() - started

    n = 20000
    rounds: dict[str, list[float]] = {"bare": [], "context": [], "resolved": []}
    for _ in range(7):  # interleaved, best of 7: the machine is noisy
        rounds["bare"].append(asyncio.run(run(bare, n)))
        rounds["context"].append(asyncio.run(run(unresolved, n)))
        rounds["resolved"].append(asyncio.run(run(resolved, n)))
    t = {k: min(v) / n for k, v in rounds.items()}
    resolution_share = (t["resolved"] - t["context"]) / t["bare"]
    print(f"  bare Starlette request {t['bare'] * 1e6:.1f} µs; + request id/log middleware {t['context'] * 1e6:.1f} µs;"
          f" + tenant resolution {t['resolved'] * 1e6:.1f} µs")
    print(f"  tenant resolution per request: {resolution_share * 100:.1f}% of a bare Starlette request (target < 5%)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (a scratch database is created)")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    bench_database("SQLite", url, url)
    if args.postgres:
        with scratch_postgres(args.postgres) as (app_url, admin_url):
            bench_database("PostgreSQL", app_url, admin_url)


if __name__ == "__main__":
    main()
