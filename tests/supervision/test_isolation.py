"""Supervision rows stay in their tenant: the ORM criteria on both databases, row-level security on PostgreSQL
(raw SQL as the application role), and the rollups' path check that stops a forged tenant path."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError
from supervision_helpers import accepted, bj, tick
from tests_support import postgres_only, tenant_context, tenant_row

from tongban.platform.supervision.models import Alert, TenantRollup
from tongban.tenants.isolation import TenantContext


@pytest.fixture
def cards_in_two_cities(engine, db):
    from approval_fixtures import staff

    accepted(engine, db, bj(2026, 3, 2), tenant="4601")
    accepted(engine, db, bj(2026, 3, 2), tenant="4602", clerk=staff("sy", "4602", "window_clerk"))
    tick(db, bj(2026, 3, 2, 12))
    tick(db, bj(2026, 4, 15))


def test_a_tenant_sees_only_its_own_alerts_and_figures(db, cards_in_two_cities):
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        assert {a.tenant_id for a in s.scalars(select(Alert))} == {"4602"}
        assert {r.tenant_id for r in s.scalars(select(TenantRollup))} == {"4602"}
    with db.unit_of_work(TenantContext.subtree_of(tenant_row(db, "4601"), reason="test")) as s:
        assert {a.tenant_id for a in s.scalars(select(Alert))} == {"4601"}


@postgres_only
def test_row_level_security_holds_for_raw_sql(db, cards_in_two_cities):
    def visible(sql, scope_path=""):
        with db.engine.begin() as conn:
            conn.execute(text("SELECT set_config('app.tenant_id', '4602', true), set_config('app.scope', :s, true),"
                              " set_config('app.subtree_path', :p, true)"),
                         {"s": "subtree" if scope_path else "", "p": scope_path})
            return set(conn.execute(text(sql)).scalars())

    assert visible("SELECT tenant_id FROM supervision_alerts") == {"4602"}
    assert visible("SELECT tenant_id FROM supervision_rollups_tenant") == {"4602"}
    assert visible("SELECT tenant_id FROM supervision_rollups_tenant", "/46/4602/") == {"4602"}
    assert visible("SELECT tenant_id FROM supervision_timers") <= {"4602"}
    with db.engine.begin() as conn:
        assert set(conn.execute(text("SELECT tenant_id FROM supervision_alerts")).scalars()) == set()  # nothing set


@postgres_only
def test_a_rollup_row_with_a_forged_path_is_refused(db):
    with pytest.raises(ProgrammingError, match="row-level security"), db.engine.begin() as conn:
        conn.execute(text("SELECT set_config('app.tenant_id', '4601', true)"))
        conn.execute(text("INSERT INTO supervision_rollups_tenant (tenant_id, tenant_path, month, received, accepted,"
                          " concluded, on_time, early, overdue, timed, used_minutes, legal_days, received_for_others,"
                          " warnings, yellow_cards, red_cards, ratings, ratings_good, ratings_bad, rating_points,"
                          " online_received) VALUES ('4601', '/46/4602/', '2026-03', 99, 0, 0, 0, 0, 0, 0, 0, 0,"
                          " 0, 0, 0, 0, 0, 0, 0, 0, 0)"))
