"""Row-level security of the catalogue on PostgreSQL, with raw SQL as the application's role."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from catalogue_fixtures import content
from tests_support import postgres_only, tenant_context
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.scopes import PublishScope

pytestmark = postgres_only


@pytest.fixture
def published(db):
    body = content("R-0001")
    with db.unit_of_work(tenant_context(db, "46")) as s:
        catalogue.create_item(s, owner="46", elements=body["elements"], actor="a")
        for part in ("form", "materials", "flow"):
            catalogue.edit_draft(s, "R-0001", part, body[part], actor="a")
        catalogue.publish(s, "R-0001", PublishScope.subtree("46"), actor="a")
    for code in ("460105100", "4602"):
        with db.unit_of_work(tenant_context(db, code)) as s:
            local.set_overrides(s, code, "R-0001", {"location": f"{code} window"}, actor="t")
    return db


def _as(db, code, sql, **params):
    path = tenant_context(db, code).path
    with db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :c, true), set_config('app.tenant_path', :p, true)"),
                     {"c": code, "p": path})
        return conn.execute(text(sql), params).all()


def test_a_township_reads_the_provinces_items_and_its_own_relation_only(published):
    assert [r.code for r in _as(published, "460105100", "SELECT code FROM items")] == ["R-0001"]
    owners = sorted(r.tenant_id for r in _as(published, "460105100", "SELECT tenant_id FROM tenant_items"))
    assert owners == ["460105100"]
    assert _as(published, "4601", "SELECT tenant_id FROM tenant_items") == []  # a city does not see below by default


def test_nothing_is_visible_without_a_tenant(published):
    with published.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM items")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM item_versions")).scalar() == 0


def test_a_township_cannot_rewrite_the_standard(published):
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(published, "460105100", "INSERT INTO items (tenant_id, code, latest_version_no, retired, created_at, updated_at)"
                                    " VALUES ('46', 'FORGED', 1, false, now(), now()) RETURNING id")
    with pytest.raises(ProgrammingError, match="row-level security"):
        _as(published, "460105100", "UPDATE item_versions SET name = 'x'")  # readable, not writable
    with published.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', '46', true), set_config('app.tenant_path', '/46/', true)"))
        assert conn.execute(text("SELECT name FROM item_versions")).scalar() == "个体工商户设立登记"
