"""The tenant matrix: each tenant's state, version, pin and overrides in an audited subtree read; bulk
enable/disable over subtrees; overrides a new version broke are flagged."""
import re

from admin_support import (
    CHANGLIU,
    HAIKOU,
    HAITANG,
    PROVINCE,
    SANYA,
    XIUYING,
    author,
    context_of,
    csrf_of,
    effective,
)
from sqlalchemy import select

from tongban.configurator.flows.examples import immediate_flow
from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.scopes import PublishScope
from tongban.tenants.access import SubtreeAccess
from tongban.tenants.isolation import TenantContext

URL = "/admin/items/T-0001/matrix"


def _row(text: str, code: str) -> str:
    match = re.search(rf'<tr class="[^"]*" data-code="{code}">(.*?)</tr>', text, re.DOTALL)
    assert match, code
    return match.group(1)


def test_the_matrix_lists_every_tenant_with_its_state_and_the_read_is_logged(province, db):
    author(db)
    page = province.get(URL)
    assert page.status_code == 200 and "274 个地区" in page.text
    assert "显示 20 个地区" in page.text  # a province opens one level down: itself and its 19 cities and counties
    assert "启用 Enabled" in _row(page.text, SANYA) and "v1" in _row(page.text, SANYA)
    everything = province.get(f"{URL}?depth=all").text
    assert "显示 274 个地区" in everything and "v1" in _row(everything, CHANGLIU)
    with db.unit_of_work(TenantContext.system("test")) as s:
        logged = s.scalars(select(SubtreeAccess)).all()
    assert [(a.subtree_code, a.reason) for a in logged] == [(PROVINCE, "事项矩阵")] * 2
    assert "陈省管" in logged[0].actor


def test_narrowing_and_filters(province, db):
    author(db)
    page = province.get(f"{URL}?root={HAIKOU}")
    assert "长流镇" in page.text and "三亚市" not in page.text.split("<table")[1]
    with db.unit_of_work(context_of(db, SANYA)) as s:
        local.set_enabled(s, SANYA, ["T-0001"], False, actor="test")
    disabled = province.get(f"{URL}?show=disabled").text
    codes = re.findall(r'data-code="(\d+)"', disabled)
    assert SANYA in codes and HAITANG in codes and HAIKOU not in codes


def test_bulk_disable_over_a_citys_subtree_then_enable_one_district(province, db):
    author(db)
    token = csrf_of(province.get(URL).text)
    done = province.post(URL, data={"csrf_token": token, "tenants": [SANYA], "op": "disable"})
    assert done.status_code == 200 and "三亚市（含下级）已停用" in done.text
    assert "停用 Disabled" in _row(done.text, SANYA) and "启用 Enabled" in _row(done.text, HAIKOU)
    assert "停用 Disabled" in _row(province.get(f"{URL}?root={SANYA}").text, HAITANG)
    assert not effective(db, SANYA, "T-0001").enabled and not effective(db, HAITANG, "T-0001").enabled
    assert effective(db, PROVINCE, "T-0001").enabled and effective(db, CHANGLIU, "T-0001").enabled
    province.post(URL, data={"csrf_token": token, "tenants": [HAITANG], "op": "enable"})
    assert effective(db, HAITANG, "T-0001").enabled and not effective(db, SANYA, "T-0001").enabled


def test_enabling_where_the_item_was_never_published_says_to_publish_first(province, db):
    author(db, publish_to=HAIKOU)
    token = csrf_of(province.get(URL).text)
    refused = province.post(URL, data={"csrf_token": token, "tenants": [SANYA], "op": "enable"})
    assert refused.status_code in (409, 422) and "尚未向该地区发布，请先发布再启用" in refused.text
    assert "publish before enabling" in refused.text and "已启用" not in refused.text
    assert effective(db, SANYA, "T-0001") is None or not effective(db, SANYA, "T-0001").enabled
    assert province.post(URL, data={"csrf_token": token, "tenants": [SANYA], "op": "disable"}).status_code == 200


def test_bulk_needs_a_choice_and_stays_inside_the_matrix(province, db):
    author(db)
    token = csrf_of(province.get(f"{URL}?root={HAIKOU}").text)
    none = province.post(f"{URL}?root={HAIKOU}", data={"csrf_token": token, "op": "disable"})
    assert none.status_code == 422 and "请勾选地区" in none.text
    outside = province.post(f"{URL}?root={HAIKOU}", data={"csrf_token": token, "tenants": [SANYA], "op": "disable"})
    assert outside.status_code == 422 and "不在本矩阵范围内" in outside.text
    assert effective(db, SANYA, "T-0001").enabled


def test_overrides_broken_by_a_new_version_are_flagged(province, db):
    author(db)
    with db.unit_of_work(context_of(db, CHANGLIU)) as s:
        local.set_overrides(s, CHANGLIU, "T-0001", {"assignees": {"review": {"department": "civil_affairs"}}}, actor="t")
    with db.unit_of_work(context_of(db, PROVINCE)) as s:
        from catalogue_fixtures import elements

        catalogue.edit_draft(s, "T-0001", "elements", elements("T-0001", "个体工商户设立登记", case_type="immediate",
                                                             promised_limit_days=0), actor="t")
        catalogue.edit_draft(s, "T-0001", "flow", immediate_flow(), actor="t")
        catalogue.publish(s, "T-0001", PublishScope.subtree(PROVINCE), actor="t")
    page = province.get(f"{URL}?root={XIUYING}")
    row = _row(page.text, CHANGLIU)
    assert "新版本使本地设置失效" in row and "流程中没有环节“review”" in row and "v2" in row
    assert "assignees" in row
    assert [c for c in re.findall(r'data-code="(\d+)"', province.get(f"{URL}?root={HAIKOU}&show=problems").text)] == [CHANGLIU]
