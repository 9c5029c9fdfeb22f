"""A bad file is refused whole: every fault named by sheet, row and column (or JSON path), nothing written."""
import json

import pytest
from openpyxl import load_workbook

from tongban.configurator.catalogue_io import ImportInvalid, import_catalogue, read_catalogue
from tongban.configurator.demo import seed_demo_catalogue

ACTOR = "account:province-admin"


def refused(path) -> dict[str, set[str]]:
    """{place: codes of its problems}."""
    with pytest.raises(ImportInvalid) as raised:
        read_catalogue(path)
    problems = raised.value.problems
    assert all(p.zh and p.en and str(p).startswith(p.where) for p in problems)
    found: dict[str, set[str]] = {}
    for p in problems:
        found.setdefault(p.where, set()).add(p.code)
    return found


def test_each_kind_of_bad_cell_is_reported_where_it_is(files):
    path = files.write("bad.xlsx")
    bad = {
        files.edit(path, "材料", "HN-SCJG-003", "formats", "pdf,exe"): "invalid_formats",
        files.edit(path, "材料", "HN-SCJG-003", "count", "两份", nth=1): "not_whole_number",
        files.edit(path, "材料", "HN-RS-001", "required", "也许"): "not_yes_no",
        files.edit(path, "材料", "HN-RS-002", "item_code", "HN-NONE-404"): "unknown_item",
        files.edit(path, "事项", "HN-GA-001", "legal_limit_days", "六十"): "not_whole_number",
        files.edit(path, "事项", "HN-GA-002", "kind", "不存在的类型"): "invalid_choice",
        files.edit(path, "事项", "HN-MZ-001", "promised_limit_days", 5): "immediate_has_limit",
        files.edit(path, "事项", "HN-WJ-002", "promised_limit_days", 99): "promised_over_legal",
        files.edit(path, "事项", "HN-WJ-003", "levels", "township,村委会"): "invalid_choice",
        files.edit(path, "事项", "HN-WJ-004", "extra", "[1, 2]"): "json_not_object",
        files.edit(path, "事项", "HN-RS-004", "fees", "收费 charged"): "fees_missing",
        files.edit(path, "事项", "HN-ST-002", "name", ""): "required",
        files.edit(path, "收费", "HN-ZR-002", "amount", "-5"): "invalid_amount",
        files.edit(path, "表单", "HN-JT-001", "form", '{"fields": [}'): "json_invalid",
        files.edit(path, "表单", "HN-JT-002", "form", '{"fields": [{"name": "x", "type": "rgb"}]}'):
            "form_invalid",
        files.edit(path, "流程", "HN-JT-003", "flow", '{"nodes": [{"id": "a", "kind": "review"}]}'):
            "time_limit_missing",
    }
    no_supply_days = files.edit(path, "材料", "HN-RS-001", "rongque_allowed", True, nth=1)
    bad[no_supply_days.replace("!J", "!K")] = "required"  # 容缺 needs its supply days, in the next column
    found = refused(path)
    for where, code in bad.items():
        assert code in found.get(where, ()), (where, code, found.get(where))
    assert found.keys() - bad.keys() == set(), found  # nothing reported twice or elsewhere


def test_a_duplicate_item_and_an_unknown_column_are_reported(files):
    path = files.write("dup.xlsx")
    book = load_workbook(path)
    ws = book["事项"]
    ws.cell(3, 1).value = ws.cell(2, 1).value
    ws.cell(1, 30).value = "备注 remark"
    book.save(path)
    found = refused(path)
    assert found["事项!A3"] == {"duplicate_code"}
    assert found["事项!AD1"] == {"unknown_column"}


def test_a_sheet_without_its_code_column_is_refused(files):
    path = files.write("nocode.xlsx")
    book = load_workbook(path)
    book["材料"].cell(1, 1).value = "编号"
    book.save(path)
    assert refused(path) == {"材料!A1": {"unknown_column", "column_missing"}}


def test_json_faults_are_named_by_their_path(files, tmp_path):
    document = json.loads(files.write("ok.json").read_text("utf-8"))
    document["items"][2]["content"]["materials"][0]["formats"] = ["exe"]
    document["items"][4]["content"]["elements"]["case_type"] = "someday"
    document["items"][5]["content"]["extras"] = {}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    assert refused(path) == {"items[2].content.materials[0].formats": {"invalid_formats"},
                             "items[4].content.elements.case_type": {"invalid_choice"},
                             "items[5].content.extras": {"unknown_part"}}
    path.write_text("{not json", "utf-8")
    assert refused(path) == {"file": {"json_invalid"}}


def test_nothing_is_written_when_one_cell_is_bad(db, files, tmp_path):
    seed_demo_catalogue(db)
    path = files.write("mixed.xlsx")
    files.edit(path, "事项", "HN-RS-003", "name", "社会保障卡申领（新）")  # a good change …
    where = files.edit(path, "材料", "HN-SCJG-003", "max_size_mb", 500)  # … and a bad one
    before = files.counts(db)
    with pytest.raises(ImportInvalid) as raised:
        import_catalogue(db, path, actor=ACTOR, publish_to="46")
    assert [str(p) for p in raised.value.problems] == [
        f"{where}: 大小上限应在 0 到 50 MB 之间 / the size limit must be above 0 and at most 50 MB"]
    assert where.startswith("材料!G")
    assert files.counts(db) == before


def test_a_refusal_while_writing_leaves_nothing_behind(db, files):
    path = files.write("scope.json")
    with pytest.raises(ImportInvalid) as raised:
        import_catalogue(db, path, actor=ACTOR, publish_to="4699")  # no such division
    assert raised.value.problems[0].where == "--publish 4699"
    assert files.counts(db)["Item"] == 0
