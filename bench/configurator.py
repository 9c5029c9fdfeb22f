"""Configurator benchmark: publishing one version to every tenant, and a township's effective catalogue.

Run: .venv/bin/python bench/configurator.py [--items 2000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Item names are the real service items of the bundled catalogue, repeated with suffixes to reach the size.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
from catalogue_fixtures import content  # noqa: E402

from scratch_db import scratch_postgres  # noqa: E402
from tongban.configurator.items.content import summary_of  # noqa: E402
from tongban.configurator.publishing import catalogue  # noqa: E402
from tongban.configurator.publishing.catalogue import content_hash  # noqa: E402
from tongban.configurator.publishing.cache import CatalogueCache  # noqa: E402
from tongban.configurator.publishing.effective import effective_catalogue  # noqa: E402
from tongban.configurator.publishing.models import Item, ItemVersion, Publication  # noqa: E402
from tongban.configurator.publishing.scopes import PublishScope  # noqa: E402
from tongban.platform import migrate  # noqa: E402
from tongban.platform.db import Database, build_admin_engine  # noqa: E402
from tongban.platform.seed import seed_tenants  # noqa: E402
from tongban.platform.settings import load_settings  # noqa: E402
from tongban.tenants.isolation import TenantContext  # noqa: E402
from tongban.tenants.models import Tenant  # noqa: E402

NAMES = Path(__file__).resolve().parent.parent / "configurator" / "catalogue_data" / "service_items_guangan.csv"


def real_names(n: int) -> list[str]:
    with NAMES.open(encoding="utf-8") as f:
        names = [row["item_name"] for row in csv.DictReader(f)]
    return [names[i % len(names)] + ("" if i < len(names) else f"（{i // len(names) + 1}）") for i in range(n)]


def load_catalogue(db: Database, n: int) -> None:
    """Bulk-load n published items (as a migration of an existing catalogue would)."""
    template = content("X")
    with db.unit_of_work(TenantContext.system("bench load")) as s:
        items = [{"tenant_id": "46", "code": f"B{i:05d}", "latest_version_no": 1, "published_version_no": 1,
                  "retired": False} for i in range(n)]
        s.execute(insert(Item), items)
        ids = dict(s.execute(text("SELECT code, id FROM items")).all())
        versions = []
        for i, name in enumerate(real_names(n)):
            body = {**template, "elements": {**template["elements"], "code": f"B{i:05d}", "name": name}}
            versions.append({"tenant_id": "46", "item_id": ids[f"B{i:05d}"], "version_no": 1, "state": "published",
                             "revision": 1, "content": body, "content_hash": content_hash(body), "created_by": "bench",
                             **summary_of(body)})
        s.execute(insert(ItemVersion), versions)
        vids = dict(s.execute(text("SELECT item_id, id FROM item_versions")).all())
        s.execute(insert(Publication), [{"tenant_id": "46", "item_id": item_id, "version_id": vid, "scope_code": "46",
                                         "include_subtree": True, "seq": 1, "published_by": "bench"}
                                        for item_id, vid in vids.items()])


def bench(label: str, app_url: str, admin_url: str, n: int) -> None:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db = Database(app_url)
    seed_tenants(db)
    load_catalogue(db, n)
    with build_admin_engine(admin_url).begin() as conn:  # fresh statistics, as autovacuum keeps them
        conn.execute(text("ANALYZE"))
    with db.unit_of_work(TenantContext.system("bench")) as s:
        changliu = s.get(Tenant, "460105100")
        province = s.get(Tenant, "46")
    publish_statements, publish_times = [], []
    for round_ in range(5):
        body = content(f"P{round_}")
        with db.unit_of_work(TenantContext.of(province)) as s:
            catalogue.create_item(s, owner="46", elements=body["elements"], actor="bench")
            for part in ("form", "materials", "flow"):
                catalogue.edit_draft(s, f"P{round_}", part, body[part], actor="bench")
        statements = []
        listener = lambda *a: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        with db.unit_of_work(TenantContext.of(province)) as s:
            catalogue.publish(s, f"P{round_}", PublishScope.subtree("46"), actor="bench")
        publish_times.append(time.perf_counter() - started)
        event.remove(db.engine, "before_cursor_execute", listener)
        publish_statements.append(len(statements))
    context = TenantContext.of(changliu)
    times = []
    for _ in range(30):
        started = time.perf_counter()
        with db.unit_of_work(context) as s:
            entries = effective_catalogue(s, changliu)
        times.append(time.perf_counter() - started)

    cache = CatalogueCache()
    cached_times = []
    for _ in range(30):
        started = time.perf_counter()
        with db.unit_of_work(context) as s:
            assert len(cache.catalogue(s, changliu)) == len(entries)
        cached_times.append(time.perf_counter() - started)

    def bare():
        with db.unit_of_work(context) as s:
            s.execute(text("SELECT 1")).all()
    bare_times = []
    for _ in range(30):
        started = time.perf_counter()
        bare()
        bare_times.append(time.perf_counter() - started)
    print(f"[{label}] publish one version to all 274 tenants: {statistics.median(publish_statements)} statements "
          f"(same for any scope), p50 {statistics.median(publish_times) * 1000:.1f} ms (target O(1), < 50 ms)")
    print(f"[{label}] effective catalogue of {len(entries)} items for 长流镇: computed p50 "
          f"{statistics.median(times) * 1000:.1f} ms; served by a worker's cache p50 "
          f"{statistics.median(cached_times) * 1000:.2f} ms (target < 20 ms); a bare unit of work with SELECT 1: "
          f"{statistics.median(bare_times) * 1000:.2f} ms")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    bench("SQLite", url, url, args.items)
    if args.postgres:
        with scratch_postgres(args.postgres) as (app_url, admin_url):
            bench("PostgreSQL", app_url, admin_url, args.items)


if __name__ == "__main__":
    main()
