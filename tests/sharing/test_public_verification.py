"""The public verification (扫码查验, no sign-in) as anyone sees it — on the page, as JSON and through GraphQL:
a person holder's name and ID number masked, their address, a child's name and other personal fields left out,
an enterprise in full; staff and the holder keep the whole license; a tampered license's badge follows the
verdict and its content is withheld; a license whose validity has not begun is 尚未生效, not suspended."""
from datetime import timedelta

import pytest
from sharing_support import ADMIN, ENTERPRISE, PERSON_ID, USCC, put_license, seed, system
from sqlalchemy import select, text

from tongban.platform.sharing import exemption, wallet
from tongban.platform.sharing.errors import Invalid
from tongban.platform.sharing.library import effective_status, today
from tongban.platform.sharing.license_types import DEFAULT_TYPES, define_type
from tongban.platform.sharing.models import License
from tongban.platform.sharing.verification import check_license, verify, verify_license

HOME = "海口市秀英区长流镇长德路 8 号"
VERIFY = """query($n: String!) { verifyLicense(number: $n) { outcome status holderName holderIdMasked
  fields { name value } } }"""


def _public(client, number) -> tuple:
    """The page, the JSON body and the GraphQL answer of one number, as anyone gets them."""
    page = client.get(f"/verify/{number}")
    body = client.get(f"/api/sharing/verify/{number}").json()
    answer = client.post("/graphql", json={"query": VERIFY, "variables": {"n": number}}).json()
    assert not answer.get("errors"), answer
    return page, body, answer["data"]["verifyLicense"]


def _home(db, secret, number="RE-0001", **extra):
    return put_license(db, secret, number, type_code="real_estate_certificate", holder_kind="person",
                       holder_id=PERSON_ID, holder_name="王小明",
                       content_={"owner": "王小明", "location": HOME, "area": "89.5"}, **extra)[0]


def _shown(fields) -> dict:
    return {f["name"]: f["value"] for f in fields}


def test_a_person_holders_name_is_masked_and_home_address_left_out_everywhere(db, client, secret):
    seed(db)
    page, body, node = _public(client, _home(db, secret))
    for seen in (page.text, str(body), str(node)):
        assert "王小明" not in seen and "长德路" not in seen and PERSON_ID not in seen
    assert body["holder_name"] == node["holderName"] == "王*明" and 'id="holder-name">王*明<' in page.text
    assert _shown(body["fields"]) == _shown(node["fields"]) == {"owner": "王*明", "area": "89.5"}
    assert body["holder_id"] == node["holderIdMasked"] == "460100********1230"


def test_a_resident_id_card_shows_a_masked_name_and_no_address(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "GA-4601-0001", type_code="resident_id_card", holder_kind="person",
                            holder_id=PERSON_ID, holder_name="欧阳小明", content_={"name": "欧阳小明", "address": HOME})
    page, body, node = _public(client, number)
    assert _shown(node["fields"]) == {"name": "欧**明"} and node["holderName"] == "欧**明"
    assert "长德路" not in page.text and "欧阳小明" not in page.text


def test_a_birth_certificate_never_shows_the_childs_name(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "BIRTH-0002", type_code="birth_certificate", holder_kind="person",
                            holder_id=PERSON_ID, holder_name="王小宝", content_={
                                "child_name": "王小宝", "birth_date": "2026-01-02", "mother_name": "李海燕"})
    page, body, node = _public(client, number)
    for seen in (page.text, str(body), str(node)):  # here the child is the holder: the name is withheld, not masked
        assert "小宝" not in seen and "2026-01-02" not in seen and "李海燕" not in seen
    assert body["holder_name"] == "" and _shown(body["fields"]) == {"mother_name": "李*燕"}
    assert "不予公开" in page.text


def test_an_enterprise_holder_is_shown_in_full(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "RE-ENT-0001", type_code="real_estate_certificate",
                            content_={"owner": ENTERPRISE, "location": "海口市龙华区滨海大道 1 号", "area": "1200"})
    page, body, node = _public(client, number)
    assert body["holder_name"] == node["holderName"] == ENTERPRISE and body["holder_id"] == USCC
    assert _shown(node["fields"]) == {"owner": ENTERPRISE, "location": "海口市龙华区滨海大道 1 号", "area": "1200"}


def test_staff_and_the_holder_keep_the_whole_license(db, secret):
    seed(db)
    number = _home(db, secret)
    with system(db) as s:
        staff_check = verify(s, number)
        entries = wallet.entries(s, wallet.HolderKeys((), (PERSON_ID,)))
        own = verify_license(s, s.scalar(select(License).where(License.number == number)))
    for full in (staff_check, entries[0].check, own):
        assert full.holder_name == "王小明" and _shown(full.fields)["location"] == HOME


def test_a_copy_of_a_seeded_type_saved_without_marks_still_hides_personal_data(db, client, secret):
    """A province's real_estate_certificate saved before its fields were marked (or with the marks removed)."""
    seed(db)
    stale = next(dict(t) for t in DEFAULT_TYPES if t["code"] == "real_estate_certificate")
    stale["fields"] = [{**f, "personal": False} for f in stale["fields"]]
    with system(db) as s:
        define_type(s, stale, actor=ADMIN)
    page, body, node = _public(client, _home(db, secret))
    assert _shown(body["fields"]) == {"owner": "王*明", "area": "89.5"} and "长德路" not in page.text


def test_an_admins_person_type_hides_contact_fields_and_the_holders_name(db, client, secret):
    seed(db)
    pharmacist = {"code": "pharmacist_license", "name_zh": "执业药师注册证", "name_en": "Pharmacist registration",
                  "holder_kind": "person", "fields": [
                      {"name": "name", "zh": "姓名", "en": "Name"}, {"name": "employer", "zh": "执业单位", "en": "Employer"},
                      {"name": "home_address", "zh": "住址", "en": "Address"},
                      {"name": "phone", "zh": "电话", "en": "Phone"}]}
    with system(db) as s:
        define_type(s, pharmacist, actor=ADMIN)
    number, _ = put_license(db, secret, "YS-0001", type_code="pharmacist_license", holder_kind="person",
                            holder_id=PERSON_ID, holder_name="王小明", content_={
                                "name": "王小明", "employer": "海口椰城大药房", "home_address": HOME,
                                "phone": "13800000001"})
    page, body, node = _public(client, number)
    assert _shown(body["fields"]) == {"name": "王*明", "employer": "海口椰城大药房"}
    assert "13800000001" not in page.text and "长德路" not in page.text


def test_a_personal_mark_must_be_one_the_verification_knows(db):
    seed(db)
    body = {"code": "odd_license", "name_zh": "某证", "name_en": "Odd", "holder_kind": "person",
            "fields": [{"name": "name", "zh": "姓名", "en": "Name", "personal": "sometimes"}]}
    with system(db) as s, pytest.raises(Invalid) as refused:
        define_type(s, body, actor=ADMIN)
    assert [(e["path"], e["code"]) for e in refused.value.errors] == [("fields[0].personal", "invalid")]


def test_a_tampered_licenses_badge_follows_the_verdict_and_its_content_is_withheld(db, client, secret,
                                                                                   admin_engine):
    seed(db)
    number, _ = put_license(db, secret, "TAMPER-0002")
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE sharing_licenses SET holder_name = '冒名公司' WHERE number = :n"), {"n": number})
    page, body, node = _public(client, number)
    badge = page.text.split('id="status">', 1)[1].split("<", 1)[0]
    assert "不可采信" in badge and "有效" not in badge and 'class="sh-badge bad"' in page.text
    assert "冒名公司" not in page.text and "冒名公司" not in str(body) and "冒名公司" not in str(node)
    assert body["withheld"] and body["holder_name"] == "" and body["fields"] == [] and body["status"] is None
    assert body["badge"]["zh"] == "不可采信" and node["outcome"] == "TAMPERED" and node["status"] is None
    with system(db) as s:  # the holder's own wallet shows it as not to be trusted too
        data = wallet.page_data(wallet.entries(s, wallet.HolderKeys(("ent-yefeng",), ())), [])
    assert data["licenses"][0]["status"][0] == "不可采信"


def test_a_license_not_yet_in_force_says_so_and_not_suspended(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "LATER-0001", valid_from=today() + timedelta(days=10))
    page, body, node = _public(client, number)
    assert body["outcome"] == body["status"] == "not_yet_valid" and node["outcome"] == "NOT_YET_VALID"
    assert "尚未生效" in page.text and "not yet in force" in page.text
    assert "暂停" not in page.text and "suspended" not in page.text
    with system(db) as s:
        row = s.scalar(select(License).where(License.number == number))
        assert effective_status(row, today()) == "not_yet_valid"
        assert effective_status(row, today() + timedelta(days=10)) == "valid"
        refused = exemption.refusal_text({"name": "营业执照"}, check_license(s, row))
    assert refused["code"] == "license_not_yet_valid" and "尚未生效" in refused["zh"]
