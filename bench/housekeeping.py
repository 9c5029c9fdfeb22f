"""Housekeeping benchmark: the guarded purges against a bare ``DELETE`` of the same rows, measured in one run.

Run: .venv/bin/python bench/housekeeping.py [--rows 20000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
Orphan uploads: ``rows`` uploads older than 7 days across 2 tenants, a quarter named by drafts, a quarter held by
cases; the purge (which reads the owners' drafts) is compared with a bare delete by age and case alone (the
floor; it would wrongly remove drafted files). Identity: ``rows`` token records, half dead; the purge (which
also keeps a used code while its family lives) against a bare delete by access expiry.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch_db import scratch_postgres  # noqa: E402

from tongban.platform import migrate
from tongban.platform.db import Database, build_admin_engine, utcnow
from tongban.platform.files.models import Upload
from tongban.platform.identity.expiry import purge_expired
from tongban.platform.identity.models import Account, AuthorizationCode, Client, IssuedToken
from tongban.platform.portal.housekeeping import purge_orphan_uploads
from tongban.platform.portal.models import ApplicationDraft
from tongban.platform.seed import seed_tenants
from tongban.platform.settings import load_settings
from tongban.tenants.isolation import TenantContext

NOW = utcnow()
OLD = NOW - timedelta(days=30)


def fill_uploads(admin, rows: int) -> None:
    uploads, drafts = [], []
    for i in range(rows):
        tenant, owner = ("4601", "4602")[i % 2], f"p{i // 4}"
        uploads.append({"tenant_id": tenant, "token": f"t{i:08d}", "owner_subject": owner, "item_code": "X",
                        "purpose": "mat.app", "original_name": "a.pdf", "stored_name": f"{tenant}/x/{i}",
                        "kind": "pdf", "content_type": "application/pdf", "size": 1, "sha256": "0" * 64,
                        "case_number": "C-1" if i % 4 == 1 else None, "created_at": OLD})
        if i % 4 == 2:
            drafts.append({"tenant_id": tenant, "applicant_subject": owner, "item_code": f"I{i}",
                           "form_data": {}, "files": {"mat.app": [f"t{i:08d}"]}, "licenses": {}, "updated_at": NOW})
    with admin.begin() as conn:
        conn.execute(delete(ApplicationDraft))
        conn.execute(delete(Upload))
        conn.execute(insert(Upload), uploads)
        conn.execute(insert(ApplicationDraft), drafts)


def fill_tokens(admin, rows: int) -> None:
    with admin.begin() as conn:
        conn.execute(delete(IssuedToken))
        conn.execute(delete(AuthorizationCode))
        if not conn.execute(text("SELECT 1 FROM identity_clients WHERE client_id = 'bench'")).first():
            conn.execute(insert(Account).values(id=1, subject="s1", kind="person", username="u1", display_name="u",
                                                password_hash="x"))
            conn.execute(insert(Client).values(client_id="bench", name="b", client_type="confidential"))
        conn.execute(insert(IssuedToken), [
            {"jti": f"j{i}", "family": f"f{i}", "client_id": "bench", "account_id": 1,
             "access_expires_at": OLD, "refresh_hash": f"r{i}",
             "refresh_expires_at": OLD if i % 2 == 0 else NOW + timedelta(days=9)} for i in range(rows)])
        conn.execute(insert(AuthorizationCode), [
            {"code_hash": f"f{i}", "client_id": "bench", "account_id": 1, "redirect_uri": "x", "auth_time": OLD,
             "expires_at": OLD, "used_at": OLD} for i in range(rows // 2)])


def timed(db: Database, work) -> tuple[float, int]:
    start = time.perf_counter()
    with db.unit_of_work(TenantContext.system("bench")) as session:
        removed = work(session)
    return time.perf_counter() - start, removed


def run(label: str, app_url: str, admin_url: str, rows: int) -> None:
    settings = load_settings({"TONGBAN_DATABASE_URL": app_url, "TONGBAN_ADMIN_DATABASE_URL": admin_url,
                              "TONGBAN_VAR_DIR": tempfile.mkdtemp()})
    migrate.upgrade(settings)
    db, admin = Database(app_url, pool_size=2), build_admin_engine(admin_url)
    seed_tenants(db)
    fill_uploads(admin, rows)
    guarded, removed = timed(db, lambda s: len(purge_orphan_uploads(s, NOW)))
    fill_uploads(admin, rows)
    bare, bare_removed = timed(db, lambda s: s.execute(delete(Upload).where(
        Upload.case_number.is_(None), Upload.created_at < NOW - timedelta(days=7))).rowcount)
    print(f"{label} orphan uploads: purge {guarded * 1000:.0f} ms ({removed} rows), bare delete "
          f"{bare * 1000:.0f} ms ({bare_removed} rows), ratio {guarded / bare:.1f}×")
    fill_tokens(admin, rows)
    guarded, result = timed(db, lambda s: purge_expired(s, NOW))
    fill_tokens(admin, rows)
    bare, bare_removed = timed(db, lambda s: s.execute(delete(IssuedToken).where(
        IssuedToken.access_expires_at <= NOW, IssuedToken.refresh_expires_at <= NOW)).rowcount)
    print(f"{label} token records: purge {guarded * 1000:.0f} ms ({result.tokens} tokens, {result.codes} codes), "
          f"bare delete {bare * 1000:.0f} ms ({bare_removed} rows), ratio {guarded / bare:.1f}×")
    db.dispose()
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    run("SQLite", f"sqlite:///{path}", f"sqlite:///{path}", args.rows)
    if args.postgres:
        with scratch_postgres(args.postgres) as (app_url, admin_url):
            run("PostgreSQL", app_url, admin_url, args.rows)


if __name__ == "__main__":
    main()
