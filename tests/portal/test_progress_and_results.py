"""Progress by case number and query code without signing in (rate-limited), public results with applicants
masked, and the applicant's own cases only."""
from approval_fixtures import CLERK, HAIKOU, application, citizen, service, step
from portal_support import portal_csrf, sign_in
from sqlalchemy import select

from tongban.platform.approval import events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case
from tongban.platform.portal.cases import mask_organisation, mask_person
from tongban.tenants.isolation import TenantContext


def ask(client, number, code, address_headers=None):
    form = client.get("/progress")
    return client.post("/progress", data={"csrf_token": portal_csrf(form), "number": number, "code": code})


def submitted(db, settings, item="PROMISED", who=None):
    engine = service(db, settings)
    who = who or citizen()
    return engine, engine.submit(HAIKOU, HAIKOU, who, application(item, applicant=who))


def test_anyone_with_the_number_and_code_sees_the_public_timeline(web, db, settings, published):
    _engine, case = submitted(db, settings)
    with db.unit_of_work(TenantContext.system("test")) as s:
        row = s.scalar(select(Case).where(Case.id == case["id"]))
        events.append(s, row, Actor("staff:x", "审查员", "staff"), "note", comment="内部意见：核查中", public=False)
    page = ask(web, case["number"], case["query_code"])
    assert page.status_code == 200
    assert "个体工商户设立登记" in page.text and "提交申请" in page.text and "待受理" in page.text
    assert "内部意见" not in page.text and "张三" not in page.text  # internal events and the applicant stay private


def test_a_number_typed_with_full_width_digits_spaces_or_no_dashes_is_understood(web, db, settings, published):
    _engine, case = submitted(db, settings)
    number, code = case["number"], case["query_code"]
    full_width = number.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    for typed in (number.replace("-", ""), full_width, " " + number.replace("-", " ") + " ", number.replace("-", "—")):
        page = ask(web, typed, " ".join(code))
        assert page.status_code == 200 and "个体工商户设立登记" in page.text, typed


def test_a_wrong_code_looks_like_no_case_and_guessing_is_limited(web, db, settings, published):
    _engine, case = submitted(db, settings)
    unknown = ask(web, "4601-20990101-000001", "123456")
    wrong = ask(web, case["number"], "000000" if case["query_code"] != "000000" else "111111")
    assert unknown.status_code == wrong.status_code == 404
    assert "办件编号或查询码不正确" in wrong.text and "办件编号或查询码不正确" in unknown.text
    for _ in range(4):
        ask(web, case["number"], "999999" if case["query_code"] != "999999" else "888888")
    locked = ask(web, case["number"], case["query_code"])
    assert locked.status_code == 429 and "查询过于频繁" in locked.text
    _, other = submitted(db, settings)
    assert ask(web, other["number"], other["query_code"]).status_code == 200  # other cases still answer


def test_public_results_list_concluded_cases_with_applicants_masked(web, db, settings, published):
    engine, case = submitted(db, settings, "NOW", citizen("王小明", "person:7"))
    step(engine, db, case["id"], "accept", CLERK)
    _, pending = submitted(db, settings)
    page = web.get("/results")
    assert case["number"] in page.text and "结婚登记" in page.text and "王**" in page.text
    assert "王小明" not in page.text and pending["number"] not in page.text
    assert "暂无办结公示" in web.get("/t/4602/results").text
    assert mask_organisation("海南椰风科技有限公司") == "海南椰风****公司" and mask_person("李海燕") == "李**"


def test_my_cases_are_my_own(app, web, db, settings, seeded, published):
    from starlette.testclient import TestClient

    sign_in(web, next_path="/cases")
    subject = web.get("/cases")
    assert "您还没有提交过申请" in subject.text
    _engine, someone_elses = submitted(db, settings)
    assert someone_elses["number"] not in web.get("/cases").text
    assert web.get(f"/cases/{someone_elses['number']}").status_code == 404
    with TestClient(app, base_url="http://haikou.localhost") as anonymous:
        assert anonymous.get("/cases", follow_redirects=False).status_code == 303


def test_the_applicant_is_told_the_same_last_day_as_the_staff(web, db, settings, published):
    """Due instants are stored exclusive (00:00 after the last working day): the progress page and the
    acceptance notice name the 10th working day itself, as the workbench does — not the day after."""
    from datetime import UTC, datetime

    from tongban.platform.approval import documents
    from tongban.platform.calendar.store import CalendarProvider
    from tongban.platform.workbench.common import due_day

    engine, case = submitted(db, settings)
    friday = datetime(2026, 11, 27, 2, tzinfo=UTC)  # 10:00 in Haikou
    step(engine, db, case["id"], "accept", CLERK, now=friday)
    with db.unit_of_work(TenantContext.system("test")) as s:
        row = s.scalar(select(Case).where(Case.id == case["id"]))
        tenth = CalendarProvider(db).calendar(s).add_working_days(friday, 10).due_date  # Fri 2026-12-11
        notice = documents.render(s, row, "acceptance", public_url="https://zwfw.hainan.gov.cn").html
        staff_sees = due_day(row.promised_due_at)
    assert staff_sees == tenth.isoformat() == "2026-12-11"
    page = ask(web, case["number"], case["query_code"])
    assert "<dt>承诺办结</dt><dd>2026-12-11</dd>" in page.text.replace("\n", "")
    assert "2026-12-12" not in page.text
    assert "本机关将于 2026年12月11日 前" in notice


def test_someone_elses_case_is_a_not_found_page_of_the_tenants_own_portal(app, web, db, settings, seeded, published):
    _engine, case = submitted(db, settings, who=citizen())  # not the signed-in citizen's own
    sign_in(web, next_path="/cases")
    page = web.get(f"/cases/{case['number']}")
    assert page.status_code == 404 and "页面不存在" in page.text
    assert '<strong class="site-name">海口市' in page.text and 'href="/cases"' in page.text  # 海口's header, signed in
    assert "返回海口市" in page.text and "返回海南省政务服务网首页" not in page.text
