"""The relying-party helper: tenant portals on other host names sign in through the provider (single sign-on),
keep a per-host session, refresh tokens, and log out through the provider."""

import pytest
from identity_helpers import csrf_of
from starlette.responses import JSONResponse
from starlette.routing import Route

from tongban.platform.identity.web.rp import RelyingParty, portal_rp


@pytest.fixture
def portal(app, seeded):
    async def whoami(request):
        user = await portal_rp.current_user(request)
        token = await portal_rp.access_token(request)
        return JSONResponse(
            {
                "user": user
                and {
                    "name": user.name,
                    "type": user.user_type,
                    "sub": user.subject,
                    "roles": [g.tenant_code for g in user.roles],
                },
                "token": token,
            }
        )

    app.router.routes.append(Route("/whoami", whoami))
    return app


def _password_page_then_sign_in(client, response, username="citizen"):
    assert "/login?next=" in str(response.url), response.url
    token = csrf_of(client, str(response.url))
    return client.post(
        str(response.url), data={"csrf_token": token, "username": username, "password": "Tongban@2026"}
    )


def test_a_tenant_portal_on_its_own_host_signs_in_through_the_provider(browser, portal):
    start = browser.get("http://haikou.localhost/auth/login?next=/whoami", follow_redirects=False)
    assert start.status_code == 303
    location = start.headers["location"]
    assert (
        location.startswith("http://localhost/oidc/authorize?") and "code_challenge_method=S256" in location
    )
    assert "redirect_uri=http%3A%2F%2Fhaikou.localhost%2Fauth%2Fcallback" in location
    landing = _password_page_then_sign_in(browser, browser.get(location))
    assert landing.status_code == 200 and str(landing.url) == "http://haikou.localhost/whoami"
    who = landing.json()
    assert who["user"]["name"] == "王小明" and who["user"]["type"] == "person" and who["token"]
    assert browser.cookies.get("tb_rp_portal", domain="haikou.localhost")
    assert browser.get("http://localhost/whoami").json()["user"] is None  # a per-host session


def test_single_sign_on_across_tenant_hosts_and_paths(browser, portal):
    _password_page_then_sign_in(browser, browser.get("http://haikou.localhost/auth/login?next=/whoami"))
    sanya = browser.get("http://sanya.localhost/auth/login?next=/whoami")
    assert str(sanya.url) == "http://sanya.localhost/whoami" and sanya.json()["user"]["name"] == "王小明"
    by_path = browser.get("http://localhost/t/460105100/auth/login?next=/whoami")
    assert str(by_path.url) == "http://localhost/whoami" and by_path.json()["user"]["name"] == "王小明"


def test_staff_roles_reach_the_portal(browser, portal, clock):
    import pyotp
    from identity_helpers import STAFF_SECRETS

    page = browser.get("http://haikou.localhost/auth/login?next=/whoami")
    totp_page = _password_page_then_sign_in(browser, page, "haikou.admin")
    assert "/login/totp" in str(totp_page.url)
    token = csrf_of(browser, str(totp_page.url))
    landing = browser.post(
        str(totp_page.url),
        data={"csrf_token": token, "code": pyotp.TOTP(STAFF_SECRETS["haikou.admin"]).at(clock())},
    )
    who = landing.json()["user"]
    assert who["type"] == "staff" and who["roles"] == ["4601"]


def test_an_expired_access_token_is_refreshed_with_rotation(browser, portal, clock, seeded):
    _password_page_then_sign_in(browser, browser.get("http://haikou.localhost/auth/login?next=/whoami"))
    first = browser.get("http://haikou.localhost/whoami").json()["token"]
    clock.advance(minutes=11)
    second = browser.get("http://haikou.localhost/whoami").json()["token"]
    assert second and second != first
    assert (
        seeded.verify_access_token(second).subject
        == browser.get("http://haikou.localhost/whoami").json()["user"]["sub"]
    )


def test_a_forged_state_or_a_denied_login_is_refused(browser, portal):
    browser.get("http://haikou.localhost/auth/login?next=/whoami", follow_redirects=False)
    forged = browser.get("http://haikou.localhost/auth/callback?code=abc&state=forged")
    assert forged.status_code == 400 and "state_mismatch" in forged.text
    no_flow = browser.get("http://sanya.localhost/auth/callback?code=abc&state=x")
    assert no_flow.status_code == 400 and "login_expired" in no_flow.text


def test_logout_ends_the_portal_and_the_provider_sessions(browser, portal):
    _password_page_then_sign_in(browser, browser.get("http://haikou.localhost/auth/login?next=/whoami"))
    out = browser.get("http://haikou.localhost/auth/logout", follow_redirects=False)
    provider_logout = out.headers["location"]
    assert provider_logout.startswith("http://localhost/oidc/logout?") and "id_token_hint=" in provider_logout
    back = browser.get(provider_logout, follow_redirects=False)
    assert back.status_code == 302 and back.headers["location"] == "http://haikou.localhost/"
    assert browser.get("http://haikou.localhost/whoami").json()["user"] is None
    again = browser.get("http://sanya.localhost/auth/login?next=/whoami")
    assert "/login?next=" in str(again.url)


def test_post_logout_redirect_must_be_registered(browser, seeded):
    from identity_helpers import sign_in

    sign_in(browser, "citizen")
    evil = browser.get(
        "/oidc/logout",
        params={"client_id": "portal", "post_logout_redirect_uri": "http://evil.example/"},
        follow_redirects=False,
    )
    assert evil.status_code == 200 and "退出登录" in evil.text and "location" not in evil.headers
    token = csrf_of(browser, "/login/reset")
    confirmed = browser.post(
        "/oidc/logout",
        data={"csrf_token": token, "client_id": "portal", "post_logout_redirect_uri": "http://evil.example/"},
        follow_redirects=False,
    )
    assert confirmed.status_code == 200 and "您已退出登录" in confirmed.text
    assert browser.get("/account", follow_redirects=False).status_code == 303


def test_a_room_with_its_own_prefix(app, browser, seeded):
    workbench = RelyingParty("workbench", prefix="/workbench")
    app.router.routes[0:0] = workbench.routes()  # ahead of the (empty) /workbench mount
    start = browser.get("http://haikou.localhost/workbench/auth/login", follow_redirects=False)
    assert (
        "redirect_uri=http%3A%2F%2Fhaikou.localhost%2Fworkbench%2Fauth%2Fcallback"
        in start.headers["location"]
    )
    assert "client_id=workbench" in start.headers["location"]
