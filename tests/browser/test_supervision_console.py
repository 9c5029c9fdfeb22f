"""Done-when for the supervision console, in a real browser: the province supervisor finds a red-carded overdue
case in a township, confirms the card and orders 督办; the township department answers with a rectification
report and its attachment; the supervisor accepts it and the card closes; the dashboard shows the province's
cities and counties with on-time rates and charts. Screenshots of each step."""
import re

from browser_support import screenshot, staff_signs_in
from supervision_console_support import MARKET, TOWNSHIP, department_staff, red_carded_township_case
from workbench_support import STAFF_SECRETS

from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import seed_identity

PDF = b"%PDF-1.4\n% rectification report\n%%EOF\n"


def _sign_in(page, url: str, username: str, secret: str) -> None:
    staff_signs_in(page, url, username, secret)


def _decide(page, summary: str, button: str, text: str | None = None, days: str | None = None) -> None:
    page.locator("summary", has_text=re.compile("^" + summary)).first.click()
    form = page.locator("details[open] form")
    if text is not None:
        form.locator("textarea").fill(text)
    if days is not None:
        form.locator("input[name=days]").fill(days)
    form.get_by_role("button", name=re.compile("^" + button)).click()
    page.wait_for_url(re.compile(r".*\?done="))


def test_red_card_supervised_to_closure_and_the_dashboard(live_server, db, settings, browser, page, tmp_path):
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    carded = red_carded_township_case(db, settings)
    secret = department_staff(db, "changliu.market", TOWNSHIP, carded["department"] or MARKET)

    _sign_in(page, live_server + "/supervision/", "province.supervisor", STAFF_SECRETS["province.supervisor"])
    page.select_option("#f-severity", "red")
    page.select_option("#f-level", "township")
    page.get_by_role("button", name="筛选 Filter").click()
    row = page.locator("tr", has_text=carded["number"])
    assert row.count() == 1 and "长流镇" in row.inner_text() and "待确认" in row.inner_text()
    screenshot(page, "supervision-red-cards-in-townships")
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/supervision/alerts/\d+$"))
    assert page.get_by_text("办件时钟").is_visible() and page.get_by_text("全过程记录").is_visible()
    _decide(page, "确认发出", "确认发出")
    _decide(page, "下达督办", "下达督办", text="该件超过法定时限，限期办结并报送整改报告", days="3")
    assert page.get_by_text("已下达督办").is_visible() and page.get_by_text("督办期限").first.is_visible()
    screenshot(page, "supervision-alert-under-supervision")
    alert_url = page.url.split("?")[0]

    department = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    tab = live_server + f"/t/{TOWNSHIP}/workbench/supervision"
    _sign_in(department, tab, "changliu.market", secret)
    department.locator("summary", has_text="提交整改报告").first.click()
    report = tmp_path / "整改报告.pdf"
    report.write_bytes(PDF)
    form = department.locator("details[open] form")
    form.locator("textarea").fill("已于当日办结该件，约谈经办人并建立超期预警复核制度")
    form.locator("input[type=file]").set_input_files(str(report))
    form.get_by_role("button", name=re.compile("^提交整改报告")).click()
    department.wait_for_url(re.compile(r".*\?done=rectify"))
    assert department.get_by_text("整改报告已提交").is_visible()
    screenshot(department, "supervision-department-rectification")
    department.context.close()

    page.goto(alert_url)
    assert page.get_by_text("整改待审核").first.is_visible() and page.get_by_role("link", name="整改报告.pdf").is_visible()
    _decide(page, "通过整改", "通过整改", text="整改到位")
    assert page.get_by_text("整改通过，已办结").is_visible()
    assert "已办结" in page.locator(".wb-dl").first.inner_text()
    screenshot(page, "supervision-card-closed")

    page.goto(live_server + "/supervision/dashboard")
    table = page.locator("#drill-down")
    for city in ("海口市", "三亚市", "儋州市"):
        assert table.get_by_role("link", name=city).count() == 1
    assert "按时办结率" in table.inner_text() and page.locator("figure svg").count() >= 6
    screenshot(page, "supervision-dashboard-province")
    table.get_by_role("link", name="海口市").click()
    page.get_by_role("link", name="秀英区").first.click()
    assert page.locator("#drill-down").get_by_role("link", name="长流镇").count() == 1
    screenshot(page, "supervision-dashboard-district")
