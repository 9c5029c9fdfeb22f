"""Export → import gives back exactly the same catalogue, in Excel and in JSON."""
import copy

import pytest
from openpyxl import load_workbook
from tests_support import tenant_context, tenant_row

from tongban.configurator.catalogue_io import export_catalogue, import_catalogue, read_catalogue
from tongban.configurator.demo import seed_demo_catalogue
from tongban.configurator.publishing.effective import effective_catalogue, effective_item

CHANGLIU, SANYA = "460105100", "4602"
ACTOR = "account:province-admin"


def awkward_item(rows):
    """Values that do not fit a plain cell: they must travel through the extra JSON and come back equal."""
    content = copy.deepcopy(rows[0]["content"])
    e = content["elements"]
    e.update(code="HN-TEST-001", name="往返测试事项", themes=[], location=" 前后有空格 ", note="=不是公式",
             power={"power_type": "administrative_license"}, benchmark={"nested": [1, 2.5, None]})
    e.pop("legal_basis")
    e["fees"] = [{"id": "f1", "name": "工本费", "amount": 12.5, "basis": "测试依据", "local_rate_allowed": True,
                  "unit": "元/本"}]
    content["materials"][0].update(formats=["pdf"], max_size_mb=0.5, remark={"k": "v"}, count=2)
    content["materials"][1].pop("formats")
    return {"code": "HN-TEST-001", "content": content}


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_file_gives_back_exactly_what_was_written(files, suffix):
    rows = files.rows()
    rows.append(awkward_item(rows))
    read = read_catalogue(files.write(f"catalogue{suffix}", rows))
    assert [e.code for e in read] == [r["code"] for r in rows]
    for entry, row in zip(read, rows, strict=True):
        assert entry.content == row["content"], entry.code


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_importing_into_an_empty_catalogue_then_exporting_gives_the_same_content(db, files, tmp_path, suffix):
    report = import_catalogue(db, files.write(f"demo{suffix}"), actor=ACTOR, publish_to="46")
    assert len(report.created) == len(files.rows()) == len(report.published)
    assert report.updated == report.unchanged == []
    out = tmp_path / f"out{suffix}"
    assert export_catalogue(db, out) == len(files.rows())
    exported = {e.code: e.content for e in read_catalogue(out)}
    assert exported == {r["code"]: r["content"] for r in files.rows()}
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        assert effective_item(s, tenant_row(db, CHANGLIU), "HN-MZ-002").enabled


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_importing_an_export_into_the_same_catalogue_changes_nothing(db, files, tmp_path, suffix):
    seed_demo_catalogue(db)
    export_catalogue(db, tmp_path / f"same{suffix}")
    before = files.counts(db)
    report = import_catalogue(db, tmp_path / f"same{suffix}", actor=ACTOR, publish_to="46")
    assert len(report.unchanged) == len(files.rows())
    assert report.created == report.updated == report.published == []
    assert files.counts(db) == before


def test_a_changed_cell_becomes_a_draft_that_publishing_serves(db, files, tmp_path):
    seed_demo_catalogue(db)
    path = tmp_path / "edited.xlsx"
    export_catalogue(db, path)
    files.edit(path, "材料", "HN-RS-003", "name", "本人近期免冠彩色照片（白底）", nth=1)
    report = import_catalogue(db, path, actor=ACTOR)
    assert report.updated == ["HN-RS-003"] and report.published == []

    def changliu_card():
        with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
            return effective_item(s, tenant_row(db, CHANGLIU), "HN-RS-003")

    assert changliu_card().version_no == 1  # the draft is not served yet
    again = import_catalogue(db, path, actor=ACTOR, publish_to="46")
    assert again.unchanged and again.published == ["HN-RS-003"]
    card = changliu_card()
    assert card.version_no == 2 and card.content["materials"][1]["name"] == "本人近期免冠彩色照片（白底）"


def test_publishing_an_import_to_one_city(db, files):
    import_catalogue(db, files.write("haikou.json"), actor=ACTOR, publish_to="4601")
    with db.unit_of_work(tenant_context(db, CHANGLIU)) as s:
        assert {e.code for e in effective_catalogue(s, tenant_row(db, CHANGLIU))}
    with db.unit_of_work(tenant_context(db, SANYA)) as s:
        assert effective_catalogue(s, tenant_row(db, SANYA)) == []


def test_a_form_longer_than_an_excel_cell_continues_in_the_next_cells(files):
    rows = files.rows()[:1]
    fields = rows[0]["content"]["form"]["fields"]
    fields += [{"name": f"note_{i}", "type": "textarea", "label": {"zh": f"补充说明第 {i} 项" * 5, "en": "Note"},
                "help": {"zh": "=不是公式" * 10}} for i in range(400)]
    path = files.write("long.xlsx", rows)
    assert load_workbook(path)["表单"].max_column >= 4  # the JSON went on into the continuation cells
    assert read_catalogue(path)[0].content == rows[0]["content"]
