"""Helpers for the portal's tests: published test items, signing in through the portal's relying party,
posting the apply form, small valid files of each type, and the message catalogue's extraction."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parents[2]
NAV_LABELS = ("首页", "个人办事", "法人办事", "全部事项", "办件查询", "预约办理", "结果公示", "权责清单", "通知公告",
              "我的办件", "个人主题", "法人主题")


def extracted_messages() -> set[str]:
    """Every message the portal translates: ``_("…")`` in the base theme's templates and the portal's code."""
    found: set[str] = set(NAV_LABELS)
    jinja = {"extensions": "jinja2.ext.do", "trim_blocks": "true", "lstrip_blocks": "true"}
    templates = ROOT / "themes" / "base" / "templates"
    for _name, _line, message, _comments, _context in extract_from_dir(
            str(templates), method_map=[("identity/**.html", "ignore"), ("documents/**.html", "ignore"),
                                        ("**.html", "jinja2")], options_map={"**.html": jinja}):
        found.add(message if isinstance(message, str) else message[0])
    for path in (ROOT / "platform" / "portal").glob("*.py"):
        found.update(re.findall(r'ctx\._\("([^"]+)"', path.read_text(encoding="utf-8")))
    return {m for m in found if m}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- catalogue and people ---------------------------------------------------------------------------------
CSRF_IDENTITY = re.compile(r'name="csrf_token" value="([^"]+)"')
HAIKOU = "http://haikou.localhost"


def publish_items(db) -> None:
    """The approval tests' four items (个体工商户设立登记 PROMISED, 企业设立登记 JOINT, 结婚登记 NOW, 最低生活保障 REPORT)."""
    from approval_fixtures import publish_all

    publish_all(db)


def sign_in(client, origin: str = HAIKOU, username: str = "citizen", next_path: str = "/cases", totp: str | None = None):
    """Sign in through the portal's relying party as a browser would; returns the landing response."""
    from tongban.platform.identity.seed import DEMO_PASSWORD

    page = client.get(f"{origin}/auth/login", params={"next": next_path})
    token = CSRF_IDENTITY.search(page.text).group(1)
    answer = client.post(str(page.url), data={"csrf_token": token, "username": username, "password": DEMO_PASSWORD})
    if "/login/totp" in str(answer.url):
        import pyotp

        token = CSRF_IDENTITY.search(answer.text).group(1)
        answer = client.post(str(answer.url), data={"csrf_token": token, "code": pyotp.TOTP(totp).now()})
    return answer


PORTAL_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def portal_csrf(page) -> str:
    return PORTAL_CSRF.search(page.text).group(1)


def theme_row(db, code: str, *, tokens: dict | None = None, templates: dict | None = None, status: str = "published"):
    """Write a theme row directly (bypassing the save-time checks, as a compromised database might)."""
    from tests_support import tenant_context

    from tongban.platform.portal.models import PortalTheme

    with db.unit_of_work(tenant_context(db, code)) as session:
        session.add(PortalTheme(tenant_id=code, status=status, tokens=tokens or {}, templates=templates or {},
                                revision=1, updated_by="test"))
