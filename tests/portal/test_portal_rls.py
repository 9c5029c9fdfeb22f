"""Row-level security of the portal's tables on PostgreSQL, with raw SQL as the application's role: themes and
published logos are read along the tenant's path and written only by their tenant; drafts (of applications and
of logos), uploads and bookings stay in theirs."""
import pytest
from portal_support import theme_row
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from tests_support import postgres_only, tenant_context

from tongban.platform.portal import applying, themes

pytestmark = postgres_only


def _as(db, code, sql, **params):
    path = tenant_context(db, code).path
    with db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :c, true), set_config('app.tenant_path', :p, true)"),
                     {"c": code, "p": path})
        return conn.execute(text(sql), params).all()


def test_a_theme_is_read_along_the_path_and_written_by_its_tenant_only(db):
    theme_row(db, "4601", tokens={"logo_text": "椰"})
    theme_row(db, "4602", tokens={"logo_text": "鹿"})
    assert [r.tenant_id for r in _as(db, "460105100", "SELECT tenant_id FROM portal_themes")] == ["4601"]
    assert _as(db, "4602", "SELECT tenant_id FROM portal_themes WHERE tenant_id = '4601'") == []
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(db, "460105100", "INSERT INTO portal_themes (tenant_id, status, tokens, templates, revision, updated_by,"
                             " updated_at) VALUES ('4601', 'draft', '{}', '{}', 1, 'x', now())")
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(db, "460105100", "UPDATE portal_themes SET revision = 99")  # readable, not writable


def test_a_theme_draft_is_seen_by_its_tenant_only(db):
    theme_row(db, "4601", tokens={"logo_text": "椰"})
    theme_row(db, "4601", tokens={"logo_text": "新"}, status="draft")
    assert sorted(r.status for r in _as(db, "4601", "SELECT status FROM portal_themes")) == ["draft", "published"]
    below = _as(db, "460105100", "SELECT status FROM portal_themes")
    assert [r.status for r in below] == ["published"]  # the county's unpublished draft stays the county's


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 90, 138)).save(out, format="PNG")
    return out.getvalue()


def test_a_logo_is_read_along_the_path_and_written_by_its_tenant_only(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        themes.draft_logo(s, "4601", _png(), actor="haikou.admin")
        themes.publish_draft(s, "4601", actor="haikou.admin")
    assert [r.tenant_id for r in _as(db, "460105100", "SELECT tenant_id FROM portal_logos")] == ["4601"]
    assert _as(db, "4602", "SELECT tenant_id FROM portal_logos") == []
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(db, "4602", "INSERT INTO portal_logos (tenant_id, content, sha256, width, height, updated_by,"
                        " updated_at) VALUES ('4601', '\\x00', 'x', 1, 1, 'x', now())")
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(db, "460105100", "UPDATE portal_logos SET sha256 = 'forged'")  # readable, not writable


def test_a_draft_logo_is_seen_and_written_by_its_tenant_only(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        themes.draft_logo(s, "4601", _png(), actor="haikou.admin")
    assert [r.tenant_id for r in _as(db, "4601", "SELECT tenant_id FROM portal_logo_drafts")] == ["4601"]
    assert _as(db, "460105100", "SELECT tenant_id FROM portal_logo_drafts") == []  # not even below it
    assert _as(db, "460105100", "DELETE FROM portal_logo_drafts RETURNING id") == []
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(db, "460105100", "INSERT INTO portal_logo_drafts (tenant_id, content, sha256, width, height,"
                             " updated_by, updated_at) VALUES ('4601', '\\x00', 'x', 1, 1, 'x', now())")
    assert len(_as(db, "4601", "SELECT id FROM portal_logo_drafts")) == 1


def test_drafts_are_invisible_outside_their_tenant_and_without_one(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        applying.save_draft(s, "person:1", "X", applying.Attempt(form_data={"a": "b"}))
    assert len(_as(db, "4601", "SELECT id FROM portal_drafts")) == 1
    assert _as(db, "460105100", "SELECT id FROM portal_drafts") == []
    with db.engine.connect() as conn:
        for table in ("portal_drafts", "portal_uploads", "portal_appointments", "portal_themes",
                      "portal_logos", "portal_logo_drafts"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
