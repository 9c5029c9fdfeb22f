"""Catalogue files for the import/export tests: the demo items written out, and a way to edit one cell."""
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tongban.configurator.catalogue_io import write_catalogue
from tongban.configurator.demo import demo_items
from tongban.configurator.publishing.models import Item, ItemVersion
from tongban.platform.audit import ConfigChange
from tongban.tenants.isolation import TenantContext


def demo_rows() -> list[dict]:
    return [{"code": c["elements"]["code"], "content": c} for c in demo_items()]


def edit_cell(path, sheet: str, code: str, key: str, value, nth: int = 0) -> str:
    """Set the ``key`` column of the ``nth`` row of item ``code`` on ``sheet``; the cell's name (材料!E7)."""
    book = load_workbook(path)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    column = next(i for i, h in enumerate(headers, 1) if h and h.rsplit(" ", 1)[-1] == key)
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code]
    cell = ws.cell(rows[nth], column)
    cell.value = value
    book.save(path)
    return f"{sheet}!{cell.coordinate}"


def counts(db) -> dict:
    with db.unit_of_work(TenantContext.system("test counts")) as s:
        return {model.__name__: s.scalar(select(func.count()).select_from(model))
                for model in (Item, ItemVersion, ConfigChange)}


@pytest.fixture
def files(tmp_path):
    def write(name: str, rows: list[dict] | None = None):
        path = tmp_path / name
        write_catalogue(path, demo_rows() if rows is None else rows)
        return path

    return SimpleNamespace(write=write, edit=edit_cell, rows=demo_rows, counts=counts)
