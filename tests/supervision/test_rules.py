"""Rules are seeded, edited by province admins only, versioned and audited; an edit moves the timers."""
import pytest
from approval_fixtures import staff
from sqlalchemy import select
from supervision_helpers import accepted, bj, fire_instant, rules_fired, tick

from tongban.platform.audit import history
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.models import Alert
from tongban.platform.supervision.rules import DEFAULTS, current_rules, rule_history, update_rule
from tongban.platform.supervision.sync import rearm_all
from tongban.tenants.isolation import TenantContext

ADMIN = staff("admin", "46", "province_admin", subtree=True)


def test_the_defaults_are_the_deployed_rule_set(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        rules = current_rules(s)
    assert set(rules) == {r.code for r in DEFAULTS}
    assert (rules["case_warning"].threshold_days, rules["case_yellow"].threshold_days, rules["case_red"].threshold_days) == (2, 1, 1)
    assert rules["case_red"].auto_issue is False and rules["case_yellow"].auto_issue is True
    assert {rules[c].severity for c in ("case_warning", "case_yellow", "case_red")} == {"warning", "yellow", "red"}


def test_an_edit_is_a_new_audited_version_and_only_for_province_admins(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        with pytest.raises(SupervisionError) as refused:
            update_rule(s, "case_yellow", {"threshold_days": 3}, actor=staff("hk", "4601", "tenant_admin", subtree=True))
        assert refused.value.code == "forbidden"
        with pytest.raises(SupervisionError) as refused:
            update_rule(s, "case_yellow", {"threshold_days": -1}, actor=ADMIN)
        assert refused.value.field == "threshold_days"
        update_rule(s, "case_yellow", {"threshold_days": 3, "auto_issue": False}, actor=ADMIN)
    with db.unit_of_work(TenantContext.system("t")) as s:
        versions = rule_history(s, "case_yellow")
        assert [(r.version, r.threshold_days, r.auto_issue) for r in versions] == [(1, 1, True), (2, 3, False)]
        (change,) = history(s, "supervision_rule", "case_yellow")
        assert change.actor == ADMIN.subject and change.diff["threshold_days"] == [1, 3]


def test_a_new_threshold_moves_the_armed_timers_and_a_disabled_rule_fires_no_more(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    tick(db, bj(2026, 3, 2, 12))
    assert fire_instant(db, case_id, "case_yellow") == bj(2026, 3, 18, 0)  # 11 working days
    with db.unit_of_work(TenantContext.system("t")) as s:
        update_rule(s, "case_yellow", {"threshold_days": 3}, actor=ADMIN)
        update_rule(s, "case_warning", {"enabled": False}, actor=ADMIN)
    assert rearm_all(db, bj(2026, 3, 2, 13)) == 1
    assert fire_instant(db, case_id, "case_yellow") == bj(2026, 3, 20, 0)  # 13 working days
    tick(db, bj(2026, 3, 20, 0))
    assert rules_fired(db, case_id) == ["case_yellow", "node_overdue"]
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert s.scalars(select(Alert.rule_version).where(Alert.rule_code == "case_yellow")).all() == [2]
