"""A province admin, in a real browser, edits the 立项 stage template (a bad limit first, shown next to its
input), then drafts and publishes a negative-list entry; screenshots of each page are saved."""
from __future__ import annotations

import pyotp
import pytest
from admin_support import STAFF_SECRETS
from browser_support import screenshot
from construction_support import ready

from tongban.platform.identity.seed import DEMO_PASSWORD


@pytest.fixture
def configured(live_server, db, settings):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    identity = IdentityService(db, config_from_settings(settings, passwords=Passwords(fast_hasher())))
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=identity.config.passwords)
    return ready(db)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_province_admin_configures_a_stage_and_publishes_the_negative_list(live_server, configured, page):
    page.goto(f"{live_server}/admin/construction")
    page.fill("#username", "province.admin")
    page.fill("#password", DEMO_PASSWORD)
    submit(page, "button[type=submit]")
    page.fill("#code", pyotp.TOTP(STAFF_SECRETS["province.admin"]).now())
    submit(page, "button[type=submit]")
    assert "阶段模板" in page.content()
    screenshot(page, "construction_admin_stages")

    page.click("#stage-approval a")
    page.wait_for_selector("#stage-form")
    page.uncheck("input[name=item_codes][value='HN-GC-003']")
    page.fill("#i-p-limit_days", "0")
    submit(page, "#stage-form button[value=save]")
    assert page.locator("#p-limit_days .error-message").inner_text().startswith("阶段时限应为大于零的整数")
    screenshot(page, "construction_admin_stage_error")
    page.fill("#i-p-limit_days", "8")
    submit(page, "#stage-form button[value=save]")
    assert "阶段模板已保存" in page.content()
    assert next(t for t in configured.templates() if t.stage == "approval").limit_days == 8

    page.click("nav.tabs a[href$='/construction/negative-list']")
    page.wait_for_selector("#entry-form")
    page.fill("#i-p-code", "HN-J-009")
    page.select_option("#i-p-industry", "tourism")
    page.fill("#i-p-description", "禁止在自然保护区核心区新建旅游开发项目")
    submit(page, "#entry-form button[value=add]")
    page.fill("#i-p-note", "旅游开发纳入禁止类")
    submit(page, "#publish-form button[value=publish]")
    assert "现行第 1 版" in page.content()
    screenshot(page, "construction_admin_negative_list")
    assert "HN-J-009" in {e.code for e in configured.negative_list()}
