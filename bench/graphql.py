"""GraphQL API benchmark: the catalogue query (20 items with 5 materials each) through /graphql against a
plain Starlette JSON endpoint serving the same data through the same data layer, in the same run.

Run: .venv/bin/python bench/graphql.py [--requests 400] [--profile] [--postgres ADMIN_URL]
Both endpoints sit behind the app's request middleware, run their synchronous work in the threadpool and
answer anonymously; requests are driven straight through ASGI (no HTTP client in the measurement).
Prints the median cost of each, the ratio (target: GraphQL ≤ 2× plain) and the SQL statements per request.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and this very module would shadow
# graphql-core (``import graphql``): drop the folder before anything imports it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import asyncio
import copy
import cProfile
import json
import pstats
import statistics
import tempfile
import time

from sqlalchemy import event
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
from catalogue_fixtures import MATERIALS, content

from tongban.configurator.publishing import catalogue as authoring
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform import migrate
from tongban.platform.db import Database
from tongban.platform.seed import seed_tenants
from tongban.platform.settings import load_settings
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

TOWNSHIP = "460105100"
QUERY = """query Catalogue($tenant: String!) {
  items(tenant: $tenant, first: 20) {
    nodes { code name kind caseType department promisedLimitDays
      materials { id name form required formats maxSizeMb } }
  }
}"""
EXTRA = [{"id": "m4", "name": "场地证明", "form": "copy", "count": 1, "formats": ["pdf", "jpg"], "max_size_mb": 10,
          "required": True},
         {"id": "m5", "name": "授权委托书", "form": "original", "count": 1, "formats": ["pdf"], "max_size_mb": 5,
          "required": True}]


def build_app(database: Database, settings):
    """The app's middleware and state (as create_app builds them) with /graphql and the plain endpoint."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from tongban.configurator.publishing.cache import CatalogueCache
    from tongban.graphql import api as graphql_api
    from tongban.graphql.core.limits import ApiLimits
    from tongban.platform.approval.service import ApprovalService
    from tongban.platform.web.middleware import RequestContextMiddleware
    from tongban.tenants.directory import TenantDirectory

    directory = TenantDirectory(database, ttl=settings.tenant_cache_seconds)
    app = Starlette(routes=[*graphql_api.routes, Route("/plain/items", plain_items)],
                    middleware=[Middleware(RequestContextMiddleware, directory=directory,
                                           base_domain=settings.base_domain, log=False)])
    app.state.settings, app.state.database, app.state.directory = settings, database, directory
    app.state.catalogue = CatalogueCache()
    app.state.approval = ApprovalService(database, secret_key=settings.secret_key)
    app.state.graphql_limits = ApiLimits(anonymous_burst=10**9, anonymous_per_second=10**9)  # measure, not throttle
    return app


def plain_items(request):
    """The same 20 items and fields, through the same data layer, as hand-written JSON."""
    from starlette.responses import Response

    from tongban.configurator.publishing.served import effective_items

    state = request.app.state
    tenant = state.directory.snapshot.by_code[request.query_params["tenant"]]
    with state.database.unit_of_work(tenant.context()) as session:
        entries = state.catalogue.catalogue(session, tenant)[:20]
    with state.database.unit_of_work(tenant.context()) as session:
        contents = effective_items(session, tenant, [e.code for e in entries])
    items = [{"code": e.code, "name": e.name, "kind": e.kind.upper(), "caseType": e.case_type.upper(),
              "department": e.department, "promisedLimitDays": e.promised_limit_days,
              "materials": [{"id": m["id"], "name": m["name"], "form": m.get("form", "").upper(),
                             "required": m.get("required", True) is True and not m.get("required_if"),
                             "formats": m.get("formats"), "maxSizeMb": float(m.get("max_size_mb", 10))}
                            for m in contents[e.code].content.get("materials") or []]}
             for e in entries]
    body = json.dumps({"data": {"items": {"nodes": items}}}, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, media_type="application/json")


def seed(db: Database, count: int = 20) -> None:
    with db.unit_of_work(TenantContext.system("bench")) as s:
        province = s.get(Tenant, "46")
    with db.unit_of_work(TenantContext.of(province)) as s:
        for i in range(count):
            code = f"BENCH-{i:03d}"
            body = content(code, f"基准事项{i:03d}")
            body["materials"] = copy.deepcopy(MATERIALS) + copy.deepcopy(EXTRA)
            authoring.create_item(s, owner="46", elements=body["elements"], actor="bench")
            for part in ("form", "materials", "flow"):
                authoring.edit_draft(s, code, part, body[part], actor="bench")
            authoring.publish(s, code, PublishScope.subtree("46"), actor="bench")


class Driver:
    """Calls the ASGI app directly: the measured cost is the server's alone."""

    def __init__(self, app) -> None:
        self.app = app

    async def call(self, method: str, path: str, query: bytes = b"", body: bytes = b"") -> tuple[int, bytes]:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
                 "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())],
                 "client": ("127.0.0.1", 50000), "server": ("localhost", 80)}
        sent = {"body": b"", "status": 0}
        delivered = False

        async def receive():
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["body"] += message.get("body", b"")

        await self.app(scope, receive, send)
        return sent["status"], sent["body"]


async def measure(driver: Driver, requests: int) -> dict[str, list[float]]:
    graphql_body = json.dumps({"query": QUERY, "variables": {"tenant": TOWNSHIP}}).encode()
    calls = {"graphql": lambda: driver.call("POST", "/graphql", body=graphql_body),
             "plain": lambda: driver.call("GET", "/plain/items", query=f"tenant={TOWNSHIP}".encode())}
    status, g = await calls["graphql"]()
    status2, p = await calls["plain"]()
    assert status == status2 == 200, (g[:300], p[:300])
    assert json.loads(g)["data"]["items"] == json.loads(p)["data"]["items"], "the two endpoints disagree"
    times: dict[str, list[float]] = {"graphql": [], "plain": []}
    for _ in range(30):  # warm up both
        await calls["graphql"]()
        await calls["plain"]()
    for i in range(requests):
        for name in (("graphql", "plain") if i % 2 else ("plain", "graphql")):
            started = time.perf_counter()
            status, _ = await calls[name]()
            times[name].append((time.perf_counter() - started) * 1e6)
            assert status == 200, (name, status)
    return times


def _recorder(seen: list[str]):
    def listener(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    return listener


def statements_per_request(db: Database, driver: Driver) -> dict[str, int]:
    counts = {}
    body = json.dumps({"query": QUERY, "variables": {"tenant": TOWNSHIP}}).encode()
    for name, call in (("graphql", lambda: driver.call("POST", "/graphql", body=body)),
                       ("plain", lambda: driver.call("GET", "/plain/items", query=f"tenant={TOWNSHIP}".encode()))):
        seen: list[str] = []
        listener = _recorder(seen)
        event.listen(db.engine, "before_cursor_execute", listener)
        asyncio.run(call())
        event.remove(db.engine, "before_cursor_execute", listener)
        counts[name] = len(seen)
    return counts


def profile(driver: Driver, requests: int) -> None:
    from tongban.graphql.core.http import Call, serve

    app = driver.app
    tenant = app.state.directory.snapshot.by_code["46"]
    call = Call(QUERY, {"tenant": TOWNSHIP}, None, "POST", None, "127.0.0.1", tenant)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        serve(app, call)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (a scratch database is created)")
    args = parser.parse_args()
    var = tempfile.mkdtemp()
    if args.postgres:
        from sqlalchemy import create_engine, text

        admin = make_url(args.postgres)
        name = f"tb_bench_graphql_{int(time.time())}"
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin_url = admin.set(database=name).render_as_string(hide_password=False)
        app_url = make_url(admin_url).set(username="tongban_app", password=None).render_as_string(hide_password=False)
    else:
        app_url = admin_url = f"sqlite:///{var}/bench.db"
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": var, "TONGBAN_TENANT_CACHE_SECONDS": "10"})
    migrate.upgrade(settings)
    db = Database(app_url)
    seed_tenants(db)
    seed(db)
    driver = Driver(build_app(db, settings))
    times = asyncio.run(measure(driver, args.requests))
    counts = statements_per_request(db, driver)
    g, p = statistics.median(times["graphql"]), statistics.median(times["plain"])
    print(f"database: {make_url(app_url).get_backend_name()}; catalogue query: 20 items x 5 materials; "
          f"{args.requests} requests each, interleaved")
    print(f"  plain JSON endpoint : median {p:8.0f} µs   (p90 {statistics.quantiles(times['plain'], n=10)[8]:.0f})"
          f"   SQL statements/request: {counts['plain']}")
    print(f"  GraphQL /graphql    : median {g:8.0f} µs   (p90 {statistics.quantiles(times['graphql'], n=10)[8]:.0f})"
          f"   SQL statements/request: {counts['graphql']}")
    print(f"  ratio GraphQL / plain: {g / p:.2f}x   (target ≤ 2x)")
    if args.profile:
        profile(driver, 200)
    db.dispose()
    if args.postgres:
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
