"""The catalogue over the API: what a tenant serves (enabled, with local settings), searched, filtered,
sorted and paginated; one item's guide, fees, materials, form and flow; the tenant tree."""
from graphql_support import TOWNSHIP, codes_of, data_of, post, publish_many
from tests_support import tenant_context

from tongban.configurator.publishing import local

ITEMS = """query($tenant: String, $first: Int, $after: String, $filter: ItemFilter, $sort: ItemSort) {
  items(tenant: $tenant, first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { code name promisedLimitDays } } }"""


def test_a_township_lists_its_enabled_items_and_pages_through_them(api, db):
    publish_many(db, 7)
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        local.set_enabled(s, "4601", ["BULK-003"], False, actor="haikou.admin")
    first = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "first": 4}))["items"]
    assert first["totalCount"] == 6 and first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    assert [n["code"] for n in first["nodes"]] == ["BULK-000", "BULK-001", "BULK-002", "BULK-004"]
    rest = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "first": 4, "after": first["pageInfo"]["endCursor"]}))["items"]
    assert [n["code"] for n in rest["nodes"]] == ["BULK-005", "BULK-006"] and not rest["pageInfo"]["hasNextPage"]
    sanya = data_of(post(api, ITEMS, {"tenant": "4602", "first": 100}))["items"]
    assert sanya["totalCount"] == 7  # the disabling in 海口 does not reach 三亚


def test_search_filter_and_sort(api, published):
    search = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "filter": {"search": "登记"}}))["items"]
    assert sorted(n["code"] for n in search["nodes"]) == ["JOINT", "NOW", "PROMISED"]
    joint = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "filter": {"caseType": "JOINT"}}))["items"]
    assert [n["code"] for n in joint["nodes"]] == ["JOINT"]
    by_limit = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "sort": "PROMISED_LIMIT"}))["items"]
    assert [n["promisedLimitDays"] for n in by_limit["nodes"]] == [0, 10, 20, 22]
    enterprises = data_of(post(api, ITEMS, {"tenant": TOWNSHIP, "filter": {"audience": "ENTERPRISE"}}))["items"]
    assert [n["code"] for n in enterprises["nodes"]] == ["JOINT"]


def test_one_item_with_its_guide_fees_materials_form_and_flow(api, published, db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        local.set_overrides(s, "4601", "PROMISED", {"phone": "0898-66668888", "fees": {"f1": "8.00"}}, actor="admin")
    query = f"""query {{ item(tenant: "{TOWNSHIP}", code: "PROMISED") {{ code name kind caseType audience channels
      legalLimitDays promisedLimitDays phone location legalBasis localSources
      fees {{ id amount localRateAllowed }} materials {{ id name form required requiredIf rongqueAllowed formats maxSizeMb }}
      form {{ fields }} flow {{ diagram }} }} }}"""
    item = data_of(post(api, query))["item"]
    assert item["kind"] == "ADMINISTRATIVE_LICENSE" and item["caseType"] == "PROMISED"
    assert item["channels"] == ["ONLINE", "WINDOW"] and item["legalLimitDays"] == 20
    assert item["phone"] == "0898-66668888" and item["localSources"]["elements.phone"] == "4601"
    assert {f["id"]: f["amount"] for f in item["fees"]} == {"f1": "8.00", "f2": "0.00"}
    m3 = item["materials"][2]
    assert m3["required"] is False and m3["requiredIf"] == "form.capital > 1000000.0" and m3["rongqueAllowed"]
    assert [f["name"] for f in item["form"]["fields"]] == ["applicant_name", "id_number", "capital"]
    assert item["form"]["fields"][0]["label"] == {"zh": "申请人姓名", "en": "Applicant name"}
    diagram = item["flow"]["diagram"]
    assert diagram["nodes"][0]["id"] == "accept" and diagram["critical_path_days"] == 7
    assert data_of(post(api, '{ item(tenant: "4602", code: "NOPE") { code } }'))["item"] is None


def test_the_request_tenant_is_the_default(api, published):
    path = f"/t/{TOWNSHIP}/graphql"
    body = data_of(post(api, "{ tenant { code name ancestors { code } } items { totalCount } }", path=path))
    assert body["tenant"]["code"] == TOWNSHIP and [a["code"] for a in body["tenant"]["ancestors"]] == ["46", "4601", "460105"]
    assert body["items"]["totalCount"] == 4


def test_unknown_tenant_and_bad_pages_are_clear_errors(api, published):
    unknown = post(api, '{ items(tenant: "999999") { totalCount } }').json()
    assert codes_of(unknown) == ["NOT_FOUND"] and "999999" in unknown["errors"][0]["message"]
    too_big = post(api, ITEMS, {"tenant": TOWNSHIP, "first": 101}).json()
    assert codes_of(too_big) == ["BAD_USER_INPUT"] and "100" in too_big["errors"][0]["extensions"]["messageEn"]
    bad_cursor = post(api, ITEMS, {"tenant": TOWNSHIP, "after": "not-a-cursor"}).json()
    assert codes_of(bad_cursor) == ["BAD_USER_INPUT"]


def test_the_tenant_tree(api):
    query = """{ tenant(code: "4601") { name level levelLabel parent { code } children { code name } }
      tenants(parent: "460105", level: TOWNSHIP, first: 3) { totalCount nodes { code parentCode } } }"""
    body = data_of(post(api, query))
    assert body["tenant"]["name"] == "海口市" and body["tenant"]["level"] == "CITY_COUNTY"
    assert body["tenant"]["parent"] == {"code": "46"}
    assert "460105" in [c["code"] for c in body["tenant"]["children"]]
    towns = body["tenants"]
    assert towns["totalCount"] > 3 and all(n["parentCode"] == "460105" for n in towns["nodes"])
    assert data_of(post(api, '{ tenant(code: "999") { code } }'))["tenant"] is None


def test_vocabulary_labels(api):
    body = data_of(post(api, "{ vocabulary { caseTypes { value labelZh labelEn } caseStates { value labelZh } } }"))
    assert {"value": "promised", "labelZh": "承诺件", "labelEn": "Handled within a promised time"} in body["vocabulary"]["caseTypes"]
