"""One sign-in at the province's provider serves every tenant's portal host (real browser, real cookies)."""
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
