"""A tenant admin uploads the portal's logo on the theme page: it is decoded and kept as a fresh PNG, shown in
the header of the tenant and its subtree, served under a URL named by its hash (cached for a year); anything
that is not a PNG, JPEG or WebP picture of bounded size is refused with its reason and changes nothing;
removing it goes back to the parent's; another tenant's admin cannot touch it."""
import io
import re

import pytest
from PIL import Image
from portal_support import portal_csrf, sign_in
from tests_support import tenant_context

from tongban.platform import audit
from tongban.platform.identity.seed import DEMO_STAFF
from tongban.platform.portal import logos

ADMIN_TOTP = {username: secret for username, *_rest, secret in DEMO_STAFF}["haikou.admin"]
PAGE = "/portal-admin/theme"
LOGO_IMG = re.compile(r'<img class="logo" src="([^"]+)"')


def picture(fmt: str, size=(64, 64), colour=(200, 30, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def upload(client, data: bytes, *, filename="logo.png", base="", lang=""):
    form = client.get(PAGE)  # the CSRF cookie is the browser's, whatever the portal
    return client.post(f"{base}{PAGE}{lang}", data={"csrf_token": portal_csrf(form), "action": "upload_logo"},
                        files={"logo": (filename, data, "image/png")})


def remove(client, base=""):
    form = client.get(PAGE)  # the CSRF cookie is the browser's, whatever the portal
    return client.post(f"{base}{PAGE}", data={"csrf_token": portal_csrf(form), "action": "remove_logo"})


def header_logo(client, path="/") -> str | None:
    found = LOGO_IMG.search(client.get(path).text)
    return found.group(1) if found else None


@pytest.fixture
def admin(web, seeded):
    sign_in(web, username="haikou.admin", next_path=PAGE, totp=ADMIN_TOTP)
    return web


def test_an_uploaded_logo_is_re_encoded_shown_in_the_header_and_served_with_a_long_cache(admin, app, db):
    from starlette.testclient import TestClient

    exif = Image.Exif()
    exif[0x010E] = "secret camera note"
    original = picture("JPEG", size=(1200, 900), exif=exif.tobytes()) + b"<script>alert(1)</script>"
    assert header_logo(admin) is None  # the emblem text until a logo is uploaded

    reply = upload(admin, original, filename="emblem.jpg")
    assert reply.status_code == 200 and "标志已更新" in reply.text
    url = header_logo(admin)
    assert re.fullmatch(r"/portal-logo/[0-9a-f]{64}\.png", url)

    with TestClient(app, base_url="http://haikou.localhost") as visitor:
        served = visitor.get(url)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        cache = served.headers["cache-control"]
        assert "max-age=31536000" in cache and "immutable" in cache
        assert served.headers["etag"] == f'"{url[len("/portal-logo/"):-4]}"'
        image = Image.open(io.BytesIO(served.content))
        assert image.format == "PNG" and image.size == (512, 384)  # bounded, aspect kept
        assert "exif" not in image.info and b"secret camera note" not in served.content
        assert b"<script>" not in served.content
        again = visitor.get(url, headers={"If-None-Match": served.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert visitor.get("/portal-logo/" + "0" * 64 + ".png").status_code == 404

    with db.unit_of_work(tenant_context(db, "4601")) as s:
        (change,) = [c for c in audit.history(s, "theme", "4601") if c.action == "set_logo"]
        assert change.actor and change.tenant_id == "4601"


def test_a_new_logo_gets_a_new_url_and_the_old_one_is_gone(admin):
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    first = header_logo(admin)
    reply = upload(admin, picture("WEBP", colour=(30, 107, 53)), filename="logo.webp")
    assert reply.status_code == 200 and "标志已更新" in reply.text
    second = header_logo(admin)
    assert second != first and admin.get(second).status_code == 200
    assert admin.get(first).status_code == 404


def _too_many_pixels() -> bytes:
    return picture("PNG", size=(4100, 4100), colour=0, mode="1")


REFUSED = [
    ("gif", lambda: picture("GIF"), "logo.gif", "不支持 GIF 格式", "GIF is not accepted"),
    ("pretending", lambda: b"MZ\x90\x00 this is a program, not a picture" * 10, "logo.png",
     "文件不是可识别的图片或已损坏", "not an image that can be read"),
    ("truncated", lambda: picture("PNG", size=(300, 300), mode="RGB", colour=(1, 2, 3))[:60], "logo.png",
     "文件不是可识别的图片或已损坏", "not an image that can be read"),
    ("svg", lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
                    b'<script>alert(1)</script></svg>',
     "logo.svg", "不接受 SVG", "SVG and other text formats are not accepted"),
    ("too_many_bytes", lambda: picture("PNG") + b"\x00" * logos.MAX_BYTES, "logo.png",
     "标志图片不能超过 1024 KB", "at most 1024 KB"),
    ("too_many_pixels", _too_many_pixels, "logo.png", "标志图片像素过多", "too many pixels"),
    ("nothing", lambda: b"", "", "请选择要上传的标志图片", "choose a logo image"),
]


@pytest.mark.parametrize("case, data, filename, zh, en", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_upload_says_why_and_keeps_the_logo_there_was(admin, case, data, filename, zh, en):
    upload(admin, picture("PNG"))
    kept = header_logo(admin)
    assert kept is not None
    reply = upload(admin, data(), filename=filename)
    assert reply.status_code == 422 and zh in reply.text and 'aria-invalid="true"' in reply.text
    assert "标志已更新" not in reply.text
    assert header_logo(admin) == kept
    in_english = upload(admin, data(), filename=filename, lang="?lang=en")
    assert in_english.status_code == 422 and en in in_english.text


def test_a_township_inherits_the_county_logo_until_it_uploads_its_own_and_goes_back_when_removed(admin):
    township = "/t/460105100"
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    haikou_logo = header_logo(admin)
    inherited = header_logo(admin, f"{township}/")
    assert inherited == f"{township}{haikou_logo}" and admin.get(inherited).status_code == 200
    assert header_logo(admin, "/t/4602/") is None  # 三亚 is not below 海口
    assert admin.get(f"/t/4602{haikou_logo}").status_code == 404
    assert "沿用上级（海口市）的标志" in admin.get(f"{township}{PAGE}").text

    assert upload(admin, picture("JPEG", colour=(30, 107, 53)), base=township).status_code == 200
    own = header_logo(admin, f"{township}/")
    assert own != inherited and header_logo(admin) == haikou_logo  # the county keeps its own

    removed = remove(admin, base=township)
    assert removed.status_code == 200 and "改用上级的标志" in removed.text
    assert header_logo(admin, f"{township}/") == inherited and admin.get(own).status_code == 404

    remove(admin)
    assert header_logo(admin) is None and header_logo(admin, f"{township}/") is None
    assert '<span class="emblem"' in admin.get("/").text


def test_another_tenants_admin_may_not_upload_or_remove_its_logo(admin, db):
    refused = upload(admin, picture("PNG"), base="/t/4602")
    assert refused.status_code == 403 and "没有管理本地区门户主题的权限" in refused.text
    assert remove(admin, base="/t/4602").status_code == 403
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        assert logos.own_logo(s, "4602") is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_damaged_picture_is_refused_even_after_weasyprint_relaxed_pillow(fmt, monkeypatch):
    """weasyprint, imported to render PDFs, lets Pillow load truncated files process-wide; the logo check must
    still refuse a picture cut short (it would otherwise be stored padded with grey)."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = picture(fmt, size=(300, 300), colour=(1, 2, 3))
    assert logos.clean_logo(whole)[1:] == (300, 300)
    with pytest.raises(logos.LogoInvalid):
        logos.clean_logo(whole[: len(whole) * 2 // 3])
