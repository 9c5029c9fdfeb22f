"""The catalogue as Excel (openpyxl) and JSON files: export, and an import that is checked whole first.

Public API::

    export_catalogue(database, path, *, owner="46", published_only=False) -> int       # items written
    import_catalogue(database, path, *, actor, owner="46", publish_to=None, progress=None) -> ImportReport
    read_catalogue(path) -> list[Entry]             # raises ImportInvalid(problems) with sheet/row/column
    write_catalogue(path, items)                    # items: [{"code", "content"}]

The format follows the file's suffix: ``.xlsx`` or ``.json``.
"""
from __future__ import annotations

from pathlib import Path

from tongban.configurator.catalogue_io.entries import Entry
from tongban.configurator.catalogue_io.excel_read import read_workbook
from tongban.configurator.catalogue_io.excel_write import write_workbook
from tongban.configurator.catalogue_io.json_io import read_json, write_json
from tongban.configurator.catalogue_io.problems import FileProblem, ImportInvalid
from tongban.configurator.catalogue_io.service import ImportReport, Progress, export_items, import_entries

FORMATS = {".xlsx": (read_workbook, write_workbook), ".json": (read_json, write_json)}


class UnknownFormat(ValueError):
    def __init__(self, path) -> None:
        super().__init__(f"只支持 .xlsx 或 .json 文件：{path} / only .xlsx and .json files are supported: {path}")


def _format(path):
    try:
        return FORMATS[Path(path).suffix.lower()]
    except KeyError:
        raise UnknownFormat(path) from None


def read_catalogue(path) -> list[Entry]:
    return _format(path)[0](path)


def write_catalogue(path, items: list[dict]) -> None:
    _format(path)[1](path, items)


def export_catalogue(database, path, *, owner: str = "46", published_only: bool = False) -> int:
    _format(path)
    items = export_items(database, owner=owner, published_only=published_only)
    write_catalogue(path, items)
    return len(items)


def import_catalogue(database, path, *, actor: str, owner: str = "46", publish_to: str | None = None,
                     progress: Progress | None = None) -> ImportReport:
    """Read and check the whole file, then write it in one unit of work; ImportInvalid leaves nothing."""
    entries = read_catalogue(path)
    return import_entries(database, entries, actor=actor, owner=owner, publish_to=publish_to,
                          progress=progress)


__all__ = ["Entry", "FileProblem", "ImportInvalid", "ImportReport", "UnknownFormat", "export_catalogue",
           "import_catalogue", "read_catalogue", "write_catalogue"]
