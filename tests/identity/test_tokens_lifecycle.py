"""Refresh rotation and reuse detection, client credentials, introspection, revocation, key rotation."""

import pytest
from click.testing import CliRunner
from identity_helpers import claims_of, code_for, exchange, header_of, pkce, register, sign_in

from tongban.platform.identity.tokens import TokenRefused


@pytest.fixture
def mobile(seeded):
    client_id, _ = register(seeded, name="掌上办", client_type="public", first_party=True)
    return client_id


@pytest.fixture
def server_app(seeded):
    """A confidential third-party server application that may use client credentials."""
    return register(
        seeded, name="企业服务平台", client_type="confidential", scope="openid profile catalog:read"
    )


def _tokens(browser, client_id, secret=None, scope="openid profile"):
    verifier, challenge = pkce()
    code = code_for(browser, client_id, challenge, scope=scope)
    answer = exchange(browser, code, client_id=client_id, verifier=verifier, secret=secret)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _refresh(browser, client_id, refresh_token):
    return browser.post(
        "/oidc/token",
        data={"grant_type": "refresh_token", "client_id": client_id, "refresh_token": refresh_token},
    )


def test_refresh_rotates_and_returns_a_new_id_token(browser, seeded, mobile, clock):
    sign_in(browser, "citizen")
    first = _tokens(browser, mobile)
    clock.advance(minutes=1)
    second = _refresh(browser, mobile, first["refresh_token"])
    assert second.status_code == 200, second.text
    body = second.json()
    assert body["refresh_token"] != first["refresh_token"] and body["access_token"] != first["access_token"]
    old_id, new_id = claims_of(first["id_token"]), claims_of(body["id_token"])
    assert new_id["sub"] == old_id["sub"] and new_id["auth_time"] == old_id["auth_time"]
    assert new_id["iat"] > old_id["iat"] and "nonce" not in new_id
    assert seeded.verify_access_token(body["access_token"]).subject == old_id["sub"]


def test_reusing_a_rotated_refresh_token_revokes_the_family(browser, seeded, mobile):
    sign_in(browser, "citizen")
    first = _tokens(browser, mobile)
    second = _refresh(browser, mobile, first["refresh_token"]).json()
    replay = _refresh(browser, mobile, first["refresh_token"])
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert _refresh(browser, mobile, second["refresh_token"]).json()["error"] == "invalid_grant"
    with pytest.raises(TokenRefused, match="revoked"):
        seeded.verify_access_token(second["access_token"])
    events = _audit_actions(seeded)
    assert "refresh_token_replayed" in events


def test_refresh_token_expires(browser, mobile, clock):
    sign_in(browser, "citizen")
    first = _tokens(browser, mobile)
    clock.advance(days=31)
    assert _refresh(browser, mobile, first["refresh_token"]).json()["error"] == "invalid_grant"


def test_client_credentials_for_a_confidential_server(browser, seeded, server_app):
    client_id, secret = server_app
    answer = browser.post(
        "/oidc/token",
        data={"grant_type": "client_credentials", "scope": "catalog:read"},
        auth=(client_id, secret),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "refresh_token" not in body and body["scope"] == "catalog:read"
    principal = seeded.verify_access_token(body["access_token"], required_scopes=["catalog:read"])
    assert principal.kind == "client" and principal.subject == client_id and principal.roles == ()
    too_much = browser.post(
        "/oidc/token",
        data={"grant_type": "client_credentials", "scope": "cases:write"},
        auth=(client_id, secret),
    )
    assert too_much.status_code == 400 and too_much.json()["error"] == "invalid_scope"
    wrong = browser.post("/oidc/token", data={"grant_type": "client_credentials"}, auth=(client_id, "nope"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_public_clients_cannot_use_client_credentials(browser, mobile):
    answer = browser.post("/oidc/token", data={"grant_type": "client_credentials", "client_id": mobile})
    assert answer.status_code in (400, 401) and answer.json()["error"] in (
        "invalid_client",
        "unauthorized_client",
    )


def test_introspection_and_revocation(browser, seeded, server_app):
    from identity_helpers import portal_secret

    client_id, secret = server_app
    sign_in(browser, "citizen")
    tokens = _tokens(browser, client_id, secret)
    api = ("tongban-api", portal_secret(seeded, "tongban-api"))
    active = browser.post("/oidc/introspect", data={"token": tokens["access_token"]}, auth=api).json()
    assert active["active"] is True and active["client_id"] == client_id and active["user_type"] == "person"
    assert active["sub"] == claims_of(tokens["id_token"])["sub"] and active["token_type"] == "access_token"
    refresh_info = browser.post(
        "/oidc/introspect", data={"token": tokens["refresh_token"]}, auth=(client_id, secret)
    )
    assert refresh_info.json()["active"] is True and refresh_info.json()["token_type"] == "refresh_token"
    assert browser.post("/oidc/introspect", data={"token": "garbage"}, auth=api).json() == {"active": False}
    assert browser.post("/oidc/introspect", data={"token": tokens["access_token"]}).status_code == 401

    revoked = browser.post(
        "/oidc/revoke",
        data={"token": tokens["access_token"], "token_type_hint": "access_token"},
        auth=(client_id, secret),
    )
    assert revoked.status_code == 200
    assert browser.post("/oidc/introspect", data={"token": tokens["access_token"]}, auth=api).json() == {
        "active": False
    }
    with pytest.raises(TokenRefused, match="revoked"):
        seeded.verify_access_token(tokens["access_token"])
    assert (
        browser.post("/oidc/introspect", data={"token": tokens["refresh_token"]}, auth=api).json()["active"]
        is True
    )
    browser.post("/oidc/revoke", data={"token": tokens["refresh_token"]}, auth=(client_id, secret))
    assert browser.post("/oidc/introspect", data={"token": tokens["refresh_token"]}, auth=api).json() == {
        "active": False
    }
    assert (
        browser.post("/oidc/revoke", data={"token": "unknown"}, auth=(client_id, secret)).status_code == 200
    )


def test_another_client_cannot_introspect_or_revoke_your_tokens(browser, seeded, server_app, mobile):
    other, other_secret = register(seeded, name="别人的应用", client_type="confidential")
    sign_in(browser, "citizen")
    tokens = _tokens(browser, mobile)
    peek = browser.post(
        "/oidc/introspect", data={"token": tokens["access_token"]}, auth=(other, other_secret)
    )
    assert peek.json() == {"active": False}
    revoke = browser.post("/oidc/revoke", data={"token": tokens["refresh_token"]}, auth=(other, other_secret))
    assert revoke.status_code == 400 and revoke.json()["error"] == "invalid_grant"
    assert seeded.verify_access_token(tokens["access_token"])


def test_key_rotation_keeps_old_tokens_valid_until_they_expire(browser, seeded, mobile, clock):
    sign_in(browser, "citizen")
    old = _tokens(browser, mobile)
    old_kid = header_of(old["access_token"])["kid"]
    result = CliRunner().invoke(_cli(), ["identity", "rotate-keys"])
    assert result.exit_code == 0, result.output
    seeded.key_cache.invalidate()
    published = {k["kid"] for k in browser.get("/oidc/jwks").json()["keys"]}
    new = _tokens(browser, mobile)
    new_kid = header_of(new["access_token"])["kid"]
    assert new_kid != old_kid and {old_kid, new_kid} <= published
    assert header_of(new["id_token"])["kid"] == new_kid
    assert (
        seeded.verify_access_token(old["access_token"]).subject
        == seeded.verify_access_token(new["access_token"]).subject
    )
    clock.advance(minutes=16)
    seeded.key_cache.invalidate()
    assert {k["kid"] for k in browser.get("/oidc/jwks").json()["keys"]} == {new_kid}
    with pytest.raises(TokenRefused):
        seeded.verify_access_token(old["access_token"])


def test_a_worker_learns_of_a_rotation_from_an_unknown_kid(browser, seeded, mobile):
    sign_in(browser, "citizen")
    seeded.verify_access_token(_tokens(browser, mobile)["access_token"])  # warms the cache
    seeded.rotate_keys(actor="test")
    seeded.key_cache._loaded_at -= 10  # past the minimum reload interval, well inside the cache's lifetime
    assert seeded.verify_access_token(_tokens(browser, mobile)["access_token"])


def _cli():
    from tongban.platform.cli import main

    return main


def _audit_actions(service) -> list[str]:
    from sqlalchemy import select

    from tongban.platform.identity.models import AuditEvent

    with service.unit() as session:
        return list(session.scalars(select(AuditEvent.action)))
