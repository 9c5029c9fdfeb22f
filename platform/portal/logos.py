"""A tenant's logo (政务服务标志): a PNG, JPEG or WebP kept as a re-encoded PNG; drafted, then published with the
theme; the nearest published one on the path shows.

An upload is checked by decoding it (Pillow), never by its name or declared type: too many bytes or pixels,
an SVG (it may carry scripts), another image format or something that does not decode is refused with a
field-level problem and nothing changes. What is kept is a fresh PNG of the decoded pixels at most
``MAX_SIDE`` on each side, so metadata and anything appended to the file are gone. The bytes live in the
database (workers share no disk); the URL names their hash, so a browser may cache it for a year and a new
logo gets a new URL. A tenant without its own published logo shows its nearest ancestor's published one.

An upload or a removal is part of the tenant's theme draft (``themes.draft_logo`` / ``draft_logo_removal``
start the draft and audit it): it waits in ``portal_logo_drafts``, shown only in the tenant's own preview
(``?preview=draft``), and replaces the published logo when the theme is published (``publish_pending``); a
discarded draft drops it. Drafts are tenant-owned: a tenant below never sees one, nor does the public portal.

Runs in a unit of work bound to the tenant: RLS and the flush check let it write only its own rows.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tongban.platform.portal.models import PortalLogo, PortalLogoDraft
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
    draft: bool = False  # the tenant's own draft logo, shown only in its preview


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


def own_logo(session: Session, tenant_code: str) -> PortalLogo | None:
    """The tenant's own published logo."""
    return session.scalar(select(PortalLogo).where(PortalLogo.tenant_id == tenant_code))


def pending_logo(session: Session, tenant_code: str) -> PortalLogoDraft | None:
    """The logo change waiting in the tenant's theme draft (visible to that tenant only)."""
    return session.scalar(select(PortalLogoDraft).where(PortalLogoDraft.tenant_id == tenant_code))


def drafted_sha(session: Session, tenant_code: str) -> str | None:
    """The hash of the tenant's own logo as its draft stands (pending change, else the published one)."""
    pending = pending_logo(session, tenant_code)
    if pending is not None:
        return pending.sha256
    row = own_logo(session, tenant_code)
    return row.sha256 if row else None


def keep_upload(session: Session, tenant_code: str, picture: tuple[bytes, int, int], *,
                actor: str) -> PortalLogoDraft:
    """Keep a picture checked by :func:`clean_logo` as the logo of the tenant's draft."""
    content, width, height = picture
    row = pending_logo(session, tenant_code) or _new_pending(session, tenant_code)
    row.content, row.sha256, row.width, row.height = content, hashlib.sha256(content).hexdigest(), width, height
    row.updated_by = actor
    session.flush()
    return row


def keep_removal(session: Session, tenant_code: str, *, actor: str) -> bool:
    """Make the draft drop the tenant's own logo: the removal of the published one, or the pending upload
    forgotten when nothing is published. False when the draft has no own logo to drop."""
    pending, published = pending_logo(session, tenant_code), own_logo(session, tenant_code)
    if published is None:
        if pending is None:
            return False
        session.delete(pending)
    else:
        if pending is not None and pending.removes:
            return False
        row = pending or _new_pending(session, tenant_code)
        row.content = row.sha256 = row.width = row.height = None
        row.updated_by = actor
    session.flush()
    return True


def _new_pending(session: Session, tenant_code: str) -> PortalLogoDraft:
    row = PortalLogoDraft(tenant_id=tenant_code)
    session.add(row)
    return row


def publish_pending(session: Session, tenant_code: str, *, actor: str) -> tuple[str | None, str | None] | None:
    """Apply the draft's logo change to the published logo; (hash before, hash after), or None without one."""
    pending = pending_logo(session, tenant_code)
    if pending is None:
        return None
    published = own_logo(session, tenant_code)
    before, after = (published.sha256 if published else None), pending.sha256
    if pending.removes:
        if published is not None:
            session.delete(published)
    else:
        if published is None:
            published = PortalLogo(tenant_id=tenant_code)
            session.add(published)
        published.content, published.sha256 = pending.content, pending.sha256
        published.width, published.height, published.updated_by = pending.width, pending.height, actor
    session.delete(pending)
    session.flush()
    return before, after


def discard_pending(session: Session, tenant_code: str) -> None:
    pending = pending_logo(session, tenant_code)
    if pending is not None:
        session.delete(pending)


ON_PATH = (select(PortalLogo.tenant_id, PortalLogo.sha256)
           .where(PortalLogo.tenant_id.in_(bindparam("codes", expanding=True))))
PENDING = select(PortalLogoDraft.sha256).where(PortalLogoDraft.tenant_id == bindparam("code"))


def nearest_logo(session: Session, tenant, *, preview: bool = False) -> LogoRef | None:
    """The published logo of ``tenant`` or of its nearest ancestor that has one; with ``preview``, ``tenant``'s
    own draft stands in for its own published logo (never an ancestor's draft: it cannot even read one)."""
    codes = path_codes(tenant.path) or (tenant.code,)
    pending = session.execute(PENDING, {"code": tenant.code}).first() if preview else None
    if pending is not None and pending.sha256 is not None:
        return LogoRef(tenant.code, pending.sha256, draft=True)
    found = {row.tenant_id: row.sha256 for row in session.execute(ON_PATH, {"codes": list(codes)})}
    if pending is not None:
        found.pop(tenant.code, None)  # the draft removes the tenant's own
    for code in reversed(codes):
        if code in found:
            return LogoRef(code, found[code])
    return None


def logo_content(session: Session, tenant, sha256: str, *, preview: bool = False) -> bytes | None:
    """The PNG bytes named ``sha256`` if that is the logo ``tenant``'s pages (or, with ``preview``, the preview of
    its draft) show now, else None."""
    ref = nearest_logo(session, tenant, preview=preview)
    if ref is None or ref.sha256 != sha256:
        return None
    table = PortalLogoDraft if ref.draft else PortalLogo
    return session.scalar(select(table.content).where(table.tenant_id == ref.tenant_code))
