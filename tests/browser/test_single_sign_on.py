"""One sign-in at the province's provider serves every tenant's portal host, and one sign-out ends it on every
host (real browser, real cookies)."""
from browser_support import screenshot
from tongban.platform.identity.seed import DEMO_PASSWORD, seed_identity


def test_signing_in_on_haikous_portal_signs_in_on_sanyas_too(live_server, page, db):
    port = live_server.rsplit(":", 1)[1]
    seed_identity(db, base_url=live_server)
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url) if frame == page.main_frame else None)

    page.goto(f"http://haikou.localhost:{port}/auth/login?next=/")
    assert page.url.startswith(f"http://localhost:{port}/login"), "the provider asks who you are"
    screenshot(page, "sso-login")
    page.fill("input[name=username]", "citizen")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"http://haikou.localhost:{port}/")
    haikou_session = {c["name"]: c["value"] for c in page.context.cookies(page.url)}.get("tb_rp_portal")
    assert haikou_session, "the portal on haikou.localhost holds its own session"

    visited.clear()
    page.goto(f"http://sanya.localhost:{port}/auth/login?next=/")
    page.wait_for_load_state()
    assert page.url.startswith(f"http://sanya.localhost:{port}/"), page.url
    assert not any("/login" in url.split("?")[0].rsplit(":", 1)[-1] for url in visited), visited  # no second sign-in
    sanya_session = {c["name"]: c["value"] for c in page.context.cookies(page.url)}.get("tb_rp_portal")
    assert sanya_session and sanya_session != haikou_session, "sanya.localhost got a session of its own"
    screenshot(page, "sso-sanya-signed-in")


def _header(page):
    return page.locator("header .utility")


def test_signing_out_on_haikous_portal_signs_out_on_sanyas_too(live_server, page, db):
    port = live_server.rsplit(":", 1)[1]
    seed_identity(db, base_url=live_server)
    page.goto(f"http://haikou.localhost:{port}/auth/login?next=/")
    page.fill("input[name=username]", "citizen")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"http://sanya.localhost:{port}/auth/login?next=/")
    page.wait_for_load_state()
    assert "王小明" in _header(page).inner_text(), "signed in on sanya.localhost by single sign-on"

    page.goto(f"http://haikou.localhost:{port}/")
    _header(page).get_by_role("link", name="退出").click()  # a shared computer at the service hall
    page.wait_for_load_state()
    assert page.url.startswith(f"http://haikou.localhost:{port}/"), page.url
    assert "王小明" not in _header(page).inner_text()

    page.goto(f"http://sanya.localhost:{port}/")
    header = _header(page).inner_text()
    assert "王小明" not in header and "登录" in header, "the next person does not find 王小明 signed in"
    screenshot(page, "sso-sanya-signed-out")
