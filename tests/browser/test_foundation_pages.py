"""The province's home page and a township's page in a real browser, on a desktop and on a phone."""
from browser_support import screenshot


def test_home_lists_the_tenants_and_a_township_shows_its_ancestors(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text() == "海南省"
    assert page.locator(".tenant").count() == 19
    screenshot(page, "foundation-home")
    page.get_by_role("link", name="海口市").first.click()
    page.locator("summary").first.click()
    page.get_by_role("link", name="秀英区").first.click()
    assert page.url.endswith("/t/460105/")
    page.goto(live_server + "/t/460105100/")
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()
    assert crumbs == ["海南省", "海口市", "秀英区", "长流镇"]


def test_a_host_name_tenant_and_the_phone_layout(live_server, phone):
    port = live_server.rsplit(":", 1)[1]
    phone.goto(f"http://haikou.localhost:{port}/")
    assert phone.locator("h1").first.inner_text() == "海口市"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot(phone, "foundation-haikou-phone")


def test_unknown_tenant_page_is_bilingual(live_server, page):
    response = page.goto(live_server + "/t/469999/")
    assert response.status == 404
    assert "找不到该地区" in page.content() and "No government service portal" in page.content()
