"""Monthly ranking of tenants and departments by a configurable, versioned scoring model."""
import pytest
from approval_fixtures import APPROVER, CERT, REVIEWER, staff, step
from supervision_helpers import PROVINCE_SUPERVISOR, accepted, bj, concluded, tick

from tongban.platform.audit import history
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.stats.evaluation import ranking, score_model, set_score_model
from tongban.tenants.isolation import TenantContext

ADMIN = staff("admin", "46", "province_admin", subtree=True)
SANYA_CLERK = staff("sy-clerk", "4602", "window_clerk")


def test_a_tenant_with_cards_ranks_below_one_that_concluded_early(engine, db):
    for _ in range(3):  # Sanya concludes three cases the day after acceptance: early
        case_id = accepted(engine, db, bj(2026, 3, 2), tenant="4602", clerk=SANYA_CLERK)
        for role in ("reviewer", "approver", "certificate_clerk"):
            step(engine, db, case_id, "approve", staff(role, "4602", role), now=bj(2026, 3, 3))
    accepted(engine, db, bj(2026, 3, 2))  # Haikou lets one run late: warning, node and yellow
    tick(db, bj(2026, 3, 2, 12))
    tick(db, bj(2026, 3, 25))
    ranked = ranking(db, PROVINCE_SUPERVISOR, "46", "2026-03")
    assert [(r["tenant"], r["rank"]) for r in ranked] == [("4602", 1), ("4601", 2)]
    assert ranked[0]["score"] == 100.3 and ranked[1]["score"] == 98.0  # +3 × 0.1; −1 yellow × 2 (warnings weigh 0)

    set_score_model(db, "2026-03", {"yellow": 10.0, "early": 1.0}, actor=ADMIN)
    assert score_model(db, "2026-03")["yellow"] == 10.0 and score_model(db, "2026-04")["yellow"] == 2.0
    ranked = {r["tenant"]: r["score"] for r in ranking(db, PROVINCE_SUPERVISOR, "46", "2026-03")}
    assert ranked == {"4602": 103.0, "4601": 90.0}
    cities = ranking(db, PROVINCE_SUPERVISOR, "46", "2026-03", level="city_county")
    assert [r["tenant"] for r in cities] == ["4602", "4601"]
    departments = ranking(db, PROVINCE_SUPERVISOR, "46", "2026-03", by="department")
    assert [r["department"] for r in departments] == ["market_regulation"]
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert history(s, "score_model", "2026-03")[0].actor == ADMIN.subject


def test_only_province_admins_set_known_weights(db):
    with pytest.raises(SupervisionError):
        set_score_model(db, "*", {"yellow": 1.0}, actor=staff("hk", "4601", "tenant_admin", subtree=True))
    with pytest.raises(SupervisionError) as refused:
        set_score_model(db, "*", {"bonus": 1.0}, actor=ADMIN)
    assert refused.value.field == "bonus"


__all__ = ["APPROVER", "CERT", "REVIEWER", "concluded"]
