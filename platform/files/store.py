"""Storing an upload: size-capped copy under a random name, type sniffed from the bytes, a row recorded.

Files live under ``<var dir>/uploads/<tenant>/<2 hex>/<32 hex>``: no part of a stored path comes from the
user. A refused file leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.files.models import Upload
from tongban.platform.files.sniff import MIME, allowed, extension_of, sniff

CHUNK = 64 * 1024
HEAD = 8 * 1024
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class UploadRefused(ValueError):
    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(f"{code}: {en}")


@dataclass(frozen=True)
class UploadRules:
    formats: list[str]
    max_bytes: int
    label: str  # the material's or field's name, for messages


class UploadStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, upload: Upload) -> Path:
        return self.root / upload.stored_name

    def accept(self, session: Session, *, owner: str, item_code: str, purpose: str, filename: str,
               stream: BinaryIO, rules: UploadRules) -> Upload:
        """Check and keep one file; raises UploadRefused (and stores nothing) when it does not fit."""
        name = clean_name(filename)
        if not name:
            raise UploadRefused("no_name", "文件缺少名称", "the file has no name")
        relative = f"{session.info['tenant'].code}/{secrets.token_hex(1)}/{secrets.token_hex(16)}"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            size, digest = _copy(stream, target, rules)
            kind = _check_kind(target, name, rules)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        upload = Upload(token=secrets.token_hex(16), owner_subject=owner, item_code=item_code, purpose=purpose,
                        original_name=name, stored_name=relative, kind=kind, content_type=MIME[kind], size=size,
                        sha256=digest)
        session.add(upload)
        session.flush()
        return upload


def _copy(stream: BinaryIO, target: Path, rules: UploadRules) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > rules.max_bytes:
                raise UploadRefused("too_large", f"“{rules.label}”的文件超过 {_mb(rules.max_bytes)} MB",
                                    f"the file for {rules.label!r} is larger than {_mb(rules.max_bytes)} MB")
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise UploadRefused("empty", "文件是空的", "the file is empty")
    return size, digest.hexdigest()


def _check_kind(path: Path, name: str, rules: UploadRules) -> str:
    with path.open("rb") as f:
        kind = sniff(f.read(HEAD), f)
    wanted = ", ".join(rules.formats)
    if kind is None:
        raise UploadRefused("unknown_type", f"无法识别“{name}”的文件类型，应为 {wanted}",
                            f"{name!r} is not a recognised file type; expected {wanted}")
    if not allowed(kind, name, rules.formats):
        claimed = extension_of(name) or "?"
        raise UploadRefused("type_mismatch", f"“{name}”的实际内容（{kind}）与要求的格式（{wanted}）或扩展名（{claimed}）不符",
                            f"{name!r} holds {kind}, which does not match the formats {wanted} or its extension .{claimed}")
    return kind


def _mb(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}"


def clean_name(filename: str) -> str:
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = UNSAFE_NAME.sub("_", base).strip(" .")
    if len(base) > 120:
        stem, _, ext = base.rpartition(".")
        base = (stem[: 110] + "." + ext) if stem else base[:120]
    return base


def uploads_of(session: Session, tokens: list[str], owner: str) -> dict[str, Upload]:
    """The owner's uploads among ``tokens`` (others' tokens are simply not found)."""
    if not tokens:
        return {}
    rows = session.scalars(select(Upload).where(Upload.token.in_(tokens), Upload.owner_subject == owner))
    return {u.token: u for u in rows}


def attach_to_case(session: Session, owner: str, tokens, case_number: str) -> None:
    """Mark the owner's uploads among ``tokens`` as held by the case (housekeeping never purges them); run in
    the unit of work that creates the case, so a crash cannot leave its files looking orphaned."""
    from sqlalchemy import update

    wanted = list(dict.fromkeys(tokens))
    if wanted:
        session.execute(update(Upload).where(Upload.token.in_(wanted), Upload.owner_subject == owner)
                        .values(case_number=case_number).execution_options(synchronize_session=False))


def remove_file(store: UploadStore, upload: Upload) -> None:
    path = store.path_of(upload)
    path.unlink(missing_ok=True)


__all__ = ["UploadRefused", "UploadRules", "UploadStore", "attach_to_case", "clean_name", "remove_file",
           "uploads_of"]
