"""Clearing what applicants left behind: drafts nobody touched for a long time, and uploaded files that no
draft and no case refers to.

Each purge is a guarded ``DELETE … RETURNING``: a row is removed by exactly one run even when two workers run
at once, and only the run that removed an upload's row deletes its stored file (after the commit, so a
rolled-back purge never loses a file a row still points to).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tongban.platform.files.models import Upload
from tongban.platform.portal.models import ApplicationDraft

DRAFT_RETENTION_ENV = "TONGBAN_DRAFT_RETENTION_DAYS"
DEFAULT_DRAFT_DAYS = 90
ORPHAN_UPLOAD_AGE = timedelta(days=7)


def draft_retention_days(env: dict | None = None) -> int:
    """How long an untouched draft is kept (``TONGBAN_DRAFT_RETENTION_DAYS``, default 90, at least 1)."""
    raw = (os.environ if env is None else env).get(DRAFT_RETENTION_ENV, "")
    if not raw.strip():
        return DEFAULT_DRAFT_DAYS
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"{DRAFT_RETENTION_ENV} 须为正整数天数 / must be a whole number of days (got {raw!r})")
    return int(raw)


def purge_abandoned_drafts(session: Session, now: datetime, *, days: int = DEFAULT_DRAFT_DAYS) -> int:
    """Delete drafts last saved more than ``days`` ago; their uploads become orphans (purged after 7 days)."""
    statement = delete(ApplicationDraft).where(ApplicationDraft.updated_at < now - timedelta(days=days))
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def purge_orphan_uploads(session: Session, now: datetime, *, age: timedelta = ORPHAN_UPLOAD_AGE) -> list[str]:
    """Delete upload rows older than ``age`` held by no case and named by no draft; returns their stored names
    (the caller removes the files once the transaction has committed)."""
    old = list(session.execute(select(Upload.id, Upload.token, Upload.tenant_id, Upload.owner_subject).where(
        Upload.case_number.is_(None), Upload.created_at < now - age)))
    if not old:
        return []
    named = _tokens_in_drafts(session, {(row.tenant_id, row.owner_subject) for row in old})
    orphans = [row.id for row in old if row.token not in named]
    if not orphans:
        return []
    removed: list[str] = []
    for start in range(0, len(orphans), 1000):  # bounded statements, whatever the backlog
        statement = (delete(Upload).where(Upload.id.in_(orphans[start:start + 1000]), Upload.case_number.is_(None),
                                          Upload.created_at < now - age)
                     .returning(Upload.stored_name).execution_options(synchronize_session=False))
        removed += session.scalars(statement)
    return removed


def _tokens_in_drafts(session: Session, owners: set[tuple[str, str]]) -> set[str]:
    """Every upload token the drafts of these (tenant, applicant) pairs refer to. Looked up by applicant
    alone (a plain ``IN`` that PostgreSQL can use an index for under row-level security; a row-value ``IN``
    is not leakproof and scans), the tenant checked here."""
    tokens: set[str] = set()
    subjects = sorted({subject for _tenant, subject in owners})
    for start in range(0, len(subjects), 1000):
        rows = session.execute(select(ApplicationDraft.tenant_id, ApplicationDraft.applicant_subject,
                                      ApplicationDraft.files)
                               .where(ApplicationDraft.applicant_subject.in_(subjects[start:start + 1000])))
        for tenant_id, subject, files in rows:
            if (tenant_id, subject) in owners:
                for listed in (files or {}).values():
                    tokens.update(str(t) for t in listed or ())
    return tokens


def remove_files(root: Path, stored_names: Iterable[str]) -> int:
    """Delete stored files (already gone is fine: another worker or an earlier run removed it)."""
    removed = 0
    root = Path(root).resolve()
    for name in stored_names:
        path = (root / name).resolve()
        if root not in path.parents:
            continue  # never outside the uploads directory
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def huey_purge_drafts() -> int:
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.tenants.isolation import TenantContext

    with worker_database().unit_of_work(TenantContext.system("portal: purge abandoned drafts")) as session:
        return purge_abandoned_drafts(session, utcnow(), days=draft_retention_days())


def huey_purge_uploads() -> int:
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.platform.settings import load_settings
    from tongban.tenants.isolation import TenantContext

    with worker_database().unit_of_work(TenantContext.system("portal: purge orphan uploads")) as session:
        stored = purge_orphan_uploads(session, utcnow())
    return remove_files(load_settings().var_dir / "uploads", stored)
