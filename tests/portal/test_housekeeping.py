"""Clearing what applicants left behind: drafts untouched for longer than the retention (90 days unless
configured), and uploads older than 7 days that no draft and no case names — with their stored files.
Exactly those go; twice, or by two workers at once, each row and file goes once."""
import io
from datetime import timedelta

import pytest
from housekeeping_support import NOW, run_together
from portal_support import PDF
from sqlalchemy import select, update
from tests_support import tenant_context

from tongban.platform.files.models import Upload
from tongban.platform.files.store import UploadRules, UploadStore
from tongban.platform.portal.housekeeping import (
    draft_retention_days,
    purge_abandoned_drafts,
    purge_orphan_uploads,
    remove_files,
)
from tongban.platform.portal.models import ApplicationDraft
from tongban.tenants.isolation import TenantContext


def _system(db):
    return db.unit_of_work(TenantContext.system("test"))


def _draft(db, tenant, subject, item, *, age_days, files=None):
    with db.unit_of_work(tenant_context(db, tenant)) as s:
        s.add(ApplicationDraft(tenant_id=tenant, applicant_subject=subject, item_code=item, files=files or {}))
    with _system(db) as s:
        s.execute(update(ApplicationDraft).where(ApplicationDraft.applicant_subject == subject,
                                                 ApplicationDraft.item_code == item)
                  .values(updated_at=NOW - timedelta(days=age_days)))


def _upload(db, store, tenant, owner, *, age_days, case=None) -> tuple[str, str]:
    with db.unit_of_work(tenant_context(db, tenant)) as s:
        row = store.accept(s, owner=owner, item_code="X", purpose="mat.app", filename="申请书.pdf",
                           stream=io.BytesIO(PDF), rules=UploadRules(["pdf"], 1024, "申请书"))
        row.created_at, row.case_number = NOW - timedelta(days=age_days), case
        return row.token, row.stored_name


def _drafts_left(db):
    with _system(db) as s:
        return {(d.applicant_subject, d.item_code) for d in s.scalars(select(ApplicationDraft))}


def _uploads_left(db):
    with _system(db) as s:
        return set(s.scalars(select(Upload.token)))


def test_drafts_older_than_the_retention_go_and_nothing_else(db):
    _draft(db, "4601", "p-old", "A", age_days=91)
    _draft(db, "4602", "p-old", "B", age_days=120)
    _draft(db, "4601", "p-recent", "A", age_days=89)
    _draft(db, "4601", "p-today", "A", age_days=0)
    with _system(db) as s:
        assert purge_abandoned_drafts(s, NOW) == 2
    assert _drafts_left(db) == {("p-recent", "A"), ("p-today", "A")}
    with _system(db) as s:
        assert purge_abandoned_drafts(s, NOW) == 0, "a second run finds nothing"
        assert purge_abandoned_drafts(s, NOW, days=30) == 1, "a shorter retention reaches the 89-day draft"
    assert _drafts_left(db) == {("p-today", "A")}


def test_the_retention_is_configurable_and_checked():
    assert draft_retention_days({}) == 90 and draft_retention_days({"TONGBAN_DRAFT_RETENTION_DAYS": "30"}) == 30
    with pytest.raises(ValueError, match="正整数"):
        draft_retention_days({"TONGBAN_DRAFT_RETENTION_DAYS": "0"})
    with pytest.raises(ValueError, match="whole number"):
        draft_retention_days({"TONGBAN_DRAFT_RETENTION_DAYS": "ninety"})


@pytest.fixture
def uploads(db, tmp_path):
    """Five uploads of which only two are orphans older than 7 days; returns (store, {label: (token, path)})."""
    store = UploadStore(tmp_path)
    made = {
        "orphan-old": _upload(db, store, "4601", "p1", age_days=8),
        "orphan-old-sanya": _upload(db, store, "4602", "p2", age_days=30),
        "orphan-young": _upload(db, store, "4601", "p1", age_days=6),
        "in-a-draft": _upload(db, store, "4601", "p1", age_days=40),
        "in-a-case": _upload(db, store, "4601", "p1", age_days=40, case="4601-20261001-000001"),
        "other-owners-draft-names-it": _upload(db, store, "4601", "p3", age_days=40),
    }
    _draft(db, "4601", "p1", "X", age_days=1, files={"mat.app": [made["in-a-draft"][0]]})
    # a draft of someone else naming p3's token does not keep it: drafts only hold their owner's files
    _draft(db, "4601", "p4", "X", age_days=1, files={"mat.app": [made["other-owners-draft-names-it"][0]]})
    return store, made


def test_orphan_uploads_older_than_7_days_go_with_their_files(db, uploads):
    store, made = uploads
    with _system(db) as s:
        stored = purge_orphan_uploads(s, NOW)
    gone = {"orphan-old", "orphan-old-sanya", "other-owners-draft-names-it"}
    assert sorted(stored) == sorted(made[k][1] for k in gone)
    assert remove_files(store.root, stored) == 3
    assert _uploads_left(db) == {made[k][0] for k in made if k not in gone}
    for label, (_token, path) in made.items():
        assert (store.root / path).exists() == (label not in gone), label
    with _system(db) as s:
        assert purge_orphan_uploads(s, NOW) == [], "a second run finds nothing"
    assert remove_files(store.root, stored) == 0, "files already gone are fine"


def test_a_file_is_never_removed_outside_the_uploads_directory(tmp_path):
    outside = tmp_path / "keep.txt"
    outside.write_text("x")
    (tmp_path / "uploads").mkdir()
    assert remove_files(tmp_path / "uploads", ["../keep.txt"]) == 0 and outside.exists()


def test_two_workers_at_once_remove_each_upload_and_file_once(db, uploads):
    store, made = uploads

    def worker():
        with _system(db) as s:
            stored = purge_orphan_uploads(s, NOW)
        return remove_files(store.root, stored)

    assert sum(run_together(worker)) == 3
    assert len(_uploads_left(db)) == 3


def test_the_periodic_tasks_purge_drafts_and_uploads(db, settings, monkeypatch):
    from tongban.platform import tasks

    store = UploadStore(settings.var_dir / "uploads")
    _draft(db, "4601", "p-old", "A", age_days=31)
    token, path = _upload(db, store, "4601", "p9", age_days=9)
    monkeypatch.setattr("tongban.platform.db.utcnow", lambda: NOW)
    monkeypatch.setenv("TONGBAN_DRAFT_RETENTION_DAYS", "30")
    tasks.purge_abandoned_drafts()
    tasks.purge_orphan_uploads()
    assert _drafts_left(db) == set() and token not in _uploads_left(db)
    assert not (store.root / path).exists()
