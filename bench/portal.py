"""Portal benchmark: server time of the home, search and guide pages of 海口市's portal with ~2,000 items,
as p50 and as a multiple of a bare Starlette response measured in the same run.

Run: .venv/bin/python bench/portal.py [--items 2000] [--rounds 300] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Requests go straight into the ASGI app (no socket, no client): the time is the server's, from the first
byte of the request to the last of the response, including the tenant middleware, the unit of work, the
theme lookup, the catalogue cache check and the sandboxed template. The first requests build the caches
(jieba's dictionary, pinyin of 2,000 names) and are not counted.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]  # bench/graphql.py must not shadow graphql-core

from tongban.configurator.demo import big_catalogue_rows
from tongban.configurator.publishing.catalogue import content_hash
from tongban.configurator.publishing.clock import bump_generation
from tongban.configurator.publishing.models import Item, ItemVersion, Publication
from tongban.platform import migrate
from tongban.platform.app import create_app
from tongban.platform.content.notices import publish_notice
from tongban.platform.db import Database, build_admin_engine
from tongban.platform.portal.catalogue import theme_names
from tongban.platform.portal.seed import seed_demo_themes
from tongban.platform.seed import seed_tenants
from tongban.platform.settings import load_settings
from tongban.tenants.isolation import TenantContext

EVENTS = ("开办企业", "就业", "生育", "养老", "住房", "婚姻", "入学", "就医", "退休", "证件办理")
PAGES = {"home": "/", "search (pinyin initials)": "/search?q=gsdj", "search (Chinese)": "/search?q=登记",
         "guide": "/items/BENCH-00002"}


def load_catalogue(db: Database, n: int) -> None:
    """Bulk-load n published items with national themes and life events (as an import of a catalogue would)."""
    tags = {"individual": [t for t in theme_names() if t.startswith("自然人")],
            "enterprise": [t for t in theme_names() if t.startswith("法人")]}
    rows = list(big_catalogue_rows(n))
    for i, row in enumerate(rows):
        elements = row["content"]["elements"]
        audience = elements["audience"][0]
        elements["themes"] = [tags[audience][i % len(tags[audience])]]
        elements["life_events"] = [EVENTS[i % len(EVENTS)]]
    with db.unit_of_work(TenantContext.system("bench load")) as s:
        s.execute(insert(Item), [{"tenant_id": "46", "code": r["code"], "latest_version_no": 1,
                                  "published_version_no": 1, "retired": False} for r in rows])
        ids = dict(s.execute(text("SELECT code, id FROM items")).all())
        s.execute(insert(ItemVersion), [
            {"tenant_id": "46", "item_id": ids[r["code"]], "version_no": 1, "state": "published", "revision": 1,
             "content": r["content"], "content_hash": content_hash(r["content"]), "created_by": "bench",
             **{k: v for k, v in r.items() if k not in ("code", "content")}} for r in rows])
        versions = dict(s.execute(text("SELECT item_id, id FROM item_versions")).all())
        s.execute(insert(Publication), [{"tenant_id": "46", "item_id": item_id, "version_id": vid, "scope_code": "46",
                                         "include_subtree": True, "seq": 1, "published_by": "bench"}
                                        for item_id, vid in versions.items()])
        bump_generation(s)


def seed_page_content(db: Database) -> None:
    seed_demo_themes(db)
    with db.unit_of_work(TenantContext.system("bench context")) as s:
        haikou = s.execute(text("SELECT code, path FROM tenants WHERE code = '4601'")).one()
    with db.unit_of_work(TenantContext(code=haikou.code, path=haikou.path)) as s:
        for i in range(5):
            publish_notice(s, title=f"海口市政务服务中心通知（第 {i + 1} 号）", body="基准测试公告")


def scope(path: str) -> dict:
    raw, _, query = path.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": raw, "raw_path": raw.encode(), "query_string": query.encode(), "root_path": "",
            "headers": [(b"host", b"haikou.localhost"), (b"accept", b"text/html")], "client": ("127.0.0.1", 5000),
            "server": ("haikou.localhost", 80)}


async def one(app, path: str) -> tuple[float, int, float]:
    status = {}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status["code"] = message["status"]

    started, cpu = time.perf_counter(), time.process_time()
    await app(scope(path), receive, send)
    return time.perf_counter() - started, status["code"], time.process_time() - cpu


async def measure(app, path: str, rounds: int, warmup: int = 20) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds per request (the CPU time is the request's own on a loaded machine)."""
    for _ in range(warmup):
        _elapsed, code, _cpu = await one(app, path)
        assert code == 200, (path, code)
    samples = [await one(app, path) for _ in range(rounds)]
    return [s[0] for s in samples], [s[2] for s in samples]


def bare_app() -> Starlette:
    return Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])


async def run(app, rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    results = {"bare Starlette": await measure(bare_app(), "/", rounds)}
    for name, path in PAGES.items():
        results[name] = await measure(app, path, rounds)
    results["bare Starlette (again)"] = await measure(bare_app(), "/", rounds)
    return results


def bench(label: str, app_url: str, admin_url: str, n: int, rounds: int) -> None:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp(), "TONGBAN_TENANT_CACHE_SECONDS": "10"})
    migrate.upgrade(settings)
    db = Database(app_url)
    seed_tenants(db)
    started = time.perf_counter()
    load_catalogue(db, n)
    seed_page_content(db)
    with build_admin_engine(admin_url).begin() as conn:
        conn.execute(text("ANALYZE"))
    print(f"[{label}] loaded {n} items in {time.perf_counter() - started:.1f} s")
    app = create_app(settings, database=db, request_logs=False)
    first, _code, _cpu = asyncio.run(one(app, "/search?q=gsdj"))
    print(f"[{label}] first search (builds jieba + pinyin index of {n} names): {first * 1000:.0f} ms")
    results = asyncio.run(run(app, rounds))
    bare = statistics.median(results["bare Starlette"][0] + results["bare Starlette (again)"][0])
    bare_cpu = statistics.median(results["bare Starlette"][1] + results["bare Starlette (again)"][1])
    for name, (times, cpu) in results.items():
        p50, p90, cpu50 = statistics.median(times), statistics.quantiles(times, n=10)[-1], statistics.median(cpu)
        verdict = "" if name.startswith("bare") else ("  ok (< 10 ms)" if p50 < 0.010 else "  OVER 10 ms")
        print(f"[{label}] {name:26s} wall p50 {p50 * 1000:6.2f} ms (p90 {p90 * 1000:6.2f}) = {p50 / bare:5.1f} × bare"
              f" | cpu p50 {cpu50 * 1000:5.2f} ms = {cpu50 / max(bare_cpu, 1e-6):5.1f} × bare{verdict}")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    bench("SQLite", url, url, args.items, args.rounds)
    if args.postgres:
        admin = make_url(args.postgres)
        name = f"tongban_bench_{uuid.uuid4().hex[:8]}"
        engine = build_admin_engine(args.postgres).execution_options(isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch = admin.set(database=name)
        try:
            bench("PostgreSQL", scratch.set(username="tongban_app", password=None).render_as_string(False),
                  scratch.render_as_string(False), args.items, args.rounds)
        finally:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
