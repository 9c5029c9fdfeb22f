"""差评整改 over the API, the steps the workbench, console and portal take on screen: the department the bad rating
is about lists it, reports its rectification and calls the rater back — another department or tenant cannot, and
sees nothing; the rater confirms (or sends it back); the department appeals and a supervisor of the subtree
decides. Refusals are field-level errors in both languages and change nothing."""
import pytest
from graphql_support import TOWNSHIP, data_of, mint_token, post, staff_token
from graphql_world import EVERY_SCOPE, build_world
from sqlalchemy import update

from tongban.platform.approval.models import Case
from tongban.tenants.isolation import TenantContext

SUPERVISION = "supervision:read supervision:write"
RATE = """mutation($input: RateCaseInput!) { rateCase(input: $input) { rating { id rectificationState }
  errors { code } } }"""
TO_RECTIFY = """query($t: String) { ratingsToRectify(tenant: $t) { id caseNumber level reason department state
  tenant { code } rectification { state labelZh dueAt report callbackNote } } }"""
BAD = """query($t: String, $appealed: Boolean!) { badRatings(tenant: $t, appealedOnly: $appealed) { id state
  appealReason appealDecision rectification { state labelZh } } }"""
CASE_RATING = """query($id: ID!) { caseRating(caseId: $id) { id level reason rectification { state report
  callbackNote mayConfirm } } }"""
STEP = "rectification { state labelZh report callbackNote applicantSatisfied } errors { field code messageZh messageEn }"
RATED = "rating { id state rectificationState } errors { field code messageZh messageEn }"


@pytest.fixture
def world(api, identity, published, db, settings):
    return build_world(api, identity, db, settings)


def department_staff(identity, username: str, department: str) -> str:
    """A member of 长流镇's staff in ``department`` (identity keeps the department; tokens carry the roles)."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.seed import DEMO_PASSWORD

    with identity.unit() as session:
        account = accounts.register_staff(session, identity.config.passwords, username=username, password=DEMO_PASSWORD,
                                          name=username, home_tenant_code=TOWNSHIP, department=department)
        subject = account.subject
    return staff_token(identity, ("approver", TOWNSHIP, False), subject=subject, scope=SUPERVISION)


@pytest.fixture
def rated(api, db, world):
    """The citizen's case concluded and rated 不满意: the rating's id."""
    with db.unit_of_work(TenantContext.system("test: the case is concluded")) as s:
        s.execute(update(Case).where(Case.id == int(world.case_id)).values(state="concluded", result="approved"))
    answer = data_of(post(api, RATE, {"input": {"caseId": world.case_id, "level": 2, "reason": "窗口排队太久"}},
                          token=world.tokens["citizen"]))["rateCase"]
    assert answer["errors"] == [] and answer["rating"]["rectificationState"] == "open"
    return answer["rating"]["id"]


def step(api, token, field, input_type, values, selection=STEP, tenant=TOWNSHIP):
    query = f"mutation($input: {input_type}!) {{ {field}(input: $input) {{ {selection} }} }}"
    if tenant is not None:
        values = {"tenant": tenant, **values}
    return data_of(post(api, query, {"input": values}, token=token))[field]


def report(api, token, rating, text, tenant=TOWNSHIP):
    return step(api, token, "reportRatingRectification", "ReportRatingRectificationInput",
                {"ratingId": rating, "report": text}, tenant=tenant)


def callback(api, token, rating, note):
    return step(api, token, "recordRatingCallback", "RecordRatingCallbackInput", {"ratingId": rating, "note": note})


def confirm(api, token, rating, satisfied):
    return step(api, token, "confirmRatingRectification", "ConfirmRatingRectificationInput",
                {"ratingId": rating, "satisfied": satisfied}, tenant=None)


def to_rectify(api, token, tenant=TOWNSHIP):
    return data_of(post(api, TO_RECTIFY, {"t": tenant}, token=token))["ratingsToRectify"]


def not_found(payload) -> bool:
    return [(e["field"], e["code"]) for e in payload["errors"]] == [("ratingId", "not_found")]


def test_the_department_rectifies_calls_back_and_the_rater_confirms(api, identity, world, rated):
    market = department_staff(identity, "market.clerk", "市场监督管理局")
    taxation = department_staff(identity, "tax.clerk", "税务局")
    listed = to_rectify(api, market)
    assert [(r["id"], r["caseNumber"], r["department"], r["tenant"]["code"]) for r in listed] == [
        (rated, world.number, "market_regulation", TOWNSHIP)]
    assert listed[0]["rectification"]["state"] == "open" and listed[0]["rectification"]["labelZh"] == "待整改"
    assert to_rectify(api, taxation) == []  # another department's rating is not in its list
    assert not_found(report(api, taxation, rated, "已整改"))  # … and cannot be answered
    assert not_found(report(api, world.tokens["sanya"], rated, "已整改"))  # nor from another tenant
    assert not_found(report(api, world.tokens["sanya"], rated, "已整改", tenant="4602"))
    early = callback(api, market, rated, "已回访")
    assert [(e["field"], e["code"]) for e in early["errors"]] == [(None, "wrong_state")] and early["errors"][0]["messageZh"]
    blank = report(api, market, rated, "  ")
    assert [(e["field"], e["code"], e["messageZh"]) for e in blank["errors"]] == [
        ("report", "report_required", "请填写整改情况")]
    assert to_rectify(api, market)[0]["rectification"]["state"] == "open"  # nothing changed
    reported = report(api, market, rated, "已增开窗口，高峰期分流")
    assert reported["errors"] == [] and reported["rectification"]["state"] == "reported"
    no_note = callback(api, market, rated, "")
    assert [(e["field"], e["code"]) for e in no_note["errors"]] == [("note", "note_required")]
    called = callback(api, market, rated, "申请人表示认可")
    assert called["rectification"]["state"] == "called" and called["rectification"]["labelZh"] == "已回访，待评价人确认"
    seen = data_of(post(api, CASE_RATING, {"id": world.case_id}, token=world.tokens["citizen"]))["caseRating"]
    assert seen["rectification"] == {"state": "called", "report": "已增开窗口，高峰期分流",
                                     "callbackNote": "申请人表示认可", "mayConfirm": True}
    assert data_of(post(api, CASE_RATING, {"id": world.case_id}, token=world.tokens["other"]))["caseRating"] is None
    assert not_found(confirm(api, world.tokens["other"], rated, True))  # only the rater confirms
    again = confirm(api, world.tokens["citizen"], rated, False)
    assert again["errors"] == [] and again["rectification"]["state"] == "open"  # rectified again
    assert again["rectification"]["applicantSatisfied"] is False
    report(api, market, rated, "已调整排班并公示")
    callback(api, market, rated, "申请人满意")
    done = confirm(api, world.tokens["citizen"], rated, True)
    assert done["errors"] == [] and done["rectification"]["state"] == "confirmed"
    assert done["rectification"]["applicantSatisfied"] is True
    assert to_rectify(api, market) == []  # no longer in hand
    twice = confirm(api, world.tokens["citizen"], rated, True)
    assert [e["code"] for e in twice["errors"]] == ["wrong_state"]


def test_the_department_appeals_and_a_supervisor_of_the_subtree_decides(api, identity, world, rated):
    market = department_staff(identity, "market.clerk", "市场监督管理局")
    appeal = lambda reason: step(api, market, "appealRating", "AppealRatingInput",  # noqa: E731
                                 {"ratingId": rated, "reason": reason}, RATED)
    blank = appeal(" ")
    assert [(e["field"], e["code"], e["messageEn"]) for e in blank["errors"]] == [
        ("reason", "reason_required", "An appeal needs a reason")]
    appealed = appeal("申请人当日未到窗口办理，评价对象有误")
    assert appealed["errors"] == [] and appealed["rating"]["state"] == "appealed"
    assert to_rectify(api, market)[0]["state"] == "appealed"
    haikou, sanya = world.tokens["haikou"], world.tokens["sanya"]
    pending = data_of(post(api, BAD, {"t": "4601", "appealed": True}, token=haikou))["badRatings"]
    assert [(r["id"], r["appealReason"]) for r in pending] == [(rated, "申请人当日未到窗口办理，评价对象有误")]
    outside = post(api, BAD, {"t": "4601", "appealed": False}, token=sanya).json()
    assert outside["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # 三亚 does not supervise 海口

    def decide(token, decision, tenant="4601"):
        return step(api, token, "decideRatingAppeal", "DecideRatingAppealInput",
                    {"ratingId": rated, "decision": decision, "reason": "查实评价对象有误"}, RATED, tenant=tenant)

    assert not_found(decide(sanya, "EXCLUDE", tenant="4602"))
    assert not_found(decide(sanya, "EXCLUDE"))
    applicant = post(api, "mutation { decideRatingAppeal(input: {ratingId: \"1\", decision: UPHOLD}) { errors { code } } }",
                     token=world.tokens["citizen"]).json()
    assert applicant["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    excluded = decide(haikou, "EXCLUDE")
    assert excluded["errors"] == [] and excluded["rating"]["state"] == "excluded"
    assert [e["code"] for e in decide(haikou, "UPHOLD")["errors"]] == ["wrong_state"]
    after = data_of(post(api, BAD, {"t": "4601", "appealed": False}, token=haikou))["badRatings"]
    assert [(r["state"], r["appealDecision"], r["rectification"]["state"]) for r in after] == [
        ("excluded", "查实评价对象有误", "void")]
    assert to_rectify(api, market) == []


def test_the_department_lists_need_a_staff_token_with_the_supervision_scope(api, identity, world):
    citizen = post(api, TO_RECTIFY, {"t": TOWNSHIP}, token=world.tokens["citizen"]).json()
    assert citizen["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    no_scope = staff_token(identity, ("approver", TOWNSHIP, False), subject="no-scope", scope="cases:read")
    lacking = post(api, TO_RECTIFY, {"t": TOWNSHIP}, token=no_scope).json()
    assert lacking["errors"][0]["extensions"]["requiredScope"] == "supervision:read"
    clerk = mint_token(identity, subject="clerk", scope=EVERY_SCOPE, user_type="staff",
                       roles=[("window_clerk", TOWNSHIP, False)])
    refused = post(api, TO_RECTIFY, {"t": TOWNSHIP}, token=clerk).json()  # no rating handler's permission there
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
