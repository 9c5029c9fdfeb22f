"""窗口收件: a clerk applies for an applicant, here or for another tenant (全省通办); uploads checked against the
material spec and their real content; errors at each field with everything typed (and uploaded) kept; the
receipt shows the case number and, once, the query code."""
import re

from approval_fixtures import open_tasks, publish, staff, the_case
from catalogue_fixtures import content
from sqlalchemy import select
from workbench_support import HAIKOU, PDF, csrf_in, intake_data, pdf_files, sign_in

from tongban.platform.approval.models import CaseMaterial
from tongban.platform.approval.numbers import query_code_matches
from tongban.tenants.isolation import TenantContext

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(web, item="PROMISED", handling=None):
    page = web.get(f"{HAIKOU}/workbench/intake/{item}" + (f"?handling={handling}" if handling else ""))
    assert page.status_code == 200, page.text[:400]
    return page


def _submit(web, page, files, item="PROMISED", **data):
    return web.post(f"{HAIKOU}/workbench/intake/{item}/submit", data=intake_data(csrf_in(page.text), **data),
                    files=files)


def _materials(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return {m.material_id: m for m in s.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case_id))}


def test_the_clerk_finds_window_items(web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = web.get(HAIKOU + "/workbench/intake")
    assert "个体工商户设立登记" in page.text and "结婚登记" in page.text and "/workbench/intake/PROMISED" in page.text
    found = web.get(HAIKOU + "/workbench/intake?q=结婚")
    assert "结婚登记" in found.text and "个体工商户设立登记" not in found.text


def test_the_form_comes_from_the_item(web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = _form(web)
    assert 'name="f.applicant_name"' in page.text and 'name="f.id_number"' in page.text and 'name="f.capital"' in page.text
    assert 'name="m.m1"' in page.text and 'accept=".pdf"' in page.text
    assert 'name="lic.m2"' in page.text  # 营业执照 may be an e-license instead
    assert '<option value="4601" selected>海口市（本地 here）</option>' in page.text and '<option value="4602"' in page.text


def test_apply_then_receipt_with_the_query_code_shown_once(app, db, settings, web, clock):
    sign_in(web, "haikou.clerk", clock)
    answer = _submit(web, _form(web), pdf_files("m1", "m2"), **{"f.capital": "50000"})
    assert answer.status_code == 200 and re.search(r"/workbench/receipts/\d+$", str(answer.url))
    case_id = int(str(answer.url).rsplit("/", 1)[1])
    case = the_case(db, case_id)
    code = re.search(r'id="query-code">(\d{6})<', answer.text).group(1)
    assert case.number in answer.text and query_code_matches(settings.secret_key, case.number, code, case.query_code_hash)
    assert "查询码只显示这一次" in answer.text and "受理后可打印受理通知书" in answer.text
    assert case.channel == "window" and case.tenant_id == case.received_tenant_id == "4601"
    assert case.applicant["name"] == "张三" and case.applicant_subject.startswith("window:")
    again = web.get(str(answer.url))
    assert code not in again.text and "不再显示" in again.text
    files = _materials(db, case_id)["m1"].files
    assert files[0]["name"] == "m1.pdf" and files[0]["content_type"] == "application/pdf"
    assert (settings.var_dir / "uploads" / files[0]["id"]).read_bytes() == PDF
    download = web.get(f"{HAIKOU}/workbench/cases/{case_id}/files/{files[0]['id']}")
    assert download.status_code == 200 and download.content == PDF
    assert web.get(f"{HAIKOU}/workbench/cases/{case_id}/files/{'0' * 32}").status_code == 404


def test_a_registered_applicant_gets_the_case_in_their_own_account(app, db, web, clock):
    from tongban.platform.identity.accounts import by_username

    sign_in(web, "haikou.clerk", clock)
    citizen_id = "460100199003070015"
    answer = _submit(web, _form(web), pdf_files("m1", "m2"),
                     **{"a.name": "王小明", "a.number": citizen_id, "f.applicant_name": "王小明", "f.id_number": citizen_id})
    case = the_case(db, int(str(answer.url).rsplit("/", 1)[1]))
    with db.unit_of_work(TenantContext.none()) as s:
        assert case.applicant_subject == by_username(s, "citizen").subject


def test_a_verified_id_under_another_name_is_refused_on_the_name_and_links_no_account(app, db, web, clock):
    """赵大海 at the window with 王小明's (verified) ID number: the clerk is told the name does not match the
    record, nothing is written, and 王小明's account never sees the case."""
    sign_in(web, "haikou.clerk", clock)
    citizen_id = "460100199003070015"
    answer = _submit(web, _form(web), pdf_files("m1", "m2"),
                     **{"a.name": "赵大海", "a.number": citizen_id, "f.applicant_name": "赵大海", "f.id_number": citizen_id})
    assert answer.status_code == 422
    assert "与该证件号码登记的名称不一致" in answer.text and "not the name registered under that ID number" in answer.text
    assert 'href="#field-a.name"' in answer.text and 'value="赵大海"' in answer.text
    assert the_case(db, 1) is None


def test_an_id_an_unverified_account_typed_does_not_bring_window_cases_to_it(app, db, web, clock, identity):
    """Someone self-registered with another person's ID number; that person then applies at a window: the case
    stays off the pretender's account."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.passwords import Passwords

    walk_in = "460100199001011230"
    with db.unit_of_work(TenantContext.none()) as s:
        pretender = accounts.register_person(s, Passwords(), username="pretender", password="Coconut#2027",
                                             name="陈本人", id_number=walk_in, contact=accounts.Contact(None, "13907561299"))
        pretender_subject = pretender.subject
    sign_in(web, "haikou.clerk", clock)
    answer = _submit(web, _form(web), pdf_files("m1", "m2"),
                     **{"a.name": "陈本人", "a.number": walk_in, "f.applicant_name": "陈本人", "f.id_number": walk_in})
    case = the_case(db, int(str(answer.url).rsplit("/", 1)[1]))
    assert case.applicant_subject.startswith("window:") and case.applicant_subject != pretender_subject


def test_errors_are_shown_at_each_field_and_nothing_typed_or_uploaded_is_lost(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = _form(web)
    files = [("m.m2", ("执照.pdf", PNG, "application/pdf")), ("m.m3", ("验资.jpg", b"\xff\xd8\xff" + b"0" * 20, "image/jpeg"))]
    answer = _submit(web, page, files + pdf_files("m1")[:0], **{"a.number": "460100199001011231", "f.capital": "2000000",
                                                               "a.phone": "13912345678"})
    assert answer.status_code == 422
    text = answer.text
    assert "请修改以下内容" in text and "居民身份证号码无效" in text and 'href="#field-a.number"' in text
    assert "请提交“申请书”" in text  # nothing for m1
    assert "“执照.pdf”的内容与其格式不符" in text and "“验资.jpg”格式不符" in text
    assert 'value="13912345678"' in text and 'value="2000000.00"' in text and 'value="张三"' in text
    assert the_case(db, 1) is None
    fixed = _submit(web, answer, pdf_files("m1") + [("m.m2", ("执照.pdf", PDF, "application/pdf"))],
                    **{"f.capital": "2000000"})
    assert "/workbench/receipts/" in str(fixed.url)
    materials = _materials(db, int(str(fixed.url).rsplit("/", 1)[1]))
    assert materials["m1"].status == "provided" and materials["m3"].status == "rongque"


def test_good_uploads_are_kept_when_another_field_fails(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    answer = _submit(web, _form(web), pdf_files("m1", "m2"), **{"a.name": ""})
    assert answer.status_code == 422 and "请填写申请人名称" in answer.text
    assert "已上传 <span lang=\"en\">Uploaded</span>：m1.pdf" in answer.text and 'name="keep.m1"' in answer.text
    kept = {m: re.search(rf'name="keep.{m}" value="([^"]+)"', answer.text).group(1) for m in ("m1", "m2")}
    data = {"keep.m1": kept["m1"], "keep.m2": kept["m2"]}
    fixed = _submit(web, answer, [], **data)
    case_id = int(str(fixed.url).rsplit("/", 1)[1])
    assert _materials(db, case_id)["m1"].files[0]["name"] == "m1.pdf"
    forged = _submit(web, _form(web), pdf_files("m2"), **{"keep.m1": kept["m1"][:-2] + "xx"})
    assert forged.status_code == 422 and "请提交“申请书”" in forged.text


def test_an_e_license_number_stands_in_for_a_material(app, db, web, clock, settings):
    from sharing_support import put_license
    from workbench_support import VALID_ID

    put_license(db, settings.secret_key, "BL-4601-0001", holder_id=VALID_ID, holder_kind="person",
                holder_name="张三", subject=None)
    sign_in(web, "haikou.clerk", clock)
    answer = _submit(web, _form(web), pdf_files("m1"), **{"lic.m2": "BL-4601-0001"})
    materials = _materials(db, int(str(answer.url).rsplit("/", 1)[1]))
    assert materials["m2"].status == "license" and materials["m2"].license_ref == "BL-4601-0001"


def test_an_e_license_that_is_not_the_applicants_is_refused_at_the_field(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    answer = _submit(web, _form(web), pdf_files("m1"), **{"lic.m2": "BL-NOT-THEIRS"})
    assert answer.status_code == 422 and "BL-NOT-THEIRS" not in str(answer.url)


def test_a_file_over_the_size_limit_is_refused(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    big = PDF + b"0" * (5 * 1024 * 1024)
    answer = _submit(web, _form(web), pdf_files("m1") + [("m.m2", ("执照.pdf", big, "application/pdf"))])
    assert answer.status_code == 422 and "超过 5 MB" in answer.text


def test_apply_here_for_another_tenant_and_list_it_as_received(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = _form(web, handling="4602")
    assert "本件由 三亚市 办理，本窗口代收" in page.text
    answer = _submit(web, page, pdf_files("m1", "m2"), handling="4602")
    case_id = int(str(answer.url).rsplit("/", 1)[1])
    case = the_case(db, case_id)
    assert case.tenant_id == "4602" and case.received_tenant_id == "4601" and "全省通办，本窗口代收" in answer.text
    received = web.get(HAIKOU + "/workbench/received")
    assert case.number in received.text and "三亚市" in received.text
    detail = web.get(f"{HAIKOU}/workbench/cases/{case_id}")
    assert "本窗口仅代收" in detail.text and "/act/" not in detail.text
    engine = app.state.approval
    engine.act(case_id, "accept", staff("sy", "4602", "window_clerk"), task_id=open_tasks(db, case_id)[0].id)
    receipt = web.get(f"{HAIKOU}/workbench/receipts/{case_id}")
    assert "/documents/acceptance.pdf" in receipt.text
    pdf = web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/acceptance.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_a_tenant_that_does_not_handle_the_item_is_not_offered(app, db, web, clock):
    from tests_support import tenant_context

    from tongban.configurator.publishing import local

    with db.unit_of_work(tenant_context(db, "4602")) as s:
        local.set_enabled(s, "4602", ["PROMISED"], False, actor="admin")
    sign_in(web, "haikou.clerk", clock)
    page = _form(web)
    assert '<option value="4602"' not in page.text
    assert web.get(f"{HAIKOU}/workbench/intake/PROMISED?handling=4602").status_code == 404
    refused = _submit(web, page, pdf_files("m1", "m2"), handling="4602")
    assert refused.status_code == 404


def test_groups_dates_and_choices_without_javascript(app, db, web, clock):
    body = content("FAMILY", "困难家庭临时救助")
    body["materials"] = []
    body["form"] = {"fields": [
        {"name": "applicant_name", "type": "text", "label": {"zh": "申请人姓名"}, "required": True},
        {"name": "id_number", "type": "resident_id", "label": {"zh": "身份证号码"}, "required": True},
        {"name": "reason", "type": "select", "label": {"zh": "困难类型"}, "required": True,
         "options": [{"value": "illness", "label": {"zh": "因病"}}, {"value": "disaster", "label": {"zh": "因灾"}}]},
        {"name": "needs", "type": "multi_select", "label": {"zh": "所需帮助"},
         "options": [{"value": "cash", "label": {"zh": "现金"}}, {"value": "goods", "label": {"zh": "实物"}}]},
        {"name": "period", "type": "date_range", "label": {"zh": "困难期间"}},
        {"name": "agree", "type": "checkbox", "label": {"zh": "承诺所填属实"}, "required": True},
        {"name": "members", "type": "group", "label": {"zh": "家庭成员"}, "min_rows": 1, "fields": [
            {"name": "name", "type": "text", "label": {"zh": "姓名"}, "required": True},
            {"name": "relation", "type": "text", "label": {"zh": "关系"}}]}]}
    publish(db, "FAMILY", body)
    sign_in(web, "haikou.clerk", clock)
    page = _form(web, item="FAMILY")
    assert 'name="f.members[0].name"' in page.text and 'name="f.members[1].name"' not in page.text
    data = {"f.reason": "illness", "f.needs": ["cash", "goods"], "f.period.start": "2026-10-01",
            "f.period.end": "2026-11-01", "f.members[0].name": "张三", "f.members[0].relation": "本人", "add_row": "members"}
    more = web.post(f"{HAIKOU}/workbench/intake/FAMILY/submit", data=intake_data(csrf_in(page.text), **data))
    assert 'name="f.members[1].name"' in more.text and 'value="本人"' in more.text
    assert more.status_code == 200 and "请修改" not in more.text
    data.pop("add_row")
    missing = web.post(f"{HAIKOU}/workbench/intake/FAMILY/submit", data=intake_data(csrf_in(more.text), **data))
    assert missing.status_code == 422 and "承诺所填属实" in missing.text and 'value="2026-10-01"' in missing.text
    data["f.agree"] = "true"
    data["f.members[1].name"] = "李四"
    done = web.post(f"{HAIKOU}/workbench/intake/FAMILY/submit", data=intake_data(csrf_in(missing.text), **data))
    assert "/workbench/receipts/" in str(done.url), done.text[done.text.find("wb-error-summary"):][:800]
    form = the_case(db, int(str(done.url).rsplit("/", 1)[1])).form_data
    assert form["needs"] == ["cash", "goods"] and form["agree"] is True
    assert [m["name"] for m in form["members"]] == ["张三", "李四"] and form["period"]["start"] == "2026-10-01"
