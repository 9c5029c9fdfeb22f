"""Discovery, JWKS, and the authorisation code flow with PKCE as a browser and a public client see it."""

import pytest
from identity_helpers import (
    LOCAL_CALLBACK,
    authorize,
    claims_of,
    code_for,
    exchange,
    header_of,
    pkce,
    query_of,
    register,
    sign_in,
)

from tongban.platform.identity.tokens import TokenRefused


@pytest.fixture
def mobile(seeded):
    client_id, _ = register(
        seeded,
        name="掌上办 Mobile",
        client_type="public",
        first_party=True,
        scope="openid profile email phone cases:read",
    )
    return client_id


def test_discovery_document_and_jwks(browser):
    doc = browser.get("/.well-known/openid-configuration").json()
    assert doc["issuer"] == "http://localhost"
    assert doc["authorization_endpoint"] == "http://localhost/oidc/authorize"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert {"authorization_code", "refresh_token", "client_credentials"} <= set(doc["grant_types_supported"])
    assert doc["end_session_endpoint"].endswith("/oidc/logout")
    keys = browser.get(doc["jwks_uri"].replace("http://localhost", "")).json()["keys"]
    assert len(keys) == 1 and keys[0]["kid"] and keys[0]["kty"] == "RSA" and "d" not in keys[0]


def test_code_flow_with_pkce_gives_tokens_and_a_valid_id_token(browser, seeded, mobile, clock):
    assert sign_in(browser, "citizen").status_code == 303
    verifier, challenge = pkce()
    code = code_for(browser, mobile, challenge, scope="openid profile email", nonce="n-0S6_WzA2Mj")
    answer = exchange(browser, code, client_id=mobile, verifier=verifier)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert answer.headers["cache-control"] == "no-store"
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    id_token = claims_of(tokens["id_token"])
    assert id_token["iss"] == "http://localhost" and id_token["aud"] == [mobile]
    assert id_token["nonce"] == "n-0S6_WzA2Mj" and id_token["at_hash"] and id_token["auth_time"]
    assert id_token["user_type"] == "person" and id_token["name"] == "王小明"
    assert id_token["email"] == "citizen@example.cn"
    kid = header_of(tokens["id_token"])["kid"]
    assert kid in {k["kid"] for k in browser.get("/oidc/jwks").json()["keys"]}
    access = claims_of(tokens["access_token"])
    assert header_of(tokens["access_token"])["typ"] == "at+jwt"
    assert (
        access["aud"] == ["tongban-api"]
        and access["client_id"] == mobile
        and access["sub"] == id_token["sub"]
    )
    principal = seeded.verify_access_token(tokens["access_token"], required_scopes=["openid"])
    assert principal.subject == id_token["sub"] and principal.user_type == "person"


def test_userinfo_by_get_and_post(browser, mobile):
    sign_in(browser, "citizen")
    verifier, challenge = pkce()
    tokens = exchange(
        browser,
        code_for(browser, mobile, challenge, scope="openid profile phone"),
        client_id=mobile,
        verifier=verifier,
    ).json()
    by_get = browser.get("/oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    by_post = browser.post("/oidc/userinfo", data={"access_token": tokens["access_token"]})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json()
    assert by_get.json()["phone_number"] == "13800000001" and "email" not in by_get.json()
    refused = browser.get("/oidc/userinfo", headers={"Authorization": "Bearer nonsense"})
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["www-authenticate"]


def test_signing_in_is_required_before_a_code_and_prompt_none_says_so(browser, mobile):
    _, challenge = pkce()
    answer = authorize(browser, mobile, challenge=challenge)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    silent = authorize(browser, mobile, challenge=challenge, prompt="none")
    assert silent.status_code == 302
    assert query_of(silent) == {"error": "login_required", "state": "af0ifjsldkj"}


def test_login_page_is_chinese_first_and_works_without_javascript(browser):
    page = browser.get("/login")
    assert page.status_code == 200 and "登录" in page.text and "Sign in" in page.text
    assert '<form method="post"' in page.text and "<script" not in page.text
    assert 'name="viewport"' in page.text
    cookie = browser.cookies.get("tb_csrf")
    assert cookie


def test_provider_session_cookie_is_httponly_and_lax(browser):
    answer = sign_in(browser, "citizen")
    set_cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("tb_sso=")
    )
    assert (
        "HttpOnly" in set_cookie
        and "SameSite=lax" in set_cookie.replace("Lax", "lax")
        and "Path=/" in set_cookie
    )


def test_max_age_and_prompt_login_ask_for_a_fresh_sign_in(browser, mobile, clock):
    sign_in(browser, "citizen")
    _, challenge = pkce()
    clock.advance(minutes=10)
    stale = authorize(browser, mobile, challenge=challenge, max_age="60")
    assert stale.status_code == 303 and stale.headers["location"].startswith("/login?next=")
    forced = authorize(browser, mobile, challenge=challenge, prompt="login")
    assert forced.status_code == 303 and "prompt" not in forced.headers["location"]


def test_unknown_parameters_are_tolerated(browser, mobile):
    sign_in(browser, "citizen")
    _, challenge = pkce()
    answer = authorize(browser, mobile, challenge=challenge, foo="bar", ui_locales="zh-CN")
    assert answer.status_code == 302 and "code" in query_of(answer)


def test_a_confidential_first_party_client_uses_its_derived_secret(browser, seeded):
    from identity_helpers import portal_secret

    sign_in(browser, "citizen")
    verifier, challenge = pkce()
    redirect_uri = "http://haikou.localhost/auth/callback"
    code = code_for(browser, "portal", challenge, redirect_uri=redirect_uri)
    answer = exchange(
        browser,
        code,
        client_id="portal",
        verifier=verifier,
        secret=portal_secret(seeded),
        redirect_uri=redirect_uri,
    )
    assert answer.status_code == 200, answer.text
    wrong = exchange(
        browser,
        code,
        client_id="portal",
        verifier=verifier,
        secret="not-the-secret",
        redirect_uri=redirect_uri,
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_tenant_path_redirect_uris_match_the_first_party_pattern(browser, seeded):
    sign_in(browser, "citizen")
    _, challenge = pkce()
    ok = authorize(browser, "portal", "http://localhost/t/460105100/auth/callback", challenge=challenge)
    assert ok.status_code == 302 and "code" in query_of(ok)
    evil = authorize(browser, "portal", "http://localhost.evil.example/auth/callback", challenge=challenge)
    assert evil.status_code == 400 and "location" not in evil.headers


def test_a_staff_token_carries_tenant_roles(browser, seeded, mobile, clock):
    assert sign_in(browser, "haikou.clerk", clock=clock).status_code == 303
    verifier, challenge = pkce()
    tokens = exchange(
        browser, code_for(browser, mobile, challenge), client_id=mobile, verifier=verifier
    ).json()
    id_token = claims_of(tokens["id_token"])
    assert id_token["user_type"] == "staff" and id_token["home_tenant"] == "4601"
    assert id_token["tenant_roles"] == [
        {"role": "window_clerk", "tenant": "4601", "path": "/46/4601/", "subtree": False}
    ]
    assert "otp" in id_token["amr"]
    principal = seeded.verify_access_token(tokens["access_token"])
    assert [g.role for g in principal.roles] == ["window_clerk"]


def test_access_token_for_wrong_audience_or_scope_is_refused(browser, seeded, mobile):
    sign_in(browser, "citizen")
    verifier, challenge = pkce()
    access = exchange(
        browser,
        code_for(browser, mobile, challenge, scope="openid cases:read"),
        client_id=mobile,
        verifier=verifier,
    ).json()["access_token"]
    with pytest.raises(TokenRefused) as wrong_audience:
        seeded.verify_access_token(access, audience="another-api")
    assert wrong_audience.value.code == "invalid_token" and "audience" in wrong_audience.value.reason
    with pytest.raises(TokenRefused) as scope:
        seeded.verify_access_token(access, required_scopes=["cases:write"])
    assert scope.value.code == "insufficient_scope" and scope.value.status == 403
    assert seeded.verify_access_token(access, required_scopes=["cases:read"]).has_scopes("cases:read")


def test_callback_redirect_uri_is_preserved(mobile):
    assert LOCAL_CALLBACK.startswith("http://localhost")


def test_signing_out_at_the_provider_ends_the_session_and_its_tokens(browser, seeded, mobile):
    from identity_helpers import csrf_of

    sign_in(browser, "citizen")
    verifier, challenge = pkce()
    tokens = exchange(browser, code_for(browser, mobile, challenge), client_id=mobile, verifier=verifier).json()
    confirm = browser.get("/logout")
    assert confirm.status_code == 200 and "退出登录" in confirm.text
    done = browser.post("/logout", data={"csrf_token": csrf_of(browser, "/logout")})
    assert done.status_code == 200 and "您已退出登录" in done.text
    assert browser.get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"
    with pytest.raises(TokenRefused, match="revoked"):
        seeded.verify_access_token(tokens["access_token"])


def test_a_code_issued_before_sign_out_is_refused_after_it(browser, seeded, mobile):
    """Signing out between the authorization and the code exchange: the code no longer buys tokens (a portal
    would otherwise open a session bound to a provider session that has ended)."""
    from identity_helpers import csrf_of

    sign_in(browser, "citizen")
    verifier, challenge = pkce()
    code = code_for(browser, mobile, challenge)
    browser.post("/logout", data={"csrf_token": csrf_of(browser, "/logout")})
    answer = exchange(browser, code, client_id=mobile, verifier=verifier)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant", answer.text
