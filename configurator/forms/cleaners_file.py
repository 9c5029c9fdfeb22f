"""Cleaner of ``file`` fields: references to uploaded materials, not the files themselves.

The value is a list of upload descriptors ``{id, name, size, content_type}`` produced by
the upload service; only those four keys are kept. ``accept`` lists extensions
(".pdf") and/or MIME types ("application/pdf", "image/*").
"""

from __future__ import annotations

from typing import Any

from .errors import Invalid
from .messages import human_size
from .spec import CleanEnv, FieldSpec

MAX_NAME_LENGTH = 255


def clean_files(spec: FieldSpec, raw: Any, env: CleanEnv) -> list[dict[str, Any]]:
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise Invalid("not_a_list")
    files = [_descriptor(item, f"[{index}]") for index, item in enumerate(raw)]
    if len({file["id"] for file in files}) != len(files):
        raise Invalid("duplicate_file")
    if spec.min_count is not None and len(files) < spec.min_count:
        raise Invalid("too_few_files", min=spec.min_count)
    if spec.max_count is not None and len(files) > spec.max_count:
        raise Invalid("too_many_files", max=spec.max_count)
    for index, file in enumerate(files):
        _check_file(spec, file, f"[{index}]")
    return files


def accepts(accept: tuple[str, ...], name: str, content_type: str) -> bool:
    if not accept:
        return True
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    mime = content_type.lower().split(";")[0].strip()
    for entry in accept:
        if entry.startswith("."):
            if extension == entry:
                return True
        elif entry.endswith("/*"):
            if mime.startswith(entry[:-1]):
                return True
        elif mime == entry:
            return True
    return False


def _descriptor(item: Any, subpath: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise Invalid("invalid_file", subpath)
    file_id, name = item.get("id"), item.get("name")
    size, content_type = item.get("size"), item.get("content_type", "")
    valid = (isinstance(file_id, str) and file_id.strip() and isinstance(name, str)
             and name.strip() and len(name) <= MAX_NAME_LENGTH and isinstance(size, int)
             and not isinstance(size, bool) and size >= 0 and isinstance(content_type, str))
    if not valid:
        raise Invalid("invalid_file", subpath)
    return {"id": file_id.strip(), "name": name.strip(), "size": size,
            "content_type": content_type.strip()}


def _check_file(spec: FieldSpec, file: dict[str, Any], subpath: str) -> None:
    if not accepts(spec.accept, file["name"], file["content_type"]):
        raise Invalid("file_type", subpath, name=file["name"], accept=" ".join(spec.accept))
    if spec.max_size is not None and file["size"] > spec.max_size:
        raise Invalid("file_too_large", subpath, name=file["name"],
                      max_size=human_size(spec.max_size))
