"""Bad input at the provider: each refused with the standard OAuth error, logged, no hint about accounts."""

import logging

import pytest
from identity_helpers import authorize, claims_of, code_for, exchange, pkce, query_of, register, sign_in

from tongban.platform.identity.tokens import TokenRefused


@pytest.fixture
def mobile(seeded):
    client_id, _ = register(seeded, name="掌上办", client_type="public", first_party=True)
    return client_id


@pytest.fixture
def signed_in(browser):
    assert sign_in(browser, "citizen").status_code == 303
    return browser


def test_unregistered_redirect_uri_is_refused_without_redirecting(signed_in, mobile, caplog):
    _, challenge = pkce()
    with caplog.at_level(logging.WARNING, logger="tongban.identity.oauth"):
        answer = authorize(signed_in, mobile, "http://localhost/elsewhere", challenge=challenge)
    assert answer.status_code == 400 and "location" not in answer.headers
    assert "invalid_request" in answer.text and "无法完成登录请求" in answer.text
    assert any(r.fields["error"] == "invalid_request" for r in caplog.records if hasattr(r, "fields"))


def test_unknown_client_is_refused_on_the_page(signed_in):
    answer = authorize(signed_in, "no-such-client")
    assert answer.status_code == 400 and "invalid_client" in answer.text and "location" not in answer.headers


def test_missing_response_type_is_refused(signed_in, mobile):
    answer = signed_in.get(
        "/oidc/authorize",
        params={"client_id": mobile, "redirect_uri": "http://localhost/cb", "scope": "openid", "state": "s1"},
        follow_redirects=False,
    )
    assert answer.status_code == 302
    assert query_of(answer)["error"] == "unsupported_response_type" and query_of(answer)["state"] == "s1"


def test_public_client_without_pkce_is_refused(signed_in, mobile):
    answer = authorize(signed_in, mobile)
    assert answer.status_code == 302
    assert query_of(answer)["error"] == "invalid_request" and "PKCE" in query_of(answer)["error_description"]


def test_plain_pkce_is_refused(signed_in, mobile):
    verifier, _ = pkce()
    answer = authorize(signed_in, mobile, code_challenge=verifier, code_challenge_method="plain")
    assert query_of(answer)["error"] == "invalid_request"
    implicit = authorize(signed_in, mobile, code_challenge=verifier)  # no method means plain
    assert query_of(implicit)["error"] == "invalid_request"


def test_wrong_or_missing_pkce_verifier_is_refused(signed_in, mobile):
    verifier, challenge = pkce()
    code = code_for(signed_in, mobile, challenge)
    wrong = exchange(signed_in, code, client_id=mobile, verifier=pkce()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    missing = exchange(signed_in, code, client_id=mobile)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    assert exchange(signed_in, code, client_id=mobile, verifier=verifier).status_code == 200


def test_reused_code_is_refused_and_revokes_what_it_issued(signed_in, seeded, mobile):
    verifier, challenge = pkce()
    code = code_for(signed_in, mobile, challenge)
    first = exchange(signed_in, code, client_id=mobile, verifier=verifier).json()
    assert seeded.verify_access_token(first["access_token"])
    replay = exchange(signed_in, code, client_id=mobile, verifier=verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    with pytest.raises(TokenRefused, match="revoked"):
        seeded.verify_access_token(first["access_token"])
    refreshed = signed_in.post(
        "/oidc/token",
        data={"grant_type": "refresh_token", "client_id": mobile, "refresh_token": first["refresh_token"]},
    )
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"


def test_code_for_another_redirect_uri_or_client_is_refused(signed_in, seeded, mobile):
    other, _ = register(seeded, name="另一个", client_type="public", first_party=True)
    verifier, challenge = pkce()
    code = code_for(signed_in, mobile, challenge)
    elsewhere = exchange(
        signed_in, code, client_id=mobile, verifier=verifier, redirect_uri="http://localhost/x"
    )
    assert elsewhere.json()["error"] == "invalid_grant"
    stolen = exchange(signed_in, code, client_id=other, verifier=verifier)
    assert stolen.json()["error"] == "invalid_grant"


def test_expired_code_is_refused(signed_in, mobile, clock):
    verifier, challenge = pkce()
    code = code_for(signed_in, mobile, challenge)
    clock.advance(minutes=6)
    assert exchange(signed_in, code, client_id=mobile, verifier=verifier).json()["error"] == "invalid_grant"


def test_forged_expired_and_wrong_type_tokens_are_refused(signed_in, seeded, mobile, clock):
    verifier, challenge = pkce()
    tokens = exchange(
        signed_in, code_for(signed_in, mobile, challenge), client_id=mobile, verifier=verifier
    ).json()
    head, body, signature = tokens["access_token"].split(".")
    forged_body = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    for forged, reason in [
        (f"{head}.{forged_body}.{signature}", "bad signature"),
        ("a.b.c", "malformed"),
        (tokens["id_token"], "wrong token type"),
        ("", "malformed"),
    ]:
        with pytest.raises(TokenRefused) as refused:
            seeded.verify_access_token(forged)
        assert refused.value.reason == reason and refused.value.code == "invalid_token"
    clock.advance(minutes=11)
    with pytest.raises(TokenRefused, match="expired"):
        seeded.verify_access_token(tokens["access_token"], check_revocation=False)


def test_unknown_kid_and_none_algorithm_are_refused(seeded, signed_in, mobile):
    import base64
    import json

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    none_token = f"{b64({'alg': 'none', 'typ': 'at+jwt'})}.{b64({'sub': 'x', 'aud': ['tongban-api']})}."
    with pytest.raises(TokenRefused, match="unsupported algorithm"):
        seeded.verify_access_token(none_token)
    verifier, challenge = pkce()
    access = exchange(
        signed_in, code_for(signed_in, mobile, challenge), client_id=mobile, verifier=verifier
    ).json()["access_token"]
    header = json.loads(base64.urlsafe_b64decode(access.split(".")[0] + "=="))
    swapped = b64({**header, "kid": "not-a-key"}) + "." + ".".join(access.split(".")[1:])
    with pytest.raises(TokenRefused, match="unknown signing key"):
        seeded.verify_access_token(swapped)


def test_wrong_password_gives_no_code_and_the_same_answer_as_an_unknown_user(browser, mobile):
    from identity_helpers import csrf_of

    _, challenge = pkce()
    start = authorize(browser, mobile, challenge=challenge)
    next_url = start.headers["location"].split("next=", 1)[1]
    token = csrf_of(browser, "/login")
    wrong = browser.post(
        f"/login?next={next_url}",
        data={"csrf_token": token, "username": "citizen", "password": "Wrong#password1"},
        follow_redirects=False,
    )
    nobody = browser.post(
        f"/login?next={next_url}",
        data={"csrf_token": token, "username": "nobody-here", "password": "Wrong#password1"},
        follow_redirects=False,
    )
    assert wrong.status_code == nobody.status_code == 400
    assert "用户名或密码错误" in wrong.text and "Wrong username or password" in wrong.text
    strip = lambda page: page.replace("citizen", "X").replace("nobody-here", "X")
    assert strip(wrong.text) == strip(nobody.text)
    assert "tb_sso" not in browser.cookies


def test_login_form_without_csrf_token_is_refused(browser):
    answer = browser.post("/login", data={"username": "citizen", "password": "Tongban@2026"})
    assert answer.status_code == 400 and "tb_sso" not in browser.cookies


def test_open_redirect_after_login_is_refused(browser):
    from identity_helpers import csrf_of

    token = csrf_of(browser, "/login")
    answer = browser.post(
        "/login?next=//evil.example/",
        data={"csrf_token": token, "username": "citizen", "password": "Tongban@2026"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/account"


def test_refresh_token_of_another_client_is_refused(signed_in, seeded, mobile):
    other, _ = register(seeded, name="另一个", client_type="public", first_party=True)
    verifier, challenge = pkce()
    tokens = exchange(
        signed_in, code_for(signed_in, mobile, challenge), client_id=mobile, verifier=verifier
    ).json()
    answer = signed_in.post(
        "/oidc/token",
        data={"grant_type": "refresh_token", "client_id": other, "refresh_token": tokens["refresh_token"]},
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_unsupported_grant_type(browser, mobile):
    answer = browser.post(
        "/oidc/token",
        data={
            "grant_type": "password",
            "client_id": mobile,
            "username": "citizen",
            "password": "Tongban@2026",
        },
    )
    assert answer.status_code == 400 and answer.json()["error"] == "unsupported_grant_type"


def test_id_token_nonce_is_echoed(signed_in, mobile):
    verifier, challenge = pkce()
    tokens = exchange(
        signed_in, code_for(signed_in, mobile, challenge, nonce="abc123"), client_id=mobile, verifier=verifier
    ).json()
    assert claims_of(tokens["id_token"])["nonce"] == "abc123"
    replayed_nonce = authorize(signed_in, mobile, challenge=challenge, nonce="abc123")
    assert query_of(replayed_nonce)["error"] == "invalid_request"
