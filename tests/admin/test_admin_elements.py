"""Creating an item and editing its standard elements: every element with its label, faults at their
paths with nothing saved, a draft opened from a published version, and optimistic locking."""
from admin_support import author, csrf_of, draft_content, form_fields, post_form

from tongban.configurator.admin.elements_form import CHOICES, DAYS, MULTI, TAGS, TEXTS
from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, CHANNELS, KINDS, LEVELS

GOOD = {"code": "N-0001", "name": "新建测试事项", "kind": "public_service", "department": "人社局",
        "case_type": "promised", "levels": ["province", "township"], "channels": ["online"],
        "audience": ["individual"], "legal_limit_days": "20", "promised_limit_days": "5",
        "location": "海南省政务服务中心", "life_events": "就业创业\n退休", "power.power_type": "public_service",
        "power.responsibilities": "受理责任"}


def test_the_new_item_page_shows_every_element_with_its_labels(province):
    page = province.get("/admin/items/new").text
    for key, zh, en, *_ in (*TEXTS, *CHOICES, *MULTI, *DAYS, *TAGS):
        assert f'name="{key}"' in page and zh in page and en in page, key
    for labels in (KINDS, CASE_TYPES, LEVELS, CHANNELS, AUDIENCES):
        assert all(zh in page for zh, _ in labels.values())
    for words in ("事项编码", "收费项目", "权责清单", "必须网上办理", 'name="code"'):
        assert words in page


def test_creating_an_item_with_faults_shows_each_at_its_path_and_creates_nothing(province, db):
    token = csrf_of(province.get("/admin/items/new").text)
    answer = province.post("/admin/items/new", data={**GOOD, "csrf_token": token, "name": "", "kind": "",
                                                     "legal_limit_days": "5", "promised_limit_days": "8",
                                                     "op": "save"})
    assert answer.status_code == 422
    text = answer.text
    assert "请填写事项名称" in text and "item name is required" in text
    assert "请选择事项类型" in text
    assert "承诺时限（8）不能超过法定时限（5）" in text
    assert 'href="#p-promised_limit_days"' in text and 'id="p-promised_limit_days"' in text
    assert 'value="N-0001"' in text and 'value="人社局"' in text  # what was typed stays
    assert "找不到该事项" in province.get("/admin/items/N-0001/elements").text


def test_an_item_code_that_could_not_be_part_of_a_url_is_refused_on_its_field(province, db):
    token = csrf_of(province.get("/admin/items/new").text)
    answer = province.post("/admin/items/new", data={**GOOD, "csrf_token": token, "code": "hn qa/001?", "op": "save"})
    assert answer.status_code == 422
    assert "事项编码只能由字母、数字和 - _ . 组成" in answer.text and "an item code is letters, digits" in answer.text
    assert 'href="#p-code"' in answer.text
    fine = province.post("/admin/items/new", data={**GOOD, "csrf_token": token,
                                                   "code": "511Z07001006-511602000000-000-1-00", "op": "save"},
                         follow_redirects=False)
    assert fine.status_code == 303  # a national implementation code is a code


def test_creating_an_item_opens_its_form_builder(province, db):
    token = csrf_of(province.get("/admin/items/new").text)
    answer = province.post("/admin/items/new", data={**GOOD, "csrf_token": token, "op": "save"},
                           follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/admin/items/N-0001/form?created=1"
    assert "事项已创建" in province.get(answer.headers["location"]).text
    elements = draft_content(db, "N-0001")["elements"]
    assert elements["name"] == "新建测试事项" and elements["levels"] == ["province", "township"]
    assert elements["legal_limit_days"] == 20 and elements["life_events"] == ["就业创业", "退休"]
    assert elements["power"] == {"power_type": "public_service", "responsibilities": ["受理责任"], "accountability": []}
    again = province.post("/admin/items/new", data={**GOOD, "csrf_token": token, "op": "save"})
    assert again.status_code == 422 and "事项编码 N-0001 已存在" in again.text


def test_fees_are_added_and_removed_before_saving(province, db):
    author(db)
    page = province.get("/admin/items/T-0001/elements")
    assert 'name="fees[1].name" value="登记费"' in page.text
    added = post_form(province, "/admin/items/T-0001/elements", page.text, op="add:fees")
    assert added.status_code == 200 and 'name="fees[2].id" value="fee3"' in added.text
    assert "有尚未保存的修改" in added.text
    assert len(draft_content(db, "T-0001")["elements"]["fees"]) == 2  # nothing saved yet
    removed = post_form(province, "/admin/items/T-0001/elements", added.text, op="remove:fees[0]")
    assert 'name="fees[0].name" value="登记费"' in removed.text and "fees[2]" not in removed.text
    faulty = post_form(province, "/admin/items/T-0001/elements", removed.text, {"fees[1].name": "新收费",
                                                                             "fees[1].amount": "1.234"})
    assert faulty.status_code == 422 and 'href="#p-fees-1-amount"' in faulty.text and "最多两位小数" in faulty.text
    assert 'href="#p-fees-1-basis"' in faulty.text


def test_saving_a_published_items_elements_opens_a_new_draft(province, db):
    author(db)
    page = province.get("/admin/items/T-0001/elements")
    assert "显示第 1 版（已发布）；保存后将生成第 2 版草稿" in page.text and 'name="base" value="v1"' in page.text
    saved = post_form(province, "/admin/items/T-0001/elements", page.text, {"name": "个体工商户设立登记（新版）"},
                      )
    assert saved.status_code == 200 and str(saved.url).endswith("/elements?saved=1") and "已保存" in saved.text
    assert "正在编辑第 2 版草稿" in saved.text
    content = draft_content(db, "T-0001")
    assert content["elements"]["name"] == "个体工商户设立登记（新版）"
    assert content["elements"]["fees"][0]["local_rate_allowed"] is True  # untouched inputs kept their values
    assert content["form"]["fields"][0]["name"] == "applicant_name"  # the other parts came along


def test_a_stale_page_is_a_conflict_and_keeps_what_was_typed(province, db):
    author(db)
    stale = province.get("/admin/items/T-0001/elements").text
    fresh = post_form(province, "/admin/items/T-0001/elements", stale, {"name": "甲改的名称"})
    assert fresh.status_code == 200
    late = post_form(province, "/admin/items/T-0001/elements", stale, {"name": "乙改的名称"})
    assert late.status_code == 409 and "草稿已被他人修改或发布，请刷新后重试" in late.text
    assert 'value="乙改的名称"' in late.text
    assert draft_content(db, "T-0001")["elements"]["name"] == "甲改的名称"
    current = province.get("/admin/items/T-0001/elements").text
    again = post_form(province, "/admin/items/T-0001/elements", current, {"name": "乙改的名称"})
    assert again.status_code == 200 and draft_content(db, "T-0001")["elements"]["name"] == "乙改的名称"


def test_elements_as_json_is_checked_the_same_way(province, db):
    author(db)
    page = province.get("/admin/items/T-0001/elements")
    token, base = csrf_of(page.text), form_fields(page.text)["base"][0]
    broken = province.post("/admin/items/T-0001/elements", data={"csrf_token": token, "base": base,
                                                                "op": "save_json", "json": "{not json"})
    assert broken.status_code == 422 and "JSON 格式错误" in broken.text and "<details class=\"advanced\" open" in broken.text
    faulty = province.post("/admin/items/T-0001/elements", data={"csrf_token": token, "base": base, "op": "save_json",
                                                                "json": '{"code": "T-0001", "name": "x"}'})
    assert faulty.status_code == 422 and "请选择事项类型" in faulty.text
    assert draft_content(db, "T-0001")["elements"]["name"] == "个体工商户设立登记"
