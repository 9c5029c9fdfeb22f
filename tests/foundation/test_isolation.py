import pytest
from sqlalchemy import func, select, text, update

from tests_support import ON_POSTGRES, postgres_only
from tongban.platform.content.notices import Notice, latest_notices, publish_notice
from tongban.tenants.access import access_log, open_subtree
from tongban.tenants.isolation import TenantContext, TenantViolation
from tongban.tenants.models import Tenant

HAIKOU, SANYA, XIUYING, CHANGLIU = "4601", "4602", "460105", "460105100"


def _ctx(db, code):
    with db.unit_of_work(TenantContext.system("lookup")) as s:
        return TenantContext.of(s.get(Tenant, code))


def _publish(db, code, title):
    with db.unit_of_work(_ctx(db, code)) as s:
        publish_notice(s, title=title)


@pytest.fixture
def notices(db):
    for code in (HAIKOU, SANYA, XIUYING, CHANGLIU):
        _publish(db, code, f"notice of {code}")
    return db


def test_a_tenant_sees_only_its_own_rows(notices):
    db = notices
    with db.unit_of_work(_ctx(db, HAIKOU)) as s:
        titles = [n.title for n in latest_notices(s)]
        counted = s.scalar(select(func.count()).select_from(Notice))
        by_id = s.scalars(select(Notice).where(Notice.title == f"notice of {SANYA}")).all()
    assert titles == [f"notice of {HAIKOU}"]
    assert counted == 1
    assert by_id == []


def test_no_tenant_means_no_rows(notices):
    with notices.unit_of_work(TenantContext.none()) as s:
        assert s.scalars(select(Notice)).all() == []


def test_writing_into_another_tenant_is_refused_and_changes_nothing(notices):
    db = notices
    with pytest.raises(TenantViolation):
        with db.unit_of_work(_ctx(db, HAIKOU)) as s:
            s.add(Notice(tenant_id=SANYA, title="forged"))
    with pytest.raises(TenantViolation):
        with db.unit_of_work(_ctx(db, HAIKOU)) as s:
            mine = s.scalars(select(Notice)).one()
            mine.tenant_id = SANYA
    with db.unit_of_work(_ctx(db, SANYA)) as s:
        assert [n.title for n in s.scalars(select(Notice))] == [f"notice of {SANYA}"]


def test_bulk_update_in_one_tenant_leaves_others_alone(notices):
    db = notices
    with db.unit_of_work(_ctx(db, HAIKOU)) as s:
        s.execute(update(Notice).values(title="renamed"))
    with db.unit_of_work(TenantContext.system("check")) as s:
        titles = sorted(s.scalars(select(Notice.title)))
    assert titles.count("renamed") == 1


def test_subtree_read_is_explicit_audited_and_limited_to_the_subtree(notices):
    db = notices
    with db.unit_of_work(TenantContext.system("lookup")) as s:
        haikou = s.get(Tenant, HAIKOU)
    with open_subtree(db, haikou, actor="supervisor:wang", reason="月度统计") as s:
        seen = sorted(n.tenant_id for n in s.scalars(select(Notice)))
    assert seen == [HAIKOU, XIUYING, CHANGLIU]
    with db.unit_of_work(_ctx(db, HAIKOU)) as s:
        log = access_log(s)
    assert [(e.actor, e.reason, e.subtree_code) for e in log] == [("supervisor:wang", "月度统计", HAIKOU)]
    with pytest.raises(ValueError):
        open_subtree(db, haikou, actor="x", reason=" ")


def test_subtree_scope_may_write_below_but_not_beside(notices):
    db = notices
    with db.unit_of_work(TenantContext.system("lookup")) as s:
        haikou = s.get(Tenant, HAIKOU)
    with db.unit_of_work(TenantContext.subtree_of(haikou, reason="test")) as s:
        s.add(Notice(tenant_id=CHANGLIU, title="from the city"))
    with pytest.raises(TenantViolation):
        with db.unit_of_work(TenantContext.subtree_of(haikou, reason="test")) as s:
            s.add(Notice(tenant_id=SANYA, title="beside"))


# --- PostgreSQL row-level security, checked with raw SQL as the application's role ----------------

@postgres_only
def test_app_role_is_neither_owner_nor_superuser(db):
    with db.engine.connect() as conn:
        superuser, bypass = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'notices'")).scalar()
        user = conn.execute(text("SELECT current_user")).scalar()
    assert (superuser, bypass) == (False, False)
    assert owner != user


@postgres_only
def test_rls_raw_sql_without_tenant_returns_nothing(notices):
    with notices.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notices")).scalar() == 0


@postgres_only
def test_rls_raw_sql_in_tenant_a_never_returns_tenant_b(notices):
    with notices.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": HAIKOU})
        rows = conn.execute(text("SELECT tenant_id FROM notices")).scalars().all()
        targeted = conn.execute(text("SELECT count(*) FROM notices WHERE tenant_id = :b"), {"b": SANYA}).scalar()
    assert rows == [HAIKOU]
    assert targeted == 0


@postgres_only
def test_rls_refuses_inserting_into_another_tenant(notices):
    from sqlalchemy.exc import ProgrammingError

    with pytest.raises(ProgrammingError, match="row-level security"):
        with notices.engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": HAIKOU})
            conn.execute(text("INSERT INTO notices (tenant_id, title, body, published_at) "
                              "VALUES (:b, 'x', '', now())"), {"b": SANYA})


@postgres_only
def test_a_pooled_connection_never_carries_the_tenant_into_the_next_transaction(notices):
    from tongban.platform.db import Database

    db = Database(notices.url, pool_size=1)  # one pooled connection: the next transaction surely reuses it
    with db.unit_of_work(_ctx(db, HAIKOU)) as s:
        assert len(s.scalars(select(Notice)).all()) == 1
        backend = s.connection().execute(text("SELECT pg_backend_pid()")).scalar()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == backend  # the same pooled connection
        assert conn.execute(text("SELECT count(*) FROM notices")).scalar() == 0
        assert conn.execute(text("SELECT coalesce(current_setting('app.tenant_id', true), '')")).scalar() == ""
    db.dispose()


@postgres_only
def test_rls_subtree_scope_follows_the_path(notices):
    with notices.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', '4601', true), set_config('app.scope', 'subtree', true),"
                          " set_config('app.subtree_path', '/46/4601/', true)"))
        rows = sorted(conn.execute(text("SELECT tenant_id FROM notices")).scalars())
    assert rows == [HAIKOU, XIUYING, CHANGLIU]


def test_isolation_suite_knows_which_database_it_runs_on(db):
    assert db.is_postgres == ON_POSTGRES


@pytest.fixture
def county_theme(db):
    """A theme 秀英区 publishes: 长流镇, below it, sees it (inherits) but must not change or remove it."""
    from tongban.platform.portal.models import PortalTheme

    with db.unit_of_work(_ctx(db, XIUYING)) as s:
        s.add(PortalTheme(status="published", tokens={"primary": "#0a5"}, templates={}, updated_by="xiuying.admin"))
    return db


def _themes_of(db, code):
    from tongban.platform.portal.models import PortalTheme

    with db.unit_of_work(TenantContext.system("check")) as s:
        return s.scalars(select(PortalTheme.tokens).where(PortalTheme.tenant_id == code)).all()


def test_a_tenant_below_cannot_delete_a_row_it_inherits(county_theme):
    from tongban.platform.portal.models import PortalTheme

    with pytest.raises(TenantViolation):
        with county_theme.unit_of_work(_ctx(county_theme, CHANGLIU)) as s:
            inherited = s.scalars(select(PortalTheme)).one()  # visible below: inherited
            assert inherited.tenant_id == XIUYING
            s.delete(inherited)
    assert _themes_of(county_theme, XIUYING) == [{"primary": "#0a5"}]


@postgres_only
def test_rls_refuses_deleting_an_inherited_row_with_raw_sql(county_theme):
    with county_theme.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true), set_config('app.tenant_path', :p, true)"),
                     {"t": CHANGLIU, "p": "/46/4601/460105/460105100/"})
        assert conn.execute(text("SELECT count(*) FROM portal_themes WHERE tenant_id = :c"),
                            {"c": XIUYING}).scalar() == 1  # the township sees its county's theme
        deleted = conn.execute(text("DELETE FROM portal_themes WHERE tenant_id = :c"), {"c": XIUYING}).rowcount
    assert deleted == 0
    assert _themes_of(county_theme, XIUYING) == [{"primary": "#0a5"}]
