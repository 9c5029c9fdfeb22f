"""A tenant's logo (政务服务标志): upload a PNG, JPEG or WebP, kept as a re-encoded PNG; the nearest on the path.

An upload is checked by decoding it (Pillow), never by its name or declared type: too many bytes or pixels,
an SVG (it may carry scripts), another image format or something that does not decode is refused with a
field-level problem and nothing changes. What is kept is a fresh PNG of the decoded pixels at most
``MAX_SIDE`` on each side, so metadata and anything appended to the file are gone. The bytes live in the
database (workers share no disk); the URL names their hash, so a browser may cache it for a year and a new
logo gets a new URL. A tenant without its own logo shows its nearest ancestor's; removing its own logo
goes back to that. The logo takes effect at once (it has no draft), and is audited like theme changes.

Runs in a unit of work bound to the tenant: RLS and the flush check let it write only its own row.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tongban.platform import audit
from tongban.platform.portal.models import PortalLogo
from tongban.tenants.isolation import path_codes
from tongban.themes.tokens import ThemeProblem

MAX_BYTES = 1024 * 1024  # an upload larger than this is refused before decoding
MAX_PIXELS = 4096 * 4096  # nor is a larger picture decoded (a small file may declare a huge one)
MAX_SIDE = 512  # the kept PNG fits in this square
ACCEPTED = {"PNG", "JPEG", "WEBP"}
FIELD = "logo"


class LogoInvalid(ValueError):
    def __init__(self, problem: ThemeProblem):
        self.problem = problem
        super().__init__(f"{problem.path}: {problem.en}")


@dataclass(frozen=True)
class LogoRef:
    """Which tenant's logo a page shows, and the hash naming its URL."""

    tenant_code: str
    sha256: str


def _refuse(code: str, zh: str, en: str) -> LogoInvalid:
    return LogoInvalid(ThemeProblem(FIELD, code, zh, en))


def _too_many_pixels() -> LogoInvalid:
    return _refuse("too_many_pixels", "标志图片像素过多（最大 4096×4096）",
                   "the logo image has too many pixels (at most 4096×4096)")


def _undecodable() -> LogoInvalid:
    return _refuse("undecodable", "文件不是可识别的图片或已损坏，请上传 PNG、JPEG 或 WebP 图片",
                   "the file is not an image that can be read (or it is damaged); upload a PNG, JPEG or "
                   "WebP image")


def _looks_like_markup(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<svg" in head


def _complete(kind: str, data: bytes) -> bool:
    """Whether the file is whole. Pillow's own truncation check is a process-wide switch that weasyprint turns
    off when it is imported (``ImageFile.LOAD_TRUNCATED_IMAGES``), so a damaged upload would load padded:
    PNG — every chunk read and checked to the end; JPEG — an end-of-image marker (bytes after it are dropped by
    the re-encoding); WebP — as many bytes as its RIFF header declares."""
    from PIL import Image

    if kind == "PNG":
        try:
            Image.open(io.BytesIO(data)).verify()
        except Exception:  # noqa: BLE001 — any failure to walk the chunks is a damaged file
            return False
        return True
    if kind == "JPEG":
        return b"\xff\xd9" in data[2:]
    if kind == "WEBP":
        return len(data) >= 8 and len(data) >= int.from_bytes(data[4:8], "little") + 8
    return False


def clean_logo(data: bytes) -> tuple[bytes, int, int]:
    """The upload decoded and re-encoded as PNG (bytes, width, height), or :class:`LogoInvalid`."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise _refuse("missing", "请选择要上传的标志图片", "choose a logo image to upload")
    if len(data) > MAX_BYTES:
        raise _refuse("too_large", f"标志图片不能超过 {MAX_BYTES // 1024} KB",
                      f"the logo image may be at most {MAX_BYTES // 1024} KB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED:
                raise _refuse("type", f"不支持 {image.format} 格式，请上传 PNG、JPEG 或 WebP 图片",
                              f"{image.format} is not accepted; upload a PNG, JPEG or WebP image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            if not _complete(image.format, data):
                raise _undecodable()
            image.load()
            image = image.convert("RGBA")
    except LogoInvalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        if _looks_like_markup(data):
            raise _refuse("svg", "不接受 SVG 等矢量或文本格式（可能含脚本），请上传 PNG、JPEG 或 WebP 图片",
                          "SVG and other text formats are not accepted (they may carry scripts); "
                          "upload a PNG, JPEG or WebP image") from None
        raise _undecodable() from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise _undecodable() from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), image.width, image.height


def set_logo(session: Session, tenant_code: str, data: bytes, *, actor: str) -> PortalLogo:
    """Check ``data`` and make it the tenant's logo; nothing is written when the check fails."""
    content, width, height = clean_logo(data)
    sha = hashlib.sha256(content).hexdigest()
    row = own_logo(session, tenant_code)
    before = {"sha256": row.sha256} if row else None
    if row is None:
        row = PortalLogo(tenant_id=tenant_code)
        session.add(row)
    row.content, row.sha256, row.width, row.height, row.updated_by = content, sha, width, height, actor
    audit.record(session, tenant_id=tenant_code, actor=actor, action="set_logo", entity="theme",
                 entity_key=tenant_code, before=before,
                 after={"sha256": sha, "width": width, "height": height, "bytes": len(content)})
    session.flush()
    return row


def remove_logo(session: Session, tenant_code: str, *, actor: str) -> bool:
    """Remove the tenant's own logo (its pages show the nearest ancestor's again); False when it had none."""
    row = own_logo(session, tenant_code)
    if row is None:
        return False
    audit.record(session, tenant_id=tenant_code, actor=actor, action="remove_logo", entity="theme",
                 entity_key=tenant_code, before={"sha256": row.sha256})
    session.delete(row)
    session.flush()
    return True


def own_logo(session: Session, tenant_code: str) -> PortalLogo | None:
    return session.scalar(select(PortalLogo).where(PortalLogo.tenant_id == tenant_code))


ON_PATH = (select(PortalLogo.tenant_id, PortalLogo.sha256)
           .where(PortalLogo.tenant_id.in_(bindparam("codes", expanding=True))))


def nearest_logo(session: Session, tenant) -> LogoRef | None:
    """The logo of ``tenant`` or of its nearest ancestor that has one."""
    codes = path_codes(tenant.path) or (tenant.code,)
    found = {row.tenant_id: row.sha256 for row in session.execute(ON_PATH, {"codes": list(codes)})}
    for code in reversed(codes):
        if code in found:
            return LogoRef(code, found[code])
    return None


def logo_content(session: Session, tenant, sha256: str) -> bytes | None:
    """The PNG bytes named ``sha256`` if that is the logo ``tenant``'s pages show now, else None."""
    ref = nearest_logo(session, tenant)
    if ref is None or ref.sha256 != sha256:
        return None
    return session.scalar(select(PortalLogo.content).where(PortalLogo.tenant_id == ref.tenant_code))
