"""E-license library benchmark: with 1,000,000 licenses in the library, the cost of verifying a license and of
the 免收证照 look-up at submission, as ratios to a bare primary-key read measured in the same run.

Run: .venv/bin/python bench/licenses.py [--licenses 1000000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Each measured call is one unit of work (a transaction, as a request has); the bare read is one such unit of
work reading one license by primary key. Measured: the public verification (/verify/<number>), the license
offered on the portal's apply page (``exemption.offers``) and the 免收证照 check at submission
(``check_license_materials``, what intake runs). The bulk rows are inserted directly (their signatures are not
checked); the measured licenses are written and signed through the library.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch_db import scratch_postgres  # noqa: E402

from tongban.platform import migrate
from tongban.platform.db import Database, build_admin_engine, utcnow
from tongban.platform.seed import seed_tenants
from tongban.platform.settings import load_settings
from tongban.platform.sharing import license_types
from tongban.platform.sharing.exemption import check_license_materials, offers
from tongban.platform.sharing.library import LicenseDraft, today, write
from tongban.platform.sharing.models import License
from tongban.platform.sharing.uscc import new_uscc
from tongban.platform.sharing.verification import verify
from tongban.tenants.isolation import TenantContext

SECRET = "bench-secret-of-at-least-thirty-two-characters"
TYPES = ("business_license", "food_business_license", "drug_business_license", "construction_permit",
         "planning_permit", "real_estate_certificate")
MATERIALS = [{"id": "bl", "name": "营业执照", "satisfied_by_license_type": "business_license"}]
SYSTEM = TenantContext.system("bench")


def bulk_insert(admin_url: str, count: int, chunk: int = 20_000) -> float:
    engine = build_admin_engine(admin_url)
    started, now, day = time.perf_counter(), utcnow(), today()
    rows = []
    with engine.begin() as conn:
        for i in range(count):
            rows.append({"number": f"BULK-{i:08d}", "type_code": TYPES[i % len(TYPES)], "holder_kind": "enterprise",
                         "holder_id": f"91460100B{i // 5:08d}X", "holder_name": f"海南批量企业{i // 5}有限公司",
                         "holder_subject": f"ent-{i // 5}", "issuer_tenant": "4601", "issuer_department": "市场监督管理局",
                         "issued_at": now, "valid_from": day - timedelta(days=i % 900), "valid_until": None,
                         "status": "valid", "status_reason": None, "status_at": None,
                         "content": {"name": f"海南批量企业{i // 5}有限公司", "legal_representative": "张三"},
                         "content_hash": "0" * 64, "key_id": "bulk", "signature": "bulk", "source": "import",
                         "case_number": None, "revision": 1})
            if len(rows) == chunk:
                conn.execute(insert(License.__table__), rows)
                rows.clear()
        if rows:
            conn.execute(insert(License.__table__), rows)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE sharing_licenses"))
        else:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def signed_licenses(db: Database, n: int) -> list[tuple[str, str]]:
    """n real business licenses (signed through the library): [(number, holder USCC)]."""
    made = []
    with db.unit_of_work(SYSTEM) as session:
        license_types.seed_license_types(session)
        for i in range(n):
            code = new_uscc("4601", f"bench-{i}")
            number = f"BL-BENCH-{i:05d}"
            write(session, LicenseDraft(number=number, type_code="business_license", holder_kind="enterprise",
                                        holder_id=code, holder_name=f"海南基准企业{i}有限公司", issuer_tenant="4601",
                                        issuer_department="市场监督管理局", valid_from=date(2026, 1, 1), valid_until=None,
                                        content={"name": f"海南基准企业{i}有限公司", "legal_representative": "李四"},
                                        holder_subject=f"bench-ent-{i}", source="import"), SECRET)
            made.append((number, code))
    return made


def timed(calls: dict, picks: dict, repeat: int) -> dict[str, float]:
    """Median seconds per call of each function, measured round-robin (one of each per round) so that all
    of them see the same machine load; after a warm-up pass."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for i in range(repeat + 50):
        for name, fn in calls.items():
            pick = picks[name][i % len(picks[name])]
            started = time.perf_counter()
            fn(pick)
            if i >= 50:
                samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def run(label: str, app_url: str, admin_url: str, count: int, repeat: int) -> None:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db = Database(app_url, pool_size=4)
    seed_tenants(db)
    loaded = bulk_insert(admin_url, count)
    licenses = signed_licenses(db, 200)
    with db.unit_of_work(SYSTEM) as session:
        ids = list(session.scalars(select(License.id).where(License.number.like("BL-BENCH-%"))))
        total = session.scalar(select(text("count(*)")).select_from(License))
    random.seed(7)
    random.shuffle(licenses)

    def bare(pk):
        with db.unit_of_work(SYSTEM) as session:
            session.execute(select(License).where(License.id == pk)).scalar_one()

    def verifying(pick):
        with db.unit_of_work(SYSTEM) as session:
            assert verify(session, pick[0]).ok

    def offered(pick):
        applicant = {"subject": "someone", "kind": "enterprise", "uscc": pick[1]}
        with db.unit_of_work(SYSTEM) as session:
            assert offers(session, applicant, MATERIALS)["bl"]["usable"]

    def exemption(pick):
        applicant = {"subject": "someone", "kind": "enterprise", "uscc": pick[1]}
        with db.unit_of_work(SYSTEM) as session:
            statuses, errors = check_license_materials(session, applicant, MATERIALS, {"bl": "auto"})
            assert statuses and not errors

    medians = timed({"bare": bare, "verify": verifying, "offer": offered, "exemption": exemption},
                     {"bare": ids, "verify": licenses, "offer": licenses, "exemption": licenses}, repeat)
    base, check, lookup = medians["bare"], medians["verify"], medians["exemption"]
    offer = medians["offer"]
    print(f"[{label}] {total:,} licenses (bulk insert of {count:,} in {loaded:.0f} s)")
    print(f"[{label}] bare primary-key read {base * 1e3:.3f} ms; verify {check * 1e3:.3f} ms = {check / base:.1f}× ; "
          f"apply-page offer {offer * 1e3:.3f} ms = {offer / base:.1f}× ; "
          f"免收证照 look-up at submission {lookup * 1e3:.3f} ms = {lookup / base:.1f}× (medians of {repeat})")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licenses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--postgres")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        run("SQLite", url, url, args.licenses, args.repeat)
    if args.postgres:
        with scratch_postgres(args.postgres) as (app_url, admin_url):
            run("PostgreSQL", app_url, admin_url, args.licenses, args.repeat)


if __name__ == "__main__":
    main()
