"""Verification: a good, a tampered, a revoked and an expired license, on the public page and as JSON; ID
numbers masked; key rotation keeps old signatures verifying; private keys are never stored in clear."""
import base64
from datetime import timedelta

import pytest
from approval_fixtures import staff
from cryptography.fernet import InvalidToken
from sharing_support import PERSON_ID, put_license, seed, system, yesterday
from sqlalchemy import text

from tongban.platform.sharing import keys
from tongban.platform.sharing.errors import NotFound
from tongban.platform.sharing.library import change_status, today
from tongban.platform.sharing.service import SharingService


def _verify(client, number):
    return client.get(f"/verify/{number}"), client.get(f"/api/sharing/verify/{number}").json()


def test_a_good_license_verifies(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "GOOD-0001")
    page, body = _verify(client, number)
    assert page.status_code == 200 and 'data-outcome="valid"' in page.text and "证照有效，签名验证通过" in page.text
    assert body["ok"] and body["outcome"] == "valid" and body["signature_ok"] and body["status"] == "valid"
    assert body["holder_id"] == "91460100MA5T0YF0PN" and body["type_name"]["zh"] == "营业执照"


def test_a_tampered_license_is_reported(db, client, secret, admin_engine):
    seed(db)
    number, _ = put_license(db, secret, "TAMPER-0001")
    with admin_engine.begin() as conn:  # someone edits the row behind the library's back
        conn.execute(text("UPDATE sharing_licenses SET holder_name = '冒名公司' WHERE number = :n"), {"n": number})
    page, body = _verify(client, number)
    assert body["outcome"] == "tampered" and not body["ok"] and not body["signature_ok"]
    assert "可能被篡改" in page.text and "签名验证失败" in page.text
    with admin_engine.begin() as conn:  # even with the stored hash recomputed, the signature does not match
        conn.execute(text("UPDATE sharing_licenses SET content_hash = :h WHERE number = :n"),
                     {"h": "0" * 64, "n": number})
    assert _verify(client, number)[1]["outcome"] == "tampered"


def test_a_revoked_license_is_reported_with_reason_and_time(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "REVOKE-0001")
    with system(db) as s:
        change_status(s, number, "revoke", reason="企业申请注销登记", actor=staff("mr", "4601", "approver"))
    page, body = _verify(client, number)
    assert body["outcome"] == "revoked" and body["status_reason"] == "企业申请注销登记" and body["status_at"]
    assert body["signature_ok"], "revocation changes the status, not the signed content"
    assert "证照已注销" in page.text and "企业申请注销登记" in page.text


def test_only_the_issuer_may_change_a_status(db, secret):
    seed(db)
    number, _ = put_license(db, secret, "OTHER-0001")
    with system(db) as s, pytest.raises(NotFound):
        change_status(s, number, "revoke", reason="x", actor=staff("sy", "4602", "approver"))


def test_an_expired_license_is_reported(db, client, secret):
    seed(db)
    number, _ = put_license(db, secret, "FOOD-OLD-0001", type_code="food_business_license",
                            valid_from=today() - timedelta(days=5 * 365), valid_until=yesterday())
    page, body = _verify(client, number)
    assert body["outcome"] == "expired" and body["valid_until"] == yesterday().isoformat() and body["signature_ok"]
    assert "证照已过有效期" in page.text


def test_unknown_numbers_and_masked_personal_data(db, client, secret):
    seed(db)
    page, body = _verify(client, "NOPE-404")
    assert page.status_code == 404 and body["outcome"] == "not_found"
    number, _ = put_license(db, secret, "BIRTH-0001", type_code="birth_certificate", holder_kind="person",
                            holder_id=PERSON_ID, holder_name="王大明", content_={
                                "child_name": "王小宝", "birth_date": "2026-01-02", "mother_name": "李四"})
    page, body = _verify(client, number)
    assert body["holder_id"] == "460100********1230" and PERSON_ID not in page.text
    shown = {f["name"]: f["value"] for f in body["fields"]}
    assert "child_name" not in shown and "小宝" not in page.text and "小宝" not in str(body)  # a child's name: never
    assert shown["mother_name"] == "李*" and body["holder_name"] == "王*明" and "2026-01-02" not in page.text


def test_key_rotation_keeps_old_signatures_verifying(db, client, secret, settings):
    seed(db)
    old_number, _ = put_license(db, secret, "ROT-0001")
    service = SharingService(db, secret_key=secret)
    with system(db) as s:
        first = keys.active_key(s, "4601").kid
    second = service.rotate_key("4601")
    new_number, _ = put_license(db, secret, "ROT-0002")
    old, new = _verify(client, old_number)[1], _verify(client, new_number)[1]
    assert second != first and old["key_id"] == first and new["key_id"] == second
    assert old["ok"] and new["ok"]
    with system(db) as s:
        rows = {k.kid: k for k in keys.keys_of(s, "4601")}
    assert not rows[first].active and rows[first].retired_at and rows[second].active
    for row in rows.values():  # the private half is sealed: neither raw nor base64 of it appears
        assert len(base64.b64decode(row.public_key)) == 32 and row.sealed_private.startswith("gAAAA")


def test_another_platform_secret_cannot_open_the_keys(db, secret):
    seed(db)
    put_license(db, secret, "SECRET-0001")
    with system(db) as s, pytest.raises(InvalidToken):
        keys.sign(s, "4601", "another secret of at least thirty-two characters", b"x")
    with system(db) as s:
        assert len(keys.keys_of(s, "4601")) == 1  # nothing was rotated or replaced by the failed attempt
