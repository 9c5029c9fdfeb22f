"""我的办件, the applicant's side: the 一次性告知 list and supplying through the page, a 容缺 material handed in,
withdrawing before a decision (with a confirmation) — every refusal a field error with nothing changed."""
import re

import pytest
from approval_fixtures import APPROVER, CLERK, HAIKOU, REVIEWER, application, citizen, service, step
from portal_support import PDF, PNG, portal_csrf
from sqlalchemy import func, select

from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial
from tongban.platform.files.models import Upload
from tongban.tenants.isolation import TenantContext

MISSING = [{"material_id": "m1", "name": "申请书（签字页）", "note": "请申请人本人签字"}, {"name": "经营场所使用证明"}]


@pytest.fixture
def engine(db, settings):
    return service(db, settings)


def returned_for_supplements(engine, db, who, **form):
    case = engine.submit(HAIKOU, HAIKOU, who, application(applicant=who, **form))
    step(engine, db, case["id"], "accept", CLERK)
    step(engine, db, case["id"], "request_supplement", REVIEWER, missing=MISSING, comment="签字页缺失，请补正")
    return case


def read(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.get(Case, case_id)
        materials = {m.material_id: (m.status, m.files) for m in s.scalars(select(CaseMaterial).where(
            CaseMaterial.case_id == case_id))}
        events = s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
        uploads = {u.token: u.case_number for u in s.scalars(select(Upload))}
        return case.state, case.revision, materials, events, uploads


def stored_files(settings):
    return sorted(p for p in (settings.var_dir / "uploads").rglob("*") if p.is_file())


def block(page, element_id):
    """The text of the element with ``element_id`` (up to the next sibling block) on the page."""
    start = page.text.index(f'id="{element_id}"')
    return page.text[start:start + 2500]


def test_the_applicant_sees_the_missing_list_and_supplies_through_the_page(web, db, settings, me, engine):
    case = returned_for_supplements(engine, db, me)
    page = web.get(f"/cases/{case['number']}")
    listed = block(page, "supplement")
    assert "请补正材料（一次性告知）" in listed and "申请书（签字页）" in listed and "请申请人本人签字" in listed
    assert "经营场所使用证明" in listed and "签字页缺失，请补正" in listed and "办理时限暂停计算" in listed
    assert 'name="file.m1"' in listed and 'accept=".pdf"' in listed

    sent = web.post(f"/cases/{case['number']}/supply", data={"csrf_token": portal_csrf(page), "note": "已签字"},
                    files={"file.m1": ("申请书签字页.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert sent.status_code == 303
    after = web.get(sent.headers["location"])
    assert "补正材料已提交" in after.text and "请补正材料（一次性告知）" not in after.text
    assert "补正材料" in block(after, "timeline-h") and "已签字" in block(after, "timeline-h")
    state, _, materials, _, uploads = read(db, case["id"])
    assert state == "in_progress"  # back where it was before the request
    status, (given,) = materials["m1"]
    assert status == "supplied" and given["name"] == "申请书签字页.pdf" and given["content_type"] == "application/pdf"
    assert uploads == {given["id"]: case["number"]}  # the stored upload, held by the case now


@pytest.mark.parametrize("name, data", [("申请书.pdf", PNG), ("申请书.png", PNG)])
def test_a_wrong_file_is_a_field_error_and_nothing_changes(web, db, settings, me, engine, name, data):
    case = returned_for_supplements(engine, db, me)
    before, files = read(db, case["id"]), stored_files(settings)
    page = web.get(f"/cases/{case['number']}")
    refused = web.post(f"/cases/{case['number']}/supply", data={"csrf_token": portal_csrf(page), "note": "补上了"},
                       files={"file.m1": (name, data, "application/pdf")})
    assert refused.status_code == 422
    field = block(refused, "supply-m1")
    assert "field-error" in refused.text[refused.text.index('id="supply-m1"') - 40:][:80]
    assert re.search(r'class="error-message">[^<]*(与要求的格式|不符)', field)
    assert "未能提交，办件没有改变" in refused.text and ">补上了</textarea>" in refused.text  # what was typed is kept
    assert read(db, case["id"]) == before and stored_files(settings) == files
    english = web.post(f"/cases/{case['number']}/supply?lang=en", data={"csrf_token": portal_csrf(page)},
                       files={"file.m1": (name, data, "application/pdf")})
    assert "does not match the formats pdf" in block(english, "supply-m1")


def test_a_requested_material_without_a_file_is_a_field_error(web, db, settings, me, engine):
    case = returned_for_supplements(engine, db, me)
    before = read(db, case["id"])
    page = web.get(f"/cases/{case['number']}")
    refused = web.post(f"/cases/{case['number']}/supply", data={"csrf_token": portal_csrf(page)})
    assert refused.status_code == 422 and "请上传“申请书”" in block(refused, "supply-m1")
    assert read(db, case["id"]) == before


def test_an_engine_refusal_shows_at_the_form_and_changes_nothing(web, db, settings, me, engine):
    case = returned_for_supplements(engine, db, me)
    page = web.get(f"/cases/{case['number']}")
    engine.act(case["id"], "supply", me, files={}, comment="窗口已补交")  # handed in at the window meanwhile
    before, files = read(db, case["id"]), stored_files(settings)
    stale = web.post(f"/cases/{case['number']}/supply",
                     data={"csrf_token": portal_csrf(page), "revision": re.search(
                         r'name="revision" value="(\d+)"', page.text).group(1)},
                     files={"file.m1": ("申请书.pdf", PDF, "application/pdf")})
    assert stale.status_code == 422 and "办件已被他人修改，请刷新后重试" in stale.text
    assert read(db, case["id"]) == before and stored_files(settings) == files


def test_someone_elses_case_cannot_be_supplied_or_withdrawn(web, db, settings, me, engine):
    other = returned_for_supplements(engine, db, citizen("李四", "person:someone-else"))
    before, files = read(db, other["id"]), stored_files(settings)
    page = web.get("/progress")  # any page with the signed-in browser's CSRF token
    supply = web.post(f"/cases/{other['number']}/supply", data={"csrf_token": portal_csrf(page)},
                      files={"file.m1": ("申请书.pdf", PDF, "application/pdf")})
    rongque = web.post(f"/cases/{other['number']}/rongque/m1", data={"csrf_token": portal_csrf(page)},
                       files={"file.m1": ("申请书.pdf", PDF, "application/pdf")})
    withdraw = web.post(f"/cases/{other['number']}/withdraw", data={"csrf_token": portal_csrf(page), "confirm": "yes"})
    assert supply.status_code == rongque.status_code == withdraw.status_code == 404
    assert read(db, other["id"]) == before and stored_files(settings) == files


def test_answers_need_the_pages_csrf_token(web, db, me, engine):
    case = returned_for_supplements(engine, db, me)
    before = read(db, case["id"])
    forged = web.post(f"/cases/{case['number']}/withdraw", data={"csrf_token": "forged", "confirm": "yes"})
    assert forged.status_code == 403 and read(db, case["id"]) == before


def test_withdrawing_before_a_decision_asks_for_confirmation(web, db, me, engine):
    case = returned_for_supplements(engine, db, me)
    page = web.get(f"/cases/{case['number']}")
    assert "撤回申请" in block(page, "withdraw")
    confirm = web.post(f"/cases/{case['number']}/withdraw", data={"csrf_token": portal_csrf(page), "reason": "不办了"})
    assert confirm.status_code == 200 and "确认撤回申请" in confirm.text and ">不办了</textarea>" in confirm.text
    assert read(db, case["id"])[0] == "supplement"  # nothing happens before the confirmation
    done = web.post(f"/cases/{case['number']}/withdraw",
                    data={"csrf_token": portal_csrf(confirm), "reason": "不办了", "confirm": "yes"})
    assert done.status_code == 200 and "申请已撤回" in done.text and 'id="withdraw"' not in done.text
    assert read(db, case["id"])[0] == "withdrawn"
    assert "不办了" in block(done, "timeline-h")


def test_withdrawing_is_refused_once_decided(web, db, me, engine):
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    page = web.get(f"/cases/{case['number']}")
    step(engine, db, case["id"], "approve", REVIEWER)
    step(engine, db, case["id"], "approve", APPROVER)  # decided: the certificate is being made
    before = read(db, case["id"])
    assert 'id="withdraw"' not in web.get(f"/cases/{case['number']}").text
    refused = web.post(f"/cases/{case['number']}/withdraw",
                       data={"csrf_token": portal_csrf(page), "confirm": "yes", "revision": "2"})
    assert refused.status_code == 422 and "不能撤回" in block(refused, "withdraw")
    assert read(db, case["id"]) == before


def test_a_stale_withdrawal_is_the_engines_field_error(web, db, me, engine):
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    page = web.get(f"/cases/{case['number']}")
    revision = re.search(r'name="revision" value="(\d+)"', page.text).group(1)
    confirm = web.post(f"/cases/{case['number']}/withdraw", data={"csrf_token": portal_csrf(page), "revision": revision})
    step(engine, db, case["id"], "approve", REVIEWER)  # staff move on while the applicant reads the confirmation
    before = read(db, case["id"])
    refused = web.post(f"/cases/{case['number']}/withdraw",
                       data={"csrf_token": portal_csrf(confirm), "revision": revision, "confirm": "yes"})
    assert refused.status_code == 422 and "办件已被他人修改，请刷新后重试" in block(refused, "withdraw")
    assert read(db, case["id"]) == before


def test_a_rongque_material_is_handed_in_before_its_due_date(web, db, settings, me, engine):
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me, capital="2000000.00"))
    step(engine, db, case["id"], "accept", CLERK, rongque=["m3"])
    page = web.get(f"/cases/{case['number']}")
    awaited = block(page, "rongque-m3")
    assert "验资报告" in awaited and re.search(r'class="due">\d{4}-\d{2}-\d{2}<', awaited)
    wrong = web.post(f"/cases/{case['number']}/rongque/m3", data={"csrf_token": portal_csrf(page)},
                     files={"file.m3": ("验资报告.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg")})
    assert wrong.status_code == 422 and "field-error" in block(wrong, "rongque")
    assert read(db, case["id"])[2]["m3"][0] == "rongque"
    sent = web.post(f"/cases/{case['number']}/rongque/m3", data={"csrf_token": portal_csrf(page)},
                    files={"file.m3": ("验资报告.pdf", PDF, "application/pdf")})
    assert sent.status_code == 200 and "容缺材料已补交" in sent.text and 'id="rongque-m3"' not in sent.text
    state, _, materials, _, uploads = read(db, case["id"])
    status, (given,) = materials["m3"]
    assert state == "in_progress" and status == "supplied" and uploads == {given["id"]: case["number"]}
    assert "补交容缺材料" in block(sent, "timeline-h")


def test_withdrawn_and_refused_cases_are_labelled_once(web, db, me, engine):
    withdrawn = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    engine.act(withdrawn["id"], "withdraw", me, reason="不办了")
    refused = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    step(engine, db, refused["id"], "refuse", CLERK, reason="不属于本机关职权")
    listed = web.get("/cases").text
    assert "已撤回 · 已撤回" not in listed and "不予受理 · 不予受理" not in listed
    assert listed.count("已撤回") == 1 and listed.count("不予受理") == 1
    assert "已撤回 · 已撤回" not in web.get(f"/cases/{withdrawn['number']}").text


def test_the_timeline_names_each_step(web, db, me, engine):
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    step(engine, db, case["id"], "special_start", REVIEWER, kind="hearing", approved_days=5, reason="听取利害关系人意见")
    step(engine, db, case["id"], "special_end", REVIEWER)
    step(engine, db, case["id"], "approve", REVIEWER)
    step(engine, db, case["id"], "approve", APPROVER)
    timeline = block(web.get(f"/cases/{case['number']}"), "timeline-h")
    assert "审查：审核通过" in timeline and "决定：审核通过" in timeline
    assert "进入特别程序（听证）" in timeline and "特别程序结束（听证）" in timeline
    english = block(web.get(f"/cases/{case['number']}?lang=en"), "timeline-h")
    assert "Review: approved at this step" in english and "Decision: approved at this step" in english
    assert "special procedure started (hearing)" in english
    page = web.get("/progress?lang=zh")
    public = web.post("/progress", data={"csrf_token": portal_csrf(page), "number": case["number"],
                                         "code": case["query_code"]})
    assert "审查：审核通过" in public.text and "决定：审核通过" in public.text


def test_the_progress_page_is_prefilled_from_a_notices_link(web, db):
    linked = web.get("/progress", params={"number": "4601-20261126-000007"})
    assert 'name="number" value="4601-20261126-000007"' in linked.text
    both = web.get("/progress", params={"number": "4601-20261126-000007", "code": "123456"})
    assert 'name="code" value="123456"' in both.text
    township = web.get("/t/460105100/progress").text
    assert re.search(r'placeholder="460105100-\d{8}-000001"', township)
    assert 'placeholder="4601-' not in township


def test_a_case_handled_in_another_city_is_supplied_from_this_portal(web, db, settings, me, engine):
    from approval_fixtures import staff

    sanya_clerk = staff("sanya-clerk", "4602", "window_clerk")
    case = engine.submit("4602", "4602", me, application(applicant=me))  # 全省通办: handled in 三亚
    step(engine, db, case["id"], "request_supplement", sanya_clerk, missing=MISSING[:1])
    page = web.get(f"/cases/{case['number']}")  # on 海口's portal
    sent = web.post(f"/cases/{case['number']}/supply", data={"csrf_token": portal_csrf(page)},
                    files={"file.m1": ("申请书.pdf", PDF, "application/pdf")})
    assert sent.status_code == 200 and "补正材料已提交" in sent.text
    state, _, materials, _, uploads = read(db, case["id"])
    assert state == "submitted" and uploads == {materials["m1"][1][0]["id"]: case["number"]}
    with db.unit_of_work(TenantContext.system("test")) as s:
        assert {u.tenant_id for u in s.scalars(select(Upload))} == {"4602"}  # kept where the case is handled
