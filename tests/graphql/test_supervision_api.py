"""Supervision over the API: a supervisor lists the alerts of their subtree, filters and pages them, confirms a
pending card, orders 督办 and closes it after the department's rectification; statistics of a subtree with
breakdowns and the drill-down; applicants rate a case (好差评), a bad rating needs a reason."""
import pytest
from graphql_support import codes_of, data_of, post, staff_token
from graphql_world import build_world, put_alert

from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.supervision.service import SupervisionService
from tongban.platform.supervision.tick import tick

ALERTS = """query($first: Int, $after: String, $f: AlertFilter) { alerts(tenant: "4601", first: $first, after: $after,
  filter: $f) { totalCount pageInfo { hasNextPage endCursor } nodes { id severity state caseNumber department
  ruleNameZh tenant { code } supervisor { code } } } }"""
ALERT = """query($id: ID!) { alert(tenant: "4601", id: $id) { state correctionDueAt events { action fromState toState
  comment details } } }"""
PAYLOAD = "alert { id state correctionDueAt } errors { code field messageZh }"


@pytest.fixture
def world(api, identity, published, db, settings):
    return build_world(api, identity, db, settings)


def _dispose(api, w, field, input_type, values):
    query = f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {PAYLOAD} }} }}"
    return data_of(post(api, query, {"input": {"tenant": "4601", **values}}, token=w.tokens["haikou"]))[field]


def test_a_supervisor_lists_filters_and_pages_the_alerts_of_their_subtree(api, db, world):
    pending = put_alert(db, int(world.case_id), world.number, state="pending")
    put_alert(db, 999999, "4602-20260101-000001", tenant="4602", supervisor="4602")  # not in 海口's subtree
    token = world.tokens["haikou"]
    page = data_of(post(api, ALERTS, {"first": 1}, token=token))["alerts"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert page["nodes"][0]["id"] == str(pending) and page["nodes"][0]["ruleNameZh"] == "超承诺时限（黄牌）"
    assert page["nodes"][0]["tenant"]["code"] == "460105100" and page["nodes"][0]["supervisor"]["code"] == "4601"
    rest = data_of(post(api, ALERTS, {"first": 5, "after": page["pageInfo"]["endCursor"]}, token=token))["alerts"]
    assert [n["id"] for n in rest["nodes"]] == [world.alert_id] and not rest["pageInfo"]["hasNextPage"]
    issued = data_of(post(api, ALERTS, {"f": {"state": "ISSUED", "severity": "YELLOW"}}, token=token))["alerts"]
    assert [n["id"] for n in issued["nodes"]] == [world.alert_id]
    assert data_of(post(api, ALERTS, {"f": {"severity": "RED"}}, token=token))["alerts"]["totalCount"] == 0
    too_many = post(api, ALERTS, {"first": 101}, token=token).json()
    assert codes_of(too_many) == ["BAD_USER_INPUT"]


def test_confirm_then_order_correction_then_close_after_rectification(api, db, world):
    pending = str(put_alert(db, int(world.case_id), world.number, state="pending"))
    confirmed = _dispose(api, world, "confirmAlert", "AlertCommentInput", {"alertId": pending, "comment": "属实"})
    assert confirmed["errors"] == [] and confirmed["alert"]["state"] == "issued"
    again = _dispose(api, world, "confirmAlert", "AlertCommentInput", {"alertId": pending})
    assert again["alert"] is None and again["errors"][0]["code"] == "wrong_state" and again["errors"][0]["messageZh"]
    blank = _dispose(api, world, "orderCorrection", "OrderCorrectionInput", {"alertId": pending, "instructions": " "})
    assert [(e["code"], e["field"]) for e in blank["errors"]] == [("instructions_required", "instructions")]
    ordered = _dispose(api, world, "orderCorrection", "OrderCorrectionInput",
                       {"alertId": pending, "instructions": "三个工作日内办结并说明超期原因", "days": 3})
    assert ordered["errors"] == [] and ordered["alert"]["state"] == "under_supervision"
    assert ordered["alert"]["correctionDueAt"]
    early = _dispose(api, world, "reviewRectification", "ReviewRectificationInput", {"alertId": pending, "accept": True})
    assert early["errors"][0]["code"] == "wrong_state"
    department = Actor("market-head", "市场监管局负责人", "staff", department="市场监督管理局",
                       grants=(RoleGrant("approver", "460105100", "/46/4601/460105/460105100/"),))
    SupervisionService(db).rectify(department, "460105100", int(pending), report="已办结，已约谈经办人")
    closed = _dispose(api, world, "reviewRectification", "ReviewRectificationInput",
                      {"alertId": pending, "accept": True, "comment": "整改到位"})
    assert closed["errors"] == [] and closed["alert"]["state"] == "closed"
    log = data_of(post(api, ALERT, {"id": pending}, token=world.tokens["haikou"]))["alert"]["events"]
    assert [e["action"] for e in log] == ["confirm", "order_correction", "rectify", "accept_rectification"]


def test_a_withdrawal_needs_a_reason(api, world):
    refused = _dispose(api, world, "withdrawAlert", "AlertReasonInput", {"alertId": world.alert_id, "reason": " "})
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("reason_required", "reason")]
    done = _dispose(api, world, "withdrawAlert", "AlertReasonInput", {"alertId": world.alert_id, "reason": "系统误报"})
    assert done["alert"]["state"] == "withdrawn"


STATS = """query($t: String!, $f: StatisticsFilter) { statistics(tenant: $t, filter: $f) {
  totals { received accepted onTimeRate cards }
  byItem: breakdown(by: ITEM) { key figures { received } }
  byTenant: breakdown(by: TENANT) { key name figures { received } }
  drillDown { key name figures { received } } } }"""


def test_statistics_of_a_subtree_with_breakdowns_and_drill_down(api, db, world):
    tick(db)
    province = data_of(post(api, STATS, {"t": "46"}, token=_province(world)))["statistics"]
    assert province["totals"]["received"] == 1
    assert province["byItem"] == [{"key": "PROMISED", "figures": {"received": 1}}]
    assert province["byTenant"] == [{"key": "460105100", "name": "长流镇", "figures": {"received": 1}}]
    haikou = next(r for r in province["drillDown"] if r["key"] == "4601")
    assert haikou["figures"]["received"] == 1 and haikou["name"] == "海口市"
    assert all(r["figures"]["received"] == 0 for r in province["drillDown"] if r["key"] != "4601")
    later = data_of(post(api, STATS, {"t": "4601", "f": {"fromMonth": "2099-01"}}, token=world.tokens["haikou"]))
    assert later["statistics"]["totals"]["received"] == 0
    bad = post(api, STATS, {"t": "4601", "f": {"fromMonth": "2026-13"}}, token=world.tokens["haikou"]).json()
    assert codes_of(bad) == ["BAD_USER_INPUT"] and bad["errors"][0]["extensions"]["field"] == "fromMonth"


def _province(world):
    return world.tokens["province"]


RATE = """mutation($input: RateCaseInput!) { rateCase(input: $input) { rating { level labelZh bad reason
  rectificationState rectificationDueAt } errors { code field } } }"""


def test_the_applicant_rates_a_case_once_and_a_bad_rating_needs_a_reason(api, db, world):
    from sqlalchemy import update

    from tongban.platform.approval.models import Case
    from tongban.tenants.isolation import TenantContext

    citizen = world.tokens["citizen"]
    early = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 5}}, token=citizen))["rateCase"]
    assert early == {"rating": None, "errors": [{"code": "not_done", "field": None}]}  # still being handled
    with db.unit_of_work(TenantContext.system("test: the case is concluded")) as s:
        s.execute(update(Case).where(Case.id == int(world.case_id)).values(state="concluded", result="approved"))
    no_reason = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 2}}, token=citizen))["rateCase"]
    assert no_reason == {"rating": None, "errors": [{"code": "reason_required", "field": "reason"}]}
    out_of_range = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 9}}, token=citizen))["rateCase"]
    assert out_of_range["errors"] == [{"code": "level_invalid", "field": "level"}]
    rated = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 2, "reason": "窗口排队太久"}},
                         token=citizen))["rateCase"]
    assert rated["errors"] == [] and rated["rating"]["bad"] and rated["rating"]["labelZh"] == "不满意"
    assert rated["rating"]["rectificationState"] == "open" and rated["rating"]["rectificationDueAt"]
    twice = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 5}}, token=citizen))["rateCase"]
    assert twice["errors"] == [{"code": "already_rated", "field": None}]


def _answer(api, token, field, input_type, values):
    query = f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {PAYLOAD} }} }}"
    return data_of(post(api, query, {"input": {"tenant": "460105100", **values}}, token=token))[field]


def test_the_department_appeals_a_card_and_answers_supervision_with_a_rectification_report(api, identity, world):
    department = staff_token(identity, ("approver", "460105100", False), subject="changliu-approver",
                             scope="supervision:read supervision:write")
    card = world.alert_id
    blank = _answer(api, department, "appealAlert", "AppealAlertInput", {"alertId": card, "reasons": " "})
    assert blank["alert"] is None and [(e["code"], e["field"]) for e in blank["errors"]] == [("reason_required", "reasons")]
    assert blank["errors"][0]["messageZh"] == "申诉必须说明理由"
    early = _answer(api, department, "rectifyAlert", "RectifyAlertInput", {"alertId": card, "report": "已整改"})
    assert early["alert"] is None and early["errors"][0]["code"] == "wrong_state" and early["errors"][0]["messageZh"]
    appealed = _answer(api, department, "appealAlert", "AppealAlertInput",
                       {"alertId": card, "reasons": "申请人补正期间不计时，系统误判超期"})
    assert appealed["errors"] == [] and appealed["alert"]["state"] == "appealed"
    kept = _dispose(api, world, "decideAlertAppeal", "AppealDecisionInput",
                    {"alertId": card, "decision": "REJECT", "reason": "补正已于当日办结，超期属实"})
    assert kept["alert"]["state"] == "issued"
    _dispose(api, world, "orderCorrection", "OrderCorrectionInput", {"alertId": card, "instructions": "三日内整改", "days": 3})
    no_report = _answer(api, department, "rectifyAlert", "RectifyAlertInput", {"alertId": card, "report": ""})
    assert [(e["code"], e["field"]) for e in no_report["errors"]] == [("reason_required", "report")]
    report_pdf = b"%PDF-1.4\n% rectification report\n%%EOF\n"
    refused = api.post("/graphql/uploads/attachments", headers={"Authorization": f"Bearer {department}"},
                       files={"file": ("整改报告.pdf", b"not a pdf at all", "application/pdf")})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "attachment_invalid"
    uploaded = api.post("/graphql/uploads/attachments", headers={"Authorization": f"Bearer {department}"},
                        files={"file": ("整改报告.pdf", report_pdf, "application/pdf")})
    assert uploaded.status_code == 201 and uploaded.json()["name"] == "整改报告.pdf"
    reference = uploaded.json()["attachment"]
    forged = _answer(api, department, "rectifyAlert", "RectifyAlertInput",
                     {"alertId": card, "report": "已整改", "attachments": [reference[:-4] + "AAAA"]})
    assert [(e["code"], e["field"]) for e in forged["errors"]] == [("attachment_unknown", "attachments.0")]
    rectified = _answer(api, department, "rectifyAlert", "RectifyAlertInput",
                        {"alertId": card, "report": "已办结，已约谈经办人并调整排班", "attachments": [reference]})
    assert rectified["errors"] == [] and rectified["alert"]["state"] == "rectification_submitted"
    closed = _dispose(api, world, "reviewRectification", "ReviewRectificationInput",
                      {"alertId": card, "accept": True, "comment": "整改到位"})
    assert closed["alert"]["state"] == "closed"
    log = data_of(post(api, ALERT, {"id": card}, token=world.tokens["haikou"]))["alert"]["events"]
    assert [e["action"] for e in log] == ["appeal", "reject_appeal", "order_correction", "rectify",
                                         "accept_rectification"]
    assert log[3]["comment"] == "已办结，已约谈经办人并调整排班"
    assert [a["name"] for a in log[3]["details"]["attachments"]] == ["整改报告.pdf"]
