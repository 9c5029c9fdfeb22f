"""Progress by case number and query code without signing in (rate-limited per number and address, per address,
and per number from all addresses), public results — enterprises' licensing cases only — with applicants masked,
and the applicant's own cases only."""
from dataclasses import replace

from approval_fixtures import CLERK, HAIKOU, application, citizen, publish, service, step
from catalogue_fixtures import content
from portal_support import portal_csrf, sign_in
from sqlalchemy import select

from tongban.configurator.flows.examples import immediate_flow
from tongban.platform.approval import events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case
from tongban.platform.portal.cases import mask_organisation, mask_person
from tongban.tenants.isolation import TenantContext


def ask(client, number, code):
    form = client.get("/progress")
    return client.post("/progress", data={"csrf_token": portal_csrf(form), "number": number, "code": code})


def client_at(app, address):
    """A browser at its own network address."""
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://haikou.localhost", client=(address, 50000))


def guess(app, address, number, right, times=5):
    """``times`` wrong codes for ``number`` from ``address``; the answers' status codes."""
    wrong = [f"{n:06d}" for n in range(times + 1) if f"{n:06d}" != right][:times]
    with client_at(app, address) as browser:
        csrf = portal_csrf(browser.get("/progress"))
        return [browser.post("/progress", data={"csrf_token": csrf, "number": number, "code": w}).status_code
                for w in wrong]


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


def test_a_wrong_code_looks_like_no_case_and_five_from_one_address_block_that_address(web, db, settings, published):
    _engine, case = submitted(db, settings)
    unknown = ask(web, "4601-20990101-000001", "123456")
    wrong = ask(web, case["number"], "000000" if case["query_code"] != "000000" else "111111")
    assert unknown.status_code == wrong.status_code == 404
    assert "办件编号或查询码不正确" in wrong.text and "办件编号或查询码不正确" in unknown.text
    for _ in range(4):
        ask(web, case["number"], "999999" if case["query_code"] != "999999" else "888888")
    locked = ask(web, case["number"], case["query_code"])
    assert locked.status_code == 429 and "查询码错误次数过多" in locked.text and "我的办件" in locked.text
    _, other = submitted(db, settings)
    assert ask(web, other["number"], other["query_code"]).status_code == 200  # other cases still answer


def test_a_strangers_wrong_codes_do_not_block_the_owner_at_another_address(app, db, settings, published):
    """A case number is no secret (notices, 结果公示): five wrong codes from a stranger's address block that address,
    not the number — the owner asking from home still sees the case."""
    _engine, case = submitted(db, settings)
    assert guess(app, "198.51.100.7", case["number"], case["query_code"]) == [404] * 5
    with client_at(app, "198.51.100.7") as stranger:
        assert ask(stranger, case["number"], case["query_code"]).status_code == 429  # the right code, too late
    with client_at(app, "203.0.113.20") as owner:
        page = ask(owner, case["number"], case["query_code"])
    assert page.status_code == 200 and "个体工商户设立登记" in page.text and "查询码错误次数过多" not in page.text


def test_an_ipv6_guesser_cannot_dodge_the_limit_by_changing_the_last_bits(app, db, settings, published):
    _engine, case = submitted(db, settings)
    statuses = [s for n in range(5) for s in guess(app, f"2001:db8:1:2::{n + 1:x}", case["number"], case["query_code"],
                                                   times=1)]
    assert statuses == [404] * 5
    with client_at(app, "2001:db8:1:2::99") as same_network:
        assert ask(same_network, case["number"], case["query_code"]).status_code == 429
    with client_at(app, "2001:db8:1:3::1") as next_network:
        assert ask(next_network, case["number"], case["query_code"]).status_code == 200


def test_fifty_wrong_codes_from_many_addresses_block_the_number_but_not_the_signed_in_owner(app, web, db, settings,
                                                                                             me):
    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    number, code = case["number"], case["query_code"]
    for n in range(9):  # 45 wrong codes: 5 from each of 9 addresses
        assert guess(app, f"198.51.100.{n + 1}", number, code) == [404] * 5
    with client_at(app, "203.0.113.20") as owner:
        assert ask(owner, number, code).status_code == 200
    assert guess(app, "198.51.100.10", number, code) == [404] * 5  # the 50th wrong code
    with client_at(app, "203.0.113.21") as owner:
        blocked = ask(owner, number, code)
    assert blocked.status_code == 429 and "查询码错误次数过多" in blocked.text and "我的办件" in blocked.text
    own = web.get(f"/cases/{number}")  # signed in, the owner reads the case without a query code
    assert own.status_code == 200 and "个体工商户设立登记" in own.text
    assert number in web.get("/cases").text


def enterprise_application(item, name="海南椰风科技有限公司", subject="enterprise:1"):
    who = citizen(name, subject)
    applied = application(item, applicant=who)
    return who, replace(applied, applicant={**applied.applicant, "kind": "enterprise", "uscc": "91460100MA5T0YF0PN"})


def test_public_results_list_enterprises_licensing_cases_only_with_applicants_masked(web, db, settings, published):
    """双公示: licensing decisions on legal persons and other organisations are published; a natural person's case,
    and any case of another kind of item, are not."""
    birth = content("BIRTH", "出生登记", kind="administrative_confirmation", case_type="immediate", promised_limit_days=0)
    birth["flow"], birth["materials"] = immediate_flow(), []
    publish(db, "BIRTH", birth)
    engine = service(db, settings)
    company, licensing = enterprise_application("NOW")
    licensed = engine.submit(HAIKOU, HAIKOU, company, licensing)
    step(engine, db, licensed["id"], "accept", CLERK)
    someone = citizen("王小明", "person:7")
    person = engine.submit(HAIKOU, HAIKOU, someone, application("NOW", applicant=someone))
    step(engine, db, person["id"], "accept", CLERK)
    confirmed = engine.submit(HAIKOU, HAIKOU, company, enterprise_application("BIRTH")[1])
    step(engine, db, confirmed["id"], "accept", CLERK)
    _, pending = enterprise_application("PROMISED")
    pending = engine.submit(HAIKOU, HAIKOU, company, pending)
    page = web.get("/results")
    assert licensed["number"] in page.text and "结婚登记" in page.text and "海南椰风****公司" in page.text
    assert "海南椰风科技有限公司" not in page.text
    for hidden in (person, confirmed, pending):
        assert hidden["number"] not in page.text
    assert "王**" not in page.text and "出生登记" not in page.text
    assert "“双公示”" in page.text and "自然人的办件涉及个人隐私，不予公示" in page.text
    assert "暂无办结公示" in web.get("/t/4602/results").text
    english = web.get("/results?lang=en")
    assert "legal persons and other organisations" in english.text and "natural persons are private" in english.text
    assert mask_organisation("海南椰风科技有限公司") == "海南椰风****公司" and mask_person("李海燕") == "李**"


def test_public_results_read_the_item_kinds_in_one_statement(db, settings, published):
    from sqlalchemy import event

    from tongban.platform.portal.cases import public_results

    engine = service(db, settings)
    company, _ = enterprise_application("NOW")
    for _ in range(3):
        done = engine.submit(HAIKOU, HAIKOU, company, enterprise_application("NOW")[1])
        step(engine, db, done["id"], "accept", CLERK)
    with db.unit_of_work(TenantContext.system("test")) as s:
        s.execute(select(Case.id)).all()  # the unit of work's own opening statements happen before counting
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731 - a counter
        event.listen(s.get_bind(), "before_cursor_execute", listen)
        try:
            rows = public_results(s, HAIKOU)
        finally:
            event.remove(s.get_bind(), "before_cursor_execute", listen)
    assert len(rows) == 3 and len(statements) == 1


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
