"""Every top-level field declares what it needs: no token, a token without the scope, a client token where
a person's is needed, and another tenant's staff — each refused, the last with the same answer as a case
or tenant that does not exist."""
import pytest
from graphql_support import TOWNSHIP, citizen_token, codes_of, data_of, mint_token, post, staff_token, submit

QUERIES = {  # field: (query, scope it needs, anonymous allowed)
    "tenant": ('{ tenant(code: "46") { code } }', "catalog:read", True),
    "tenants": ("{ tenants(first: 1) { totalCount } }", "catalog:read", True),
    "items": (f'{{ items(tenant: "{TOWNSHIP}") {{ totalCount }} }}', "catalog:read", True),
    "item": (f'{{ item(tenant: "{TOWNSHIP}", code: "PROMISED") {{ code }} }}', "catalog:read", True),
    "case": ('{ case(id: "1") { id } }', "cases:read", False),
    "myCases": ("{ myCases { totalCount } }", "cases:read", False),
    "cases": (f'{{ cases(tenant: "{TOWNSHIP}") {{ totalCount }} }}', "cases:read", False),
    "tasks": (f'{{ tasks(tenant: "{TOWNSHIP}") {{ totalCount }} }}', "cases:read", False),
    "caseProgress": ('{ caseProgress(number: "x", queryCode: "1") { number } }', "cases:read", True),
}
MUTATIONS = {
    "submitApplication": ('mutation { submitApplication(input: {itemCode: "PROMISED", formData: {}}) { errors { code } } }',
                          "cases:write"),
    "supplyCase": ('mutation { supplyCase(input: {caseId: "1"}) { errors { code } } }', "cases:write"),
    "withdrawCase": ('mutation { withdrawCase(input: {caseId: "1"}) { errors { code } } }', "cases:write"),
    "acceptCase": ('mutation { acceptCase(input: {caseId: "1", taskId: "1"}) { errors { code } } }', "cases:write"),
    "refuseCase": ('mutation { refuseCase(input: {caseId: "1", taskId: "1", reason: "x"}) { errors { code } } }',
                   "cases:write"),
    "requestSupplement": (('mutation { requestSupplement(input: {caseId: "1", taskId: "1", missing: []}) '
                           '{ errors { code } } }'), "cases:write"),
    "approveCase": ('mutation { approveCase(input: {caseId: "1", taskId: "1"}) { errors { code } } }', "cases:write"),
    "rejectCase": ('mutation { rejectCase(input: {caseId: "1", taskId: "1", reason: "x"}) { errors { code } } }',
                   "cases:write"),
    "createItemDraft": ('mutation { createItemDraft(input: {elements: {code: "X"}}) { errors { code } } }',
                        "catalog:write"),
    "editDraft": ('mutation { editDraft(input: {itemCode: "X", part: FORM, value: {}}) { errors { code } } }',
                  "catalog:write"),
    "validateDraft": ('mutation { validateDraft(itemCode: "X") { errors { code } } }', "catalog:write"),
    "publishItem": ('mutation { publishItem(input: {itemCode: "X", scope: {codes: ["46"]}}) { errors { code } } }',
                    "catalog:write"),
    "setItemsEnabled": ('mutation { setItemsEnabled(input: {itemCodes: ["X"], enabled: false}) { errors { code } } }',
                        "catalog:write"),
    "setItemOverrides": ('mutation { setItemOverrides(input: {itemCode: "X", overrides: {}}) { errors { code } } }',
                         "catalog:write"),
}
EVERY_SCOPE = "catalog:read catalog:write cases:read cases:write"


def test_every_top_level_field_is_listed():
    from tongban.graphql.schema import build_schema

    schema = build_schema()._schema
    assert set(schema.query_type.fields) - {"vocabulary"} == set(QUERIES)
    assert set(schema.mutation_type.fields) == set(MUTATIONS)


@pytest.mark.parametrize("field", sorted(QUERIES))
def test_queries_need_their_scope(api, identity, field):
    query, scope, anonymous = QUERIES[field]
    without = post(api, query).json()
    assert (codes_of(without) == []) if anonymous else (codes_of(without) == ["UNAUTHENTICATED"]), without
    others = " ".join(s for s in EVERY_SCOPE.split() if s != scope)
    lacking = post(api, query, token=staff_token(identity, ("province_admin", "46", True), scope=others)).json()
    assert codes_of(lacking) == ["FORBIDDEN"] and lacking["errors"][0]["extensions"]["requiredScope"] == scope


@pytest.mark.parametrize("field", sorted(MUTATIONS))
def test_mutations_need_a_person_token_with_their_scope(api, identity, field):
    mutation, scope = MUTATIONS[field]
    assert codes_of(post(api, mutation).json()) == ["UNAUTHENTICATED"]
    others = " ".join(s for s in EVERY_SCOPE.split() if s != scope)
    lacking = post(api, mutation, token=staff_token(identity, ("province_admin", "46", True), scope=others)).json()
    assert codes_of(lacking) == ["FORBIDDEN"]
    client = mint_token(identity, client_id="tongban-api", user_type=None, scope=EVERY_SCOPE)
    assert codes_of(post(api, mutation, token=client).json()) == ["FORBIDDEN"]


def test_client_credentials_read_the_catalogue_but_not_cases(api, identity, published):
    client = mint_token(identity, client_id="tongban-api", user_type=None, scope="catalog:read cases:read")
    assert data_of(post(api, QUERIES["items"][0], token=client))["items"]["totalCount"] == 4
    assert codes_of(post(api, QUERIES["myCases"][0], token=client).json()) == ["FORBIDDEN"]
    assert codes_of(post(api, QUERIES["cases"][0], token=client).json()) == ["FORBIDDEN"]


def test_a_revoked_token_is_refused(api, identity):
    token = mint_token(identity, scope="catalog:read", revoked=True)
    assert post(api, QUERIES["items"][0], token=token).status_code == 401


CASES = '{ cases(tenant: "%s") { totalCount nodes { number } } }'
TASKS = '{ tasks(tenant: "%s") { totalCount } }'


def test_staff_of_one_tenant_cannot_read_anothers_cases(api, identity, published):
    case = submit(api, identity)["data"]["submitApplication"]["case"]  # handled in 长流镇, 海口
    haikou = staff_token(identity, ("window_clerk", "4601", True), subject="haikou-clerk")
    sanya = staff_token(identity, ("window_clerk", "4602", True), subject="sanya-clerk")
    assert data_of(post(api, CASES % TOWNSHIP, token=haikou))["cases"]["totalCount"] == 1
    assert data_of(post(api, '{{ case(id: "{}") {{ number }} }}'.format(case["id"]), token=haikou))["case"]["number"]
    refused = post(api, CASES % TOWNSHIP, token=sanya).json()
    unknown = post(api, CASES % "469999999", token=sanya).json()
    assert codes_of(refused) == codes_of(unknown) == ["NOT_FOUND"]
    assert refused["errors"][0]["extensions"]["messageEn"].endswith("or not yours")
    assert codes_of(post(api, TASKS % TOWNSHIP, token=sanya).json()) == ["NOT_FOUND"]
    assert data_of(post(api, '{{ case(id: "{}") {{ number }} }}'.format(case["id"]), token=sanya))["case"] is None
    assert data_of(post(api, '{ case(id: "999999") { number } }', token=sanya))["case"] is None
    assert data_of(post(api, CASES % "4602", token=sanya))["cases"]["totalCount"] == 0


def test_another_tenants_staff_cannot_act_and_cannot_tell_the_case_exists(api, identity, published):
    case = submit(api, identity)["data"]["submitApplication"]["case"]
    sanya = staff_token(identity, ("window_clerk", "4602", True), ("province_admin", "4602", True))
    task_id = case["tasks"][0]["id"]
    mutation = 'mutation { acceptCase(input: {caseId: "%s", taskId: "%s"}) { case { state } errors { code field } } }'
    real = data_of(post(api, mutation % (case["id"], task_id), token=sanya))["acceptCase"]
    missing = data_of(post(api, mutation % ("987654", task_id), token=sanya))["acceptCase"]
    assert real == missing == {"case": None, "errors": [{"code": "not_found", "field": "caseId"}]}


def test_a_person_sees_only_their_own_cases(api, identity, published):
    case = submit(api, identity)["data"]["submitApplication"]["case"]
    other = mint_token(identity, subject="someone-else", scope="cases:read cases:write")
    assert data_of(post(api, '{{ case(id: "{}") {{ number }} }}'.format(case["id"]), token=other))["case"] is None
    assert data_of(post(api, "{ myCases { totalCount } }", token=other))["myCases"]["totalCount"] == 0
    mine = data_of(post(api, "{ myCases { totalCount nodes { number } } }", token=citizen_token(identity)))["myCases"]
    assert mine["totalCount"] == 1 and mine["nodes"][0]["number"] == case["number"]
    withdraw = 'mutation {{ withdrawCase(input: {{caseId: "{}"}}) {{ errors {{ code }} }} }}'.format(case["id"])
    assert data_of(post(api, withdraw, token=other))["withdrawCase"]["errors"] == [{"code": "not_found"}]
