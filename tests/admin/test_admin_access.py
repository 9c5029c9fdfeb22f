"""Signing in to /admin through the platform's provider, and every refusal: signed out, wrong tenant, missing
permission, a forged form, and the domain refusing a tenant's change to the provincial standard."""
from urllib.parse import parse_qs, urlsplit

from admin_support import (
    CHANGLIU,
    HAIKOU,
    PROVINCE,
    SANYA,
    author,
    csrf_of,
    draft_content,
    form_fields,
    make_staff,
    post_form,
    sign_in,
)


def test_signed_out_the_room_sends_the_browser_to_the_provider_and_back(browser, clock):
    first = browser.get("/admin/items/T-0001/flow?x=1", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/admin/auth/login?next=/admin/items/T-0001/flow%3Fx%3D1"
    start = browser.get(first.headers["location"], follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["client_id"] == ["admin"] and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://localhost/admin/auth/callback"]
    landing = sign_in(browser, "province.admin", clock=clock)
    assert str(landing.url) == "http://localhost/admin/items" and "事项列表" in landing.text
    assert "陈省管" in landing.text and "海南省" in landing.text


def test_a_tenant_path_keeps_its_prefix_through_sign_in(browser, clock, db):
    author(db)
    start = browser.get("/t/4601/admin/items", follow_redirects=False)
    assert start.headers["location"].startswith("/t/4601/admin/auth/login?next=/t/4601/admin/items")
    login = browser.get(start.headers["location"], follow_redirects=False)
    assert "redirect_uri=http%3A%2F%2Flocalhost%2Ft%2F4601%2Fadmin%2Fauth%2Fcallback" in login.headers["location"]
    page = sign_in(browser, "haikou.admin", clock=clock, prefix="/t/4601")
    assert str(page.url) == "http://localhost/t/4601/admin/items"
    assert "T-0001" in page.text and "海口市" in page.text


def test_staff_without_an_administrators_role_are_refused(browser, clock):
    landing = sign_in(browser, "haikou.clerk", clock=clock, prefix="/t/4601", expect=403)
    assert "无权在该地区执行此操作" in landing.text
    refused = browser.get("/t/4601/admin/items/new")
    assert refused.status_code == 403 and "无权在该地区执行此操作" in refused.text
    assert "Not permitted for this tenant" in refused.text


def test_an_administrator_of_a_city_is_refused_at_the_province_and_shown_the_way(browser, clock):
    sign_in(browser, "haikou.admin", clock=clock, prefix="/t/4601")
    refused = browser.get("/admin/items")
    assert refused.status_code == 403 and "您在海南省没有" in refused.text
    assert 'href="/t/4601/admin/"' in refused.text
    assert browser.get("/t/4602/admin/items").status_code == 403  # 三亚 is not below 海口


def test_a_post_without_the_forms_token_changes_nothing(province, db):
    author(db)
    page = province.get("/admin/items/T-0001/elements")
    forged = post_form(province, "/admin/items/T-0001/elements", page.text, {"name": "篡改", "csrf_token": "x"})
    assert forged.status_code == 403 and "表单已过期" in forged.text
    assert draft_content(db, "T-0001")["elements"]["name"] == "个体工商户设立登记"


def test_a_tenant_admin_sees_the_standard_read_only_and_cannot_post_it(browser, clock, db):
    author(db)
    page = sign_in(browser, "haikou.admin", clock=clock, prefix="/t/4601")
    editor = browser.get("/t/4601/admin/items/T-0001/elements")
    assert editor.status_code == 200 and "<fieldset disabled" in editor.text and "只能查看" in editor.text
    assert "保存要素" not in editor.text
    refused = browser.post(
        "/t/4601/admin/items/T-0001/elements",
        data={"csrf_token": csrf_of(page.text), "op": "save", "base": "v1", "name": "海口版"})
    assert refused.status_code == 403 and "配置事项" in refused.text
    assert browser.post("/t/4601/admin/items/T-0001/publish",
                        data={"csrf_token": csrf_of(page.text), "scope": "all"}).status_code == 403
    assert draft_content(db, "T-0001")["elements"]["name"] == "个体工商户设立登记"


def test_the_domain_refuses_a_configurator_below_the_owner_and_the_page_says_why(browser, identity, clock, db):
    author(db)
    make_staff(identity, "haikou.config", "冯配置", tenant=HAIKOU, role="item_configurator", granter="province.admin")
    sign_in(browser, "haikou.config", clock=clock, prefix="/t/4601", secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    editor = browser.get("/t/4601/admin/items/T-0001/elements")
    assert "上级（海南省）制定" in editor.text
    assert "已发布，只读" in editor.text and "保存后将生成" not in editor.text  # nothing here saves a draft
    refused = browser.post("/t/4601/admin/items/T-0001/elements",
                           data={**form_fields(editor.text), "name": "海口版", "op": "save"})
    assert refused.status_code == 403 and "本级不能修改该事项的标准内容" in refused.text
    assert "标准由海南省制定" in refused.text
    assert draft_content(db, "T-0001")["elements"]["name"] == "个体工商户设立登记"


def test_a_tenant_admin_cannot_read_a_matrix_outside_its_subtree(browser, clock, db):
    author(db)
    sign_in(browser, "haikou.admin", clock=clock, prefix="/t/4601")
    assert browser.get(f"/t/4601/admin/items/T-0001/matrix?root={SANYA}").status_code == 404
    assert browser.get(f"/t/4601/admin/items/T-0001/matrix?root={PROVINCE}").status_code == 404
    mine = browser.get(f"/t/4601/admin/items/T-0001/matrix?root={CHANGLIU}")
    assert mine.status_code == 200 and "长流镇" in mine.text


def test_an_unknown_item_and_another_tenants_item_look_the_same(province, db):
    author(db, "S-0001", "三亚本地事项", owner=SANYA, publish_to=SANYA)
    for path in ("/admin/items/NOPE/elements", "/t/460105100/admin/items/S-0001/elements"):
        page = province.get(path)
        assert page.status_code == 404 and "找不到该事项" in page.text
