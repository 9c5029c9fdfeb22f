"""我的证照 inside the tenant portal the holder came from: that tenant's theme, header (with the way back to
the portal) and breadcrumb; under /t/<code>/ the links stay under the prefix; on the bare domain the
province's portal; English on request."""
import re

import pytest
from portal_support import theme_row
from sharing_support import put_license, seed, seed_identity_fast, sign_in_for_enterprise
from starlette.testclient import TestClient


@pytest.fixture
def holder(app, db, settings):
    seed(db)
    enterprise_sub = seed_identity_fast(app, db, settings)
    number, _ = put_license(db, settings.secret_key, "BL-4601-WALLET-7", subject=enterprise_sub)
    return enterprise_sub, number


def _breadcrumb(html: str) -> list[str]:
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", crumbs, re.S)]


def test_the_wallet_is_a_page_of_the_tenant_portal_in_its_theme(app, db, holder):
    enterprise_sub, number = holder
    theme_row(db, "4601", tokens={"color_primary": "#0a5a8a", "logo_text": "椰", "site_suffix": "政务服务网"})
    with TestClient(app, base_url="http://haikou.localhost") as http:
        page = sign_in_for_enterprise(http, enterprise_sub)
        assert str(page.url) == "http://haikou.localhost/wallet"
    html = page.text
    assert "--color-primary: #0a5a8a" in html and '<span class="emblem" aria-hidden="true">椰</span>' in html
    assert '<strong class="site-name">海口市政务服务网</strong>' in html, "the tenant's header, not a bare page"
    assert '<a class="brand" href="/">' in html and '<a href="/cases">我的办件</a>' in html, "the way back"
    assert _breadcrumb(html) == ["海南省", "海口市", "我的证照"]
    assert '<a href="/wallet" aria-current' not in html and '<a href="/wallet">我的证照</a>' in html
    assert f'href="/wallet/{number}.pdf"' in html and number in html
    assert "<title>我的证照 · 海口市政务服务网</title>" in html


def test_under_a_path_prefix_the_links_stay_in_that_tenants_portal(app, db, holder):
    enterprise_sub, number = holder
    with TestClient(app, base_url="http://localhost") as http:
        sign_in_for_enterprise(http, enterprise_sub, next_url="/t/4601/wallet")
        page = http.get("/t/4601/wallet")
    assert page.status_code == 200
    assert _breadcrumb(page.text) == ["海南省", "海口市", "我的证照"]
    assert f'href="/t/4601/wallet/{number}.pdf"' in page.text and 'href="/t/4601/cases"' in page.text
    assert '<a href="/t/4601/wallet">我的证照</a>' in page.text


def test_on_the_bare_domain_it_is_the_provinces_portal_and_english_on_request(app, db, holder):
    enterprise_sub, number = holder
    with TestClient(app, base_url="http://localhost") as http:
        page = sign_in_for_enterprise(http, enterprise_sub)
        english = http.get("/wallet?lang=en")
    assert _breadcrumb(page.text) == ["海南省", "我的证照"]
    assert '<strong class="site-name">海南省' in page.text
    assert _breadcrumb(english.text)[-1] == "My licences" and "Who accessed your data" in english.text
    assert "Download PDF" in english.text and 'lang="en"' in english.text


def test_signed_out_it_asks_to_sign_in_and_comes_back(app, db, holder):
    with TestClient(app, base_url="http://haikou.localhost") as http:
        answer = http.get("/wallet", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/auth/login?next=%2Fwallet"


def test_switching_identity_at_the_provider_does_not_leave_a_portal_acting_as_before(app, db, holder):
    """The agent is signed in to 海口's portal as herself, then switches to her enterprise on the account page. The
    portal must not go on showing (and applying as) her own person: its session ends, and signing in again there
    — one click, the provider remembers her — carries the enterprise."""
    from portal_support import CSRF_IDENTITY, HAIKOU, sign_in

    enterprise_sub, number = holder
    with TestClient(app, base_url=HAIKOU) as http:
        assert sign_in(http, HAIKOU, "agent", next_path="/wallet").status_code == 200
        mine = http.get("/wallet")
        assert number not in mine.text and 'href="http://localhost/account"' in mine.text  # the way to switch
        account = http.get("http://localhost/account")
        token = CSRF_IDENTITY.search(account.text).group(1)
        switched = http.post("http://localhost/account", data={"csrf_token": token, "acting": enterprise_sub})
        assert switched.status_code == 200 and "海南椰风科技有限公司" in switched.text
        stale = http.get("/wallet", follow_redirects=False)
        assert stale.status_code in (302, 303) and "/auth/login" in stale.headers["location"]
        again = http.get("/auth/login", params={"next": "/wallet"})
        assert str(again.url).endswith("/wallet") and number in again.text  # the enterprise's licence now
