"""Single sign-out: when the provider session ends (signing out at any portal, at the provider itself, or a
password reset), the portal sessions that came from it end on every host; another sign-in's sessions stay."""

import re

import pytest
from identity_helpers import csrf_of
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tongban.platform.identity.web.rp import portal_rp

HOSTS = ("http://haikou.localhost", "http://sanya.localhost")


@pytest.fixture
def portal(app, seeded):
    async def whoami(request):
        user = await portal_rp.current_user(request)
        token = await portal_rp.access_token(request)
        return JSONResponse({"name": user and user.name, "token": token})

    app.router.routes.insert(0, Route("/whoami", whoami))
    return app


def _sign_in_at(client, host: str, username: str = "citizen") -> None:
    """Sign in at ``host``'s portal: the provider's password form if no one is signed in there yet."""
    page = client.get(f"{host}/auth/login?next=/whoami")
    if "/login?next=" in str(page.url):
        token = csrf_of(client, str(page.url))
        page = client.post(
            str(page.url), data={"csrf_token": token, "username": username, "password": "Tongban@2026"}
        )
    assert str(page.url) == f"{host}/whoami", page.url


def _who(client, host: str) -> str | None:
    return client.get(f"{host}/whoami").json()["name"]


def _sign_out_at_haikou(client) -> None:
    out = client.get("http://haikou.localhost/auth/logout", follow_redirects=False)
    back = client.get(out.headers["location"], follow_redirects=False)  # the provider's end-session endpoint
    assert back.status_code == 302 and back.headers["location"] == "http://haikou.localhost/"


def test_signing_out_at_haikou_signs_out_on_sanya_too(browser, portal):
    for host in HOSTS:
        _sign_in_at(browser, host)
    sanya_home = browser.get("http://sanya.localhost/")
    assert sanya_home.status_code == 200 and "王小明" in sanya_home.text

    _sign_out_at_haikou(browser)

    assert _who(browser, "http://sanya.localhost") is None
    sanya_home = browser.get("http://sanya.localhost/")
    assert "王小明" not in sanya_home.text and "/auth/login" in sanya_home.text  # 登录 offered again
    again = browser.get("http://sanya.localhost/auth/login?next=/whoami")
    assert "/login?next=" in str(again.url), "the provider asks who you are"


def test_the_next_person_at_the_same_computer_sees_only_their_own_account(browser, portal):
    for host in HOSTS:
        _sign_in_at(browser, host)
    _sign_out_at_haikou(browser)

    _sign_in_at(browser, "http://haikou.localhost", "agent")
    assert _who(browser, "http://haikou.localhost") == "李海燕"
    assert _who(browser, "http://sanya.localhost") is None, "王小明's sanya session is gone"
    _sign_in_at(browser, "http://sanya.localhost")  # single sign-on: no password asked, as 李海燕
    sanya_home = browser.get("http://sanya.localhost/").text
    assert "李海燕" in sanya_home and "王小明" not in sanya_home


def test_another_persons_portal_sessions_are_untouched(app, browser, portal):
    with TestClient(app, base_url="http://localhost") as other:
        for client, username in ((browser, "citizen"), (other, "agent")):
            for host in HOSTS:
                _sign_in_at(client, host, username)
        _sign_out_at_haikou(browser)

        for host in HOSTS:
            assert _who(browser, host) is None
            answer = other.get(f"{host}/whoami").json()
            assert answer["name"] == "李海燕" and answer["token"]
        assert other.get("http://localhost/account", follow_redirects=False).status_code == 200


def test_the_providers_own_sign_out_ends_every_portal_session(browser, portal):
    for host in HOSTS:
        _sign_in_at(browser, host)
    token = csrf_of(browser, "/logout")
    signed_out = browser.post("/logout", data={"csrf_token": token})
    assert signed_out.status_code == 200 and "您已退出登录" in signed_out.text

    for host in HOSTS:
        assert _who(browser, host) is None


def test_a_password_reset_signs_the_account_out_of_every_portal(browser, portal, seeded, mailer):
    for host in HOSTS:
        _sign_in_at(browser, host)
    seeded.request_password_reset("citizen", link_for=lambda token: f"http://localhost/login/reset/{token}")
    seeded.reset_password(re.search(r"/login/reset/(\S+)", mailer.outbox[-1].body).group(1), "Coconut#2027")

    for host in HOSTS:
        assert _who(browser, host) is None
