"""Done when: in a real browser, the province admin creates an item with a form, materials and a parallel
flow, publishes it to the province and disables it for 三亚市's subtree; a township admin (made here through
identity's grant service) overrides its address; each tenant's effective item is then right."""
from __future__ import annotations

import pyotp
import pytest
from admin_support import (
    CHANGLIU,
    CHANGLIU_ADMIN_SECRET,
    HAIKOU,
    HAITANG,
    PROVINCE,
    SANYA,
    STAFF_SECRETS,
    XIUYING,
    author,
    effective,
    make_staff,
)
from browser_support import screenshot

from tongban.platform.identity.seed import DEMO_PASSWORD

ITEM = "B-0001"


@pytest.fixture
def accounts(live_server, db, settings):
    """The demo accounts and first-party clients for this server's address, and 长流镇's new admin."""
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import seed_identity
    from tongban.platform.identity.service import IdentityService

    identity = IdentityService(db, config_from_settings(settings, passwords=Passwords(fast_hasher())))
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=identity.config.passwords)
    make_staff(identity, "changliu.admin", "林长流", tenant=CHANGLIU, role="tenant_admin",
               granter="province.admin", secret=CHANGLIU_ADMIN_SECRET)
    return identity


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, url: str, username: str, secret: str) -> None:
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    submit(page, "button[type=submit]")
    page.fill("#code", pyotp.TOTP(secret).now())
    submit(page, "button[type=submit]")


def create_item(page, root: str) -> None:
    page.goto(f"{root}/items/new")
    for name, value in (("code", ITEM), ("name", "餐饮店开办"), ("department", "市场监督管理局"),
                        ("legal_basis", "《中华人民共和国食品安全法》"), ("location", "海南省政务服务中心"),
                        ("legal_limit_days", "20"), ("promised_limit_days", "10")):
        page.fill(f'[name="{name}"]', value)
    page.select_option('[name="kind"]', "administrative_license")
    page.select_option('[name="case_type"]', "joint")
    for name, values in (("levels", ("province", "city_county", "district", "township")),
                         ("channels", ("online", "window")), ("audience", ("enterprise",))):
        for value in values:
            page.check(f'[name="{name}"][value="{value}"]')
    submit(page, 'button[value="save"]')
    assert page.url.endswith(f"/items/{ITEM}/form?created=1")


def build_form(page) -> None:
    for kind in ("text", "select", "number"):
        page.select_option('[name="fields.new_type"]', kind)
        submit(page, 'button[value="add:fields"]')
    rows = {"fields[0].name": "shop_name", "fields[0].label.zh": "店铺名称", "fields[0].label.en": "Shop name",
            "fields[1].name": "shop_kind", "fields[1].label.zh": "经营类型",
            "fields[1].options": "restaurant | 餐馆 | Restaurant\ncafe | 饮品店 | Café",
            "fields[2].name": "seats", "fields[2].label.zh": "座位数", "fields[2].show_if": 'shop_kind == "restaurant"'}
    for details in page.locator("details.field-row").all():
        details.evaluate("d => d.open = true")
    for name, value in rows.items():
        page.fill(f'[name="{name}"]', value)
    page.check('[name="fields[0].required"]')
    submit(page, 'button[value="save"]')
    assert "已保存" in page.content()
    page.select_option('[name="preview.shop_kind"]', "restaurant")
    submit(page, 'button[value="try"]')
    page.locator("details.field-row").nth(2).evaluate("d => d.open = true")  # the conditional field
    screenshot(page, "admin-form-builder")


def add_materials(page, root: str) -> None:
    page.goto(f"{root}/items/{ITEM}/materials")
    for _ in range(2):
        submit(page, 'button[value="add:materials"]')
    page.fill('[name="materials[0].name"]', "营业执照")
    page.fill('[name="materials[0].satisfied_by_license_type"]', "business_license")
    page.fill('[name="materials[1].name"]', "食品安全管理制度")
    page.check('[name="materials[1].rongque_allowed"]')
    page.fill('[name="materials[1].rongque_supply_days"]', "5")
    submit(page, 'button[value="save"]')
    assert "已保存" in page.content()


def build_parallel_flow(page, root: str) -> None:
    page.goto(f"{root}/items/{ITEM}/flow")
    for kind in ("start", "parallel_split", "dept_task", "dept_task", "join", "conclude"):
        page.select_option('[name="nodes.new_kind"]', kind)
        submit(page, 'button[value="add:nodes"]')
    for details in page.locator("details.field-row").all():
        details.evaluate("d => d.open = true")
    values = {"nodes[0].id": "accept", "nodes[1].id": "split", "nodes[2].id": "market",
              "nodes[2].label.zh": "市场监管审查", "nodes[2].assignment.department": "market_regulation",
              "nodes[2].time_limit_days": "5", "nodes[3].id": "health", "nodes[3].label.zh": "卫生健康审查",
              "nodes[3].assignment.department": "health", "nodes[3].time_limit_days": "4",
              "nodes[4].id": "join", "nodes[5].id": "done"}
    for name, value in values.items():
        page.fill(f'[name="{name}"]', value)
    submit(page, 'button[value="refresh"]')
    edges = (("accept", "split"), ("split", "market"), ("split", "health"), ("market", "join"),
             ("health", "join"), ("join", "done"))
    for _ in edges:
        submit(page, 'button[value="add:edges"]')
    for index, (source, target) in enumerate(edges):
        page.select_option(f'[name="edges[{index}].from"]', source)
        page.select_option(f'[name="edges[{index}].to"]', target)
    submit(page, 'button[value="save"]')
    assert "已保存" in page.content(), page.content()[-2000:]
    assert page.locator('.flow-svg svg [data-node-id="market"]').count() == 1
    assert page.locator('.flow-svg svg [data-node-id="health"]').count() == 1
    screenshot(page, "admin-flow-editor")


def publish_and_disable_for_sanya(page, root: str) -> None:
    page.goto(f"{root}/items/{ITEM}/publish")
    assert "发布前需要修改" not in page.content()
    page.check('[name="scope"][value="all"]')
    screenshot(page, "admin-publish-dialog")
    submit(page, "form button.button[type=submit]")
    assert "已发布第 1 版" in page.content()
    page.goto(f"{root}/items/{ITEM}/matrix")
    page.check(f'[name="tenants"][value="{SANYA}"]')
    submit(page, 'button[value="disable"]')
    assert "三亚市（含下级）已停用" in page.content()
    screenshot(page, "admin-matrix")


def test_province_admin_configures_and_a_township_localises(live_server, page, browser, accounts, db):
    author(db, "A-0001", "个体工商户设立登记")
    author(db, "A-0002", "食品经营许可", audience=["enterprise"], publish_to=None)
    root = f"{live_server}/admin"
    sign_in(page, f"{root}/items", "province.admin", STAFF_SECRETS["province.admin"])
    assert page.url == f"{root}/items" and "事项列表" in page.content()

    create_item(page, root)
    build_form(page)
    add_materials(page, root)
    build_parallel_flow(page, root)
    page.goto(f"{root}/items/{ITEM}/elements")
    screenshot(page, "admin-elements-editor")
    publish_and_disable_for_sanya(page, root)
    page.goto(f"{root}/items")
    screenshot(page, "admin-item-list")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    township = context.new_page()
    local = f"{live_server}/t/{CHANGLIU}/admin"
    sign_in(township, f"{local}/items", "changliu.admin", CHANGLIU_ADMIN_SECRET)
    assert "餐饮店开办" in township.content()
    township.goto(f"{local}/items/{ITEM}/local")
    township.fill('[name="overrides.location"]', "长流镇便民服务中心 2 号窗口")
    submit(township, 'button[value="save"]')
    assert "本地设置已保存" in township.content()
    screenshot(township, "admin-local-settings")
    township.goto(f"{local}/items/{ITEM}/elements")
    assert township.locator("fieldset[disabled]").count() >= 1  # the standard is read only here
    context.close()

    province = effective(db, PROVINCE, ITEM)
    assert province.enabled and province.version_no == 1
    assert [n["kind"] for n in province.content["flow"]["nodes"]][1:5] == [
        "parallel_split", "dept_task", "dept_task", "join"]
    assert [m["name"] for m in province.content["materials"]] == ["营业执照", "食品安全管理制度"]
    assert province.content["form"]["fields"][2]["show_if"] == 'shop_kind == "restaurant"'
    assert not effective(db, SANYA, ITEM).enabled and not effective(db, HAITANG, ITEM).enabled
    assert effective(db, HAIKOU, ITEM).enabled
    assert effective(db, CHANGLIU, ITEM).content["elements"]["location"] == "长流镇便民服务中心 2 号窗口"
    assert effective(db, XIUYING, ITEM).content["elements"]["location"] == "海南省政务服务中心"


def test_the_item_list_on_a_phone(live_server, phone, accounts, db):
    author(db, "A-0001", "个体工商户设立登记")
    sign_in(phone, f"{live_server}/admin/items", "province.admin", STAFF_SECRETS["province.admin"])
    assert "个体工商户设立登记" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    screenshot(phone, "admin-item-list-phone")
