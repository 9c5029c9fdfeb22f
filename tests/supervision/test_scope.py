"""Two-level supervision: the province sees everything, a city or county its own subtree, through an
audited scope; departments see only the alerts against them."""
import pytest
from approval_fixtures import staff
from supervision_helpers import HAIKOU_SUPERVISOR, PROVINCE_SUPERVISOR, SANYA_SUPERVISOR, accepted, bj, tick
from tests_support import tenant_row

from tongban.platform.supervision.errors import Forbidden, NotFound
from tongban.tenants.access import access_log
from tongban.tenants.isolation import TenantContext


def two_cities(engine, db):
    haikou = accepted(engine, db, bj(2026, 3, 2), tenant="4601")
    sanya = accepted(engine, db, bj(2026, 3, 2), tenant="4602", clerk=staff("sy-clerk", "4602", "window_clerk"))
    tick(db, bj(2026, 3, 2, 12))
    tick(db, bj(2026, 4, 15))
    return haikou, sanya


def test_each_supervisor_sees_only_their_subtree(engine, db, supervision):
    haikou, sanya = two_cities(engine, db)
    everything = supervision.list_alerts(PROVINCE_SUPERVISOR, "46", reason="全省月度监察")
    assert {a["case_id"] for a in everything["alerts"]} == {haikou, sanya}
    mine = supervision.list_alerts(SANYA_SUPERVISOR, "4602", severity="yellow")
    assert {a["case_id"] for a in mine["alerts"]} == {sanya} and mine["total"] == 1
    haikou_alert = supervision.list_alerts(HAIKOU_SUPERVISOR, "4601")["alerts"][0]
    with pytest.raises(NotFound):
        supervision.get_alert(SANYA_SUPERVISOR, "4602", haikou_alert["id"])
    with pytest.raises(Forbidden):
        supervision.list_alerts(SANYA_SUPERVISOR, "4601")
    with pytest.raises(NotFound):
        supervision.withdraw(SANYA_SUPERVISOR, "4602", haikou_alert["id"], reason="not mine")
    with db.unit_of_work(TenantContext.of(tenant_row(db, "46"))) as s:
        assert [(e.actor, e.reason) for e in access_log(s)] == [(PROVINCE_SUPERVISOR.subject, "全省月度监察")]


def test_a_department_sees_and_answers_only_its_own_alerts(engine, db, supervision):
    haikou, _sanya = two_cities(engine, db)
    market = staff("m", "4601", "approver", department="市场监督管理局")
    other = staff("o", "4601", "approver", department="税务局")
    assert {a["case_id"] for a in supervision.department_alerts(market, "4601")} == {haikou}
    assert supervision.department_alerts(other, "4601") == []
    sanya_alert = supervision.list_alerts(SANYA_SUPERVISOR, "4602")["alerts"][0]
    with pytest.raises(NotFound):
        supervision.appeal(market, "4601", sanya_alert["id"], reasons="?")
    with pytest.raises(NotFound):
        supervision.appeal(market, "4602", sanya_alert["id"], reasons="?")
