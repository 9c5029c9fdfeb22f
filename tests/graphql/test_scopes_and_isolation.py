"""Every top-level field declares what it needs: no token, a token without the scope, a client token where
a person's is needed, and another tenant's staff — each refused, the last with the same answer as a case
or tenant that does not exist."""
import pytest
from graphql_support import TOWNSHIP, citizen_token, codes_of, data_of, mint_token, post, staff_token, submit

A = "anonymous"  # who may call: anonymous (and any token with the scope), account (a person's or staff's
P = "account"    # token), staff, client (a registered department system's client-credentials token)
S = "staff"
C = "client"
T = TOWNSHIP
QUERIES = {  # field: (query, scope it needs, who)
    "tenant": ('{ tenant(code: "46") { code } }', "catalog:read", A),
    "tenants": ("{ tenants(first: 1) { totalCount } }", "catalog:read", A),
    "items": (f'{{ items(tenant: "{T}") {{ totalCount }} }}', "catalog:read", A),
    "item": (f'{{ item(tenant: "{T}", code: "PROMISED") {{ code }} }}', "catalog:read", A),
    "vocabulary": ("{ vocabulary { caseStates { value } } }", None, A),
    "case": ('{ case(id: "1") { id } }', "cases:read", P),
    "myCases": ("{ myCases { totalCount } }", "cases:read", P),
    "cases": (f'{{ cases(tenant: "{T}") {{ totalCount }} }}', "cases:read", S),
    "tasks": (f'{{ tasks(tenant: "{T}") {{ totalCount }} }}', "cases:read", S),
    "caseProgress": ('{ caseProgress(number: "x", queryCode: "1") { number } }', "cases:read", A),
    "verifyLicense": ('{ verifyLicense(number: "x") { outcome } }', "licenses:read", A),
    "myLicenses": ("{ myLicenses { licenses { number } } }", "licenses:read", P),
    "sharedLicense": ('{ sharedLicense(number: "x", purpose: "p", caseRef: "c") { number } }', "licenses:read", C),
    "sharedLicenses": ('{ sharedLicenses(typeCode: "x", purpose: "p", caseRef: "c") { number } }', "licenses:read", C),
    "sharedBaseRecord": ('{ sharedBaseRecord(kind: ENTERPRISE, key: "x", purpose: "p", caseRef: "c") { key } }',
                         "licenses:read", C),
    "alerts": ('{ alerts(tenant: "4601") { totalCount } }', "supervision:read", S),
    "alert": ('{ alert(tenant: "4601", id: "1") { id } }', "supervision:read", S),
    "statistics": ('{ statistics(tenant: "4601") { totals { received } } }', "supervision:read", S),
    "appointmentSlots": ('{ appointmentSlots(tenant: "4601") { day } }', "catalog:read", A),
    "appointmentClosures": ('{ appointmentClosures(tenant: "4601") { day } }', "catalog:read", A),
    "myAppointments": ("{ myAppointments { totalCount } }", "cases:read", P),
    "caseRating": ('{ caseRating(caseId: "1") { id } }', "cases:read", P),
    "ratingsToRectify": (f'{{ ratingsToRectify(tenant: "{T}") {{ id }} }}', "supervision:read", S),
    "myPetitions": ('{ myPetitions(tenant: "4601") { id } }', "cases:read", P),
    "petitions": (f'{{ petitions(tenant: "{T}") {{ id }} }}', "supervision:read", S),
    "badRatings": ('{ badRatings(tenant: "4601") { id } }', "supervision:read", S),
}
TASK = 'caseId: "1", taskId: "1"'
ALERT = 'alertId: "1", tenant: "4601"'
MUTATIONS = {  # field: (mutation, scope, who)
    "submitApplication": ('mutation { submitApplication(input: {itemCode: "PROMISED", formData: {}}) { errors { code } } }',
                          "cases:write", P),
    "supplyCase": ('mutation { supplyCase(input: {caseId: "1"}) { errors { code } } }', "cases:write", P),
    "withdrawCase": ('mutation { withdrawCase(input: {caseId: "1"}) { errors { code } } }', "cases:write", P),
    "payFee": ('mutation { payFee(input: {caseId: "1", reference: "r"}) { errors { code } } }', "cases:write", P),
    "acceptCase": (f"mutation {{ acceptCase(input: {{{TASK}}}) {{ errors {{ code }} }} }}", "cases:write", S),
    "refuseCase": (f'mutation {{ refuseCase(input: {{{TASK}, reason: "x"}}) {{ errors {{ code }} }} }}', "cases:write", S),
    "requestSupplement": (f"mutation {{ requestSupplement(input: {{{TASK}, missing: []}}) {{ errors {{ code }} }} }}",
                          "cases:write", S),
    "approveCase": (f"mutation {{ approveCase(input: {{{TASK}}}) {{ errors {{ code }} }} }}", "cases:write", S),
    "rejectCase": (f'mutation {{ rejectCase(input: {{{TASK}, reason: "x"}}) {{ errors {{ code }} }} }}', "cases:write", S),
    "forwardCase": (f'mutation {{ forwardCase(input: {{{TASK}, department: "d"}}) {{ errors {{ code }} }} }}',
                    "cases:write", S),
    "rollBackCase": (f'mutation {{ rollBackCase(input: {{{TASK}, comment: "x"}}) {{ errors {{ code }} }} }}',
                     "cases:write", S),
    "chargeFee": (f'mutation {{ chargeFee(input: {{{TASK}, amount: "1"}}) {{ errors {{ code }} }} }}', "cases:write", S),
    "deliverResult": ('mutation { deliverResult(input: {caseId: "1", method: WINDOW}) { errors { code } } }',
                      "cases:write", S),
    "reportCaseUp": (f"mutation {{ reportCaseUp(input: {{{TASK}}}) {{ errors {{ code }} }} }}", "cases:write", S),
    "rateCase": ('mutation { rateCase(input: {caseId: "1", level: 5}) { errors { code } } }', "cases:write", P),
    "rateVisit": ('mutation { rateVisit(input: {visitKey: "v", level: 5, tenant: "4601"}) { errors { code } } }',
                  "cases:write", P),
    "askPetition": ('mutation { askPetition(input: {kind: CONSULTATION, question: "q", tenant: "4601"}) '
                    "{ errors { code } } }", "cases:write", P),
    "answerPetition": (f'mutation {{ answerPetition(input: {{petitionId: "1", answer: "a", tenant: "{T}"}}) '
                       "{ errors { code } } }", "supervision:write", S),
    "confirmAlert": (f"mutation {{ confirmAlert(input: {{{ALERT}}}) {{ errors {{ code }} }} }}", "supervision:write", S),
    "withdrawAlert": (f'mutation {{ withdrawAlert(input: {{{ALERT}, reason: "x"}}) {{ errors {{ code }} }} }}',
                      "supervision:write", S),
    "cancelAlert": (f'mutation {{ cancelAlert(input: {{{ALERT}, reason: "x"}}) {{ errors {{ code }} }} }}',
                    "supervision:write", S),
    "decideAlertAppeal": (f'mutation {{ decideAlertAppeal(input: {{{ALERT}, decision: REJECT, reason: "x"}}) '
                          "{ errors { code } } }", "supervision:write", S),
    "orderCorrection": (f'mutation {{ orderCorrection(input: {{{ALERT}, instructions: "x"}}) {{ errors {{ code }} }} }}',
                        "supervision:write", S),
    "reviewRectification": (f"mutation {{ reviewRectification(input: {{{ALERT}, accept: true}}) {{ errors {{ code }} }} }}",
                            "supervision:write", S),
    "appealAlert": (f'mutation {{ appealAlert(input: {{{ALERT}, reasons: "x"}}) {{ errors {{ code }} }} }}',
                    "supervision:write", S),
    "rectifyAlert": (f'mutation {{ rectifyAlert(input: {{{ALERT}, report: "x"}}) {{ errors {{ code }} }} }}',
                     "supervision:write", S),
    "bookAppointment": ('mutation { bookAppointment(input: {slotId: "1", name: "王小明", phone: "13800000001", '
                        'tenant: "4601"}) { errors { code } } }', "cases:write", P),
    "cancelAppointment": ('mutation { cancelAppointment(input: {number: "YY1"}) { errors { code } } }', "cases:write", P),
    "confirmRatingRectification": ('mutation { confirmRatingRectification(input: {ratingId: "1", satisfied: true}) '
                                   "{ errors { code } } }", "cases:write", P),
    "reportRatingRectification": (f'mutation {{ reportRatingRectification(input: {{ratingId: "1", tenant: "{T}", '
                                  'report: "x"}) { errors { code } } }', "supervision:write", S),
    "recordRatingCallback": (f'mutation {{ recordRatingCallback(input: {{ratingId: "1", tenant: "{T}", note: "x"}}) '
                             "{ errors { code } } }", "supervision:write", S),
    "appealRating": (f'mutation {{ appealRating(input: {{ratingId: "1", tenant: "{T}", reason: "x"}}) '
                     "{ errors { code } } }", "supervision:write", S),
    "decideRatingAppeal": ('mutation { decideRatingAppeal(input: {ratingId: "1", tenant: "4601", decision: UPHOLD}) '
                           "{ errors { code } } }", "supervision:write", S),
    "createItemDraft": ('mutation { createItemDraft(input: {elements: {code: "X"}}) { errors { code } } }',
                        "catalog:write", S),
    "editDraft": ('mutation { editDraft(input: {itemCode: "X", part: FORM, value: {}}) { errors { code } } }',
                  "catalog:write", S),
    "validateDraft": ('mutation { validateDraft(itemCode: "X") { errors { code } } }', "catalog:write", S),
    "publishItem": ('mutation { publishItem(input: {itemCode: "X", scope: {codes: ["46"]}}) { errors { code } } }',
                    "catalog:write", S),
    "setItemsEnabled": ('mutation { setItemsEnabled(input: {itemCodes: ["X"], enabled: false}) { errors { code } } }',
                        "catalog:write", S),
    "setItemOverrides": ('mutation { setItemOverrides(input: {itemCode: "X", overrides: {}}) { errors { code } } }',
                         "catalog:write", S),
}
EVERY_SCOPE = "catalog:read catalog:write cases:read cases:write licenses:read supervision:read supervision:write"
FIELDS = {**QUERIES, **MUTATIONS}


def _schema_fields() -> list[str]:
    from tongban.graphql.schema import build_schema

    schema = build_schema()._schema
    return sorted({*schema.query_type.fields, *schema.mutation_type.fields})


@pytest.mark.parametrize("field", _schema_fields())
def test_every_top_level_field_declares_its_scope_and_caller(field):
    """A new field fails here until it is listed above (and so checked below)."""
    assert field in FIELDS, f"{field}: add it to QUERIES or MUTATIONS (and to test_field_isolation.ISOLATION)"
    assert set(FIELDS) == set(_schema_fields())


def _lacking(identity, scope, who):
    others = " ".join(s for s in EVERY_SCOPE.split() if s != scope)
    if who == C:
        return mint_token(identity, client_id="tongban-api", user_type=None, scope=others)
    return staff_token(identity, ("province_admin", "46", True), scope=others)


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_fields_need_their_scope(api, identity, field):
    query, scope, who = FIELDS[field]
    without = post(api, query).json()
    assert (codes_of(without) == []) if who == A else (codes_of(without) == ["UNAUTHENTICATED"]), without
    if scope is None:
        return
    lacking = post(api, query, token=_lacking(identity, scope, who)).json()
    assert codes_of(lacking) == ["FORBIDDEN"] and lacking["errors"][0]["extensions"]["requiredScope"] == scope


WRONG_CALLERS = {  # who → the tokens (with every scope) that must be refused
    P: ("client",), S: ("client", "person"), C: ("person", "staff"), A: (),
}


@pytest.mark.parametrize("field", sorted(f for f, spec in FIELDS.items() if spec[2] != A))
def test_fields_refuse_the_wrong_kind_of_caller(api, identity, field):
    query, _scope, who = FIELDS[field]
    tokens = {"client": mint_token(identity, client_id="tongban-api", user_type=None, scope=EVERY_SCOPE),
              "person": mint_token(identity, subject="someone", scope=EVERY_SCOPE),
              "staff": staff_token(identity, ("province_admin", "46", True), scope=EVERY_SCOPE)}
    for caller in WRONG_CALLERS[who]:
        body = post(api, query, token=tokens[caller]).json()
        assert codes_of(body) == ["FORBIDDEN"], (caller, body)


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
