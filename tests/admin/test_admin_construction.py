"""The province's construction configuration in the admin room, as a browser posts it: a stage template
edit changes the stage's one form; a bad edit shows field-level errors and changes nothing; a tenant admin is
refused; the negative list is drafted and published as a version the 立项 intake checks from then on; a
park's regional assessment is recorded with its validity."""
from datetime import UTC, datetime

import pytest

from admin_support import csrf_of, form_fields, post_form, sign_in
from construction_support import HAIKOU, INVESTOR, PARK, application, ready
from tongban.platform.construction.errors import Refused
from tongban.platform.construction.models import RegionalAssessment
from tongban.tenants.isolation import TenantContext

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
def service(db):
    return ready(db)


def _template(service, stage):
    return next(t for t in service.templates() if t.stage == stage)


def test_a_province_admin_edits_a_stage_template_and_the_stage_form_follows(province, service):
    project = service.register(HAIKOU, INVESTOR, application(), now=NOW)
    before = service.stage_form(project.id, "approval")
    assert "HN-GC-003" in [i.code for i in before.items]
    home = province.get("/admin/items")
    assert 'href="/admin/construction"' in home.text  # the one nav link
    listing = province.get("/admin/construction")
    assert listing.status_code == 200 and "立项" in listing.text and "10 个工作日" in listing.text

    page = province.get("/admin/construction/stages/approval")
    assert page.status_code == 200
    kept = [c for c in form_fields(page.text)["item_codes"] if c != "HN-GC-003"]
    saved = post_form(province, "/admin/construction/stages/approval", page.text,
                      {"item_codes": kept, "limit_days": "8", "project_types": ["social", "small_social"]})
    assert saved.status_code == 200 and "阶段模板已保存" in saved.text

    template = _template(service, "approval")
    assert template.item_codes == kept and template.limit_days == 8
    assert template.project_types == ["social", "small_social"]
    after = service.stage_form(project.id, "approval")
    assert [i.code for i in after.items] == kept
    assert {m.id for m in after.materials} < {m.id for m in before.materials}  # 节能 materials no longer asked
    history = province.get("/admin/construction/history")
    assert "修改阶段模板" in history.text and "limit_days" in history.text and "陈省管" in history.text


def test_a_bad_template_edit_shows_field_level_errors_and_changes_nothing(province, service):
    original = _template(service, "land")
    page = province.get("/admin/construction/stages/land")
    answer = post_form(province, "/admin/construction/stages/land", page.text, {
        "limit_days": "0", "lead_department": "taxation", "more_codes": "HN-NOPE-999",
        "project_types": ["government", "moon_base"], "commitment_items": ["HN-GC-012"]})
    assert answer.status_code == 422
    text = answer.text
    assert "尚未保存" in text
    assert 'has-error" id="p-limit_days"' in text and "阶段时限应为大于零的整数" in text
    assert "the limit is a whole number of working days above zero" in text
    assert "HN-NOPE-999”不在已发布的事项目录中" in text and "HN-NOPE-999 is not a published catalogue item" in text
    assert 'id="p-lead_department"' in text and "牵头部门应为本阶段某一事项的审批部门" in text
    assert "未知的项目类型“moon_base”" in text and "告知承诺事项“HN-GC-012”不在本阶段" in text
    assert 'value="0"' in text  # what was typed is kept
    unchanged = _template(service, "land")
    assert (unchanged.limit_days, unchanged.item_codes, unchanged.lead_department, unchanged.project_types) == (
        original.limit_days, original.item_codes, original.lead_department, original.project_types)
    empty = post_form(province, "/admin/construction/stages/land", page.text, {"item_codes": None, "project_types": None})
    assert empty.status_code == 422 and "请至少选择一个事项" in empty.text and "choose at least one project type" in empty.text
    assert "修改阶段模板" not in province.get("/admin/construction/history").text


def test_a_tenant_admin_is_refused(browser, clock, service):
    landing = sign_in(browser, "haikou.admin", clock=clock, prefix="/t/4601")
    assert "/construction" not in landing.text  # no nav link below the province
    refused = browser.get("/t/4601/admin/construction/stages")
    assert refused.status_code == 403 and "无权在该地区执行此操作" in refused.text
    assert browser.get("/admin/construction/negative-list").status_code == 403
    posted = browser.post("/admin/construction/stages/approval", data={
        "csrf_token": csrf_of(landing.text), "name_zh": "立项", "limit_days": "1", "item_codes": "HN-GC-001",
        "lead_department": "development_reform", "project_types": "social"})
    assert posted.status_code == 403
    assert _template(service, "approval").limit_days == 10


def test_a_published_negative_list_version_takes_effect_at_intake(province, service, db):
    page = province.get("/admin/construction/negative-list")
    assert page.status_code == 200 and "HN-J-001" in page.text and "初始清单" in page.text
    bad = post_form(province, "/admin/construction/negative-list", page.text, {
        "code": "HN-X-001", "kind": "restricted", "industry": "", "description": "", "extra_item_code": ""},
        op="add")
    assert bad.status_code == 422
    for zh in ("清单中已有编号“HN-X-001”", "请选择所属行业", "请填写清单内容", "限制类须指定需增加的审批事项"):
        assert zh in bad.text
    assert "有未发布的草稿" not in bad.text  # nothing was drafted

    added = post_form(province, "/admin/construction/negative-list", page.text, {
        "code": "HN-J-009", "kind": "prohibited", "industry": "tourism",
        "description": "禁止在自然保护区核心区新建旅游开发项目", "extra_item_code": ""}, op="add")
    assert added.status_code == 200 and "已保存到负面清单草稿" in added.text and "HN-J-009" in added.text
    retired = post_form(province, "/admin/construction/negative-list", added.text, {}, op="retire:HN-X-001")
    assert "已在草稿中废止该条目" in retired.text

    # the draft is not in force: a tourism project still registers, a golf project still gets the extra item
    tourism = service.register(HAIKOU, INVESTOR, application("2026-460100-65-03-000201", industry="tourism"), now=NOW)
    golf = service.register(HAIKOU, INVESTOR, application("2026-460100-65-03-000202", industry="golf"), now=NOW)
    assert tourism.state == "active" and [x["entry"] for x in golf.extra_items] == ["HN-X-001"]

    published = post_form(province, "/admin/construction/negative-list", retired.text, {"note": "旅游开发纳入禁止类"},
                          op="publish")
    assert published.status_code == 200 and "负面清单新版本已发布" in published.text
    assert "现行第 1 版" in published.text and "旅游开发纳入禁止类" in published.text

    with pytest.raises(Refused) as refused:
        service.register(HAIKOU, INVESTOR, application("2026-460100-65-03-000203", industry="tourism"), now=NOW)
    assert "HN-J-009" in refused.value.errors[0]["zh"]
    golf2 = service.register(HAIKOU, INVESTOR, application("2026-460100-65-03-000204", industry="golf"), now=NOW)
    assert golf2.extra_items == []  # the retired restriction no longer adds its approval
    assert "HN-X-001" not in {e.code for e in service.negative_list()}

    portal = province.get("http://haikou.localhost/construction/negative-list")
    assert portal.status_code == 200 and "HN-J-009" in portal.text and "HN-X-001" not in portal.text
    history = province.get("/admin/construction/history")
    assert "发布负面清单新版本" in history.text and "废止清单条目" in history.text


def test_an_entry_is_edited_in_the_draft_with_the_extra_item_checked(province, service):
    page = province.get("/admin/construction/negative-list/HN-X-002")
    assert page.status_code == 200
    bad = post_form(province, "/admin/construction/negative-list/HN-X-002", page.text, {"extra_item_code": "HN-NOPE-1"})
    assert bad.status_code == 422 and 'id="p-extra_item_code"' in bad.text and "HN-NOPE-1" in bad.text
    good = post_form(province, "/admin/construction/negative-list/HN-X-002", page.text,
                     {"description": "限制类房地产开发项目须经省级核准"})
    assert good.status_code == 200 and "限制类房地产开发项目须经省级核准" in good.text
    assert "限制类房地产开发项目须取得项目核准" in {e.description for e in service.negative_list()}  # draft only


def test_a_regional_assessment_is_recorded_for_a_park_with_its_validity(province, service, db):
    page = province.get("/admin/construction/regional")
    assert page.status_code == 200 and "flood_report" in page.text
    bad = post_form(province, "/admin/construction/regional", page.text, {
        "tenant_code": "46", "area": "", "kind": "volcano", "name": "园区评估", "material_ids": ["no_such"],
        "concluded_on": "2025-06-30", "valid_until": "2024-01-01"})
    assert bad.status_code == 422
    for zh in ("请选择园区所在的市县", "请填写园区", "请选择评估类别", "阶段事项中没有材料“no_such”", "有效期应晚于评估完成日期"):
        assert zh in bad.text
    saved = post_form(province, "/admin/construction/regional", page.text, {
        "tenant_code": HAIKOU, "area": PARK, "kind": "flood", "name": "海口国家高新区洪水影响区域评估",
        "material_ids": ["flood_report"], "concluded_on": "2025-06-30", "valid_until": "2030-06-30",
        "report_ref": "HKGX-2025-03"})
    assert saved.status_code == 200 and "区域评估已保存" in saved.text and "2030-06-30" in saved.text
    with db.unit_of_work(TenantContext.system("test")) as s:
        rows = s.query(RegionalAssessment).all()
        assert [(r.tenant_id, r.area, r.material_ids, str(r.valid_until)) for r in rows] == [
            (HAIKOU, PARK, ["flood_report"], "2030-06-30")]
        number = rows[0].id
    withdrawn = post_form(province, "/admin/construction/regional", saved.text, {}, op=f"remove:{number}")
    assert "区域评估已撤销" in withdrawn.text
    with db.unit_of_work(TenantContext.system("test")) as s:
        assert s.query(RegionalAssessment).count() == 0
