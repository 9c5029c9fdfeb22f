"""Files through the API: a program uploads each material's file first (POST /graphql/uploads), then names it by
id in submitApplication / supplyCase. The file is checked like the portal's, belongs to the token's person,
and the case holds what was stored — never a name or size the program merely claims."""
from sqlalchemy import select

from graphql_support import (PDF, SUBMIT, TOWNSHIP, citizen_form, citizen_token, data_of, mint_token, post,
                             staff_token, upload, uploaded_files)
from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.files.models import Upload
from tongban.tenants.isolation import TenantContext

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _submit(api, identity, token, files):
    variables = {"input": {"tenant": TOWNSHIP, "itemCode": "PROMISED", "formData": citizen_form(identity),
                           "files": files}}
    return data_of(post(api, SUBMIT, variables, token=token))["submitApplication"]


def _cases(db) -> int:
    with db.unit_of_work(TenantContext.system("test")) as s:
        return len(s.scalars(select(Case.id)).all())


def test_an_uploaded_file_is_what_the_case_holds(api, identity, published, db):
    citizen = citizen_token(identity)
    answer = upload(api, citizen, "m1", "申请书（签字版）.pdf")
    assert answer.status_code == 201
    stored = answer.json()
    assert stored["name"] == "申请书（签字版）.pdf" and stored["size"] == len(PDF)
    assert stored["contentType"] == "application/pdf" and stored["materialId"] == "m1"
    files = [{"materialId": "m1", "files": [{"id": stored["id"], "name": "别的名字.pdf", "size": 999_999}]},
             uploaded_files(api, citizen)[1]]
    payload = _submit(api, identity, citizen, files)
    assert payload["errors"] == [], payload
    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.get(Case, int(payload["case"]["id"]))
        m1 = s.scalar(select(CaseMaterial).where(CaseMaterial.case_id == case.id, CaseMaterial.material_id == "m1"))
        held = s.scalar(select(Upload).where(Upload.token == stored["id"]))
        assert m1.status == "provided"
        assert m1.files == [{"id": stored["id"], "name": "申请书（签字版）.pdf", "size": len(PDF),
                             "content_type": "application/pdf"}]  # the stored file, not the claimed name and size
        assert held.case_number == case.number  # held by the case: housekeeping never purges it


def test_a_file_that_is_not_the_callers_upload_for_that_material_is_a_field_error(api, identity, published, db):
    citizen = citizen_token(identity)
    other = mint_token(identity, subject="person:someone-else", scope="cases:write", user_type="person")
    theirs = upload(api, other, "m1").json()["id"]
    for_m2 = upload(api, citizen, "m2", "营业执照.pdf").json()["id"]
    good_m2 = uploaded_files(api, citizen)[1]
    before = _cases(db)
    for wrong in ("not-an-upload", theirs, for_m2):
        payload = _submit(api, identity, citizen, [{"materialId": "m1", "files": [{"id": wrong}]}, good_m2])
        assert payload["case"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("materials.m1", "unknown_upload")]
        assert payload["errors"][0]["messageZh"] and payload["errors"][0]["messageEn"]
    assert _cases(db) == before  # nothing was created


def test_an_upload_is_checked_like_the_portals(api, identity, published):
    citizen = citizen_token(identity)
    disguised = upload(api, citizen, "m1", "申请书.pdf", PNG)  # a picture named .pdf, for a PDF-only material
    assert disguised.status_code == 422
    (error,) = disguised.json()["errors"]
    assert error["field"] == "file" and error["code"] == "type_mismatch" and error["messageZh"] and error["messageEn"]
    too_big = upload(api, citizen, "m2", "营业执照.pdf", PDF + b"0" * (5 * 1024 * 1024))  # m2 takes at most 5 MB
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["code"] == "too_large"
    unknown = upload(api, citizen, "m9")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "materialId"
    no_file = api.post("/graphql/uploads", headers={"Authorization": f"Bearer {citizen}"},
                       data={"itemCode": "PROMISED", "materialId": "m1", "tenant": TOWNSHIP},
                       files={"other": ("x.txt", b"x", "text/plain")})
    assert no_file.status_code == 422 and no_file.json()["errors"][0]["field"] == "file"
    no_item = upload(api, citizen, "m1", item="NO-SUCH-ITEM")
    assert no_item.status_code == 422 and no_item.json()["errors"][0]["field"] == "itemCode"


def test_only_a_person_with_cases_write_uploads(api, identity, published):
    assert upload(api, "", "m1").status_code in (401, 403)
    anonymous = api.post("/graphql/uploads", files={"file": ("a.pdf", PDF, "application/pdf")})
    assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    reader = citizen_token(identity, scope="openid cases:read")
    assert upload(api, reader, "m1").status_code == 403
    system = mint_token(identity, client_id="tongban-api", user_type=None, scope="cases:write")
    assert upload(api, system, "m1").status_code == 403  # a client-credentials token speaks for no person


def test_a_supplement_names_an_uploaded_file_and_the_case_holds_it(api, identity, published, db):
    citizen = citizen_token(identity)
    case = _submit(api, identity, citizen, uploaded_files(api, citizen))["case"]
    clerk = staff_token(identity, ("window_clerk", TOWNSHIP, False))
    task = data_of(post(api, """query($id: ID!) { case(id: $id) { tasks { id } } }""", {"id": case["id"]},
                        token=clerk))["case"]["tasks"][0]
    data_of(post(api, """mutation($input: RequestSupplementInput!) { requestSupplement(input: $input) {
        errors { code } } }""", {"input": {"caseId": case["id"], "taskId": task["id"],
                                         "missing": [{"name": "申请书（签字页）", "materialId": "m1"}]}}, token=clerk))
    supply = """mutation($input: SupplyInput!) { supplyCase(input: $input) { case { state } errors { field code } } }"""
    refused = data_of(post(api, supply, {"input": {"caseId": case["id"], "files": [
        {"materialId": "m1", "files": [{"id": "made-up"}]}]}}, token=citizen))["supplyCase"]
    assert refused == {"case": None, "errors": [{"field": "materials.m1", "code": "unknown_upload"}]}
    page = upload(api, citizen, "m1", "签字页.pdf").json()["id"]
    supplied = data_of(post(api, supply, {"input": {"caseId": case["id"], "files": [
        {"materialId": "m1", "files": [{"id": page}]}]}}, token=citizen))["supplyCase"]
    assert supplied == {"case": {"state": "SUBMITTED"}, "errors": []}
    with db.unit_of_work(TenantContext.system("test")) as s:
        row = s.scalar(select(CaseMaterial).where(CaseMaterial.case_id == int(case["id"]),
                                                  CaseMaterial.material_id == "m1"))
        assert row.status == "supplied" and row.files[0]["name"] == "签字页.pdf"
        assert s.scalar(select(Upload.case_number).where(Upload.token == page)) == case["number"]
