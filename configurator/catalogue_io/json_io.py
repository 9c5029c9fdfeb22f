"""The catalogue as one JSON document: ``{"format": "tongban-catalogue", "version": 1, "items": [...]}``."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from tongban.configurator.catalogue_io.entries import Entry, check_entries
from tongban.configurator.catalogue_io.problems import FileProblem, ImportInvalid, JsonLocator, Place
from tongban.configurator.items.content import PARTS

FORMAT, VERSION = "tongban-catalogue", 1


def catalogue_document(items: list[dict]) -> dict:
    """``items``: ``[{"code": ..., "content": {...}}]``."""
    return {"format": FORMAT, "version": VERSION, "exported_at": datetime.now(timezone.utc).isoformat(),
            "items": [{"code": i["code"], "content": i["content"]} for i in items]}


def write_json(target, items: list[dict]) -> None:
    """``target``: a path or a binary stream."""
    data = json.dumps(catalogue_document(items), ensure_ascii=False, indent=1).encode("utf-8")
    if hasattr(target, "write"):
        target.write(data)
    else:
        with open(target, "wb") as f:
            f.write(data)


def read_json(source) -> list[Entry]:
    """Entries of the document, or ImportInvalid naming each fault by its JSON path."""
    try:
        raw = source.read() if hasattr(source, "read") else open(source, "rb").read()
        document = json.loads(raw)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportInvalid([Place("file").problem("json_invalid", f"无法读取 JSON 文件（{error}）",
                                                   f"cannot read the JSON file ({error})")]) from None
    problems: list[FileProblem] = []
    entries = _entries(document, problems)
    problems = check_entries(entries, problems)
    if problems:
        raise ImportInvalid(problems)
    return entries


def _entries(document, problems: list[FileProblem]) -> list[Entry]:
    if (not isinstance(document, dict) or document.get("format") != FORMAT
            or not isinstance(document.get("items"), list)):
        problems.append(Place("$").problem(
            "not_a_catalogue", f"不是通办事项目录文件（应有 format: {FORMAT} 和 items 列表）",
            f"not a Tongban catalogue (needs format: {FORMAT} and an items list)"))
        return []
    if document.get("version") != VERSION:
        problems.append(Place("version").problem("unsupported_version", f"不支持的版本 {document.get('version')}",
                                                 f"unsupported version {document.get('version')!r}"))
        return []
    entries = []
    for index, raw in enumerate(document["items"]):
        entry = _entry(index, raw, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _entry(index: int, raw, problems: list[FileProblem]) -> Entry | None:
    where = f"items[{index}]"
    content = raw.get("content") if isinstance(raw, dict) else None
    if not isinstance(content, dict):
        problems.append(Place(where).problem("type", "事项应为含 content 对象的对象",
                                             "an item is an object with a content object"))
        return None
    unknown = sorted(set(content) - set(PARTS))
    for key in unknown:
        problems.append(Place(f"{where}.content.{key}").problem(
            "unknown_part", f"未知的内容部分“{key}”（应为 {', '.join(PARTS)}）",
            f"unknown part {key!r} (one of {', '.join(PARTS)})"))
    elements = content.get("elements")
    code = elements.get("code") if isinstance(elements, dict) else None
    if raw.get("code") is not None and raw.get("code") != code:
        problems.append(Place(f"{where}.code").problem("code_mismatch", "code 与 content.elements.code 不一致",
                                                       "code differs from content.elements.code"))
    if unknown:
        return None
    full = {"elements": elements if elements is not None else {}, "form": content.get("form", {"fields": []}),
            "materials": content.get("materials", []), "flow": content.get("flow")}
    return Entry(str(code or ""), full, JsonLocator(f"{where}.content"))
