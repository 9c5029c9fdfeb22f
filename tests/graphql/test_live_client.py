"""Done when: a real GraphQL client (gql over httpx) against a live server, with real tokens from the
platform's provider, lists a township's items (client credentials), reads an item's form, submits an
application with a signed-in citizen's token, and follows it through staff actions to its certificate."""
import httpx
import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from graphql_support import (
    TOWNSHIP,
    add_township_staff,
    citizen_form,
    uploaded_files,
    client_credentials,
    register_app,
    user_token,
)

pytestmark = pytest.mark.slow

ITEMS = gql("""query($tenant: String!, $first: Int) { items(tenant: $tenant, first: $first) {
  totalCount nodes { code name caseType channels } } }""")
FORM = gql("""query($tenant: String!, $code: String!) { item(tenant: $tenant, code: $code) {
  name promisedLimitDays form { fields } materials { id name required formats } } }""")
SUBMIT = gql("""mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) {
  queryCode case { id number state } errors { field code messageZh } } }""")
CASE = gql("""query($id: ID!) { case(id: $id) { number state result certificateNumber tasks { id nodeId } } }""")
APPROVE = gql("""mutation($input: TaskInput!) { approveCase(input: $input) { case { state } errors { code } } }""")
ACCEPT = gql("""mutation($input: AcceptInput!) { acceptCase(input: $input) { case { state } errors { code } } }""")
PROGRESS = gql("""query($n: String!, $c: String!) { caseProgress(number: $n, queryCode: $c) { state events { action } } }""")


def run(session, request: GraphQLRequest, variables: dict) -> dict:
    return session.execute(GraphQLRequest(request, variable_values=variables))


def _client(base: str, token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(transport=HTTPXTransport(url=f"{base}/graphql", headers=headers), fetch_schema_from_transport=True)


def test_a_third_party_app_lists_reads_submits_and_follows_a_case(live_api):
    base, identity = live_api
    client_id, secret = register_app(identity)
    staff_name = add_township_staff(identity)
    with httpx.Client(base_url=base, follow_redirects=False) as http:
        server_token = client_credentials(http, client_id, secret)
    with _client(base, server_token) as api:
        items = run(api, ITEMS, {"tenant": TOWNSHIP, "first": 100})["items"]
        assert items["totalCount"] == 4 and {n["code"] for n in items["nodes"]} == {"JOINT", "NOW", "PROMISED", "REPORT"}
        item = run(api, FORM, {"tenant": TOWNSHIP, "code": "PROMISED"})["item"]
        assert [f["name"] for f in item["form"]["fields"]] == ["applicant_name", "id_number", "capital"]
        assert [m["id"] for m in item["materials"]] == ["m1", "m2", "m3"]
        with pytest.raises(TransportQueryError, match="FORBIDDEN|lacks the scope|用户本人"):
            run(api, SUBMIT, {"input": {"itemCode": "PROMISED", "formData": {}}})

    with httpx.Client(base_url=base, follow_redirects=False) as http:
        citizen = user_token(http, "citizen", client_id, secret, "openid profile cases:read cases:write")
    with httpx.Client(base_url=base, follow_redirects=False) as http:
        staff = user_token(http, staff_name, client_id, secret, "openid cases:read cases:write")

    with httpx.Client(base_url=base) as http:  # the files first, as a program does: multipart with the token
        files = uploaded_files(http, citizen)
    with _client(base, citizen) as mine:
        submitted = run(mine, SUBMIT, {"input": {
            "tenant": TOWNSHIP, "itemCode": "PROMISED", "formData": citizen_form(identity), "files": files}})
        payload = submitted["submitApplication"]
        assert payload["errors"] == [] and payload["case"]["state"] == "SUBMITTED"
        case_id, number, code = payload["case"]["id"], payload["case"]["number"], payload["queryCode"]

    with _client(base, staff) as desk:
        task = run(desk, CASE, {"id": case_id})["case"]["tasks"][0]
        accepted = run(desk, ACCEPT, {"input": {"caseId": case_id, "taskId": task["id"]}})
        assert accepted["acceptCase"] == {"case": {"state": "IN_PROGRESS"}, "errors": []}
        for step in ("review", "decide", "certificate"):
            (task,) = run(desk, CASE, {"id": case_id})["case"]["tasks"]
            assert task["nodeId"] == step
            run(desk, APPROVE, {"input": {"caseId": case_id, "taskId": task["id"]}})

    with _client(base, citizen) as mine:
        done = run(mine, CASE, {"id": case_id})["case"]
        assert done["state"] == "CONCLUDED" and done["result"] == "approved" and done["certificateNumber"]
    with _client(base) as anyone:
        progress = run(anyone, PROGRESS, {"n": number, "c": code})["caseProgress"]
        assert progress["state"] == "CONCLUDED" and progress["events"][0]["action"] == "submit"


SHARED = gql("""query($n: String!, $p: String!, $c: String!) { sharedLicense(number: $n, purpose: $p, caseRef: $c) {
  number holderName outcome signatureOk } }""")
WALLET = gql("""{ myLicenses { licenses { number verification { outcome } } accessLog { accessorName caseRef purpose } } }""")
VERIFY = gql("""query($n: String!) { verifyLicense(number: $n) { outcome holderIdMasked } }""")


def test_a_department_system_reads_a_license_for_a_case_and_the_holder_sees_the_read(live_api, db, settings):
    from graphql_world import LICENSE, department_with_secret, put_citizen_license

    from tongban.platform.identity.seed import demo_account

    base, identity = live_api
    client_id, secret = register_app(identity, scope="openid profile catalog:read cases:read cases:write licenses:read")
    with httpx.Client(base_url=base, follow_redirects=False) as http:
        citizen = user_token(http, "citizen", client_id, secret, "openid cases:read cases:write licenses:read")
    with _client(base, citizen) as mine:
        with httpx.Client(base_url=base) as http:
            files = uploaded_files(http, citizen)
        submitted = run(mine, SUBMIT, {"input": {"tenant": TOWNSHIP, "itemCode": "PROMISED", "files": files,
                                                 "formData": citizen_form(identity)}})["submitApplication"]
        assert submitted["errors"] == [], submitted
        number = submitted["case"]["number"]
    with identity.unit() as session:
        subject = demo_account(session, "citizen").subject
    put_citizen_license(db, settings.secret_key, citizen_form(identity)["id_number"], subject)
    department, department_secret = department_with_secret(identity, db, "4601")
    with httpx.Client(base_url=base, follow_redirects=False) as http:
        system_token = client_credentials(http, department, department_secret, scope="licenses:read")
    with _client(base, system_token) as system:
        read = run(system, SHARED, {"n": LICENSE, "p": "个体工商户设立登记：核对经营者身份", "c": number})["sharedLicense"]
        assert read == {"number": LICENSE, "holderName": "王小明", "outcome": "VALID", "signatureOk": True}
        with pytest.raises(TransportQueryError, match="purpose|用途"):
            run(system, SHARED, {"n": LICENSE, "p": "", "c": number})
    with _client(base, citizen) as mine:
        wallet = run(mine, WALLET, {})["myLicenses"]
        assert wallet["licenses"] == [{"number": LICENSE, "verification": {"outcome": "VALID"}}]
        assert wallet["accessLog"] == [{"accessorName": "4601 公安人口系统", "caseRef": number,
                                        "purpose": "个体工商户设立登记：核对经营者身份"}]
    with _client(base) as anyone:
        assert run(anyone, VERIFY, {"n": LICENSE})["verifyLicense"]["outcome"] == "VALID"
