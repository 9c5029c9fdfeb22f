"""The publish dialog: problems instead of a publish button while the draft is incomplete; publishing to
the whole province, to a subtree (a pilot) or to selected tenants; a wrong scope said at its field."""
from admin_support import CHANGLIU, HAIKOU, PROVINCE, SANYA, XIUYING, author, context_of, csrf_of, effective

from tongban.configurator.publishing import catalogue

URL = "/admin/items/T-0001/publish"


def _publish(province, **data):
    token = csrf_of(province.get(URL).text)
    return province.post(URL, data={"csrf_token": token, **data})


def test_an_incomplete_draft_shows_its_problems_with_links_instead_of_publishing(province, db):
    with db.unit_of_work(context_of(db, PROVINCE)) as s:
        catalogue.create_item(s, owner=PROVINCE, elements={"code": "T-0001", "name": "半成品"}, actor="test")
    page = province.get(URL)
    assert "发布前需要修改" in page.text and 'type="submit" class="button">发布' not in page.text
    assert 'href="/admin/items/T-0001/elements#p-kind"' in page.text
    assert 'href="/admin/items/T-0001/form#p-fields"' in page.text
    assert 'href="/admin/items/T-0001/flow"' in page.text and "请配置办理流程" in page.text
    token = csrf_of(province.get("/admin/items").text)
    refused = province.post(URL, data={"csrf_token": token, "scope": "all"})
    assert refused.status_code == 422 and "发布前需要修改" in refused.text
    assert effective(db, HAIKOU, "T-0001") is None


def test_publishing_to_the_whole_province(province, db):
    author(db, publish_to=None)
    page = province.get(URL).text
    assert "第 1 版草稿" in page and "全海南省" in page
    done = _publish(province, scope="all", version="")
    assert done.status_code == 200 and str(done.url).endswith("?published=1") and "已发布第 1 版" in done.text
    for code in (PROVINCE, HAIKOU, CHANGLIU, SANYA):
        assert effective(db, code, "T-0001").enabled


def test_a_pilot_in_one_subtree_then_the_province(province, db):
    author(db, publish_to=None)
    _publish(province, scope="subtree", subtree=HAIKOU)
    assert effective(db, CHANGLIU, "T-0001").version_no == 1 and effective(db, SANYA, "T-0001") is None
    page = province.get(URL).text
    assert '已发布的第 1 版' in page
    _publish(province, scope="all", version="1")
    assert effective(db, SANYA, "T-0001").version_no == 1


def test_selected_tenants_only(province, db):
    author(db, publish_to=None)
    answer = _publish(province, scope="selected", selected=f"{CHANGLIU}, {SANYA}")
    assert answer.status_code == 200
    assert effective(db, CHANGLIU, "T-0001").enabled and effective(db, SANYA, "T-0001").enabled
    assert effective(db, XIUYING, "T-0001") is None and effective(db, HAIKOU, "T-0001") is None


def test_a_missing_or_foreign_scope_is_said_at_its_field(province, db):
    author(db, publish_to=None)
    none = _publish(province)
    assert none.status_code == 422 and "请选择发布范围" in none.text
    empty = _publish(province, scope="subtree", subtree="")
    assert empty.status_code == 422 and 'href="#p-subtree"' in empty.text
    unknown = _publish(province, scope="selected", selected="460105100 999999")
    assert unknown.status_code == 422 and "999999" in unknown.text and 'href="#p-selected"' in unknown.text
    assert 'value="selected" checked' in unknown.text  # the choice is kept
    assert effective(db, CHANGLIU, "T-0001") is None


def test_a_city_admin_publishing_within_its_own_city_is_refused_for_the_provinces_item(browser, identity, clock, db):
    from admin_support import make_staff, sign_in

    author(db, publish_to=None)
    make_staff(identity, "haikou.config", "冯配置", tenant=HAIKOU, role="item_configurator", granter="province.admin")
    page = sign_in(browser, "haikou.config", clock=clock, prefix="/t/4601", secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    dialog = browser.get("/t/4601/admin/items/T-0001/publish")
    assert "该事项由上级（海南省）发布" in dialog.text
    refused = browser.post("/t/4601/admin/items/T-0001/publish", data={"csrf_token": csrf_of(page.text), "scope": "all"})
    assert refused.status_code == 403 and "本级不能修改该事项的标准内容" in refused.text
    assert effective(db, CHANGLIU, "T-0001") is None
