"""Reading a catalogue workbook into entries, every faulty cell reported by sheet, row and column."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from tongban.configurator.catalogue_io.entries import Entry, check_entries
from tongban.configurator.catalogue_io.excel_write import CONTINUED
from tongban.configurator.catalogue_io.layout import (
    CHARGED,
    EXTRA,
    FEE_COLUMNS,
    FEES,
    FLOW_COLUMNS,
    FLOW_SHEET,
    FORM_COLUMNS,
    FORM_SHEET,
    FREE,
    ITEM_CODE,
    ITEM_COLUMNS,
    ITEMS,
    MATERIAL_COLUMNS,
    MATERIALS,
    CellInvalid,
    Column,
    from_cell,
    parse_json,
)
from tongban.configurator.catalogue_io.problems import FileProblem, ImportInvalid, Locator, Place

_FREE_WORDS, _CHARGED_WORDS = {FREE, "不收费", "free", "否", "no"}, {CHARGED, "收费", "charged", "是", "yes"}


@dataclass
class _Row:
    values: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class _Item:
    elements: dict
    locator: Locator
    fee_marker: tuple[str, Place] | None = None
    materials: list = field(default_factory=list)
    fees: list = field(default_factory=list)
    fee_places: list = field(default_factory=list)
    form: Any = None
    flow: Any = None
    seen: set = field(default_factory=set)  # form / flow rows already read


def read_workbook(source) -> list[Entry]:
    """Entries of every item in the workbook, or ImportInvalid listing every bad cell and content fault."""
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as error:
        raise ImportInvalid([Place("file").problem("not_a_workbook", f"无法读取 Excel 文件（{error}）",
                                                   f"cannot read the Excel file ({error})")]) from None
    try:
        reader = _Reader(book)
        entries = reader.read()
    finally:
        book.close()
    problems = check_entries(entries, reader.problems)
    if problems:
        raise ImportInvalid(sorted(problems, key=_reading_order))
    return entries


def _reading_order(problem: FileProblem) -> tuple:
    """Sheet by sheet, row by row, left to right; faults of the whole file first."""
    sheets = [ITEMS, MATERIALS, FEES, FORM_SHEET, FLOW_SHEET]
    sheet = sheets.index(problem.sheet) + 1 if problem.sheet in sheets else 0
    column = problem.column or ""
    return sheet, problem.row or 0, len(column), column


class _Reader:
    def __init__(self, book) -> None:
        self.book = book
        self.problems: list[FileProblem] = []
        self.items: dict[str, _Item] = {}

    def read(self) -> list[Entry]:
        if ITEMS not in self.book.sheetnames:
            self.problems.append(Place(ITEMS).problem("sheet_missing", f"缺少“{ITEMS}”工作表",
                                                      f"the sheet {ITEMS!r} (items) is missing"))
            return []
        for row_no, row in self._rows(ITEMS, ITEM_COLUMNS):
            self._item(row_no, row)
        for row_no, row in self._rows(MATERIALS, MATERIAL_COLUMNS):
            self._part(MATERIALS, row_no, row, "materials", lambda item: item.materials)
        for row_no, row in self._rows(FEES, FEE_COLUMNS):
            self._part(FEES, row_no, row, "elements.fees", lambda item: item.fees)
        for sheet, columns in ((FORM_SHEET, FORM_COLUMNS), (FLOW_SHEET, FLOW_COLUMNS)):
            for row_no, row in self._rows(sheet, columns):
                self._json_part(sheet, row_no, row, columns[1].key)
        return [self._entry(code, item) for code, item in self.items.items()]

    # ------------------------------------------------------------ sheets and rows

    def _rows(self, sheet_name: str, columns: tuple[Column, ...]):
        if sheet_name not in self.book.sheetnames:
            return
        rows = self.book[sheet_name].iter_rows(values_only=True)
        header = next(rows, None)
        layout = self._header(sheet_name, header or (), columns)
        if layout is None:
            return
        stop = _json_stop(header, layout)
        for row_no, cells in enumerate(rows, 2):
            if any(not _blank(c) for c in cells):
                yield row_no, self._cells(sheet_name, row_no, cells, layout, stop)

    def _header(self, sheet: str, header: tuple, columns: tuple[Column, ...]) -> dict[int, Column] | None:
        names = {}
        for column in columns:
            for name in (column.header, column.key, column.zh):
                names[name] = column
        layout: dict[int, Column] = {}
        json_seen = False
        for index, text in enumerate(header):
            text = str(text).strip() if text is not None else ""
            column = names.get(text) or names.get(text.rsplit(" ", 1)[-1])
            if column is not None and column not in layout.values():
                layout[index] = column
                json_seen = json_seen or column.kind == "json"
            elif json_seen and text in ("", CONTINUED):
                continue  # the JSON cell goes on here
            elif text:
                self.problems.append(Place.cell(sheet, 1, get_column_letter(index + 1)).problem(
                    "unknown_column", f"未知的列“{text}”", f"unknown column {text!r}"))
                json_seen = False
        key = columns[0]
        if key not in layout.values():
            self.problems.append(Place.cell(sheet, 1, "A").problem(
                "column_missing", f"缺少“{key.header}”列", f"the column {key.header!r} is missing"))
            return None
        return layout

    def _cells(self, sheet: str, row_no: int, cells: tuple, layout: dict[int, Column],
               stop: int | None) -> _Row:
        row = _Row()
        for index, column in layout.items():
            if column.kind == "json":
                raw = _json_text(cells[index:stop])
            else:
                raw = cells[index] if index < len(cells) else None
            place = Place.cell(sheet, row_no, get_column_letter(index + 1), column.header)
            row.places[column.key] = place  # an empty cell is where a missing value belongs
            if _blank(raw):
                continue
            try:
                value = self._value(column, raw)
            except CellInvalid as error:
                self.problems.append(place.problem(error.code, error.zh, error.en))
                continue
            row.values[column.key] = value
        return row

    @staticmethod
    def _value(column: Column, raw: Any) -> Any:
        if column.kind == "json":
            return parse_json(raw, want_object=column.key == EXTRA)
        if column.kind == "fees":
            text = str(raw).strip()
            if text in _FREE_WORDS or text.lower() in _FREE_WORDS:
                return FREE
            if text in _CHARGED_WORDS or text.lower() in _CHARGED_WORDS:
                return CHARGED
            raise CellInvalid("invalid_fee_marker", f"应为“{FREE}”或“{CHARGED}”",
                              "must be 不收费 (free) or 收费 (charged)")
        return from_cell(column, raw)

    # ------------------------------------------------------------ the parts

    def _item(self, row_no: int, row: _Row) -> None:
        code = row.values.get("code")
        place = row.places.get("code") or Place.cell(ITEMS, row_no, "A", ITEM_COLUMNS[0].header)
        if not code:
            self._fault_unless_reported(place, "required", "请填写事项编码", "the item code is required")
            return
        if code in self.items:
            self.problems.append(place.problem("duplicate_code", f"事项编码 {code} 重复出现",
                                               f"item code {code} appears twice"))
            return
        item = _Item({}, Locator(place))
        for key, cell in row.places.items():
            if key != EXTRA:
                item.locator.add(f"elements.{key}", cell)
            if key.startswith("power."):
                item.locator.add("elements.power", cell)
        power = {}
        for key, value in row.values.items():
            if key == "fees":
                item.fee_marker = (value, row.places[key])
            elif key.startswith("power."):
                power[key[6:]] = value
            elif key != EXTRA:
                item.elements[key] = value
        if power:
            item.elements["power"] = power
        taken = {"fees"} if item.fee_marker else set()
        self._merge_extra(row, item.elements, "elements", item.locator, taken)
        self.items[code] = item

    def _part(self, sheet: str, row_no: int, row: _Row, path: str, rows_of) -> None:
        item = self._owner(sheet, row_no, row)
        if item is None:
            return
        index = len(rows_of(item))
        values = {k: v for k, v in row.values.items() if k not in (ITEM_CODE, EXTRA)}
        for key, cell in row.places.items():
            if key not in (ITEM_CODE, EXTRA):
                item.locator.add(f"{path}[{index}].{key}", cell)
        item.locator.add(f"{path}[{index}]", row.places[ITEM_CODE])
        self._merge_extra(row, values, f"{path}[{index}]", item.locator)
        rows_of(item).append(values)
        if sheet == FEES:
            item.fee_places.append(row.places[ITEM_CODE])

    def _json_part(self, sheet: str, row_no: int, row: _Row, key: str) -> None:
        item = self._owner(sheet, row_no, row)
        if item is None:
            return
        place = row.places.get(key) or row.places[ITEM_CODE]
        if key in item.seen:
            self.problems.append(place.problem("duplicate_row", f"同一事项在“{sheet}”表中出现多行",
                                               f"the item has more than one row on {sheet!r}"))
            return
        item.seen.add(key)
        item.locator.add(key, place)
        setattr(item, key, row.values.get(key, _EMPTY))

    def _owner(self, sheet: str, row_no: int, row: _Row) -> _Item | None:
        code = row.values.get(ITEM_CODE)
        place = row.places.get(ITEM_CODE) or Place.cell(sheet, row_no, "A")
        if not code:
            self._fault_unless_reported(place, "required", "请填写事项编码", "the item code is required")
            return None
        if code not in self.items:
            self._fault_unless_reported(place, "unknown_item", f"“{ITEMS}”表中没有事项 {code}",
                                        f"no item {code} on the {ITEMS!r} sheet")
            return None
        return self.items[code]

    def _merge_extra(self, row: _Row, target: dict, path: str, locator: Locator,
                     taken: set = frozenset()) -> None:
        extra = row.values.get(EXTRA) or {}
        place = row.places.get(EXTRA)
        for key, value in extra.items():
            if key in target or key in taken or (key == "power" and "power" in target):
                self.problems.append(place.problem(
                    "given_twice", f"“{key}”已在单独的列中填写，不能在其他（JSON）中重复",
                    f"{key!r} has its own column and cannot be repeated in extra"))
                continue
            target[key] = value
            locator.add(f"{path}.{key}", place)

    def _fault_unless_reported(self, place: Place, code: str, zh: str, en: str) -> None:
        if not any(p.where == place.where for p in self.problems):
            self.problems.append(place.problem(code, zh, en))

    # ------------------------------------------------------------ the whole item

    def _entry(self, code: str, item: _Item) -> Entry:
        self._settle_fees(item)
        form = item.form if item.form not in (None, _EMPTY) else {"fields": []}
        if item.form is None and "form" in item.seen:
            form = None
        flow = None if item.flow in (None, _EMPTY) else item.flow
        content = {"elements": item.elements, "form": form, "materials": item.materials, "flow": flow}
        return Entry(code, content, item.locator)

    def _settle_fees(self, item: _Item) -> None:
        marker, place = item.fee_marker or (None, None)
        if item.fees:
            if marker == FREE:
                self.problems.append(place.problem("fees_marked_free", f"标为不收费，但“{FEES}”表中有该事项的收费项目",
                                                   f"marked free, but the {FEES!r} sheet has fees for it"))
            item.elements["fees"] = item.fees
            item.locator.add("elements.fees", place or item.fee_places[0])
        elif marker == CHARGED:
            self.problems.append(place.problem("fees_missing", f"标为收费，但“{FEES}”表中没有该事项的收费项目",
                                               f"marked charged, but the {FEES!r} sheet has no fees for it"))
        elif marker == FREE:
            item.elements["fees"] = []
            item.locator.add("elements.fees", place)


_EMPTY = object()  # a form/flow row whose JSON cell is empty


def _json_stop(header: tuple, layout: dict[int, Column]) -> int | None:
    """Where the last (JSON) column's continuation cells end: at the next column with a header of its own."""
    last = max(layout)
    return next((i for i, text in enumerate(header)
                 if i > last and text is not None and str(text).strip() not in ("", CONTINUED)), None)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _json_text(cells: tuple) -> str | None:
    parts = [c if isinstance(c, str) else str(c) for c in cells if c is not None]
    return "".join(parts) if parts else None
