"""Helpers for identity tests: drive the sign-in forms and OAuth endpoints as a browser and a client would."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import pyotp

from tongban.platform.identity.seed import DEMO_PASSWORD, DEMO_STAFF, first_party_secret

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STAFF_SECRETS = {username: secret for username, *_rest, secret in DEMO_STAFF}
LOCAL_CALLBACK = "http://localhost/cb"


def csrf_of(client, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


def register_app(browser, *, scopes=("openid", "profile", "catalog:read"), **fields):
    """Post the /developers/apps form (椰城停车, confidential, http://localhost/cb) with ``fields`` changed."""
    data = {
        "csrf_token": csrf_of(browser, "/developers/apps"),
        "name": "椰城停车",
        "client_type": "confidential",
        "redirect_uris": "http://localhost/cb",
        "scopes": list(scopes),
        **fields,
    }
    return browser.post("/developers/apps", data=data)


def sign_in(client, username: str, password: str = DEMO_PASSWORD, *, clock=None, next_url: str = "/account"):
    """Password form, then the TOTP form for staff; returns the last response (not followed)."""
    token = csrf_of(client, f"/login?next={next_url}")
    answer = client.post(
        f"/login?next={next_url}",
        data={"csrf_token": token, "username": username, "password": password},
        follow_redirects=False,
    )
    location = answer.headers.get("location", "")
    if (
        answer.status_code == 303
        and location.startswith("/login/totp?")
        and username in STAFF_SECRETS
        and clock is not None
    ):
        code = pyotp.TOTP(STAFF_SECRETS[username]).at(clock())
        token = csrf_of(client, location)
        answer = client.post(location, data={"csrf_token": token, "code": code}, follow_redirects=False)
    return answer


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(
    client,
    client_id: str,
    redirect_uri: str = LOCAL_CALLBACK,
    *,
    scope: str = "openid profile",
    challenge: str | None = None,
    nonce: str | None = None,
    state: str = "af0ifjsldkj",
    **extra,
):
    nonce = nonce or secrets.token_urlsafe(12)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "nonce": nonce,
        **extra,
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return client.get("/oidc/authorize", params=params, follow_redirects=False)


def query_of(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def code_for(client, client_id: str, verifier_challenge=None, *, consent: bool = True, **kwargs) -> str:
    answer = authorize(client, client_id, challenge=verifier_challenge, **kwargs)
    if consent and answer.status_code == 200 and 'name="consent"' in answer.text:
        answer = give_consent(client, answer.text)
    assert answer.status_code == 302, answer.text[:400]
    params = query_of(answer)
    assert "code" in params, params
    return params["code"]


def exchange(
    client,
    code: str,
    *,
    client_id: str,
    verifier: str | None = None,
    secret: str | None = None,
    redirect_uri: str = LOCAL_CALLBACK,
):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier:
        data["code_verifier"] = verifier
    auth = (client_id, secret) if secret else None
    if not secret:
        data["client_id"] = client_id
    return client.post("/oidc/token", data=data, auth=auth)


def claims_of(jwt: str) -> dict:
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def header_of(jwt: str) -> dict:
    part = jwt.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def portal_secret(service, client_id: str = "portal") -> str:
    return first_party_secret(service.config.secret_key, client_id)


def register(service, **kwargs):
    """Register a client directly through the domain service; returns (client_id, secret)."""
    from tongban.platform.identity.clients import register_client

    kwargs.setdefault("redirect_uris", [LOCAL_CALLBACK])
    kwargs.setdefault("scope", "openid profile email catalog:read cases:read")
    kwargs.setdefault("actor", "test")
    with service.unit() as session:
        client, secret = register_client(session, **kwargs)
        return client.client_id, secret


HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def give_consent(client, page: str, choice: str = "allow"):
    """Press 同意 (or 拒绝) on the consent page."""
    import html

    fields = {k: html.unescape(v) for k, v in HIDDEN.findall(page)}
    return client.post("/oidc/authorize", data={**fields, "consent": choice}, follow_redirects=False)
