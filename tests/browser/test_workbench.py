"""Done-when for the workbench, in a real browser: a window clerk takes in an application for a walk-in
applicant, accepts it, and an approver takes it through review, decision and certificate; the case concludes
and the certificate PDF downloads. Screenshots of my tasks, the case, intake and the receipt (desktop and phone)."""
import re

from approval_fixtures import publish_all
from browser_support import screenshot, staff_signs_in
from workbench_support import PDF, VALID_ID, grant

from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import seed_identity

FETCH = """async (url) => {
  const answer = await fetch(url);
  const body = new Uint8Array(await answer.arrayBuffer());
  return [answer.status, answer.headers.get("content-type"), String.fromCharCode(...body.slice(0, 5)), body.length];
}"""


def _site(live_server: str) -> str:
    return "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]


def _sign_in(page, site: str, username: str) -> None:
    staff_signs_in(page, site + "/workbench/", username)


def _older_cases(db, settings) -> None:
    """Two cases accepted earlier, so the approver's list shows red and (usually) yellow marks."""
    from datetime import timedelta

    from approval_fixtures import CLERK, application, citizen, open_tasks, service

    from tongban.platform.db import utcnow

    engine = service(db, settings)
    for days in (12, 2):
        then = utcnow() - timedelta(days=days)
        case_id = engine.submit("4601", "4601", citizen("钱七"), application(applicant=citizen("钱七")), now=then)["id"]
        engine.act(case_id, "accept", CLERK, task_id=open_tasks(db, case_id)[0].id, now=then)


def _act(page, summary: str, button: str) -> None:
    page.locator("summary", has_text=re.compile("^" + summary)).first.click()
    page.locator("details[open]").get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r".*\?done="))


def test_from_window_intake_to_certificate(live_server, db, settings, browser, page, phone, tmp_path):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # item version ids of earlier tests come round again on SQLite
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    publish_all(db)
    grant(db, "haikou.approver", "reviewer")
    grant(db, "haikou.approver", "certificate_clerk")
    site = _site(live_server)
    for name in ("申请书.pdf", "营业执照.pdf"):
        (tmp_path / name).write_bytes(PDF)

    _sign_in(page, site, "haikou.clerk")
    page.get_by_role("link", name="窗口收件 Window intake").click()
    page.locator("tr", has_text="个体工商户设立登记").get_by_role("link", name="代为申请").click()
    page.fill("#a-name", "赵六")
    page.fill("#a-number", VALID_ID)
    page.fill("#a-phone", "13800138000")
    page.fill("#f-applicant_name", "赵六")
    page.fill("#f-id_number", VALID_ID)
    page.fill("#f-capital", "300000")
    page.set_input_files("#m-m1", str(tmp_path / "申请书.pdf"))
    page.set_input_files("#m-m2", str(tmp_path / "营业执照.pdf"))
    screenshot(page, "workbench-intake")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/workbench/receipts/\d+$"))
    number = page.locator("#case-number").inner_text()
    assert re.fullmatch(r"4601-\d{8}-\d{6}", number)
    assert re.fullmatch(r"\d{6}", page.locator("#query-code").inner_text())
    screenshot(page, "workbench-receipt")

    page.get_by_role("link", name="办理此件").click()
    _act(page, "受理", "受理 Accept")
    assert "已受理" in page.content()
    page.goto(page.url.split("/cases/")[0] + "/receipts/" + page.url.split("/cases/")[1].split("?")[0])
    assert page.get_by_role("link", name="受理通知书（PDF）").count() == 1

    _older_cases(db, settings)
    approver = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(approver, site, "haikou.approver")
    assert number in approver.content() and "审查" in approver.content()
    assert "已超期" in approver.locator("tbody tr").first.inner_text()  # the overdue case comes first
    screenshot(approver, "workbench-my-tasks")
    approver.locator("tbody tr", has_text=number).get_by_role("link", name="个体工商户设立登记").click()
    case_url = approver.url
    screenshot(approver, "workbench-case")
    for _step in ("审查", "决定", "制证发证"):
        assert approver.locator("h3", has_text=_step).count() == 1
        _act(approver, "同意，提交下一环节", "同意，提交下一环节")
    assert "已办结" in approver.content() and "准予许可" in approver.content() and number in approver.content()
    screenshot(approver, "workbench-case-concluded")
    href = approver.get_by_role("link", name="证书（PDF）").get_attribute("href")
    status, kind, head, size = approver.evaluate(FETCH, href)
    assert (status, kind, head) == (200, "application/pdf", "%PDF-") and size > 1000

    phone.context.add_cookies(approver.context.cookies())
    phone.goto(case_url.split("?")[0])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(phone, "workbench-case-phone")
    phone.goto(site + "/workbench/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "workbench-my-tasks-phone")
