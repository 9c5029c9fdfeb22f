"""The real type of a file from its first bytes (and, for zip containers, their table of contents).

A file's name says what it claims to be; these bytes say what it is. Office documents and OFD are zip
containers told apart by the parts they hold; ``doc`` and ``xls`` share the OLE2 signature.
"""
from __future__ import annotations

import zipfile
from typing import BinaryIO

MIME = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ole2": "application/x-ole-storage", "zip": "application/zip",
}
EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}, "ofd": {"ofd"}, "docx": {"docx"},
              "xlsx": {"xlsx"}, "ole2": {"doc", "xls"}, "zip": {"zip"}}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes, stream: BinaryIO | None = None) -> str | None:
    """``pdf``, ``png``, ``jpg``, ``ofd``, ``docx``, ``xlsx``, ``ole2``, ``zip`` or None (unknown)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(OLE2):
        return "ole2"
    if head.startswith(b"PK\x03\x04") and stream is not None:
        return _zip_kind(stream)
    return None


def _zip_kind(stream: BinaryIO) -> str | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def matches_extension(kind: str, name: str) -> bool:
    return extension_of(name) in EXTENSIONS.get(kind, set())


def allowed(kind: str, name: str, formats: list[str]) -> bool:
    """The sniffed kind is one of the material's formats, and the name's extension agrees with it."""
    wanted = {f.lower() for f in formats}
    if "jpg" in wanted or "jpeg" in wanted:
        wanted |= {"jpg", "jpeg"}
    return matches_extension(kind, name) and extension_of(name) in wanted
