"""Confirm, appeal and its three outcomes, 督办 and rectification, escalation of an unanswered 督办."""
import pytest
from approval_fixtures import staff
from sqlalchemy import func, select
from supervision_helpers import HAIKOU_SUPERVISOR, PROVINCE_SUPERVISOR, accepted, alerts, bj, tick

from tongban.platform.notify.outbox import OutboxMessage
from tongban.platform.supervision.errors import Forbidden, SupervisionError, WrongState
from tongban.platform.supervision.models import Rollup
from tongban.tenants.isolation import TenantContext

MARKET = "市场监督管理局"  # as an account may carry it; alerts name the department by its code
MARKET_CODE = "market_regulation"
DEPARTMENT = staff("market-head", "4601", "approver", department=MARKET)


def carded(engine, db, rule="case_yellow"):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    tick(db, bj(2026, 3, 2, 12))
    tick(db, bj(2026, 4, 15))
    (alert,) = alerts(db, case_id, rule)
    return alert


def cards(db, column):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalar(select(func.sum(getattr(Rollup, column))).where(Rollup.tenant_id == "4601")) or 0


def history(supervision, alert_id):
    return [e["action"] for e in supervision.get_alert(PROVINCE_SUPERVISOR, "46", alert_id)["events"]]


def test_an_appeal_escalated_to_the_province_and_withdrawn_there(engine, db, supervision):
    alert = carded(engine, db)
    assert (alert.state, alert.department, alert.supervisor_code) == ("issued", MARKET_CODE, "4601")
    assert cards(db, "yellow_cards") == 1
    with pytest.raises(SupervisionError) as refused:
        supervision.appeal(DEPARTMENT, "4601", alert.id, reasons=" ")
    assert refused.value.field == "reason"
    supervision.appeal(DEPARTMENT, "4601", alert.id, reasons="申请人要求延期受理，有书面申请", attachments=["delay.pdf"])
    escalated = supervision.decide_appeal(HAIKOU_SUPERVISOR, "4601", alert.id, decision="escalate", reason="涉及跨部门")
    assert (escalated["state"], escalated["supervisor"]) == ("appealed", "46")
    with pytest.raises(Forbidden):
        supervision.decide_appeal(HAIKOU_SUPERVISOR, "4601", alert.id, decision="withdraw", reason="同意")
    done = supervision.decide_appeal(PROVINCE_SUPERVISOR, "46", alert.id, decision="withdraw", reason="申诉理由成立")
    assert done["state"] == "withdrawn" and cards(db, "yellow_cards") == 0
    assert history(supervision, alert.id) == ["raise", "appeal", "escalate", "withdraw"]


def test_a_rejected_appeal_leaves_the_card_standing(engine, db, supervision):
    alert = carded(engine, db)
    supervision.appeal(DEPARTMENT, "4601", alert.id, reasons="系统故障")
    assert supervision.decide_appeal(HAIKOU_SUPERVISOR, "4601", alert.id, decision="reject",
                                     reason="无故障记录")["state"] == "issued"
    assert cards(db, "yellow_cards") == 1
    with pytest.raises(WrongState):
        supervision.decide_appeal(HAIKOU_SUPERVISOR, "4601", alert.id, decision="reject", reason="again")


def test_a_red_card_confirmed_then_supervised_until_rectified(engine, db, supervision, contacts):
    alert = carded(engine, db, "case_red")
    assert alert.state == "pending" and cards(db, "red_cards") == 0
    with pytest.raises(WrongState):
        supervision.appeal(DEPARTMENT, "4601", alert.id, reasons="not yet issued")
    supervision.confirm(HAIKOU_SUPERVISOR, "4601", alert.id, now=bj(2026, 4, 15, 9))
    assert cards(db, "red_cards") == 1
    ordered = supervision.order_correction(HAIKOU_SUPERVISOR, "4601", alert.id, instructions="限期办结并说明原因",
                                           days=3, now=bj(2026, 4, 15, 10))
    assert ordered["state"] == "under_supervision" and ordered["correction_due_at"] == bj(2026, 4, 21, 0)
    supervision.rectify(DEPARTMENT, "4601", alert.id, report="已办结，已约谈经办人", attachments=["talk.pdf"],
                        now=bj(2026, 4, 16))
    sent_back = supervision.review_rectification(HAIKOU_SUPERVISOR, "4601", alert.id, accept=False,
                                                 comment="缺少整改制度", days=2, now=bj(2026, 4, 16, 15))
    assert sent_back["state"] == "under_supervision" and sent_back["correction_due_at"] == bj(2026, 4, 21, 0)
    supervision.rectify(DEPARTMENT, "4601", alert.id, report="补充整改制度", attachments=["rules.pdf"])
    closed = supervision.review_rectification(HAIKOU_SUPERVISOR, "4601", alert.id, accept=True, comment="通过")
    assert closed["state"] == "closed" and cards(db, "red_cards") == 1
    assert history(supervision, alert.id) == ["raise", "confirm", "order_correction", "rectify",
                                              "reject_rectification", "rectify", "accept_rectification"]
    with db.unit_of_work(TenantContext.system("t")) as s:
        sent = [(m.recipient, m.topic) for m in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if m.reference.get("alert") == alert.id]
    department, supervisors = f"{MARKET_CODE}@4601.gov.test", "supervisor@4601.gov.test"
    assert sent == [(supervisors, "alert_raised"), (department, "alert_confirmed"),
                    (department, "alert_under_supervision"), (supervisors, "alert_rectified"),
                    (department, "alert_rectification_rejected"), (supervisors, "alert_rectified"),
                    (department, "alert_closed")]


def test_a_supervision_order_unanswered_by_its_deadline_goes_up_a_level(engine, db, supervision):
    alert = carded(engine, db)
    supervision.order_correction(HAIKOU_SUPERVISOR, "4601", alert.id, instructions="说明超期原因", days=2,
                                 now=bj(2026, 4, 17, 10))  # Friday: 20 and 21 April → due 22 April 00:00
    tick(db, bj(2026, 4, 21, 23, 59))
    assert alerts(db, alert.case_id, "case_yellow")[0].supervisor_code == "4601"
    result = tick(db, bj(2026, 4, 22, 0))
    assert result.escalated == [alert.id]
    after = alerts(db, alert.case_id, "case_yellow")[0]
    assert (after.supervisor_code, after.escalations, after.correction_due_at, after.state) == ("46", 1, None, "under_supervision")
    assert history(supervision, alert.id)[-1] == "escalate"
    tick(db, bj(2026, 5, 1))
    assert alerts(db, alert.case_id, "case_yellow")[0].escalations == 1


def test_a_card_reaches_the_departments_staff_and_the_supervisors_in_the_directory(engine, db):
    """No stand-in mailboxes: the accounts of the identity room, by department code and supervisor grant."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.grants import grant_role
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.permissions import Role

    people = [("hk.market", "approver", MARKET), ("hk.tax", "approver", "税务局"), ("hk.watch", "supervisor", "")]
    with db.unit_of_work(TenantContext.system("staff")) as session:
        for username, role, department in people:
            account = accounts.register_staff(session, Passwords(fast_hasher()), username=username,
                                              password="Tongban@2026", name=username, home_tenant_code="4601",
                                              department=department, contact=accounts.Contact(f"{username}@gov.test"))
            grant_role(session, account=account, role=Role(role), tenant_code="4601", extends_to_subtree=False,
                       granter=None, actor="test")
    alert = carded(engine, db)
    assert alert.state == "issued" and alert.department == MARKET_CODE
    with db.unit_of_work(TenantContext.system("t")) as s:
        sent = sorted((m.recipient, m.topic) for m in s.scalars(select(OutboxMessage))
                      if m.reference.get("alert") == alert.id)
    assert sent == [("hk.market@gov.test", "alert_issued"), ("hk.watch@gov.test", "alert_raised")]
