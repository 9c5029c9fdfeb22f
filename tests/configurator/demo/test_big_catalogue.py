"""Benchmark rows: real item names at any size, valid content, clearly marked as placeholders."""
import csv
from collections import Counter

from tongban.configurator.demo import big_catalogue_rows
from tongban.configurator.demo.big import NAMES_CSV, PLACEHOLDER
from tongban.configurator.items.content import check_content, summary_of
from tongban.configurator.items.elements import KINDS


def test_twelve_thousand_rows_from_the_real_names():
    rows = list(big_catalogue_rows(12_000))
    with NAMES_CSV.open(encoding="utf-8") as f:
        real = [r["item_name"] for r in csv.DictReader(f)]
    assert len(rows) == 12_000 and len({r["code"] for r in rows}) == 12_000
    assert [r["name"] for r in rows[:50]] == real[:50]
    assert rows[len(real)]["name"] == f"{real[0]}（海口市）"
    assert {r["kind"] for r in rows} <= set(KINDS) and len({r["kind"] for r in rows}) == 7
    departments = Counter(r["department"] for r in rows)
    assert "行政审批服务局" in departments and "人力资源和社会保障局" in departments
    assert not [d for d in departments if d.startswith("区") or "广安" in d]
    assert not [r for r in rows if "四川" in r["name"] or "成都" in r["name"]]


def test_rows_are_valid_placeholders_with_their_summary_columns():
    for row in big_catalogue_rows(1_500):
        content = row["content"]
        elements = content["elements"]
        assert elements["benchmark_placeholder"] is True and elements["legal_basis"] == PLACEHOLDER
        assert row == {"code": elements["code"], "content": content, **summary_of(content)}
        if int(row["code"][-5:]) % 50 == 1:
            assert check_content(content) == [], row["code"]
