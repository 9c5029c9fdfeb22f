"""Tenant themes: tokens and templates checked on save, SSTI refused, resolution tenant → parent → base,
drafts (with their logo) only in the tenant's own previews, a broken template falls back to the parent's and is
recorded."""
import pytest
from portal_support import theme_row
from tests_support import tenant_context, tenant_row

from tongban.platform.portal import logos, themes
from tongban.tenants.isolation import TenantViolation
from tongban.themes.loader import ThemeRenderer, overridable_templates
from tongban.themes.sandbox import check_template
from tongban.themes.tokens import check_tokens, contrast

KNOWN = overridable_templates()
SSTI = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ config }}",
    "{{ self._TemplateReference__context }}",
    "{{ ''|attr('__class__') }}",
    "{{ ''['__cla' ~ 'ss__'] }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ joiner() }}{{ namespace() }}",
    "{% for i in range(99999999) %}x{% endfor %}",
    "{% include some_name %}",
    "{{ tenant.context.__func__ }}",
    "{{ request.app.state.settings.secret_key }}",
]


@pytest.mark.parametrize("source", SSTI)
def test_template_injection_constructs_are_refused_on_save(source):
    problems = check_template("partials/footer.html", source, KNOWN)
    assert problems, source
    assert problems[0].line == 1 and problems[0].code.startswith("unsafe")


def test_a_syntax_error_is_reported_with_its_line():
    (problem,) = check_template("partials/footer.html", "<footer>\n{{ theme.footer_text }\n</footer>", KNOWN)
    assert problem.code == "syntax" and problem.line == 2 and "第 2 行" in problem.zh


def test_only_page_templates_may_be_overridden_and_good_ones_pass():
    assert check_template("identity/login.html", "x", KNOWN)[0].code == "unknown_template"
    assert check_template("error.html", "x", KNOWN)[0].code == "unknown_template"
    good = '<footer class="site-footer">{{ theme.footer_text }} {{ _("电话") }} {% for a in nav %}{{ a.label }}{% endfor %}</footer>'
    assert check_template("partials/footer.html", good, KNOWN) == []


def test_tokens_are_checked_for_format_and_readable_contrast():
    assert check_tokens({"color_primary": "#0a5a8a", "logo_text": "椰"}) == []
    codes = {p.code for p in check_tokens({"color_primary": "red", "logo_url": "javascript:alert(1)", "x": "1"})}
    assert codes == {"colour", "image", "unknown_token"}
    (low,) = check_tokens({"color_primary": "#eeeeee"})
    assert low.code == "contrast" and low.path == "color_primary_ink" and "4.5:1" in low.zh
    assert check_tokens({"footer_text": "<script>"})[0].code == "characters"
    assert round(contrast("#000000", "#ffffff")) == 21


def test_a_township_inherits_its_countys_theme_unless_it_sets_its_own(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        themes.save_draft(s, "4601", tokens={"color_primary": "#0a5a8a", "logo_text": "椰"}, templates={},
                          actor="admin")
        themes.publish_draft(s, "4601", actor="admin")
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        themes.save_draft(s, "460105100", tokens={"color_primary": "#1e6b35"}, templates={}, actor="admin")
        themes.publish_draft(s, "460105100", actor="admin")
    resolved = {}
    for code in ("460105100", "460105101", "4602"):
        with db.unit_of_work(tenant_context(db, code)) as s:
            resolved[code] = themes.resolve_theme(s, tenant_row(db, code)).tokens
    assert resolved["460105100"]["color_primary"] == "#1e6b35" and resolved["460105100"]["logo_text"] == "椰"
    assert resolved["460105101"]["color_primary"] == "#0a5a8a"  # a sibling township: 海口's look
    assert resolved["4602"]["color_primary"] == "#b3261e"  # 三亚: the province's base theme


def test_a_draft_shows_only_in_its_own_tenants_preview(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        themes.save_draft(s, "4601", tokens={"color_primary": "#0a5a8a"}, templates={}, actor="admin")
    haikou, township = tenant_row(db, "4601"), tenant_row(db, "460105100")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert themes.resolve_theme(s, haikou).tokens["color_primary"] == "#b3261e"
        assert themes.resolve_theme(s, haikou, preview=True).tokens["color_primary"] == "#0a5a8a"
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        assert themes.resolve_theme(s, township, preview=True).tokens["color_primary"] == "#b3261e"


def test_an_invalid_theme_changes_nothing_and_a_tenant_cannot_write_its_parents(db):
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        with pytest.raises(themes.ThemeInvalid) as refused:
            themes.save_draft(s, "4601", tokens={}, templates={"partials/footer.html": "{{ config }}"}, actor="a")
        assert refused.value.problems[0].path == "templates.partials/footer.html"
        assert themes.theme_view(s, "4601").status is None
    with pytest.raises(TenantViolation), db.unit_of_work(tenant_context(db, "460105100")) as s:
        themes.save_draft(s, "4601", tokens={"logo_text": "坏"}, templates={}, actor="township admin")


def _png(colour=(10, 90, 138)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_draft_logo_is_the_tenants_preview_only_and_publishing_brings_it_to_the_subtree(db):
    haikou, township = tenant_row(db, "4601"), tenant_row(db, "460105100")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        drafted = themes.draft_logo(s, "4601", _png(), actor="haikou.admin")
        assert themes.theme_view(s, "4601").has_draft
        assert themes.resolve_theme(s, haikou).logo is None
        preview = themes.resolve_theme(s, haikou, preview=True)
        assert preview.logo == ("4601", drafted.sha256) and preview.logo_draft
        assert themes.logo_url(preview, "") == f"/portal-logo/{drafted.sha256}.png?preview=draft"
        assert logos.logo_content(s, haikou, drafted.sha256) is None
        assert logos.logo_content(s, haikou, drafted.sha256, preview=True).startswith(b"\x89PNG")
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        assert logos.pending_logo(s, "4601") is None  # a county's draft is not the township's to read
        assert themes.resolve_theme(s, township, preview=True).logo is None
        assert logos.logo_content(s, township, drafted.sha256, preview=True) is None
    # not the township's to publish: on PostgreSQL it cannot even see the county's draft (no_draft), elsewhere the
    # ORM's tenant check refuses the write
    with pytest.raises((TenantViolation, themes.ThemeError)), db.unit_of_work(tenant_context(db, "460105100")) as s:
        themes.publish_draft(s, "4601", actor="township admin")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert logos.own_logo(s, "4601") is None and logos.pending_logo(s, "4601") is not None
        themes.publish_draft(s, "4601", actor="haikou.admin")
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        theme = themes.resolve_theme(s, township)
        assert theme.logo == ("4601", drafted.sha256) and not theme.logo_draft
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert themes.draft_logo_removal(s, "4601", actor="haikou.admin")
        assert themes.resolve_theme(s, haikou).logo == ("4601", drafted.sha256)
        assert themes.resolve_theme(s, haikou, preview=True).logo is None
        themes.discard_draft(s, "4601", actor="haikou.admin")
        assert logos.pending_logo(s, "4601") is None and themes.resolve_theme(s, haikou, preview=True).logo
        assert not themes.draft_logo_removal(s, "460105100", actor="x")  # nothing of its own to remove


def _renderer():
    from tongban.platform.web.templating import configure_portal_env

    return ThemeRenderer(configure_portal_env)


def test_a_template_failing_at_render_time_falls_back_to_the_parents(db):
    theme_row(db, "4601", templates={"partials/footer.html": "<footer>海口页脚 {{ theme.footer_text }}</footer>"})
    theme_row(db, "460105100", templates={"partials/footer.html": "<footer>{{ ''.__class__ }} {{ 1 / 0 }}</footer>"})
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        theme = themes.resolve_theme(s, tenant_row(db, "460105100"))
    renderer = _renderer()
    context = {"tenant": tenant_row(db, "460105100"), "trail": [{"href": "/", "label": "长流镇"}], "item_count": 0,
               "audience_counts": {"individual": 0, "enterprise": 0}, "notices": [], "children": [],
               "facets": {"themes": {}, "more_themes": {}, "events": [], "departments": [], "kinds": []}}
    html, failures = renderer.render(theme, "home.html", context)
    assert "海口页脚" in html and "<class" not in html and "&lt;class" not in html
    (failure,) = failures
    assert failure.owner == "460105100" and failure.name == "partials/footer.html" and failure.line == 1
    again, none_new = renderer.render(theme, "home.html", context)  # remembered: no second failing render
    assert "海口页脚" in again and none_new == []


def test_a_failure_is_recorded_for_the_owner_to_see(db):
    from tongban.themes.loader import RenderFailure

    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        for _ in range(2):
            themes.record_failure(s, RenderFailure("460105100", "partials/footer.html", "SecurityError", 1),
                                  revision=1, page_tenant="460105100")
    with db.unit_of_work(tenant_context(db, "460105100")) as s:
        (row,) = themes.recent_failures(s, "460105100")
        assert row.count == 2 and row.error == "SecurityError"
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert themes.recent_failures(s, "460105100") == []  # another tenant's failures are not visible


def test_a_worker_keeps_published_themes_for_the_directory_ttl_and_forgets_them_on_clear(db):
    cache = themes.ThemeCache(ttl=60)
    haikou = tenant_row(db, "4601")
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert cache.theme(s, haikou).tokens["logo_text"] == "通"
    theme_row(db, "4601", tokens={"logo_text": "椰"})
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        assert cache.theme(s, haikou).tokens["logo_text"] == "通"  # within the ttl: the worker's copy
        cache.clear()
        assert cache.theme(s, haikou).tokens["logo_text"] == "椰"
