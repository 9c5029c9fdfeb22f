"""Writing the catalogue as a workbook: 事项, 材料, 收费, 表单, 流程 and a 说明 guide sheet."""
from __future__ import annotations

import json
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tongban.configurator.catalogue_io.layout import (
    CHARGED,
    EXTRA,
    FEE_COLUMNS,
    FEES,
    FLOW_SHEET,
    FORM_SHEET,
    FREE,
    GUIDE,
    ITEM_COLUMNS,
    ITEMS,
    MATERIAL_COLUMNS,
    MATERIALS,
    SHEET_EN,
    SHEETS,
    Column,
    json_chunks,
    representable,
    to_cell,
)
from tongban.configurator.materials.spec import FORMATS

MISSING = object()
CONTINUED = "续 continued"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WIDTHS = {"text": 24, "choice": 18, "choices": 26, "tags": 22, "lines": 30, "int": 12, "number": 12,
           "bool": 10, "amount": 12, "json": 60, "fees": 14}


def write_workbook(target, items: list[dict]) -> None:
    """``items``: ``[{"code": ..., "content": {...}}]``; ``target`` a path or a binary stream."""
    book = Workbook(write_only=True)
    rows: dict[str, list[list]] = {name: [] for name in SHEETS}
    for entry in items:
        code, content = entry["code"], entry["content"]
        elements = content.get("elements") if isinstance(content.get("elements"), dict) else {}
        rows[ITEMS].append(item_row(elements))
        for material in _dicts(content.get("materials")):
            rows[MATERIALS].append(part_row(code, material, MATERIAL_COLUMNS))
        fees = elements.get("fees")
        if _fee_rows(fees):
            rows[FEES] += [part_row(code, fee, FEE_COLUMNS) for fee in fees]
        rows[FORM_SHEET].append([code, *json_chunks(content.get("form"))])
        flow = content.get("flow")
        rows[FLOW_SHEET].append([code, *(json_chunks(flow) if flow is not None else [])])
    for name, columns in SHEETS.items():
        _sheet(book, name, columns, rows[name])
    _guide(book)
    book.save(target)


def _dicts(values: Any) -> list[dict]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def _fee_rows(fees: Any) -> bool:
    return isinstance(fees, list) and bool(fees) and all(isinstance(f, dict) for f in fees)


def item_row(elements: dict) -> list:
    extra: dict[str, Any] = {}
    cells = []
    power = elements.get("power", MISSING)
    power_in_columns = _power_fits(power)
    if power is not MISSING and not power_in_columns:
        extra["power"] = power
    for column in ITEM_COLUMNS[:-1]:
        if column.key == "fees":
            cells.append(_fees_cell(elements.get("fees", MISSING), extra))
        elif column.key.startswith("power."):
            value = power.get(column.key[6:], MISSING) if power_in_columns else MISSING
            cells.append(None if value is MISSING else to_cell(column, value))
        else:
            cells.append(_cell(column, elements.get(column.key, MISSING), extra))
    keys = {c.key for c in ITEM_COLUMNS} | {"power"}
    extra.update({k: v for k, v in elements.items() if k not in keys})
    return [*cells, *_extra_cells(extra)]


def _power_fits(power: Any) -> bool:
    columns = {c.key[6:]: c for c in ITEM_COLUMNS if c.key.startswith("power.")}
    return (isinstance(power, dict) and bool(power) and set(power) <= set(columns)
            and all(representable(columns[k], v) for k, v in power.items()))


def _fees_cell(fees: Any, extra: dict) -> str | None:
    if fees is MISSING:
        return None
    if fees == []:
        return FREE
    if _fee_rows(fees):
        return CHARGED
    extra["fees"] = fees
    return None


def part_row(code: str, values: dict, columns: tuple[Column, ...]) -> list:
    extra: dict[str, Any] = {}
    cells = [code] + [_cell(c, values.get(c.key, MISSING), extra) for c in columns[1:-1]]
    keys = {c.key for c in columns}
    extra.update({k: v for k, v in values.items() if k not in keys})
    return [*cells, *_extra_cells(extra)]


def _cell(column: Column, value: Any, extra: dict) -> Any:
    if value is MISSING:
        return None
    if representable(column, value):
        return to_cell(column, value)
    extra[column.key] = value
    return None


def _extra_cells(extra: dict) -> list:
    return json_chunks(extra) if extra else [None]


def _sheet(book: Workbook, name: str, columns: tuple[Column, ...], rows: list[list]) -> None:
    sheet = book.create_sheet(name)
    width = max([len(columns), *(len(r) for r in rows)])
    headers = [c.header for c in columns] + [CONTINUED] * (width - len(columns))
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column.kind, 20)
    sheet.freeze_panes = "B2"
    sheet.append([_header_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append(row)


def _header_cell(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _guide(book: Workbook) -> None:
    sheet = book.create_sheet(GUIDE)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 34, 90
    sheet.append(["通办事项目录导入导出 / Tongban catalogue workbook", ""])
    sheet.append(["规则 rules", "每张表第一行为表头（中文 + 字段名）；空单元格表示“未填写”；列表用逗号分隔；"
                  "最后一列为 JSON，可续写到后面的列。/ Row 1 holds the headers; an empty cell means not given; "
                  "lists are comma-separated; the last column is JSON and may continue into the next "
                  "columns."])
    for name, columns in SHEETS.items():
        sheet.append([f"{name} {SHEET_EN[name]}", " | ".join(c.header for c in columns)])
    for column in ITEM_COLUMNS + MATERIAL_COLUMNS:
        if column.choices and column.key != EXTRA:
            choices = "，".join(f"{code}（{zh}）" for code, (zh, _en) in column.choices.items())
            sheet.append([column.header, choices])
    sheet.append(["是否收费 fees", f"“{FREE}”、“{CHARGED}”（收费项目见“{FEES}”表）或留空"])
    sheet.append(["格式 formats", json.dumps(sorted(FORMATS), ensure_ascii=False)])
