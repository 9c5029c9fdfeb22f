"""Done-when for the online service hall, in a real browser: a citizen on 海口市's portal searches by pinyin
initials, reads a guide, signs in, applies with an upload and sees the case; an anonymous visitor follows a
case by number and query code; screenshots of each page on a desktop and a phone."""
import re

import pytest
from browser_support import screenshot
from portal_support import PDF, publish_items

from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import DEMO_PASSWORD, seed_identity


def site(live_server: str, host: str = "haikou") -> str:
    return f"http://{host}.localhost:" + live_server.rsplit(":", 1)[1]


@pytest.fixture
def portal_data(db, settings, live_server):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # item version ids of earlier tests come round again on SQLite
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    publish_items(db)
    return db


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_citizen_finds_reads_signs_in_applies_with_an_upload_and_sees_the_case(live_server, page, portal_data, tmp_path,
                                                                                db, settings):
    from sharing_support import put_license

    from tongban.platform.identity import accounts
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.system("test")) as s:
        citizen = accounts.by_username(s, "citizen").subject
    put_license(db, settings.secret_key, "YYZZ-4601-2026-0001", holder_id="460100199003070015", holder_kind="person",
                holder_name="王小明", subject=citizen)  # the citizen's business license, in the e-license library
    haikou = site(live_server)
    page.goto(haikou + "/")
    screenshot(page, "portal-home-haikou")
    page.fill("#q", "gsdj")
    page.get_by_role("button", name="搜索").first.click()
    result = page.locator(".item-list a").first
    assert result.inner_text() == "个体工商户设立登记"
    assert page.locator(".item-list mark").all_inner_texts() == ["工商", "登记"]
    screenshot(page, "portal-search-gsdj")

    result.click()
    assert page.locator("h1").inner_text() == "个体工商户设立登记"
    assert page.locator("table.materials").get_by_text("电子证照免交").count() == 1
    assert page.locator("figure.flow svg").count() == 1
    screenshot(page, "portal-guide")

    page.get_by_role("link", name="在线申请").click()
    page.fill("#username", "citizen")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录 Sign in").click()
    page.wait_for_url(haikou + "/items/PROMISED/apply")
    assert "王小明" in page.locator(".utility").inner_text()

    page.fill("#f-applicant_name", "王小明")
    page.get_by_role("button", name="提交申请").click()  # the browser itself stops a missing required field
    assert page.url == haikou + "/items/PROMISED/apply"
    page.fill("#f-id_number", "4601001990")  # too short: the server says so, and keeps what was typed
    page.evaluate("document.querySelector('form.apply').noValidate = true")
    page.get_by_role("button", name="提交申请").click()
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#f-applicant_name") == "王小明"
    screenshot(page, "portal-apply-errors")

    upload = tmp_path / "申请书.pdf"
    upload.write_bytes(PDF)
    page.fill("#f-id_number", "460100199003070015")
    page.set_input_files("#f-material-m1-file", str(upload))
    assert page.locator("#f-material-m2-license .license-number").inner_text() == "YYZZ-4601-2026-0001"
    page.check("input[name='lic.m2']")  # the library's copy, with consent, instead of an upload
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/cases/4601-\d{8}-\d{6}$"))
    number = page.url.rsplit("/", 1)[1]
    code = page.locator(".query-code code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    assert "申请书：已提交" in page.content() and "营业执照：电子证照免交" in page.content()
    screenshot(page, "portal-case-submitted")

    page.get_by_role("link", name="我的办件").first.click()
    assert page.locator("table").get_by_role("link", name=number).count() == 1
    screenshot(page, "portal-my-cases")


def test_an_anonymous_visitor_follows_a_case_by_number_and_code(live_server, page, phone, portal_data, settings):
    from approval_fixtures import HAIKOU, application, citizen, service

    engine = service(portal_data, settings)
    case = engine.submit(HAIKOU, HAIKOU, citizen(), application())
    for viewer, name in ((page, "portal-progress"), (phone, "portal-progress-phone")):
        viewer.goto(site(live_server) + "/progress")
        viewer.fill("#number", case["number"])
        viewer.fill("#code", case["query_code"])
        viewer.get_by_role("button", name="查询").click()
        assert viewer.locator(".status").inner_text() == "待受理"
        assert "提交申请" in viewer.locator(".timeline").inner_text()
        screenshot(viewer, name)
    no_sideways_scroll(phone)
    phone.fill("#number", case["number"])
    phone.fill("#code", "000000" if case["query_code"] != "000000" else "111111")
    phone.get_by_role("button", name="查询").click()
    assert "办件编号或查询码不正确" in phone.locator(".error-summary").inner_text()


def test_the_portal_on_a_phone(live_server, phone, portal_data):
    haikou = site(live_server)
    for path, name in (("/", "portal-home-phone"), ("/items/PROMISED", "portal-guide-phone"),
                       ("/search?q=dengji", "portal-search-phone")):
        phone.goto(haikou + path)
        no_sideways_scroll(phone)
        screenshot(phone, name)
    phone.goto(haikou + "/?lang=en")
    assert phone.locator("nav.site-nav").get_by_role("link", name="All items").count() == 1
    screenshot(phone, "portal-home-phone-en")
