"""A tenant admin edits the theme (administer_tenant via the portal's relying party): unsafe templates are
refused with their line, a draft is seen only in the admin's preview, publishing shows it to everyone
and to the tenant's subtree."""
from portal_support import portal_csrf, sign_in
from tests_support import tenant_context

from tongban.platform.identity.seed import DEMO_STAFF
from tongban.platform.portal import themes

ADMIN_TOTP = {username: secret for username, *_rest, secret in DEMO_STAFF}["haikou.admin"]
PAGE = "/portal-admin/theme"


def save(client, **fields):
    form = client.get(PAGE)
    return client.post(PAGE, data={"csrf_token": portal_csrf(form), **fields})


def test_only_an_administrator_of_the_tenant_may_edit_its_theme(web, seeded):
    assert web.get(PAGE, follow_redirects=False).status_code == 303  # sign in first
    sign_in(web, next_path=PAGE)
    refused = web.get(PAGE)
    assert refused.status_code == 403 and "没有管理本地区门户主题的权限" in refused.text


def test_ssti_is_refused_on_save_with_its_line_and_nothing_is_kept(web, db, seeded):
    sign_in(web, username="haikou.admin", next_path=PAGE, totp=ADMIN_TOTP)
    reply = save(web, action="save", new_template_name="partials/footer.html",
                 **{"template.new": "<footer>\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n</footer>"})
    assert reply.status_code == 422 and "第 2 行" in reply.text and "templates.partials/footer.html" in reply.text
    assert "uid=" not in reply.text
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert themes.theme_view(s, "4601").status is None


def test_a_wrong_colour_is_told_at_its_field_in_both_languages(web, db, seeded):
    sign_in(web, username="haikou.admin", next_path=PAGE, totp=ADMIN_TOTP)
    reply = save(web, action="save", **{"token.color_primary": "red"})
    assert reply.status_code == 422
    field = reply.text.split('for="token-color_primary"')[1].split("</div>")[0]
    assert 'id="token-color_primary-error"' in field and "#rrggbb" in field and 'lang="en"' in field
    assert 'aria-invalid="true"' in field and 'value="red"' in field  # what was typed stays to be corrected
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert themes.theme_view(s, "4601").status is None


def test_a_draft_is_previewed_by_the_admin_then_published_to_the_tenant_and_below(app, web, db, seeded):
    from starlette.testclient import TestClient

    sign_in(web, username="haikou.admin", next_path=PAGE, totp=ADMIN_TOTP)
    saved = save(web, action="save", **{"token.color_primary": "#0a5a8a", "token.logo_text": "椰",
                                        "new_template_name": "partials/footer.html",
                                        "template.new": '<footer class="site-footer">海口页脚 {{ theme.contact_phone }}</footer>'})
    assert saved.status_code == 200 and "草稿已保存" in saved.text and "?preview=draft" in saved.text
    with TestClient(app, base_url="http://haikou.localhost") as visitor:
        assert "#0a5a8a" not in visitor.get("/").text
        assert "#0a5a8a" not in visitor.get("/?preview=draft").text  # a visitor's preview shows nothing new
        preview = web.get("/?preview=draft")
        assert "--color-primary: #0a5a8a" in preview.text and "海口页脚" in preview.text and "正在预览主题草稿" in preview.text
        published = save(web, action="publish")
        assert published.status_code == 200 and "主题已发布" in published.text
        assert "海口页脚" in visitor.get("/").text and "--color-primary: #0a5a8a" in visitor.get("/").text
        township = visitor.get("/t/460105100/")
        assert "--color-primary: #0a5a8a" in township.text and "海口页脚" in township.text
        assert "#0a5a8a" not in visitor.get("/t/4602/").text


def test_a_broken_published_template_never_takes_the_page_down(web, db):
    from portal_support import theme_row

    theme_row(db, "4601", templates={"partials/footer.html": "<footer>{{ ''.__class__.__mro__[1].__subclasses__() }}</footer>"})
    page = web.get("/")
    assert page.status_code == 200 and "<h1>海口市</h1>" in page.text
    assert "subclasses" not in page.text and "全省通办 · 一网通办" in page.text  # the base footer served instead
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        (failure,) = themes.recent_failures(s, "4601")
    assert failure.template_name == "partials/footer.html" and "SecurityError" in failure.error
