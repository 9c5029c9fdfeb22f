"""A tenant admin uploads the portal's logo on the theme page: it is decoded and kept as a fresh PNG in the theme
draft, seen only in the admin's preview, and shown in the header of the tenant and its subtree once the theme is
published, under a URL named by its hash (cached for a year); removing it is a draft change too, and discarding
the draft drops the pending logo; anything that is not a PNG, JPEG or WebP picture of bounded size is refused
with its reason and changes neither the draft nor the published logo; a township neither sees nor publishes its
county's draft logo, and another tenant's admin cannot touch it."""
import io
import re

import pytest
from PIL import Image
from portal_support import portal_csrf, sign_in
from starlette.testclient import TestClient
from tests_support import tenant_context

from tongban.platform import audit
from tongban.platform.identity.seed import DEMO_STAFF
from tongban.platform.portal import logos, themes

ADMIN_TOTP = {username: secret for username, *_rest, secret in DEMO_STAFF}["haikou.admin"]
PAGE = "/portal-admin/theme"
TOWNSHIP = "/t/460105100"
LOGO_IMG = re.compile(r'<img class="logo" src="([^"]+)"')


def picture(fmt: str, size=(64, 64), colour=(200, 30, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def upload(client, data: bytes, *, filename="logo.png", base="", lang="", form_from=PAGE):
    form = client.get(form_from)  # the CSRF cookie is the browser's, whatever the portal
    return client.post(f"{base}{PAGE}{lang}", data={"csrf_token": portal_csrf(form), "action": "upload_logo"},
                       files={"logo": (filename, data, "image/png")})


def act(client, action: str, base="", form_from=PAGE, **fields):
    """Post one of the theme page's buttons (remove_logo, publish, discard, save) on ``base``'s page."""
    form = client.get(form_from)
    return client.post(f"{base}{PAGE}", data={"csrf_token": portal_csrf(form), "action": action, **fields})


def remove(client, base=""):
    return act(client, "remove_logo", base)


def publish(client, base=""):
    reply = act(client, "publish", base)
    assert reply.status_code == 200 and "主题已发布" in reply.text
    return reply


def header_logo(client, path="/") -> str | None:
    found = LOGO_IMG.search(client.get(path).text)
    return found.group(1) if found else None


def preview_logo(client, path="/") -> str | None:
    return header_logo(client, f"{path}?preview=draft")


def public(url: str) -> str:
    return url.split("?")[0]


@pytest.fixture
def admin(web, seeded):
    sign_in(web, username="haikou.admin", next_path=PAGE, totp=ADMIN_TOTP)
    return web


@pytest.fixture
def visitor(app):
    with TestClient(app, base_url="http://haikou.localhost") as client:
        yield client


def test_an_uploaded_logo_waits_in_the_draft_and_is_served_with_a_long_cache_once_published(admin, visitor, db):
    exif = Image.Exif()
    exif[0x010E] = "secret camera note"
    original = picture("JPEG", size=(1200, 900), exif=exif.tobytes()) + b"<script>alert(1)</script>"
    assert header_logo(admin) is None  # the emblem text until a logo is published

    reply = upload(admin, original, filename="emblem.jpg")
    assert reply.status_code == 200 and "新标志已存入主题草稿" in reply.text and "发布主题后门户页头才使用" in reply.text
    draft_url = preview_logo(admin)
    assert re.fullmatch(r"/portal-logo/[0-9a-f]{64}\.png\?preview=draft", draft_url)
    assert draft_url in reply.text and "主题草稿中的新标志" in reply.text
    shown = admin.get(draft_url)
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(shown.content)).size == (512, 384)

    assert header_logo(admin) is None and header_logo(visitor) is None  # not on the public portal yet
    assert header_logo(visitor, "/?preview=draft") is None and header_logo(visitor, f"{TOWNSHIP}/") is None
    assert visitor.get(draft_url).status_code == 404 and visitor.get(public(draft_url)).status_code == 404
    assert admin.get(public(draft_url)).status_code == 404  # without the preview, not even for the admin

    publish(admin)
    url = header_logo(visitor)
    assert url == public(draft_url) and header_logo(visitor, f"{TOWNSHIP}/") == f"{TOWNSHIP}{url}"
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

    sha = url[len("/portal-logo/"):-4]
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        changes = {c.action: c for c in audit.history(s, "theme", "4601")}
    assert changes["save_draft"].diff["logo.sha256"] == [None, sha] and changes["save_draft"].actor
    assert changes["publish"].diff["logo"] == [None, sha] and changes["publish"].diff["revision"] == 1
    assert changes["publish"].tenant_id == "4601"


def test_a_new_logo_shows_in_the_preview_only_until_published_then_on_the_tenant_and_below(admin, visitor):
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    publish(admin)
    first = header_logo(visitor)
    reply = upload(admin, picture("WEBP", colour=(30, 107, 53)), filename="logo.webp")
    assert reply.status_code == 200 and "新标志已存入主题草稿" in reply.text
    second = preview_logo(admin)
    assert public(second) != first
    assert header_logo(visitor) == first and header_logo(admin) == first  # the public portal keeps the published
    assert header_logo(visitor, f"{TOWNSHIP}/") == f"{TOWNSHIP}{first}"
    assert preview_logo(admin, f"{TOWNSHIP}/") == f"{TOWNSHIP}{first}"  # the county's draft is not the township's
    assert admin.get(f"{TOWNSHIP}{second}").status_code == 404
    assert "当前状态：草稿" in admin.get(PAGE).text
    saved = act(admin, "save", **{"token.logo_text": "椰"})  # saving the tokens keeps the draft's logo
    assert saved.status_code == 200 and "草稿已保存" in saved.text and preview_logo(admin) == second

    publish(admin)
    assert header_logo(visitor) == public(second) and admin.get(public(second)).status_code == 200
    assert header_logo(visitor, f"{TOWNSHIP}/") == f"{TOWNSHIP}{public(second)}"
    assert admin.get(first).status_code == 404  # the old logo is gone with its URL
    assert "主题草稿中的新标志" not in admin.get(PAGE).text


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
def test_a_refused_upload_says_why_and_changes_neither_the_draft_nor_the_published_logo(admin, visitor, case,
                                                                                         data, filename, zh, en):
    upload(admin, picture("PNG"))
    publish(admin)
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    published, drafted = header_logo(visitor), preview_logo(admin)
    assert published is not None and drafted is not None and public(drafted) != published
    reply = upload(admin, data(), filename=filename)
    assert reply.status_code == 422 and zh in reply.text and 'aria-invalid="true"' in reply.text
    assert "新标志已存入主题草稿" not in reply.text
    assert header_logo(visitor) == published and preview_logo(admin) == drafted
    in_english = upload(admin, data(), filename=filename, lang="?lang=en")
    assert in_english.status_code == 422 and en in in_english.text
    assert header_logo(visitor) == published and preview_logo(admin) == drafted


def test_removing_a_logo_when_there_is_none_of_its_own_says_so(admin, db):
    reply = remove(admin)
    assert reply.status_code == 409 and "没有可删除的本级标志" in reply.text
    assert "删除标志已存入主题草稿" not in reply.text


def test_a_refused_first_upload_starts_no_draft(admin, db):
    reply = upload(admin, b"<svg xmlns='http://www.w3.org/2000/svg'/>", filename="logo.svg")
    assert reply.status_code == 422 and "不接受 SVG" in reply.text
    assert "预览草稿" not in admin.get(PAGE).text and preview_logo(admin) is None
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert not themes.theme_view(s, "4601").has_draft and logos.pending_logo(s, "4601") is None


def test_a_township_inherits_the_county_logo_until_it_publishes_its_own_and_removal_waits_for_publishing(admin):
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    publish(admin)
    haikou_logo = header_logo(admin)
    inherited = header_logo(admin, f"{TOWNSHIP}/")
    assert inherited == f"{TOWNSHIP}{haikou_logo}" and admin.get(inherited).status_code == 200
    assert header_logo(admin, "/t/4602/") is None  # 三亚 is not below 海口
    assert admin.get(f"/t/4602{haikou_logo}").status_code == 404
    assert "沿用上级（海口市）已发布的标志" in admin.get(f"{TOWNSHIP}{PAGE}").text

    assert upload(admin, picture("JPEG", colour=(30, 107, 53)), base=TOWNSHIP).status_code == 200
    assert header_logo(admin, f"{TOWNSHIP}/") == inherited  # a draft until the township publishes
    publish(admin, base=TOWNSHIP)
    own = header_logo(admin, f"{TOWNSHIP}/")
    assert own != inherited and header_logo(admin) == haikou_logo  # the county keeps its own

    removed = remove(admin, base=TOWNSHIP)
    assert removed.status_code == 200 and "删除标志已存入主题草稿" in removed.text
    assert "主题草稿删除了本地区的标志：发布主题后改用上级（海口市）的标志" in removed.text
    assert header_logo(admin, f"{TOWNSHIP}/") == own and admin.get(own).status_code == 200  # still live
    assert preview_logo(admin, f"{TOWNSHIP}/") == inherited
    publish(admin, base=TOWNSHIP)
    assert header_logo(admin, f"{TOWNSHIP}/") == inherited and admin.get(own).status_code == 404

    removed = remove(admin)
    assert "主题草稿删除了本地区的标志：发布主题后页头显示标志文字" in removed.text
    assert header_logo(admin) == haikou_logo and preview_logo(admin) is None
    publish(admin)
    assert header_logo(admin) is None and header_logo(admin, f"{TOWNSHIP}/") is None
    assert '<span class="emblem"' in admin.get("/").text


def test_discarding_the_draft_drops_the_pending_logo_and_the_pending_removal(admin, visitor):
    upload(admin, picture("PNG", colour=(10, 90, 138)))
    publish(admin)
    published = header_logo(visitor)
    upload(admin, picture("PNG", colour=(30, 107, 53)))
    pending = preview_logo(admin)
    discarded = act(admin, "discard")
    assert discarded.status_code == 200 and "草稿已放弃" in discarded.text and "主题草稿中的新标志" not in discarded.text
    assert preview_logo(admin) == published and admin.get(pending).status_code == 404

    remove(admin)
    assert preview_logo(admin) is None
    act(admin, "discard")
    assert preview_logo(admin) == published and header_logo(visitor) == published


def test_a_township_admin_neither_sees_nor_publishes_its_countys_draft_logo(app, admin, visitor, db, seeded):
    from workbench_support import STAFF_SECRETS, new_staff

    upload(admin, picture("PNG", colour=(10, 90, 138)))
    publish(admin)
    published = header_logo(visitor)
    upload(admin, picture("PNG", colour=(30, 107, 53)))
    pending = preview_logo(admin)

    new_staff(db, seeded, "changliu.admin", "tenant_admin", "460105100")
    with TestClient(app, base_url="http://haikou.localhost") as township:
        sign_in(township, username="changliu.admin", next_path=f"{TOWNSHIP}{PAGE}", totp=STAFF_SECRETS["changliu.admin"])
        own_page = f"{TOWNSHIP}{PAGE}"
        assert township.get(own_page).status_code == 200 and township.get(PAGE).status_code == 403
        assert act(township, "publish", form_from=own_page).status_code == 403  # not the county's publish
        assert township.get(pending).status_code == 404 and township.get(f"{TOWNSHIP}{pending}").status_code == 404
        assert pending not in township.get("/?preview=draft").text
        assert preview_logo(township, f"{TOWNSHIP}/") == f"{TOWNSHIP}{published}"

        saved = act(township, "save", base=TOWNSHIP, form_from=own_page, **{"token.logo_text": "长"})
        assert saved.status_code == 200 and "草稿已保存" in saved.text
        assert act(township, "publish", base=TOWNSHIP, form_from=own_page).status_code == 200
    assert header_logo(visitor) == published and header_logo(visitor, f"{TOWNSHIP}/") == f"{TOWNSHIP}{published}"
    assert preview_logo(admin) == pending  # still the county's draft, for the county to publish


def test_another_tenants_admin_may_not_upload_remove_or_publish_its_logo(admin, db):
    refused = upload(admin, picture("PNG"), base="/t/4602")
    assert refused.status_code == 403 and "没有管理本地区门户主题的权限" in refused.text
    assert remove(admin, base="/t/4602").status_code == 403
    assert act(admin, "publish", base="/t/4602").status_code == 403
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        assert logos.own_logo(s, "4602") is None and logos.pending_logo(s, "4602") is None


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
