"""The rest of the case actions through the API — forward, roll back, deliver, charge and pay, report up — each
the approval engine's own action: its refusals come back as field-level errors and change nothing."""
from approval_fixtures import publish
from catalogue_fixtures import content
from graphql_support import ACCEPT, CASE, STEP, TOWNSHIP, citizen_token, data_of, post, staff_token, submit

from tongban.configurator.flows.examples import _accept, _conclude, _edge, _node

STAFF = [(role, TOWNSHIP, False) for role in ("window_clerk", "reviewer", "approver", "certificate_clerk", "cashier")]
PAYLOAD = "case { state feeDue feePaid deliveredAt tasks { id nodeId assignee } } errors { code field }"


def _mutate(api, token, field, input_type, variables):
    query = f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {PAYLOAD} }} }}"
    return data_of(post(api, query, {"input": variables}, token=token))[field]


def _task(api, token, case_id):
    (task,) = data_of(post(api, CASE, {"id": case_id}, token=token))["case"]["tasks"]
    return task


def _accepted(api, identity, token, item="PROMISED"):
    case = submit(api, identity, item=item)["data"]["submitApplication"]["case"]
    task = _task(api, token, case["id"])
    assert data_of(post(api, ACCEPT, {"input": {"caseId": case["id"], "taskId": task["id"]}},
                        token=token))["acceptCase"]["errors"] == []
    return case["id"]


def test_forward_roll_back_and_deliver(api, identity, published):
    staff = staff_token(identity, *STAFF)
    case_id = _accepted(api, identity, staff)
    review = _task(api, staff, case_id)
    forwarded = _mutate(api, staff, "forwardCase", "ForwardInput",
                        {"caseId": case_id, "taskId": review["id"], "assignee": "staff-test", "comment": "请核查"})
    assert forwarded["errors"] == [] and forwarded["case"]["tasks"][0]["assignee"] == "staff-test"
    assert _mutate(api, staff, "forwardCase", "ForwardInput", {"caseId": case_id, "taskId": review["id"]})["errors"] == [
        {"code": "target_required", "field": "department"}]
    data_of(post(api, STEP, {"input": {"caseId": case_id, "taskId": review["id"]}}, token=staff))
    decide = _task(api, staff, case_id)
    assert decide["nodeId"] == "decide"
    no_reason = _mutate(api, staff, "rollBackCase", "RollBackInput", {"caseId": case_id, "taskId": decide["id"], "comment": " "})
    assert no_reason["errors"] == [{"code": "reason_required", "field": "comment"}]
    assert [t["nodeId"] for t in no_reason["case"]["tasks"]] == ["decide"]
    back = _mutate(api, staff, "rollBackCase", "RollBackInput", {"caseId": case_id, "taskId": decide["id"],
                                                                 "comment": "补充核查经营场所"})
    assert back["errors"] == [] and [t["nodeId"] for t in back["case"]["tasks"]] == ["review"]
    not_yet = _mutate(api, staff, "deliverResult", "DeliverInput", {"caseId": case_id, "method": "WINDOW"})
    assert not_yet["errors"][0]["code"] == "wrong_state" and not_yet["case"]["deliveredAt"] is None
    for _ in ("review", "decide", "certificate"):
        task = _task(api, staff, case_id)
        assert data_of(post(api, STEP, {"input": {"caseId": case_id, "taskId": task["id"]}}, token=staff))[
            "approveCase"]["errors"] == []
    delivered = _mutate(api, staff, "deliverResult", "DeliverInput", {"caseId": case_id, "method": "POST"})
    assert delivered["errors"] == [] and delivered["case"]["state"] == "CONCLUDED" and delivered["case"]["deliveredAt"]
    again = _mutate(api, staff, "deliverResult", "DeliverInput", {"caseId": case_id, "method": "POST"})
    assert again["errors"] == [{"code": "delivered", "field": None}]


def _fee_item(db):
    body = content("FEE", "建筑垃圾处置核准")
    body["flow"] = {"name": {"zh": "收费事项", "en": "Item with a fee"},
                    "nodes": [_accept(), _node("fee", "pay_fee", "缴费", "Pay fee", time_limit_days=2,
                                                assignment={"role": "cashier"}), _conclude()],
                    "edges": [_edge("accept", "fee"), _edge("fee", "conclude")]}
    publish(db, "FEE", body)


def test_charge_then_the_applicant_pays_then_the_step_closes(api, identity, published, db):
    _fee_item(db)
    staff, citizen = staff_token(identity, *STAFF), citizen_token(identity)
    case_id = _accepted(api, identity, staff, item="FEE")
    fee = _task(api, staff, case_id)
    assert fee["nodeId"] == "fee"
    standard = data_of(post(api, '{ case(id: "%s") { feeDue } }' % case_id, token=staff))["case"]["feeDue"]
    bad = _mutate(api, staff, "chargeFee", "ChargeInput", {"caseId": case_id, "taskId": fee["id"], "amount": "一百"})
    assert bad["errors"] == [{"code": "invalid_amount", "field": "amount"}] and bad["case"]["feeDue"] == standard
    charged = _mutate(api, staff, "chargeFee", "ChargeInput", {"caseId": case_id, "taskId": fee["id"], "amount": "120"})
    assert charged["errors"] == [] and charged["case"]["feeDue"] == "120.00"
    unpaid = data_of(post(api, STEP, {"input": {"caseId": case_id, "taskId": fee["id"]}}, token=staff))["approveCase"]
    assert unpaid["errors"][0]["code"] == "fee_unpaid"
    paid = _mutate(api, citizen, "payFee", "PayInput", {"caseId": case_id, "reference": "FS-2026-0001"})
    assert paid["errors"] == [] and paid["case"]["feePaid"] is True
    twice = _mutate(api, citizen, "payFee", "PayInput", {"caseId": case_id, "reference": "FS-2026-0001"})
    assert twice["errors"][0]["code"] == "nothing_to_pay"
    done = data_of(post(api, STEP, {"input": {"caseId": case_id, "taskId": fee["id"]}}, token=staff))["approveCase"]
    assert done["errors"] == [] and done["case"]["state"] == "CONCLUDED"


def test_a_township_reports_a_case_up(api, identity, published):
    from sqlalchemy import select

    from tongban.platform.identity import accounts
    from tongban.platform.identity.models import Account
    from tongban.platform.identity.seed import DEMO_PASSWORD

    with identity.unit() as session:
        accounts.register_staff(session, identity.config.passwords, username="changliu.civil.api", password=DEMO_PASSWORD,
                                name="民政专干", home_tenant_code=TOWNSHIP, department="civil_affairs")
        subject = session.scalar(select(Account.subject).where(Account.username == "changliu.civil.api"))
    staff = staff_token(identity, ("window_clerk", TOWNSHIP, False), ("social_assistance_officer", TOWNSHIP, False),
                        ("township_leader", TOWNSHIP, False), subject=subject)
    case_id = _accepted(api, identity, staff, item="REPORT")
    survey = _task(api, staff, case_id)
    data_of(post(api, STEP, {"input": {"caseId": case_id, "taskId": survey["id"]}}, token=staff))
    report = _task(api, staff, case_id)
    assert report["nodeId"] == "report"
    reported = _mutate(api, staff, "reportCaseUp", "ReportUpInput", {"caseId": case_id, "taskId": report["id"],
                                                                     "comment": "经入户调查符合条件"})
    assert reported["errors"] == [] and reported["case"]["state"] == "REPORTED" and reported["case"]["tasks"] == []
    again = _mutate(api, staff, "reportCaseUp", "ReportUpInput", {"caseId": case_id, "taskId": report["id"]})
    assert again["errors"][0]["code"] in ("task_done", "wrong_state") and again["case"]["state"] == "REPORTED"
