"""/developers/apps: register an application, see its secret once, rotate it, use it; third-party consent."""
import re

from identity_helpers import (authorize, code_for, csrf_of, exchange, give_consent, pkce, query_of, register_app,
                              sign_in)

SECRET = re.compile(r'<code class="secret">([^<]+)</code>')


def test_the_developer_page_needs_a_sign_in(browser):
    answer = browser.get("/developers/apps", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/developers/apps"


def test_register_an_app_and_see_its_secret_once(browser, seeded):
    sign_in(browser, "citizen")
    page = register_app(browser)
    assert page.status_code == 200 and "只显示这一次" in page.text
    client_id, secret = SECRET.findall(page.text)
    listing = browser.get("/developers/apps")
    assert client_id in listing.text and secret not in listing.text
    detail = browser.get(f"/developers/apps/{client_id}")
    assert detail.status_code == 200 and "catalog:read" in detail.text and secret not in detail.text
    token = browser.post("/oidc/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
    assert token.status_code == 200 and token.json()["scope"] == "catalog:read"


def test_rotating_the_secret_retires_the_old_one(browser, seeded):
    sign_in(browser, "citizen")
    client_id, old = SECRET.findall(register_app(browser).text)
    rotated = browser.post(
        f"/developers/apps/{client_id}", data={"csrf_token": csrf_of(browser, "/developers/apps")}
    )
    new = SECRET.findall(rotated.text)[0]
    assert new != old and "旧密钥立即失效" in rotated.text
    refused = browser.post("/oidc/token", data={"grant_type": "client_credentials"}, auth=(client_id, old))
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert (
        browser.post(
            "/oidc/token", data={"grant_type": "client_credentials"}, auth=(client_id, new)
        ).status_code
        == 200
    )


def test_bad_registrations_are_refused_and_the_form_kept(browser):
    sign_in(browser, "citizen")
    page = register_app(browser, redirect_uris="http://example.com/cb")
    assert page.status_code == 400 and "回调地址无效" in page.text and "椰城停车" in page.text
    templated = register_app(browser, redirect_uris="https://{slug}.example.com/cb")
    assert templated.status_code == 400
    public_without_uri = register_app(browser, client_type="public", redirect_uris="")
    assert (
        public_without_uri.status_code == 400 and "公开客户端至少需要一个回调地址" in public_without_uri.text
    )


def test_every_problem_is_told_at_once_each_at_its_field(browser):
    sign_in(browser, "citizen")
    page = register_app(browser, name=" ", redirect_uris="http://example.com/cb",
                        backchannel_logout_uri="ftp://rp.example.cn/logout")
    assert page.status_code == 400
    for field, zh in (("name", "请填写应用名称"), ("redirect_uris", "回调地址无效"), ("backchannel_logout_uri", "")):
        assert f'id="{field}-error"' in page.text, field
        assert zh in page.text
    assert "Enter the application" in page.text


def test_registering_clears_the_form_so_pressing_again_adds_no_twin(browser, seeded):
    sign_in(browser, "citizen")
    done = register_app(browser)
    assert done.status_code == 200 and 'name="name" value=""' in done.text  # not 椰城停车 again
    again = browser.post("/developers/apps", data={"csrf_token": csrf_of(browser, "/developers/apps"),
                                                   **dict(re.findall(r'name="(name|redirect_uris)" value="([^"]*)"',
                                                                     done.text))})
    assert again.status_code == 400 and "请填写应用名称" in again.text
    assert browser.get("/developers/apps").text.count("椰城停车") == 1


def test_someone_elses_app_looks_like_no_app(browser, seeded):
    sign_in(browser, "citizen")
    client_id, _ = SECRET.findall(register_app(browser).text)
    browser.cookies.clear()
    sign_in(browser, "agent")
    assert browser.get(f"/developers/apps/{client_id}").status_code == 404
    assert browser.get("/developers/apps/app_doesnotexist").status_code == 404
    rotate = browser.post(
        f"/developers/apps/{client_id}", data={"csrf_token": csrf_of(browser, "/developers/apps")}
    )
    assert rotate.status_code == 404


def test_a_third_party_app_asks_for_consent_once(browser, seeded):
    sign_in(browser, "citizen")
    client_id, secret = SECRET.findall(register_app(browser).text)
    verifier, challenge = pkce()
    page = authorize(browser, client_id, challenge=challenge, scope="openid catalog:read")
    assert page.status_code == 200 and "授权「椰城停车」" in page.text and "读取办事指南" in page.text
    denied = give_consent(browser, page.text, "deny")
    assert query_of(denied)["error"] == "access_denied"
    allowed = give_consent(
        browser, authorize(browser, client_id, challenge=challenge, scope="openid catalog:read").text
    )
    code = query_of(allowed)["code"]
    assert exchange(browser, code, client_id=client_id, verifier=verifier, secret=secret).status_code == 200
    again = authorize(browser, client_id, challenge=challenge, scope="openid catalog:read")
    assert again.status_code == 302 and "code" in query_of(again)
    silent = authorize(browser, client_id, challenge=challenge, scope="openid profile", prompt="none")
    assert query_of(silent)["error"] == "consent_required"
    assert code_for(browser, client_id, challenge, scope="openid profile")
