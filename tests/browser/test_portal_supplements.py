"""待补正 → 补正 on a phone (390 px wide), in a real browser: the applicant opens the case from the notice, reads
the 一次性告知 list, picks a wrong file and is told so at the field, then hands in the right one and the case
handles on."""
import pytest
from browser_support import screenshot
from portal_support import PDF, PNG, publish_items

from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import DEMO_PASSWORD, seed_identity


@pytest.fixture
def returned_case(db, settings, live_server):
    from approval_fixtures import CLERK, HAIKOU, REVIEWER, application, service, step

    from tongban.platform.approval import flowcache
    from tongban.platform.approval.actors import Actor
    from tongban.platform.identity import accounts
    from tongban.tenants.isolation import TenantContext

    flowcache._CACHE.clear()  # item version ids of earlier tests come round again on SQLite
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    publish_items(db)
    with db.unit_of_work(TenantContext.system("test")) as s:
        me = Actor(accounts.by_username(s, "citizen").subject, "王小明", "applicant")
    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    step(engine, db, case["id"], "request_supplement", REVIEWER, comment="签字页缺失，请补正",
         missing=[{"material_id": "m1", "name": "申请书（签字页）", "note": "请申请人本人签字"},
                  {"name": "经营场所使用证明"}])
    return case


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_case_awaiting_supplements_is_supplied_on_a_phone(live_server, phone, returned_case, tmp_path):
    haikou = "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]
    phone.goto(f"{haikou}/cases/{returned_case['number']}")
    phone.fill("#username", "citizen")
    phone.fill("#password", DEMO_PASSWORD)
    phone.get_by_role("button", name="登录 Sign in").click()
    phone.wait_for_url(f"{haikou}/cases/{returned_case['number']}")
    assert phone.locator(".status").inner_text() == "待补正"
    notice = phone.locator("#supplement")
    assert notice.get_by_role("heading", name="请补正材料（一次性告知）").is_visible()
    assert notice.locator("ol.missing li").all_inner_texts() == ["申请书（签字页）：请申请人本人签字", "经营场所使用证明"]
    assert "签字页缺失，请补正" in notice.inner_text() and "办理时限暂停计算" in notice.inner_text()
    no_sideways_scroll(phone)
    screenshot(phone, "portal-case-supplement-phone")

    wrong = tmp_path / "申请书.pdf"
    wrong.write_bytes(PNG)  # a picture wearing a .pdf name
    phone.set_input_files("#supply-m1-file", str(wrong))
    phone.fill("#supply-note", "已本人签字")
    phone.get_by_role("button", name="提交补正材料").click()
    assert phone.locator(".error-summary").is_visible()
    assert "与要求的格式" in phone.locator("#supply-m1 .error-message").inner_text()
    assert phone.input_value("#supply-note") == "已本人签字" and phone.locator(".status").inner_text() == "待补正"
    no_sideways_scroll(phone)
    screenshot(phone, "portal-case-supplement-refused-phone")

    right = tmp_path / "申请书签字页.pdf"
    right.write_bytes(PDF)
    phone.set_input_files("#supply-m1-file", str(right))
    phone.get_by_role("button", name="提交补正材料").click()
    phone.wait_for_url(f"{haikou}/cases/{returned_case['number']}")
    assert "补正材料已提交" in phone.locator("#done").inner_text()
    assert phone.locator(".status").inner_text() == "办理中" and phone.locator("#supplement").count() == 0
    assert "申请书：已补交" in phone.content() and "已本人签字" in phone.locator(".timeline").inner_text()
    no_sideways_scroll(phone)
    screenshot(phone, "portal-case-supplied-phone")

    phone.get_by_role("button", name="撤回申请").click()  # withdrawing asks once more, and can be left
    assert phone.get_by_role("heading", name="确认撤回申请").is_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "portal-case-withdraw-confirm-phone")
    phone.get_by_role("link", name="返回，不撤回").click()
    assert phone.locator(".status").inner_text() == "办理中"
