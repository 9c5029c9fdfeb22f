"""Case actions through the API call the approval engine: a case goes from application to certificate;
the engine's refusals come back as field-level errors in the payload, and nothing changes."""
from graphql_support import ACCEPT, CASE, STEP, TOWNSHIP, citizen_token, data_of, post, staff_token, submit, upload

CLERK = ("window_clerk", TOWNSHIP, False)
REVIEWER = ("reviewer", TOWNSHIP, False)
APPROVER = ("approver", TOWNSHIP, False)
CERT = ("certificate_clerk", TOWNSHIP, False)


def _open_task(api, token, case_id):
    case = data_of(post(api, CASE, {"id": case_id}, token=token))["case"]
    (task,) = case["tasks"]
    return task


def test_an_application_goes_from_submission_to_certificate(api, identity, published):
    body = submit(api, identity)
    payload = body["data"]["submitApplication"]
    assert payload["errors"] == [] and len(payload["queryCode"]) == 6, body
    case = payload["case"]
    assert case["state"] == "SUBMITTED" and case["handlingTenant"]["code"] == TOWNSHIP
    assert [t["nodeId"] for t in case["tasks"]] == ["accept"]
    staff = staff_token(identity, CLERK, REVIEWER, APPROVER, CERT)
    task = _open_task(api, staff, case["id"])
    accepted = data_of(post(api, ACCEPT, {"input": {"caseId": case["id"], "taskId": task["id"]}}, token=staff))
    assert accepted["acceptCase"]["errors"] == [] and accepted["acceptCase"]["case"]["state"] == "IN_PROGRESS"
    for node in ("review", "decide", "certificate"):
        task = _open_task(api, staff, case["id"])
        assert task["nodeId"] == node
        done = data_of(post(api, STEP, {"input": {"caseId": case["id"], "taskId": task["id"]}}, token=staff))
        assert done["approveCase"]["errors"] == [], done
    mine = data_of(post(api, CASE, {"id": case["id"]}, token=citizen_token(identity)))["case"]
    assert mine["state"] == "CONCLUDED" and mine["result"] == "approved"
    assert [e["action"] for e in mine["events"]] == ["submit", "accept", "approve", "approve", "approve", "conclude"]
    assert all(e["actorName"] is None for e in mine["events"])  # applicants see the steps, not the staff names


def test_field_errors_of_an_invalid_application_are_data(api, identity, published):
    body = submit(api, identity, id_number="123")
    payload = body["data"]["submitApplication"]
    assert payload["case"] is None and payload["queryCode"] is None
    fields = {e["field"]: e for e in payload["errors"]}
    assert "id_number" in fields and fields["id_number"]["messageZh"] and fields["id_number"]["messageEn"]


def test_an_engine_refusal_is_data_and_changes_nothing(api, identity, published):
    case = submit(api, identity)["data"]["submitApplication"]["case"]
    staff = staff_token(identity, CLERK, REVIEWER)
    task = _open_task(api, staff, case["id"])
    refused = data_of(post(api, """mutation($input: ReasonInput!) { rejectCase(input: $input) {
        case { state } errors { code field messageZh } } }""",
                           {"input": {"caseId": case["id"], "taskId": task["id"], "reason": "材料不全"}}, token=staff))
    payload = refused["rejectCase"]
    assert payload["case"]["state"] == "SUBMITTED"
    assert [e["code"] for e in payload["errors"]] == ["wrong_state"]
    no_reason = data_of(post(api, """mutation($input: ReasonInput!) { refuseCase(input: $input) {
        case { state } errors { code field } } }""",
                             {"input": {"caseId": case["id"], "taskId": task["id"], "reason": " "}}, token=staff))
    assert no_reason["refuseCase"]["errors"] == [{"code": "reason_required", "field": "reason"}]


def test_the_applicant_withdraws_and_supplies(api, identity, published):
    citizen = citizen_token(identity)
    case = submit(api, identity)["data"]["submitApplication"]["case"]
    staff = staff_token(identity, CLERK)
    task = _open_task(api, staff, case["id"])
    asked = data_of(post(api, """mutation($input: RequestSupplementInput!) { requestSupplement(input: $input) {
        case { state } errors { code } } }""", {"input": {"caseId": case["id"], "taskId": task["id"],
                                                      "missing": [{"name": "申请书（签字页）", "materialId": "m1"}]}},
                         token=staff))
    assert asked["requestSupplement"] == {"case": {"state": "SUPPLEMENT"}, "errors": []}
    page = upload(api, citizen, "m1", "签字页.pdf").json()["id"]
    supplied = data_of(post(api, """mutation($input: SupplyInput!) { supplyCase(input: $input) {
        case { state } errors { code } } }""", {"input": {"caseId": case["id"], "files": [
        {"materialId": "m1", "files": [{"id": page}]}]}}, token=citizen))
    assert supplied["supplyCase"] == {"case": {"state": "SUBMITTED"}, "errors": []}
    withdrawn = data_of(post(api, """mutation($input: WithdrawInput!) { withdrawCase(input: $input) {
        case { state result } errors { code } } }""", {"input": {"caseId": case["id"], "reason": "不办了"}},
                             token=citizen))
    assert withdrawn["withdrawCase"] == {"case": {"state": "WITHDRAWN", "result": "withdrawn"}, "errors": []}


def test_the_public_progress_query_shows_public_steps_only(api, identity, published):
    submitted = submit(api, identity)["data"]["submitApplication"]
    number, code = submitted["case"]["number"], submitted["queryCode"]
    query = """query($n: String!, $c: String!) { caseProgress(number: $n, queryCode: $c) {
        number state itemName handlingTenantName events { action actorName comment } } }"""
    progress = data_of(post(api, query, {"n": number, "c": code}))["caseProgress"]
    assert progress["number"] == number and progress["state"] == "SUBMITTED" and progress["handlingTenantName"]
    assert progress["events"] == [{"action": "submit", "actorName": None, "comment": None}]
    wrong = "000000" if code != "000000" else "111111"
    assert data_of(post(api, query, {"n": number, "c": wrong}))["caseProgress"] is None
    assert data_of(post(api, query, {"n": "4601-20990101-000001", "c": code}))["caseProgress"] is None


def test_query_codes_cannot_be_guessed_through_the_api(api, identity, published):
    """As on the portal's progress page: after five wrong codes for a case number from one address even the right one
    is refused there for a while — guesses in one request (aliases) count one by one."""
    submitted = submit(api, identity)["data"]["submitApplication"]
    number, code = submitted["case"]["number"], submitted["queryCode"]
    wrong = [f"{n:06d}" for n in range(5) if f"{n:06d}" != code][:4]
    guesses = " ".join(f'g{i}: caseProgress(number: "{number}", queryCode: "{w}") {{ state }}'
                       for i, w in enumerate(wrong))
    assert all(v is None for v in data_of(post(api, f"{{ {guesses} }}")).values())
    last = "999999" if code != "999999" else "888888"
    query = "query($n: String!, $c: String!) { caseProgress(number: $n, queryCode: $c) { state } }"
    assert data_of(post(api, query, {"n": number, "c": last}))["caseProgress"] is None
    refused = post(api, query, {"n": number, "c": code}).json()
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMITED" and "15 分钟" in refused["errors"][0]["message"]


def test_a_strangers_wrong_codes_through_the_api_do_not_block_the_owner(app, api, identity, published):
    """The limit of five counts per case number *and* address: a stranger's guesses lock the stranger out, and the
    owner asking from another address still gets the progress."""
    from starlette.testclient import TestClient

    submitted = submit(api, identity)["data"]["submitApplication"]
    number, code = submitted["case"]["number"], submitted["queryCode"]
    wrong = [f"{n:06d}" for n in range(6) if f"{n:06d}" != code][:5]
    guesses = " ".join(f'g{i}: caseProgress(number: "{number}", queryCode: "{w}") {{ state }}'
                       for i, w in enumerate(wrong))
    query = "query($n: String!, $c: String!) { caseProgress(number: $n, queryCode: $c) { state } }"
    with TestClient(app, base_url="http://localhost", client=("198.51.100.7", 50000)) as stranger:
        assert all(v is None for v in data_of(post(stranger, f"{{ {guesses} }}")).values())
        refused = post(stranger, query, {"n": number, "c": code}).json()
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert data_of(post(api, query, {"n": number, "c": code}))["caseProgress"] == {"state": "SUBMITTED"}


def test_staff_cannot_submit_and_clients_cannot_act_for_a_person(api, identity, published):
    staff = staff_token(identity, CLERK, scope="cases:write")
    body = submit(api, identity, token=staff)
    assert body["data"]["submitApplication"]["errors"][0]["code"] == "staff_use_workbench"
    client = mint_client(identity)
    body = submit(api, identity, token=client)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def mint_client(identity):
    from graphql_support import mint_token

    return mint_token(identity, client_id="tongban-api", user_type=None, scope="catalog:read cases:write")
