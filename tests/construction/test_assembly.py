"""One stage form and one set of materials assembled from the stage's items."""
from construction_support import INVESTOR, application


def test_shared_fields_are_asked_once_and_materials_deduplicated(service):
    project = service.register("4601", INVESTOR, application())
    form = service.stage_form(project.id, "approval")
    names = [f["name"] for f in form.schema["fields"]]
    assert [i.code for i in form.items] == ["HN-GC-001", "HN-GC-002", "HN-ST-001", "HN-GC-003", "HN-GC-004"]
    # every item asks the enterprise and the project; the stage asks them once
    for shared in ("enterprise_name", "uscc", "project_code", "project_name", "investment"):
        assert names.count(shared) == 1
        assert len(form.field_items[shared]) >= 4
    # HN-GC-002 calls them company_name / enterprise_uscc: the data dictionary maps them to the same elements
    assert "company_name" not in names and "enterprise_uscc" not in names
    assert form.renamed["HN-GC-002"]["company_name"] == "enterprise_name"
    assert len(names) == len(set(names)) < form.asked
    # 项目批准、核准或者备案文件 is wanted by 用地预审 and 节能审查: one material for both
    approval_doc = [m for m in form.materials if m.name == "项目批准、核准或者备案文件"]
    assert len(approval_doc) == 1 and approval_doc[0].item_codes == ["HN-GC-002", "HN-GC-003"]
    assert approval_doc[0].rongque_days == 10
    assert len({m.name for m in form.materials}) == len(form.materials)


def test_stage_form_values_reach_each_item_under_its_own_names(service):
    project = service.register("4601", INVESTOR, application())
    form = service.stage_form(project.id, "approval")
    values = form.values_for("HN-GC-002", {"enterprise_name": "海南椰风科技有限公司", "uscc": "X"})
    assert values["company_name"] == "海南椰风科技有限公司" and values["enterprise_uscc"] == "X"
