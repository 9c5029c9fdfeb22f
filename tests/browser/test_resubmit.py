"""防重复提交 in a real browser: a citizen submits an application, presses Back and submits again — no second
case; the page says the application was submitted, with its number, and leads to it."""
import re

import pytest
from browser_support import screenshot, staff_signs_in
from portal_support import PDF, publish_items
from sqlalchemy import func, select

from tongban.platform.approval.models import Case
from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import DEMO_PASSWORD, seed_identity
from tongban.tenants.isolation import TenantContext


@pytest.fixture
def applying(db, settings, live_server):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()  # item version ids of earlier tests come round again on SQLite
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    publish_items(db)
    return "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]


def _fill(page, tmp_path):
    for material, name in (("m1", "申请书.pdf"), ("m2", "执照.pdf")):
        upload = tmp_path / name
        upload.write_bytes(PDF)
        page.set_input_files(f"#f-material-{material}-file", str(upload))
    page.fill("#f-applicant_name", "王小明")
    page.fill("#f-id_number", "460100199003070015")


def _cases(db) -> int:
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalar(select(func.count()).select_from(Case))


def test_back_and_submit_again_leads_to_the_first_case(applying, page, tmp_path, db):
    haikou = applying
    page.goto(haikou + "/items/PROMISED/apply")
    page.fill("#username", "citizen")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录 Sign in").click()
    page.wait_for_url(haikou + "/items/PROMISED/apply")
    _fill(page, tmp_path)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/cases/4601-\d{8}-\d{6}$"))
    number = page.url.rsplit("/", 1)[1]

    page.go_back()  # the apply page is no-store: the browser fetches it again
    assert page.url == haikou + "/items/PROMISED/apply"
    assert f"该申请已提交，办件编号 {number}" in page.locator("#already-submitted").inner_text()
    screenshot(page, "portal-apply-after-back")
    _fill(page, tmp_path)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(rf".*/items/PROMISED/submitted/{number}$"))
    assert f"该申请已提交，办件编号 {number}" in page.locator("#already-submitted").inner_text()
    screenshot(page, "portal-apply-submitted-again")
    assert _cases(db) == 1

    page.get_by_role("link", name="查看办件").click()
    assert page.url.endswith(f"/cases/{number}") and page.locator("h1").inner_text() == "个体工商户设立登记"
    page.goto(haikou + "/items/PROMISED/apply")
    page.get_by_role("link", name="开始新的申请").click()  # a new application on purpose: a new form, a new case
    assert page.locator("#already-submitted").count() == 0
    _fill(page, tmp_path)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/cases/4601-\d{8}-\d{6}$"))
    assert page.url.rsplit("/", 1)[1] != number and _cases(db) == 2


def test_window_intake_back_and_submit_again_shows_the_first_receipt(live_server, db, settings, page, tmp_path):
    from approval_fixtures import publish_all
    from workbench_support import VALID_ID

    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    publish_all(db)
    site = "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]
    staff_signs_in(page, site + "/workbench/intake/PROMISED", "haikou.clerk")

    def fill():
        page.fill("#a-name", "赵六")
        page.fill("#a-number", VALID_ID)
        page.fill("#f-applicant_name", "赵六")
        page.fill("#f-id_number", VALID_ID)
        for material in ("m1", "m2"):
            (tmp_path / f"{material}.pdf").write_bytes(PDF)
            page.set_input_files(f"#m-{material}", str(tmp_path / f"{material}.pdf"))

    fill()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/workbench/receipts/\d+$"))
    receipt, number = page.url, page.locator("#case-number").inner_text()
    page.go_back()
    assert page.url == site + "/workbench/intake/PROMISED"
    fill()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/workbench/receipts/\d+$"))
    assert page.url == receipt and page.locator("#case-number").inner_text() == number
    assert f"该申请已提交，办件编号 {number}" in page.locator("#already-submitted").inner_text()
    screenshot(page, "workbench-receipt-submitted-again")
    assert _cases(db) == 1
