"""In a real browser: the chain of 食品经营许可 (it needs the business license of 企业设立登记) with its diagram."""
from approval_fixtures import publish
from browser_support import screenshot
from catalogue_fixtures import content
from sharing_support import ADMIN, publish_items, seed, system
from tongban.platform.sharing.chains import define_group, relate


def test_staff_see_what_an_item_needs_first(live_server, page, db):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()
    seed(db)
    publish_items(db)
    publish(db, "OUTDOOR", content("OUTDOOR", "户外广告设施设置审批", audience=["enterprise"]))
    with system(db) as s:
        relate(s, "REG", "FOOD", requirement="license", license_type="business_license", actor=ADMIN)
        relate(s, "FOOD", "OUTDOOR", requirement="case", actor=ADMIN)
        define_group(s, "market_entry", name_zh="市场准入", name_en="Market entry", item_codes=["REG", "FOOD"],
                     element_codes=["enterprise.name"], actor=ADMIN)
    page.goto(f"{live_server}/sharing/chains/FOOD")
    assert "企业设立登记（多证合一）（REG）" in page.locator("#needs").inner_text()
    assert page.locator("figure svg g").count() >= 4
    screenshot(page, "sharing-chain-food")
