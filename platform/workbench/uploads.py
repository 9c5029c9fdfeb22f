"""Materials handed in at the window: stored under ``var_dir/uploads`` with a random name, checked against the
material's formats and size (the engine's rule, ``materials.check_files``) and against their real content
(a PDF must start like a PDF, a picture like that picture), before the descriptor goes into the case."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from tongban.configurator.materials.spec import MAX_SIZE_MB
from tongban.platform.approval.materials import BYTES_PER_MB, check_files

FILE_ID = re.compile(r"^[0-9a-f]{32}$")
SIGNATURES = {
    "pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
    "ofd": (b"PK\x03\x04",), "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "zip": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",), "xls": (b"\xd0\xcf\x11\xe0",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "ofd": "application/ofd", "zip": "application/zip", "doc": "application/msword",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xls": "application/vnd.ms-excel",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Problem:
    code: str
    zh: str
    en: str


def folder(var_dir: Path) -> Path:
    path = Path(var_dir) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check(material: dict, name: str, head: bytes, size: int) -> list[Problem]:
    """Problems of one file for one material: the engine's format/size rule, then the real content."""
    problems = [Problem(*p) for p in check_files(material, [{"name": name, "size": size}])]
    if size > MAX_SIZE_MB * BYTES_PER_MB and not problems:
        problems.append(Problem("too_large", f"“{name}”超过 {MAX_SIZE_MB} MB", f"{name!r} is larger than {MAX_SIZE_MB} MB"))
    if size == 0:
        problems.append(Problem("empty", f"“{name}”是空文件", f"{name!r} is empty"))
    signatures = SIGNATURES.get(extension(name))
    if not problems and signatures and not head.startswith(signatures):
        problems.append(Problem("content_mismatch", f"“{name}”的内容与其格式不符",
                                f"the content of {name!r} does not match its format"))
    return problems


def store(var_dir: Path, name: str, data: bytes) -> dict:
    """Write the file under a random name; the descriptor the engine keeps: id, name, size, content type."""
    file_id = secrets.token_hex(16)
    (folder(var_dir) / file_id).write_bytes(data)
    safe_name = Path(name.replace("\\", "/")).name[:200] or "file"
    return {"id": file_id, "name": safe_name, "size": len(data),
            "content_type": CONTENT_TYPES.get(extension(safe_name), "application/octet-stream")}


def path_of(var_dir: Path, file_id: str) -> Path | None:
    if not FILE_ID.match(file_id):
        return None
    path = folder(var_dir) / file_id
    return path if path.is_file() else None
