"""The configurator over the API: a province configurator drafts, validates and publishes an item; a city
admin disables it or localises it for the city; nobody acts outside the tenants their roles cover."""
import copy

from catalogue_fixtures import content
from graphql_support import TOWNSHIP, data_of, post, staff_token

WRITE = "catalog:read catalog:write"
CREATE = 'mutation($e: JSON!) { createItemDraft(input: {elements: $e, tenant: "46"}) { draft { itemCode versionNo revision ownerTenant } errors { field code messageZh } } }'
EDIT = 'mutation($c: String!, $p: ContentPart!, $v: JSON!, $r: Int) { editDraft(input: {itemCode: $c, part: $p, value: $v, expectedRevision: $r}) { draft { revision } errors { field code } } }'
VALIDATE = 'mutation($c: String!) { validateDraft(itemCode: $c) { problems { field code messageEn } errors { code } } }'
PUBLISH = 'mutation($c: String!) { publishItem(input: {itemCode: $c, scope: {codes: ["46"]}}) { itemCode versionNo errors { field code } } }'
ENABLE = 'mutation($t: String!, $on: Boolean) { setItemsEnabled(input: {tenant: $t, itemCodes: ["API-1"], enabled: $on}) { changed errors { code } } }'
OVERRIDE = 'mutation($t: String!, $o: JSON!) { setItemOverrides(input: {tenant: $t, itemCode: "API-1", overrides: $o}) { revision errors { field code } } }'
ITEM = '{ item(tenant: "%s", code: "API-1") { name phone } }'


def _configurator(identity):
    return staff_token(identity, ("item_configurator", "46", True), subject="configurator", scope=WRITE)


def test_draft_validate_publish_then_a_city_localises_and_disables(api, identity):
    token = _configurator(identity)
    body = content("API-1", "接口测试事项")
    created = data_of(post(api, CREATE, {"e": body["elements"]}, token=token))["createItemDraft"]
    assert created["errors"] == [] and created["draft"]["ownerTenant"] == "46" and created["draft"]["versionNo"] == 1
    problems = data_of(post(api, VALIDATE, {"c": "API-1"}, token=token))["validateDraft"]["problems"]
    assert any(p["field"] == "flow" and p["code"] == "required" for p in problems)
    not_yet = data_of(post(api, PUBLISH, {"c": "API-1"}, token=token))["publishItem"]
    assert not_yet["versionNo"] is None and {"field": "flow", "code": "required"} in not_yet["errors"]
    revision = created["draft"]["revision"]
    for part in ("form", "materials", "flow"):
        edited = data_of(post(api, EDIT, {"c": "API-1", "p": part.upper(), "v": body[part], "r": revision},
                              token=token))["editDraft"]
        assert edited["errors"] == [], edited
        revision = edited["draft"]["revision"]
    stale = data_of(post(api, EDIT, {"c": "API-1", "p": "FORM", "v": body["form"], "r": 1}, token=token))["editDraft"]
    assert stale["errors"] == [{"field": None, "code": "conflict"}]
    assert data_of(post(api, VALIDATE, {"c": "API-1"}, token=token))["validateDraft"]["problems"] == []
    published = data_of(post(api, PUBLISH, {"c": "API-1"}, token=token))["publishItem"]
    assert published == {"itemCode": "API-1", "versionNo": 1, "errors": []}
    assert data_of(post(api, ITEM % TOWNSHIP))["item"]["name"] == "接口测试事项"

    haikou = staff_token(identity, ("tenant_admin", "4601", True), subject="haikou-admin", scope=WRITE)
    localised = data_of(post(api, OVERRIDE, {"t": "4601", "o": {"phone": "0898-12345678"}}, token=haikou))
    assert localised["setItemOverrides"]["errors"] == []
    assert data_of(post(api, ITEM % TOWNSHIP))["item"]["phone"] == "0898-12345678"
    refused = data_of(post(api, OVERRIDE, {"t": "4601", "o": {"name": "改名"}}, token=haikou))["setItemOverrides"]
    assert refused["errors"] == [{"field": "overrides.name", "code": "not_overridable"}]
    off = data_of(post(api, ENABLE, {"t": "4601", "on": False}, token=haikou))["setItemsEnabled"]
    assert off == {"changed": 1, "errors": []}
    assert data_of(post(api, ITEM % TOWNSHIP))["item"] is None
    assert data_of(post(api, ITEM % "4602"))["item"]["name"] == "接口测试事项"


def test_nobody_acts_outside_their_tenants(api, identity):
    token = _configurator(identity)
    body = content("API-1", "接口测试事项")
    data_of(post(api, CREATE, {"e": body["elements"]}, token=token))
    sanya = staff_token(identity, ("tenant_admin", "4602", True), ("item_configurator", "4602", True),
                        subject="sanya-admin", scope=WRITE)
    for query, variables in ((ENABLE, {"t": "4601", "on": False}), (OVERRIDE, {"t": "4601", "o": {"phone": "1"}})):
        payload = next(iter(data_of(post(api, query, variables, token=sanya)).values()))
        assert payload["errors"] == [{"code": "not_found"}] or payload["errors"][0]["code"] == "not_found"
    edit = data_of(post(api, EDIT, {"c": "API-1", "p": "FORM", "v": body["form"]}, token=sanya))["editDraft"]
    missing = data_of(post(api, EDIT, {"c": "NO-SUCH", "p": "FORM", "v": body["form"]}, token=sanya))["editDraft"]
    assert edit == missing == {"draft": None, "errors": [{"field": "itemCode", "code": "not_found"}]}
    mine = data_of(post(api, 'mutation($e: JSON!) { createItemDraft(input: {elements: $e, tenant: "4602"}) '
                             '{ draft { ownerTenant } errors { code } } }',
                        {"e": {**copy.deepcopy(body["elements"]), "code": "SANYA-1"}}, token=sanya))["createItemDraft"]
    assert mine == {"draft": {"ownerTenant": "4602"}, "errors": []}
    duplicate = data_of(post(api, CREATE, {"e": body["elements"]}, token=token))["createItemDraft"]
    assert duplicate["errors"][0]["field"] == "elements.code" and duplicate["errors"][0]["code"] == "duplicate"
