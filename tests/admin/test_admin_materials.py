"""The materials editor: form, copies, formats, size, a condition over the form, 容缺 with its supply
deadline and e-license linkage; faults at their paths; keys it does not manage are kept."""
import pytest
from admin_support import author, draft_content, post_form

URL = "/admin/items/T-0001/materials"


@pytest.fixture
def item(db):
    return author(db)


def test_the_saved_materials_show_as_rows(province, item):
    page = province.get(URL).text
    assert 'name="materials[0].name" value="申请书"' in page
    assert 'name="materials[1].satisfied_by_license_type" value="business_license"' in page
    assert 'name="materials[2].required_if" value="form.capital &gt; 1000000.0"' in page
    assert 'name="materials[2].rongque_allowed" value="1" checked' in page
    assert "容缺" in page and "电子证照" in page


def test_adding_a_material_with_rongque_and_an_e_license(province, item, db):
    page = province.get(URL).text
    page = post_form(province, URL, page, op="add:materials").text
    assert 'name="materials[3].id" value="m4"' in page
    saved = post_form(province, URL, page, {
        "materials[3].name": "身份证明", "materials[3].form": "electronic", "materials[3].count": "2",
        "materials[3].formats": ["pdf", "ofd"], "materials[3].max_size_mb": "2.5",
        "materials[3].satisfied_by_license_type": "resident_id_card", "materials[3].source": "申请人自备",
        "materials[3].rongque_allowed": "1", "materials[3].rongque_supply_days": "7"})
    assert saved.status_code == 200 and "已保存" in saved.text
    added = draft_content(db, "T-0001")["materials"][3]
    assert added == {"id": "m4", "name": "身份证明", "form": "electronic", "count": 2, "max_size_mb": 2.5,
                     "formats": ["pdf", "ofd"], "required": True, "satisfied_by_license_type": "resident_id_card",
                     "source": "申请人自备", "rongque_allowed": True, "rongque_supply_days": 7}


def test_faults_are_shown_at_their_paths_and_nothing_is_saved(province, item, db):
    page = province.get(URL).text
    answer = post_form(province, URL, page, {
        "materials[0].rongque_allowed": "1", "materials[0].rongque_supply_days": "",
        "materials[1].required_if": "form.no_such_field > 1", "materials[1].name": "申请书",
        "materials[2].formats": ["exe"], "materials[2].count": "0"})
    assert answer.status_code == 422
    for anchor in ("p-materials-0-rongque_supply_days", "p-materials-1-required_if", "p-materials-1-name",
                   "p-materials-2-formats", "p-materials-2-count"):
        assert f'href="#{anchor}"' in answer.text and f'id="{anchor}"' in answer.text, anchor
    assert "容缺材料须设置 1 到 180 个工作日的补交期限" in answer.text
    assert "条件引用了表单中不存在的字段：no_such_field" in answer.text
    assert draft_content(db, "T-0001")["materials"] == item["materials"]


def test_rows_are_reordered_and_removed_and_unmanaged_keys_ride_along(province, db):
    body = author(db, publish_to=None)
    from admin_support import context_of

    from tongban.configurator.publishing import catalogue

    materials = [{**body["materials"][0], "template": "https://example.cn/t.docx", "note": "自定义键"},
                 *body["materials"][1:]]
    with db.unit_of_work(context_of(db, "46")) as s:
        catalogue.edit_draft(s, "T-0001", "materials", materials, actor="test")
    page = province.get(URL).text
    page = post_form(province, URL, page, op="down:materials[0]").text
    page = post_form(province, URL, page, op="remove:materials[2]").text
    saved = post_form(province, URL, page)
    assert saved.status_code == 200
    result = draft_content(db, "T-0001")["materials"]
    assert [m["id"] for m in result] == ["m2", "m1"]
    assert result[1]["note"] == "自定义键" and result[1]["template"] == "https://example.cn/t.docx"
