"""The workbook's sheets and columns, and how one value becomes a cell and back.

A value goes to its own column only when the cell gives exactly the same value back (a non-empty
trimmed text, a whole number, a yes/no, a list of plain tags); anything else — an empty list, a number
written as text, an unknown key — goes to the row's "其他 extra" JSON cell, so a round trip is exact.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, CHANNELS, KINDS, LEVELS
from tongban.configurator.materials.spec import FORMS

ITEMS, MATERIALS, FEES, FORM_SHEET, FLOW_SHEET, GUIDE = "事项", "材料", "收费", "表单", "流程", "说明"
EXTRA = "extra"
ITEM_CODE = "item_code"
FREE, CHARGED = "不收费 free", "收费 charged"
TAG_SEPARATORS = re.compile(r"[,，、\n]")
JSON_CHUNK = 30000  # an Excel cell holds at most 32,767 characters


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: str  # text, choice, choices, tags, lines, int, number, bool, amount, json, fees
    choices: dict | None = None

    @property
    def header(self) -> str:
        return f"{self.zh} {self.key}"


def _c(key: str, zh: str, kind: str = "text", choices: dict | None = None) -> Column:
    return Column(key, zh, kind, choices)


ITEM_COLUMNS = (
    _c("code", "事项编码"), _c("name", "事项名称"), _c("kind", "事项类型", "choice", KINDS),
    _c("department", "实施部门"), _c("case_type", "办件类型", "choice", CASE_TYPES),
    _c("levels", "行使层级", "choices", LEVELS), _c("channels", "办理渠道", "choices", CHANNELS),
    _c("audience", "服务对象", "choices", AUDIENCES), _c("legal_limit_days", "法定办结时限（工作日）", "int"),
    _c("promised_limit_days", "承诺办结时限（工作日）", "int"), _c("legal_basis", "设定依据"),
    _c("conditions", "受理条件"), _c("location", "办理地点"), _c("hours", "办理时间"), _c("phone", "咨询电话"),
    _c("must_handle_online", "必须网办", "bool"), _c("fees", "是否收费", "fees"),
    _c("life_events", "人生事件", "tags"), _c("themes", "主题分类", "tags"),
    _c("power.power_type", "权力类型", "choice", KINDS), _c("power.responsibilities", "责任事项", "lines"),
    _c("power.accountability", "追责情形", "lines"), _c(EXTRA, "其他要素（JSON）", "json"),
)
MATERIAL_COLUMNS = (
    _c(ITEM_CODE, "事项编码"), _c("id", "材料编号"), _c("name", "材料名称"), _c("form", "材料形式", "choice", FORMS),
    _c("formats", "格式", "tags"), _c("count", "份数", "int"), _c("max_size_mb", "大小上限（MB）", "number"),
    _c("required", "必须提交", "bool"), _c("required_if", "提交条件"), _c("rongque_allowed", "容缺受理", "bool"),
    _c("rongque_supply_days", "容缺补交期限（工作日）", "int"),
    _c("satisfied_by_license_type", "电子证照类型（免提交）"), _c("template", "模板"), _c("source", "来源渠道"),
    _c(EXTRA, "其他（JSON）", "json"),
)
FEE_COLUMNS = (
    _c(ITEM_CODE, "事项编码"), _c("id", "收费编号"), _c("name", "收费项目"), _c("amount", "金额（元）", "amount"),
    _c("basis", "收费依据"), _c("local_rate_allowed", "允许本地定价", "bool"), _c(EXTRA, "其他（JSON）", "json"),
)
FORM_COLUMNS = (_c(ITEM_CODE, "事项编码"), _c("form", "表单（JSON）", "json"))
FLOW_COLUMNS = (_c(ITEM_CODE, "事项编码"), _c("flow", "流程（JSON）", "json"))
SHEETS = {ITEMS: ITEM_COLUMNS, MATERIALS: MATERIAL_COLUMNS, FEES: FEE_COLUMNS, FORM_SHEET: FORM_COLUMNS,
          FLOW_SHEET: FLOW_COLUMNS}
SHEET_EN = {ITEMS: "Items", MATERIALS: "Materials", FEES: "Fees", FORM_SHEET: "Forms", FLOW_SHEET: "Flows",
            GUIDE: "Guide"}


class CellInvalid(ValueError):
    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en


# ---------------------------------------------------------------- value → cell

def plain_text(value: Any) -> bool:
    """Text a cell gives back unchanged (openpyxl turns a leading "=" into a formula)."""
    return (isinstance(value, str) and value != "" and value == value.strip() and "\r" not in value
            and not value.startswith("=") and not ILLEGAL_CHARACTERS_RE.search(value))


def representable(column: Column, value: Any) -> bool:
    kind = column.kind
    if kind in ("text", "choice"):
        return plain_text(value)
    if kind in ("int", "number"):
        allowed = (int,) if kind == "int" else (int, float)
        return isinstance(value, allowed) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "amount":
        return plain_text(value) or (isinstance(value, (int, float)) and not isinstance(value, bool))
    if kind in ("choices", "tags"):
        return _plain_list(value, TAG_SEPARATORS)
    if kind == "lines":
        return _plain_list(value, re.compile("\n"))
    return False


def _plain_list(value: Any, separators: re.Pattern) -> bool:
    return (isinstance(value, list) and bool(value)
            and all(plain_text(v) and not separators.search(v) for v in value))


def to_cell(column: Column, value: Any) -> Any:
    if column.kind in ("choices", "tags"):
        return ",".join(value)
    if column.kind == "lines":
        return "\n".join(value)
    return value


def json_chunks(value: Any) -> list[str]:
    """Compact JSON cut into cells; no piece starts with "=" (a formula) or is longer than a cell allows."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    chunks, start = [], 0
    while start < len(text):
        end = min(start + JSON_CHUNK, len(text))
        while start < end < len(text) and text[end] in "= \t\n":
            end -= 1
        if end == start:
            end = min(start + JSON_CHUNK, len(text))
        chunks.append(text[start:end])
        start = end
    return chunks or [text]


# ---------------------------------------------------------------- cell → value

_YES = {"是", "yes", "y", "true", "1", "√"}
_NO = {"否", "no", "n", "false", "0", "×"}


def from_cell(column: Column, raw: Any) -> Any:
    """The value of a non-empty cell, or CellInvalid saying what the cell should hold."""
    kind = column.kind
    if kind in ("text", "choice"):
        text = _text(raw)
        return _code_of(text, column.choices) if kind == "choice" else text
    if kind in ("choices", "tags"):
        tags = [t.strip() for t in TAG_SEPARATORS.split(_text(raw)) if t.strip()]
        return [_code_of(t, column.choices) for t in tags] if column.choices else tags
    if kind == "lines":
        return [line.strip() for line in _text(raw).split("\n") if line.strip()]
    if kind == "int":
        return _whole(raw)
    if kind == "number":
        return _number(raw)
    if kind == "bool":
        return _yes_no(raw)
    if kind == "amount":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        return _text(raw)
    raise AssertionError(kind)


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise CellInvalid("not_text", "应为文字（请将单元格设为文本格式）", "must be text (format the cell as text)")
    return raw.strip()


def _code_of(text: str, choices: dict | None) -> str:
    """A choice written as its code or its Chinese label (行政许可 → administrative_license)."""
    if not choices or text in choices:
        return text
    by_label = {zh: code for code, (zh, _en) in choices.items()}
    return by_label.get(text, text)


def _whole(raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise CellInvalid("not_whole_number", "应为整数", "must be a whole number")


def _number(raw: Any) -> int | float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return raw
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise CellInvalid("not_number", "应为数字", "must be a number") from None
    return int(number) if number.is_integer() else number


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellInvalid("not_yes_no", "应为“是”或“否”", "must be yes or no")


def parse_json(text: Any, *, want_object: bool) -> Any:
    if not isinstance(text, str):
        raise CellInvalid("json_invalid", "应为 JSON 文字", "must be JSON text")
    try:
        value = json.loads(text)
    except ValueError as error:
        raise CellInvalid("json_invalid", f"JSON 无效（{error.msg}，第 {error.pos + 1} 个字符）",
                          f"invalid JSON ({error.msg} at character {error.pos + 1})") from None
    if want_object and not isinstance(value, dict):
        raise CellInvalid("json_not_object", "应为 JSON 对象 {...}", "must be a JSON object {...}")
    return value
