"""Benchmark rows: a catalogue of any size built from the 1,135 real item names of a district catalogue.

PLACEHOLDERS FOR BENCHMARKS ONLY. The names, departments (renamed to Hainan equivalents) and kinds are
real; the time limits, materials, forms and flows are placeholders, marked ``benchmark_placeholder`` and
worded as such, and must never be shown as an official item guide.
"""
from __future__ import annotations

import copy
import csv
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tongban.configurator.demo.builders import (
    enterprise_fields,
    form,
    immediate,
    material,
    person_fields,
    promised,
)
from tongban.configurator.items.content import summary_of

NAMES_CSV = Path(__file__).resolve().parent.parent / "catalogue_data" / "service_items_guangan.csv"
PLACEHOLDER = "基准测试占位数据，非官方办事指南 / benchmark placeholder, not an official item guide"
KIND_OF_TASK_TYPE = {"1": "administrative_license", "5": "administrative_payment",
                     "7": "administrative_confirmation", "8": "administrative_reward",
                     "9": "administrative_ruling", "10": "other_power", "20": "public_service"}
HAINAN_DEPARTMENTS = {
    "区行政审批局": "行政审批服务局", "区人社局": "人力资源和社会保障局", "区交通运输局": "交通运输局",
    "广安区税务局": "税务局", "区住建局": "住房和城乡建设局", "区自然资源和规划局": "自然资源和规划局",
    "区公安分局": "公安局", "区医疗保障局": "医疗保障局", "区文广旅局": "旅游和文化广电体育局",
    "区教科体局": "教育局", "区农业农村局": "农业农村局", "区司法局": "司法局", "区卫健局": "卫生健康委员会",
    "区民政局": "民政局", "区市监局": "市场监督管理局", "区林业局": "林业局", "区生态环境局": "生态环境局",
    "区残联": "残疾人联合会", "区水务局": "水务局", "区应急管理局": "应急管理局", "区政府办": "人民政府办公室",
    "区烟草专卖局": "烟草专卖局", "区退役军人事务局": "退役军人事务局", "区气象局": "气象局", "区财政局": "财政局",
    "区委办": "党委办公室", "区综合执法局": "综合行政执法局", "区发改局": "发展和改革委员会",
    "区公管办": "公共资源交易服务中心", "区委统战部": "党委统战部", "区商务局": "商务局", "区统计局": "统计局",
    "区经信局": "工业和信息化局", "区消防大队": "消防救援大队",
}
# Later passes over the names stand for the same items as implemented by each Hainan city and county.
HAINAN_CITIES = ("海口市", "三亚市", "三沙市", "儋州市", "五指山市", "琼海市", "文昌市", "万宁市", "东方市", "定安县",
                 "屯昌县", "澄迈县", "临高县", "白沙黎族自治县", "昌江黎族自治县", "乐东黎族自治县", "陵水黎族自治县",
                 "保亭黎族自治县", "琼中黎族苗族自治县")
_SICHUAN_NOTE = re.compile(r"[（(][^（）()]*省政府[^（）()]*[）)]")  # notes on Sichuan's delegations
_ENTERPRISE_WORDS = ("企业", "公司", "单位", "经营", "机构", "项目", "工程", "学校", "医院", "许可")


@cache
def _names() -> tuple[tuple[str, str, str], ...]:
    """(department, item name, kind) for each real item, renamed for Hainan."""
    with NAMES_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return tuple((_department(r["department"]), _name(r["item_name"]), KIND_OF_TASK_TYPE[r["task_type_code"]])
                 for r in rows)


def _department(name: str) -> str:
    return HAINAN_DEPARTMENTS.get(name) or name.removeprefix("广安区").removeprefix("区")


def _name(name: str) -> str:
    return _SICHUAN_NOTE.sub("", name).replace("四川省", "海南省").strip()


@cache
def _template(case_type: str, audience: str) -> dict:
    """One placeholder form, material list and flow per (case type, audience), copied into each row."""
    fields = person_fields() if audience == "individual" else enterprise_fields()
    flow = (immediate("占位流程", "Placeholder flow") if case_type == "immediate" else
            promised("占位流程", "Placeholder flow", review=3, decide=2, department=""))
    return {"form": form("placeholder", "占位表单", "Placeholder form", fields),
            "materials": [material("application", "申请书（占位）", formats=("pdf", "doc", "docx"))],
            "flow": flow}


def _levels(kind: str, name: str) -> list[str]:
    if "市级" in name:
        return ["city_county"]
    if kind in ("public_service", "administrative_payment"):
        return ["city_county", "district", "township"]
    return ["city_county", "district"]


def _content(index: int, department: str, name: str, kind: str) -> dict:
    case_type = "immediate" if kind in ("public_service", "administrative_confirmation") else "promised"
    audience = "enterprise" if any(word in name for word in _ENTERPRISE_WORDS) else "individual"
    elements = {
        "code": f"BENCH-{index:05d}", "name": name, "kind": kind, "department": department,
        "legal_basis": PLACEHOLDER, "conditions": PLACEHOLDER, "case_type": case_type,
        "levels": _levels(kind, name), "channels": ["online", "window"], "audience": [audience],
        "legal_limit_days": 20 if case_type == "promised" else 5,
        "promised_limit_days": 10 if case_type == "promised" else 0,
        "fees": [], "life_events": [], "themes": [], "benchmark_placeholder": True,
    }
    return {"elements": elements, **copy.deepcopy(_template(case_type, audience))}


def big_catalogue_rows(n: int) -> Iterator[dict]:
    """``n`` rows ``{"code", "content", **summary columns}`` for benchmarks (12,000 items and more).

    Past the 1,135 real names, each pass stands for one Hainan city or county (``（海口市）`` …), then a
    pass number. Every content passes ``check_content``; its limits and materials are placeholders.
    """
    names = _names()
    for index in range(n):
        department, name, kind = names[index % len(names)]
        round_ = index // len(names)
        if round_:
            place = HAINAN_CITIES[round_ - 1] if round_ <= len(HAINAN_CITIES) else f"第{round_}批"
            name = f"{name}（{place}）"
        content = _content(index + 1, department, name, kind)
        yield {"code": content["elements"]["code"], "content": content, **summary_of(content)}
