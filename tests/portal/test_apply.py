"""Applying online: sign-in through identity's portal relying party, the form from the item's schema, uploads
judged by their bytes and kept across errors, e-licences, server-side drafts, submission to the engine."""
import re

from approval_fixtures import VALID_ID
from portal_support import PDF, PNG, portal_csrf, sign_in
from sqlalchemy import select
from starlette.testclient import TestClient

from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.files.models import Upload
from tongban.tenants.isolation import TenantContext

APPLY = "/items/PROMISED/apply"


def post(client, data: dict, files=None, action="submit", path=APPLY):
    form = client.get(path)
    return client.post(path, data={"csrf_token": portal_csrf(form), "action": action, **data}, files=files or [],
                       follow_redirects=False)


def uploads(db):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return list(s.scalars(select(Upload)))


def test_applying_asks_for_sign_in_first(web, seeded, published):
    reply = web.get(APPLY, follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/auth/login?next=%2Fitems%2FPROMISED%2Fapply"
    landing = sign_in(web, next_path=APPLY)
    assert str(landing.url) == "http://haikou.localhost/items/PROMISED/apply"
    assert "在线申请" in landing.text and "申请人姓名" in landing.text and 'name="file.mat.m1"' in landing.text
    assert 'accept=".pdf"' in landing.text and "required" in landing.text


def test_a_citizen_applies_with_an_upload_and_an_e_licence_and_sees_the_case(web, db, seeded, published, settings):
    _citizens_license(db, settings, "YYZZ-4601-0001")
    sign_in(web, next_path=APPLY)
    reply = post(web, {"f.applicant_name": "王小明", "f.id_number": VALID_ID, "lic.m2": "1", "licno.m2": "YYZZ-4601-0001"},
                 files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))])
    assert reply.status_code == 303, reply.text[:2000]
    number = reply.headers["location"].rsplit("/", 1)[1]
    case_page = web.get(reply.headers["location"])
    assert "申请已提交" in case_page.text and re.search(r'class="query-code"><code>\d{6}</code>', case_page.text)
    assert "申请书：已提交" in case_page.text and "营业执照：电子证照免交" in case_page.text
    assert "提交申请" in case_page.text and "待受理" in case_page.text
    assert "class=\"query-code\"" not in web.get(f"/cases/{number}").text  # the code is shown once
    assert number in web.get("/cases").text
    (upload,) = uploads(db)
    assert upload.case_number == number and upload.kind == "pdf" and upload.original_name == "申请书.pdf"
    stored = settings.var_dir / "uploads" / upload.stored_name
    assert stored.read_bytes() == PDF and "申请书" not in upload.stored_name
    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.scalar(select(Case).where(Case.number == number))
        materials = {m.material_id: (m.status, m.license_ref) for m in s.scalars(select(CaseMaterial))}
    assert case.channel == "online" and case.tenant_id == "4601" and case.applicant["name"] == "王小明"
    assert materials["m1"][0] == "provided" and materials["m2"] == ("license", "YYZZ-4601-0001")


def test_errors_keep_what_was_typed_and_uploaded(web, db, seeded, published, settings):
    _citizens_license(db, settings, "YYZZ-1")
    sign_in(web, next_path=APPLY)
    failed = post(web, {"f.applicant_name": "张三丰", "f.capital": "2000000"},
                  files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))])
    assert failed.status_code == 422
    assert 'value="张三丰"' in failed.text and "请填写身份证号码" in failed.text
    assert "请提交“营业执照”" in failed.text and 'class="error-summary"' in failed.text
    (upload,) = uploads(db)
    assert f'name="keep.mat.m1" value="{upload.token}" checked' in failed.text and "已上传" in failed.text
    again = post(web, {"f.applicant_name": "张三丰", "f.id_number": VALID_ID, "f.capital": "2000000",
                       "keep.mat.m1": upload.token, "lic.m2": "1", "licno.m2": "YYZZ-1"})
    assert again.status_code == 303  # no second upload; 验资报告 may follow later (容缺)
    assert len(uploads(db)) == 1


def test_a_file_is_judged_by_its_bytes_not_its_name(web, db, seeded, published, settings):
    sign_in(web, next_path=APPLY)
    stored_before = set((settings.var_dir / "uploads").rglob("*"))
    reply = post(web, {"f.applicant_name": "王小明"}, files=[("file.mat.m1", ("申请书.pdf", PNG, "application/pdf"))],
                 action="save")
    assert reply.status_code == 422 and "实际内容（png）" in reply.text
    assert uploads(db) == []
    assert not [p for p in (settings.var_dir / "uploads").rglob("*") if p.is_file() and p not in stored_before]


def test_a_refused_file_and_every_other_problem_are_told_at_once(web, db, seeded, published):
    """一次性告知 for the applicant too: a refused upload does not hide the form's other problems until the next
    round — the missing ID number and the other missing material come with it."""
    sign_in(web, next_path=APPLY)
    reply = post(web, {"f.applicant_name": "王小明"}, files=[("file.mat.m1", ("申请书.pdf", PNG, "application/pdf"))])
    assert reply.status_code == 422 and "实际内容（png）" in reply.text
    assert "请填写身份证号码" in reply.text and "请提交“营业执照”" in reply.text
    assert reply.text.count("请提交“申请书”") == 0  # the refused file's material is told once, by its refusal


def test_choosing_the_same_file_again_after_a_refusal_keeps_it_once(web, db, seeded, published):
    sign_in(web, next_path=APPLY)
    first = post(web, {"f.applicant_name": "王小明"}, files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))])
    assert first.status_code == 422
    (kept,) = uploads(db)
    again = post(web, {"f.applicant_name": "王小明", "keep.mat.m1": kept.token},
                 files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))])  # the same file chosen again
    assert again.status_code == 422
    assert [u.token for u in uploads(db)] == [kept.token]
    assert again.text.count(f'name="keep.mat.m1" value="{kept.token}"') == 1


def test_a_draft_saved_on_one_device_resumes_on_another(app, web, seeded, published):
    sign_in(web, next_path=APPLY)
    saved = post(web, {"f.applicant_name": "王小明", "f.capital": "50000"}, action="save")
    assert saved.status_code == 200 and "草稿已保存" in saved.text
    with TestClient(app, base_url="http://haikou.localhost") as phone:
        sign_in(phone, next_path=APPLY)
        resumed = phone.get(APPLY)
        assert "已恢复您上次填写、尚未提交的内容" in resumed.text and 'value="王小明"' in resumed.text
        assert 'value="50000' in resumed.text
        assert "个体工商户设立登记" in phone.get("/cases").text  # listed as a draft
        start_over = phone.post(APPLY, data={"csrf_token": portal_csrf(resumed), "action": "discard"})
        assert str(start_over.url).endswith(APPLY) and 'value="50000' not in start_over.text
        assert "已恢复" not in start_over.text and "清空重填" not in start_over.text


def test_an_e_licence_the_library_does_not_hold_is_refused_with_the_reason(web, seeded, published):
    sign_in(web, next_path=APPLY)
    page = web.get(APPLY)
    assert "电子证照库中暂无您的营业执照，请上传材料。" in page.text and 'name="lic.m2"' not in page.text
    reply = post(web, {"f.applicant_name": "王小明", "f.id_number": VALID_ID, "lic.m2": "1"},
                 files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))])
    assert reply.status_code == 422 and "电子证照库中没有您的“营业执照”，请上传材料" in reply.text


def test_uploads_are_private_to_their_owner(app, web, db, seeded, published):
    sign_in(web, next_path=APPLY)
    post(web, {"f.applicant_name": "王小明"}, files=[("file.mat.m1", ("申请书.pdf", PDF, "application/pdf"))],
         action="save")
    (upload,) = uploads(db)
    mine = web.get(f"/uploads/{upload.token}")
    assert mine.status_code == 200 and mine.content == PDF and mine.headers["x-content-type-options"] == "nosniff"
    with TestClient(app, base_url="http://haikou.localhost") as other:
        sign_in(other, username="agent", next_path="/cases")
        assert other.get(f"/uploads/{upload.token}").status_code == 404


def test_a_post_without_the_form_token_is_refused(web, seeded, published):
    sign_in(web, next_path=APPLY)
    reply = web.post(APPLY, data={"action": "save", "f.applicant_name": "x"}, follow_redirects=False)
    assert reply.status_code == 403


def test_a_group_gets_rows_without_javascript(web, db, seeded):
    from approval_fixtures import publish
    from catalogue_fixtures import content

    body = content("FAMILY", "家庭成员登记")
    body["form"]["fields"].append({"name": "members", "type": "group", "label": {"zh": "家庭成员", "en": "Members"},
                                   "fields": [{"name": "who", "type": "text", "label": {"zh": "姓名", "en": "Name"}}]})
    publish(db, "FAMILY", body)
    sign_in(web, next_path="/items/FAMILY/apply")
    page = post(web, {"f.members.rows": "1", "f.members[0].who": "王大明"}, action="add_row:members",
                path="/items/FAMILY/apply")
    assert 'name="f.members[0].who" value="王大明"' in page.text and 'name="f.members[1].who"' in page.text


def _citizens_license(db, settings, number):
    """Put the signed-in citizen's business license into the e-license library (免收证照 is checked at intake)."""
    from sharing_support import put_license

    from tongban.platform.identity import accounts

    with db.unit_of_work(TenantContext.system("test")) as s:
        citizen = accounts.by_username(s, "citizen").subject
    put_license(db, settings.secret_key, number, holder_id=VALID_ID, holder_kind="person", holder_name="王小明",
                subject=citizen)


def test_in_english_the_form_itself_is_english_too(web, seeded, published):
    """Not only the page around it: each field's label and each field's error are in the page's language."""
    sign_in(web, next_path=APPLY)
    page = web.get(APPLY + "?lang=en")
    assert "Applicant name" in page.text and "ID number" in page.text and "申请人姓名" not in page.text
    refused = web.post(APPLY + "?lang=en", data={"csrf_token": portal_csrf(page), "action": "submit"},
                       follow_redirects=False)
    field_errors = re.findall(r'<p class="error-message"[^>]*><span class="visually-hidden">Error：</span>(.*?)</p>',
                              refused.text, re.S)
    assert field_errors == ["Applicant name is required", "ID number is required"]  # under each field, in English
    assert "请填写申请人姓名" not in refused.text
