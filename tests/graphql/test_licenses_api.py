"""E-licenses over the API: anyone verifies a number; the holder sees their licenses and every access; a
registered department system reads with a purpose and a case of its tenant, within its license types and
rate — each read logged where the holder sees it, refusals explained, nothing logged for a refusal."""
import pytest
from approval_fixtures import staff
from graphql_support import codes_of, data_of, mint_token, post
from graphql_world import LICENSE, PURPOSE, build_world, register_department
from sqlalchemy import select

from tongban.platform.sharing.models import License, SharingClient
from tongban.platform.sharing.service import SharingService
from tongban.tenants.isolation import TenantContext

VERIFY = """query($n: String!) { verifyLicense(number: $n) { outcome ok messageZh messageEn signatureOk status
  typeNameZh holderName holderIdMasked issuerName fields { name labelZh value } } }"""
READ = """query($n: String!, $p: String!, $c: String!) { sharedLicense(number: $n, purpose: $p, caseRef: $c) {
  number typeCode holderId holderName status outcome signatureOk fields { name value } } }"""
WALLET = """{ myLicenses { licenses { number typeNameZh verification { outcome } pdfPath }
  accessLog { kind kindZh accessorName accessorTenant caseRef purpose licenseNumber } } }"""


@pytest.fixture
def world(api, identity, published, db, settings):
    return build_world(api, identity, db, settings)


def _read(api, token, number, purpose, case_ref):
    return post(api, READ, {"n": number, "p": purpose, "c": case_ref}, token=token)


def test_a_department_reads_for_a_case_and_the_holder_sees_who_when_and_why(api, world):
    read = data_of(_read(api, world.tokens["dept_haikou"], LICENSE, PURPOSE, world.number))["sharedLicense"]
    assert read["holderId"] == world.id_number and read["outcome"] == "VALID" and read["signatureOk"]
    assert {"name": "address", "value": "海口市秀英区长流镇长德路 8 号"} in read["fields"]  # unmasked for the case
    found = data_of(post(api, """query($c: String!) { sharedLicenses(typeCode: "resident_id_card", purpose: "核对",
        caseRef: $c) { number } }""", {"c": world.number}, token=world.tokens["dept_haikou"]))["sharedLicenses"]
    assert found == [{"number": LICENSE}]
    wallet = data_of(post(api, WALLET, token=world.tokens["citizen"]))["myLicenses"]
    assert wallet["licenses"] == [{"number": LICENSE, "typeNameZh": "居民身份证", "verification": {"outcome": "VALID"},
                                   "pdfPath": f"/wallet/{LICENSE}.pdf"}]
    assert [(e["kind"], e["purpose"], e["caseRef"], e["accessorTenant"]) for e in wallet["accessLog"]] == [
        ("api", "核对", world.number, "4601"), ("api", PURPOSE, world.number, "4601")]
    assert wallet["accessLog"][0]["accessorName"] == "4601 公安人口系统" and wallet["accessLog"][0]["kindZh"]


def test_purpose_and_case_are_required_and_refusals_log_nothing(api, world):
    token = world.tokens["dept_haikou"]
    no_purpose = _read(api, token, LICENSE, " ", world.number).json()
    assert codes_of(no_purpose) == ["BAD_USER_INPUT"] and no_purpose["errors"][0]["extensions"]["field"] == "purpose"
    no_case = _read(api, token, LICENSE, PURPOSE, "").json()
    assert no_case["errors"][0]["extensions"]["field"] == "caseRef"
    assert no_case["errors"][0]["extensions"]["messageZh"] and no_case["errors"][0]["extensions"]["messageEn"]
    assert data_of(_read(api, token, "NO-SUCH", PURPOSE, world.number))["sharedLicense"] is None
    assert data_of(_read(api, token, LICENSE, PURPOSE, "4601-19990101-000001"))["sharedLicense"] is None
    assert data_of(post(api, WALLET, token=world.tokens["citizen"]))["myLicenses"]["accessLog"] == []


def test_license_types_registration_and_rate_limit_bound_a_department(api, identity, db, world):
    narrow = mint_token(identity, client_id=register_department(identity, db, "4601", may_read=("business_license",)),
                        user_type=None, scope="licenses:read")
    assert codes_of(_read(api, narrow, LICENSE, PURPOSE, world.number).json()) == ["FORBIDDEN"]
    base = post(api, 'query($c: String!) { sharedBaseRecord(kind: PERSON, key: "%s", purpose: "核对", caseRef: $c) '
                     "{ key } }" % world.id_number, {"c": world.number}, token=narrow).json()
    assert codes_of(base) == ["FORBIDDEN"]
    unregistered = mint_token(identity, client_id="tongban-api", user_type=None, scope="licenses:read")
    refused = _read(api, unregistered, LICENSE, PURPOSE, world.number).json()
    assert codes_of(refused) == ["FORBIDDEN"] and "not registered" in refused["errors"][0]["extensions"]["messageEn"]

    slow = register_department(identity, db, "4601")
    with db.unit_of_work(TenantContext.system("test")) as s:
        s.get(SharingClient, slow).rate_per_minute = 2
    token = mint_token(identity, client_id=slow, user_type=None, scope="licenses:read")
    for _ in range(2):
        assert data_of(_read(api, token, LICENSE, PURPOSE, world.number))["sharedLicense"]["number"] == LICENSE
    limited = _read(api, token, LICENSE, PURPOSE, world.number).json()
    assert codes_of(limited) == ["RATE_LIMITED"] and limited["errors"][0]["extensions"]["retryAfter"] > 0


def test_verification_is_public_and_tells_tampered_and_revoked_apart(api, db, world, settings):
    good = data_of(post(api, VERIFY, {"n": LICENSE}))["verifyLicense"]
    assert good["outcome"] == "VALID" and good["ok"] and good["signatureOk"] and good["typeNameZh"] == "居民身份证"
    assert good["holderIdMasked"].startswith(world.id_number[:6]) and "*" in good["holderIdMasked"]
    assert data_of(post(api, VERIFY, {"n": "NO-SUCH"}))["verifyLicense"]["outcome"] == "NOT_FOUND"
    with db.unit_of_work(TenantContext.system("test")) as s:
        row = s.scalar(select(License).where(License.number == LICENSE))
        row.content = {**row.content, "name": "李四"}
    tampered = data_of(post(api, VERIFY, {"n": LICENSE}))["verifyLicense"]
    assert tampered["outcome"] == "TAMPERED" and not tampered["ok"] and "篡改" in tampered["messageZh"]
    with db.unit_of_work(TenantContext.system("test")) as s:
        row = s.scalar(select(License).where(License.number == LICENSE))
        row.content = {**row.content, "name": "王小明"}
    assert data_of(post(api, VERIFY, {"n": LICENSE}))["verifyLicense"]["outcome"] == "VALID"
    SharingService(db, secret_key=settings.secret_key).change_status(
        LICENSE, "revoke", reason="依申请注销", actor=staff("padmin", "46", "province_admin", subtree=True))
    revoked = data_of(post(api, VERIFY, {"n": LICENSE}))["verifyLicense"]
    assert revoked["outcome"] == "REVOKED" and revoked["status"] == "revoked" and revoked["signatureOk"]
    blank = post(api, VERIFY, {"n": " "}).json()
    assert codes_of(blank) == ["BAD_USER_INPUT"]
