"""Window intake: the form's one-time key makes a second submission of it (Back, then 提交 again) lead to the
first receipt with a notice and no new case; a division field is a picker of divisions, and a name is accepted."""
import copy
import re

from approval_fixtures import publish, the_case
from catalogue_fixtures import content
from sqlalchemy import func, select
from workbench_support import HAIKOU, csrf_in, intake_data, pdf_files, sign_in

from tongban.platform.approval.models import Case
from tongban.tenants.isolation import TenantContext

KEY = re.compile(r'name="submission_key" value="([^"]+)"')
PLACE = {"name": "place", "type": "division", "label": {"zh": "经营场所", "en": "Business premises"},
         "required": True, "within": "4601"}


def _form(web, item="PROMISED"):
    page = web.get(f"{HAIKOU}/workbench/intake/{item}")
    assert page.status_code == 200, page.text[:400]
    return page


def _submit(web, page, item="PROMISED", **data):
    data = intake_data(csrf_in(page.text), **{"submission_key": KEY.search(page.text).group(1), **data})
    return web.post(f"{HAIKOU}/workbench/intake/{item}/submit", data=data, files=pdf_files("m1", "m2"))


def _cases(db) -> int:
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalar(select(func.count()).select_from(Case))


def _case_id(answer) -> int:
    return int(str(answer.url).rsplit("/", 1)[1])


def test_the_same_intake_form_submitted_again_leads_to_the_first_receipt(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = _form(web)
    first = _submit(web, page)
    assert "/workbench/receipts/" in str(first.url) and re.search(r'id="query-code">\d{6}<', first.text)
    number = the_case(db, _case_id(first)).number
    again = _submit(web, page)  # Back, then 提交申请 again
    assert _case_id(again) == _case_id(first) and _cases(db) == 1
    assert f"该申请已提交，办件编号 {number}" in again.text and "submitted already" in again.text
    assert 'id="query-code"' not in again.text and "不再显示" in again.text
    assert "该申请已提交" not in web.get(str(again.url)).text  # the notice belongs to that one answer
    fresh = _submit(web, _form(web))  # a new form is a new application
    assert _case_id(fresh) != _case_id(first) and _cases(db) == 2


def test_the_key_belongs_to_the_applicant(app, db, web, clock):
    sign_in(web, "haikou.clerk", clock)
    page = _form(web)
    first = _submit(web, page)
    other = _submit(web, page, **{"a.name": "王小明", "a.number": "460100199003070015",
                                  "f.applicant_name": "王小明", "f.id_number": "460100199003070015"})
    assert _case_id(other) != _case_id(first) and "该申请已提交" not in other.text and _cases(db) == 2
    assert the_case(db, _case_id(other)).applicant["name"] == "王小明"


def test_a_division_field_is_a_picker_and_takes_a_name(app, db, web, clock):
    body = content("PLACE", "食品经营许可")
    body["form"] = copy.deepcopy(body["form"])
    body["form"]["fields"].append(PLACE)
    publish(db, "PLACE", body)
    sign_in(web, "haikou.clerk", clock)
    page = _form(web, "PLACE")
    picker = re.search(r'<select id="f-place" name="f.place"[^>]*>(.*?)</select>', page.text, re.S)
    assert picker, page.text
    assert '<option value="460105100" >\u3000\u3000长流镇</option>' in picker.group(1)
    assert '<option value="4601" >海口市</option>' in picker.group(1) and "三亚市" not in picker.group(1)
    chosen = _submit(web, page, "PLACE", **{"f.place": "460105100"})
    assert the_case(db, _case_id(chosen)).form_data["place"] == "460105100"
    typed = _submit(web, _form(web, "PLACE"), "PLACE", **{"f.place": " 长流镇 "})
    assert "/workbench/receipts/" in str(typed.url), typed.text[-3000:]
    assert the_case(db, _case_id(typed)).form_data["place"] == "460105100"
    unknown = _submit(web, _form(web, "PLACE"), "PLACE", **{"f.place": "三亚市"})  # outside 海口市: no such name here
    assert unknown.status_code == 422 and "经营场所不是有效的行政区划代码" in unknown.text
    assert 'name="f.place"' in unknown.text and "<select" in unknown.text


def test_a_name_several_divisions_share_asks_for_a_choice(app, db):
    from tongban.tenants import division_names

    snapshot = app.state.directory.snapshot
    assert [t.code for t in division_names.named(snapshot, "长流镇")] == ["460105100"]
    assert division_names.named(snapshot, "长流镇", "4602") == [] and division_names.named(snapshot, "长流") == []
    shared = division_names.named(snapshot, "县直辖村级区划", "46")
    assert len(shared) == 2
    zh, en = division_names.ambiguity(snapshot, shared, "县直辖村级区划")
    assert all(t.code in zh and t.code in en for t in shared) and "请从列表中选择" in zh
