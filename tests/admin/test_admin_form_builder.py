"""The form builder: fields of every type added, edited, reordered and removed as form rows; options,
conditions, rules and repeating groups; a live preview rendered on the server; faults at their paths."""
import pytest
from admin_support import author, csrf_of, draft_content, form_fields, post_form

from tongban.configurator.admin.form_builder import PROPERTIES, TYPE_LABELS
from tongban.configurator.forms import FIELD_TYPES

URL = "/admin/items/T-0001/form"


@pytest.fixture
def item(db):
    return author(db)


def test_the_builder_shows_the_saved_fields_and_a_preview(province, item):
    page = province.get(URL).text
    assert 'name="fields[0].name" value="applicant_name"' in page
    assert 'name="fields[1].label.zh" value="身份证号码"' in page
    assert "预览" in page and 'name="preview.applicant_name"' in page and "申请人姓名" in page


@pytest.mark.parametrize("kind", sorted(FIELD_TYPES))
def test_a_field_of_every_type_can_be_added_with_its_own_properties(province, item, kind):
    page = province.get(URL).text
    added = post_form(province, URL, page, {"fields.new_type": kind}, op="add:fields")
    assert added.status_code == 200 and 'name="fields[3].name" value="field_4"' in added.text
    assert f'<option value="{kind}" selected>{TYPE_LABELS[kind][0]}' in added.text
    allowed = FIELD_TYPES[kind].allowed_keys
    for key, widget, zh, _en in PROPERTIES:
        shown = f'name="fields[3].{key}"' in added.text or f'name="fields[3].{key}.zh"' in added.text
        assert shown == (key in allowed), (kind, key)
    assert ("分组内的字段" in added.text) == (kind == "group")


def test_building_a_form_with_options_conditions_a_group_and_a_rule(province, item, db):
    page = province.get(URL).text
    page = post_form(province, URL, page, {"fields.new_type": "select"}, op="add:fields").text
    page = post_form(province, URL, page, {
        "fields[3].name": "composition", "fields[3].label.zh": "组成形式", "fields[3].label.en": "Composition",
        "fields[3].required": "1", "fields[3].options": "individual | 个人经营 | Individual\nfamily | 家庭经营 | Family",
        "fields.new_type": "group"}, op="add:fields").text
    page = post_form(province, URL, page, {
        "fields[4].name": "members", "fields[4].label.zh": "家庭成员", "fields[4].show_if": 'composition == "family"',
        "fields[4].min_rows": "1", "fields[4].fields.new_type": "text"}, op="add:fields[4].fields").text
    page = post_form(province, URL, page, {"fields[4].fields[0].name": "member_name",
                                           "fields[4].fields[0].label.zh": "成员姓名",
                                           "fields[4].fields[0].required": "1"}, op="add:rules").text
    saved = post_form(province, URL, page, {
        "fields[2].required_if": 'composition == "family"',
        "rules[0].id": "capital_positive", "rules[0].expr": "capital >= 0", "rules[0].field": "capital",
        "rules[0].message.zh": "注册资本不能为负"})
    assert saved.status_code == 200 and "已保存" in saved.text, saved.text[-2000:]
    form = draft_content(db, "T-0001")["form"]
    by_name = {f["name"]: f for f in form["fields"]}
    assert by_name["composition"]["options"] == [
        {"value": "individual", "label": {"zh": "个人经营", "en": "Individual"}},
        {"value": "family", "label": {"zh": "家庭经营", "en": "Family"}}]
    assert by_name["composition"]["required"] is True
    assert by_name["members"] == {"name": "members", "type": "group", "label": {"zh": "家庭成员"},
                                  "show_if": 'composition == "family"', "min_rows": 1,
                                  "fields": [{"name": "member_name", "type": "text",
                                              "label": {"zh": "成员姓名"}, "required": True}]}
    assert by_name["capital"]["required_if"] == 'composition == "family"'
    assert form["rules"] == [{"id": "capital_positive", "expr": "capital >= 0", "field": "capital",
                              "message": {"zh": "注册资本不能为负"}}]


def test_fields_are_reordered_and_removed(province, item, db):
    page = province.get(URL).text
    moved = post_form(province, URL, page, op="down:fields[0]")
    assert 'name="fields[0].name" value="id_number"' in moved.text
    assert 'name="fields[1].name" value="applicant_name"' in moved.text
    removed = post_form(province, URL, moved.text, op="remove:fields[2]")
    assert 'value="capital"' not in removed.text
    saved = post_form(province, URL, removed.text)
    assert saved.status_code == 200
    assert [f["name"] for f in draft_content(db, "T-0001")["form"]["fields"]] == ["id_number", "applicant_name"]


def test_saving_shows_every_schema_fault_at_its_path_and_saves_nothing(province, item, db):
    page = province.get(URL).text
    page = post_form(province, URL, page, {"fields.new_type": "radio"}, op="add:fields").text
    answer = post_form(province, URL, page, {
        "fields[0].show_if": "applicant_name ==", "fields[1].name": "applicant_name",
        "fields[3].label.zh": "单选"})
    assert answer.status_code == 422
    text = answer.text
    assert 'href="#p-fields-0-show_if"' in text and 'id="p-fields-0-show_if"' in text
    assert 'href="#p-fields-1-name"' in text
    assert 'href="#p-fields-3-options"' in text
    assert text.count('class="error-message"') >= 3
    assert 'value="applicant_name ==' in text  # kept as typed
    assert 'has-error' in text and '<details class="field-row has-error"' in text
    assert draft_content(db, "T-0001")["form"]["fields"][0].get("show_if") is None


def test_the_preview_tries_answers_with_conditions_and_rules(province, item):
    page = province.get(URL).text
    page = post_form(province, URL, page, {"fields.new_type": "checkbox"}, op="add:fields").text
    page = post_form(province, URL, page, {"fields[3].name": "has_capital", "fields[3].label.zh": "有注册资本",
                                           "fields[2].show_if": "has_capital"}, op="refresh").text
    assert "当前隐藏" in page  # capital is hidden until the box is ticked
    tried = post_form(province, URL, page, {"preview.applicant_name": "王小明", "preview.id_number": "123",
                                            "preview.has_capital": "true", "preview.capital": "abc"}, op="try")
    assert tried.status_code == 200 and "这些答案有错误" in tried.text
    assert tried.text.count("当前隐藏") == 0
    assert "公民身份号码" in tried.text or "身份证" in tried.text


def test_the_form_as_json_is_the_advanced_way(province, item, db):
    page = province.get(URL).text
    fields = form_fields(page)
    answer = province.post(URL, data={"csrf_token": fields["csrf_token"][0], "base": fields["base"][0],
                                      "op": "save_json", "json": '{"fields": [{"name": "x", "type": "nope"}]}'})
    assert answer.status_code == 422 and "fields[0].type" in answer.text
    good = province.post(URL, data={"csrf_token": csrf_of(page), "base": fields["base"][0], "op": "save_json",
                                    "json": '{"fields": [{"name": "x", "type": "text", "label": "X"}]}'})
    assert good.status_code == 200
    assert draft_content(db, "T-0001")["form"] == {"fields": [{"name": "x", "type": "text", "label": "X"}]}
