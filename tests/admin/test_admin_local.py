"""A township admin's local settings: only the fields a tenant may vary, errors per field, the standard
refused by the domain when asked for through the JSON fallback; enable/disable and pinning for itself."""
import pytest
from admin_support import (
    CHANGLIU,
    CHANGLIU_ADMIN_SECRET,
    HAIKOU,
    PROVINCE,
    XIUYING,
    author,
    context_of,
    csrf_of,
    effective,
    form_fields,
    make_staff,
    post_form,
    sign_in,
)

from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.scopes import PublishScope

PREFIX = "/t/460105100"
URL = f"{PREFIX}/admin/items/T-0001/local"


@pytest.fixture
def township(browser, identity, clock, db):
    """长流镇's tenant admin, made in the test through identity's grant service by the province admin."""
    author(db)
    make_staff(identity, "changliu.admin", "林长流", tenant=CHANGLIU, role="tenant_admin", granter="province.admin")
    sign_in(browser, "changliu.admin", clock=clock, prefix=PREFIX, secret=CHANGLIU_ADMIN_SECRET)
    return browser


def test_the_page_shows_only_the_locally_variable_fields_with_the_standard_beside_them(township):
    page = township.get(URL).text
    for name in ("overrides.location", "overrides.hours", "overrides.phone", "overrides.notes",
                 "overrides.fees.f1", "overrides.assignees.review.department"):
        assert f'name="{name}' in page, name
    assert 'name="overrides.fees.f2"' not in page and "登记费：0.00 元，全省统一标准" in page
    assert 'name="name"' not in page and 'name="overrides.name"' not in page
    assert "标准：海南省政务服务中心" in page and "提供第 1 版" in page


def test_overriding_the_address_reaches_the_township_only(township, db):
    page = township.get(URL).text
    saved = post_form(township, URL, page, {"overrides.location": "长流镇便民服务中心 1 号窗口",
                                            "overrides.fees.f1": "5.00"})
    assert saved.status_code == 200 and "本地设置已保存" in saved.text
    assert "当前生效：长流镇便民服务中心 1 号窗口（长流镇）" in saved.text
    mine = effective(db, CHANGLIU, "T-0001")
    assert mine.content["elements"]["location"] == "长流镇便民服务中心 1 号窗口"
    assert mine.content["elements"]["fees"][0]["amount"] == "5.00"
    assert effective(db, XIUYING, "T-0001").content["elements"]["location"] == "海南省政务服务中心"
    assert effective(db, HAIKOU, "T-0001").content["elements"]["location"] == "海南省政务服务中心"


def test_errors_are_shown_per_field_and_nothing_is_saved(township, db):
    page = township.get(URL).text
    page = post_form(township, URL, page, op="add:overrides.extra_materials").text
    assert 'name="overrides.extra_materials[0].id" value="local1"' in page
    answer = post_form(township, URL, page, {"overrides.fees.f1": "-1", "overrides.location": "x" * 501,
                                             "overrides.extra_materials[0].name": "",
                                             "overrides.assignees.review.role": "镇审查员"})
    assert answer.status_code == 422
    for anchor in ("p-overrides-fees-f1", "p-overrides-location", "p-overrides-extra_materials-0-name"):
        assert f'href="#{anchor}"' in answer.text and f'id="{anchor}"' in answer.text, anchor
    assert "金额应为不小于 0 的数" in answer.text and "办理地点应为 500 字以内的文字" in answer.text
    assert effective(db, CHANGLIU, "T-0001").content["elements"]["location"] == "海南省政务服务中心"


def test_the_standard_cannot_be_changed_locally_even_as_json(township, db):
    page = township.get(URL).text
    fields = form_fields(page)
    answer = township.post(URL, data={"csrf_token": fields["csrf_token"][0], "revision": "", "op": "save_json",
                                      "overrides_json": '{"name": "长流镇改名", "fees": {"f2": "1.00"}}'})
    assert answer.status_code == 422
    assert "“name”是省级标准内容，不能在本地修改" in answer.text
    assert "收费项目“登记费”执行全省统一标准" in answer.text
    assert effective(db, CHANGLIU, "T-0001").content["elements"]["name"] == "个体工商户设立登记"
    broken = township.post(URL, data={"csrf_token": fields["csrf_token"][0], "op": "save_json",
                                      "overrides_json": "[1, 2"})
    assert broken.status_code == 422 and "JSON 格式错误" in broken.text


def test_local_assignees_and_an_extra_material(township, db, identity):
    make_staff(identity, "zongzhi.staff", "综治办干部", tenant=CHANGLIU, role="reviewer", granter="province.admin",
               department="长流镇综治办")  # the township's own office: staff carry it, so a step can go there
    page = township.get(URL).text
    page = post_form(township, URL, page, op="add:overrides.extra_materials").text
    saved = post_form(township, URL, page, {"overrides.assignees.review.department": "长流镇综治办",
                                            "overrides.extra_materials[0].name": "村（居）委会证明"})
    assert saved.status_code == 200
    content = effective(db, CHANGLIU, "T-0001").content
    review = next(n for n in content["flow"]["nodes"] if n["id"] == "review")
    assert review["assignment"] == {"role": "reviewer", "department": "长流镇综治办"}
    extra = content["materials"][-1]
    assert extra["name"] == "村（居）委会证明" and extra["local"] is True and extra["source_tenant"] == CHANGLIU


def test_an_assignee_nobody_could_be_is_refused_on_its_field(township, db):
    """A department no list has and no staff member carries, or a role that handles no cases: the step would go
    to nobody. Refused on the field, in both languages, nothing saved."""
    page = township.get(URL).text
    refused = post_form(township, URL, page, {"overrides.assignees.review.department": "nosuchdept",
                                              "overrides.assignees.decide.role": "nosuchrole"})
    assert refused.status_code == 422
    assert "没有代码为“nosuchdept”的部门" in refused.text and "no department with the code" in refused.text
    assert "没有办件角色“nosuchrole”" in refused.text and "no case-handling role" in refused.text
    assert "assignees" not in (effective(db, CHANGLIU, "T-0001").content.get("overrides") or {})
    review = next(n for n in effective(db, CHANGLIU, "T-0001").content["flow"]["nodes"] if n["id"] == "review")
    assert review.get("assignment", {}).get("department") != "nosuchdept"


def test_disabling_and_pinning_for_the_township(township, db):
    token = csrf_of(township.get(URL).text)
    done = township.post(URL, data={"csrf_token": token, "op": "disable"})
    assert "已停用" in done.text and "由长流镇决定" in done.text
    assert not effective(db, CHANGLIU, "T-0001").enabled and effective(db, XIUYING, "T-0001").enabled
    township.post(URL, data={"csrf_token": token, "op": "inherit"})
    assert effective(db, CHANGLIU, "T-0001").enabled
    with db.unit_of_work(context_of(db, PROVINCE)) as s:
        from catalogue_fixtures import elements

        catalogue.edit_draft(s, "T-0001", "elements", elements("T-0001", "第二版"), actor="t")
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor="t")
    township.post(URL, data={"csrf_token": token, "op": "pin", "pin": "1"})
    assert effective(db, CHANGLIU, "T-0001").version_no == 1 and effective(db, XIUYING, "T-0001").version_no == 2
    assert "锁定在第 1 版" in township.get(URL).text


def test_a_stale_local_form_is_a_conflict(township, db):
    stale = township.get(URL).text
    assert post_form(township, URL, stale, {"overrides.hours": "周一至周六"}).status_code == 200
    again = township.get(URL).text
    assert post_form(township, URL, again, {"overrides.hours": "周一至周日"}).status_code == 200
    late = post_form(township, URL, again, {"overrides.hours": "全天"})
    assert late.status_code == 409 and "本地设置已被他人修改" in late.text
    assert effective(db, CHANGLIU, "T-0001").content["elements"]["hours"] == "周一至周日"


def test_two_tabs_setting_an_items_local_settings_for_the_first_time_do_not_lose_either(township, db):
    """No local row yet: the second tab's save must not silently erase the first tab's (it is a conflict)."""
    tab_a, tab_b = township.get(URL).text, township.get(URL).text
    assert post_form(township, URL, tab_a, {"overrides.hours": "周一至周六"}).status_code == 200
    late = post_form(township, URL, tab_b, {"overrides.phone": "0898-66660000"})
    assert late.status_code == 409 and "本地设置已被他人修改" in late.text
    assert effective(db, CHANGLIU, "T-0001").content["elements"]["hours"] == "周一至周六"


def test_an_item_not_published_here_has_no_local_settings(township, db):
    author(db, "T-0002", "试点事项", publish_to="4602")
    page = township.get(f"{PREFIX}/admin/items/T-0002/local")
    assert page.status_code == 200 and "尚未向长流镇发布" in page.text
