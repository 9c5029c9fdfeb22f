"""The import API for department systems: client-credentials tokens with licenses:write, registered clients
only, idempotent by (issuer, number, content), bad records refused with field-level reasons and nothing
half-imported."""
from datetime import timedelta

from sharing_support import USCC, department_client, seed, system
from sqlalchemy import func, select

from tongban.platform.sharing import basedata
from tongban.platform.sharing.library import by_number, today
from tongban.platform.sharing.models import License

URL = "/api/sharing/licenses"


def _record(number="SC-4601-0001", **extra):
    body = {"type": "food_business_license", "number": number,
            "holder": {"kind": "enterprise", "id": USCC, "name": "海南椰风科技有限公司", "subject": "ent-yefeng"},
            "valid_from": today().isoformat(), "valid_until": (today() + timedelta(days=5 * 365)).isoformat(),
            "content": {"name": "海南椰风科技有限公司", "legal_representative": "李海燕", "premises": "海口市滨海大道 1 号",
                        "main_business": "餐饮服务经营者"}}
    body.update(extra)
    return body


def _count(db):
    with system(db) as s:
        return s.scalar(select(func.count()).select_from(License))


def _post(client, token, records):
    return client.post(URL, json={"records": records}, headers={"Authorization": f"Bearer {token}"})


def test_import_is_idempotent_and_updates_change_the_signature(app, client, db, monkeypatch):
    seed(db)
    _client_id, token = department_client(app, db, monkeypatch)
    first = _post(client, token, [_record(), _record("SC-4601-0002")])
    assert first.status_code == 200, first.text
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0, "numbers": ["SC-4601-0001", "SC-4601-0002"]}
    again = _post(client, token, [_record(), _record("SC-4601-0002")])
    assert again.json()["unchanged"] == 2 and _count(db) == 2
    with system(db) as s:
        before = by_number(s, "SC-4601-0001").signature
    changed = _record(content={**_record()["content"], "main_business": "食品销售经营者"})
    assert _post(client, token, [changed]).json()["updated"] == 1
    with system(db) as s:
        row = by_number(s, "SC-4601-0001")
        assert row.signature != before and row.revision == 2 and row.issuer_tenant == "4601"
        assert row.issuer_department == "市场监督管理局" and row.source == "import"
    assert client.get("/api/sharing/verify/SC-4601-0001").json()["ok"]


def test_a_bad_record_refuses_the_whole_batch_with_field_level_reasons(app, client, db, monkeypatch):
    seed(db)
    _client_id, token = department_client(app, db, monkeypatch)
    bad = [_record("SC-OK-0001"),
           _record("x", holder={"kind": "enterprise", "id": "91460100MA5T0YF0PX", "name": ""}),
           _record("SC-BAD-0003", type="drug_business_license", valid_until="2020-01-01", content={"oops": "1"}),
           _record("SC-OK-0001")]
    answer = _post(client, token, bad)
    assert answer.status_code == 422 and _count(db) == 0
    paths = {(e["path"], e["code"]) for e in answer.json()["errors"]}
    assert {("records[1].number", "invalid"), ("records[1].holder.id", "invalid_uscc"),
            ("records[1].holder.name", "required"), ("records[2].type", "not_allowed"),
            ("records[3].number", "duplicate")} <= paths
    assert all(e["zh"] and e["en"] for e in answer.json()["errors"])
    missing = _post(client, token, [_record(content={"name": "只有名称"}, valid_until="2020-01-01")]).json()["errors"]
    assert {(e["path"], e["code"]) for e in missing} == {("records[0].content.legal_representative", "required"),
                                                        ("records[0].valid_until", "before_start")}


def test_tokens_scopes_and_registration_are_required(app, client, db, monkeypatch):
    seed(db)
    assert client.post(URL, json={"records": []}).status_code == 401
    assert _post(client, "not-a-token", [_record()]).status_code == 401
    _client_id, token = department_client(app, db, monkeypatch)
    from tongban.platform.sharing.models import SharingClient

    with system(db) as s:
        s.delete(s.get(SharingClient, _client_id))
    refused = _post(client, token, [_record()])
    assert refused.status_code == 403 and refused.json()["error"] == "client_not_registered" and _count(db) == 0


def test_a_number_of_another_issuer_is_refused(app, client, db, monkeypatch, secret):
    from sharing_support import put_license

    seed(db)
    put_license(db, secret, "SC-SANYA-0001", issuer="4602")
    _client_id, token = department_client(app, db, monkeypatch)
    answer = _post(client, token, [_record("SC-SANYA-0001")])
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "number_taken"


def test_an_imported_business_license_registers_the_enterprise(app, client, db, monkeypatch):
    seed(db)
    _client_id, token = department_client(app, db, monkeypatch)
    record = _record("BL-IMP-0001", type="business_license", valid_until=None,
                     content={"name": "海南椰风科技有限公司", "legal_representative": "李海燕", "address": "海口市",
                              "business_scope": "软件开发"})
    assert _post(client, token, [record]).status_code == 200
    with system(db) as s:
        row = basedata.enterprise(s, USCC)
    assert row.business_scope == "软件开发" and row.source.startswith("import:")
