"""The hook the engine may call in its own unit of work gives the same timers and figures as the tick's sync."""
from supervision_helpers import PROVINCE_SUPERVISOR, accepted, armed, bj, tick

from tongban.platform.approval.models import Case
from tongban.platform.supervision.stats.queries import dashboard
from tongban.platform.supervision.sync import case_changed
from tongban.platform.supervision.tick import calendars_for
from tongban.tenants.isolation import TenantContext


def test_the_hook_arms_timers_and_counts_the_case_before_any_tick(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    with db.unit_of_work(TenantContext.system("engine action")) as s:
        case_changed(s, calendars_for(db).calendar(s), case_id, bj(2026, 3, 2, 10))
        assert s.get(Case, case_id).state == "in_progress"
    hooked = armed(db, case_id)
    assert {rule for rule, _ in hooked} == {"case_warning", "case_yellow", "case_red", "node_overdue"}
    figures = dashboard(db, PROVINCE_SUPERVISOR, "46")
    assert (figures["received"], figures["accepted"]) == (1, 1)
    result = tick(db, bj(2026, 3, 2, 11))
    assert result.cases_synced == 1 and armed(db, case_id) == hooked
    assert dashboard(db, PROVINCE_SUPERVISOR, "46")["received"] == 1  # the sync found nothing left to add


def test_the_hook_works_inside_the_handling_tenants_own_unit_of_work(engine, db):
    from tests_support import tenant_context

    case_id = accepted(engine, db, bj(2026, 3, 2))
    with db.unit_of_work(tenant_context(db, "4601")) as s:  # as ApprovalService.act runs an action
        case_changed(s, calendars_for(db).calendar(s), case_id, bj(2026, 3, 2, 10))
    assert {rule for rule, _ in armed(db, case_id)} == {"case_warning", "case_yellow", "case_red", "node_overdue"}
    assert dashboard(db, PROVINCE_SUPERVISOR, "46")["accepted"] == 1
