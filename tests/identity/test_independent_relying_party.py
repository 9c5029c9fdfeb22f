"""An independent relying party (pyoidc, ``oic``) against the provider served by uvicorn on 127.0.0.1:
discovery, authorisation code + PKCE, id_token validation, refresh, userinfo."""

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from identity_helpers import register
from tests_support import serving
from oic import rndstr
from oic.oic import Client
from oic.oic.message import AccessTokenResponse, AuthorizationResponse, OpenIDSchema, RegistrationResponse
from oic.utils.authn.client import CLIENT_AUTHN_METHOD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def provider_url(app, seeded):
    with serving(app) as port:
        yield f"http://127.0.0.1:{port}"


def _rp(provider_url, seeded, *, public: bool):
    redirect = f"{provider_url}/rp-callback"
    client_id, secret = register(
        seeded,
        name="pyoidc RP",
        client_type="public" if public else "confidential",
        redirect_uris=[redirect],
        scope="openid profile email",
    )
    rp = Client(client_authn_method=CLIENT_AUTHN_METHOD)
    info = rp.provider_config(provider_url)
    assert info["issuer"] == provider_url
    rp.store_registration_info(
        RegistrationResponse(client_id=client_id, client_secret=secret or "", redirect_uris=[redirect])
    )
    rp.redirect_uris = [redirect]
    return rp, redirect


def _browser_sign_in(url: str, provider_url: str) -> str:
    """A person at a browser: follow to the sign-in page, sign in, come back with the code."""
    browser = requests.Session()
    login = browser.get(url)
    assert "/login" in login.url, login.url
    token = CSRF.search(login.text).group(1)
    answer = browser.post(
        login.url,
        data={"csrf_token": token, "username": "citizen", "password": "Tongban@2026"},
        allow_redirects=False,
    )
    assert answer.status_code == 303
    back = browser.get(urljoin(provider_url, answer.headers["location"]), allow_redirects=False)
    if back.status_code == 200 and 'name="consent"' in back.text:  # a third-party app: press 同意
        fields = {k: html.unescape(v) for k, v in HIDDEN.findall(back.text)}
        back = browser.post(
            f"{provider_url}/oidc/authorize", data={**fields, "consent": "allow"}, allow_redirects=False
        )
    assert back.status_code == 302, back.text[:300]
    return back.headers["location"]


@pytest.mark.parametrize("public", [False, True], ids=["confidential", "public"])
def test_pyoidc_completes_code_pkce_refresh_and_userinfo(provider_url, seeded, public):
    rp, redirect = _rp(provider_url, seeded, public=public)
    state, nonce = rndstr(), rndstr()
    pkce_args, verifier = rp.add_code_challenge()
    assert pkce_args["code_challenge_method"] == "S256"
    request = rp.construct_AuthorizationRequest(
        request_args={
            "client_id": rp.client_id,
            "response_type": "code",
            "scope": ["openid", "profile", "email"],
            "nonce": nonce,
            "redirect_uri": redirect,
            "state": state,
            **pkce_args,
        }
    )
    location = _browser_sign_in(request.request(rp.authorization_endpoint), provider_url)
    assert location.startswith(redirect)

    response = rp.parse_response(AuthorizationResponse, info=urlsplit(location).query, sformat="urlencoded")
    assert response["state"] == state
    authn = "" if public else "client_secret_basic"
    extra = {"client_id": rp.client_id} if public else {}
    tokens = rp.do_access_token_request(
        state=state,
        authn_method=authn,
        request_args={"code": response["code"], "code_verifier": verifier, "redirect_uri": redirect, **extra},
    )
    assert isinstance(tokens, AccessTokenResponse) and "error" not in tokens, tokens.to_dict()
    id_token = tokens["id_token"]  # oic verified signature (by kid from the JWKS), iss, aud, exp and nonce
    assert id_token["iss"] == provider_url and rp.client_id in id_token["aud"] and id_token["nonce"] == nonce
    assert id_token["name"] == "王小明" and id_token["user_type"] == "person" and id_token.jws_header["kid"]

    refreshed = rp.do_access_token_refresh(state=state, authn_method=authn, request_args=extra)
    assert "error" not in refreshed, refreshed.to_dict()
    assert refreshed["access_token"] != tokens["access_token"]
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert refreshed["id_token"]["sub"] == id_token["sub"]

    info = rp.do_user_info_request(state=state)
    assert (
        isinstance(info, OpenIDSchema)
        and info["sub"] == id_token["sub"]
        and info["email"] == "citizen@example.cn"
    )


def test_pyoidc_sees_a_refusal_for_a_wrong_verifier(provider_url, seeded):
    rp, redirect = _rp(provider_url, seeded, public=False)
    state = rndstr()
    pkce_args, _ = rp.add_code_challenge()
    request = rp.construct_AuthorizationRequest(
        request_args={
            "client_id": rp.client_id,
            "response_type": "code",
            "scope": ["openid"],
            "nonce": rndstr(),
            "redirect_uri": redirect,
            "state": state,
            **pkce_args,
        }
    )
    location = _browser_sign_in(request.request(rp.authorization_endpoint), provider_url)
    response = rp.parse_response(AuthorizationResponse, info=urlsplit(location).query, sformat="urlencoded")
    answer = rp.do_access_token_request(
        state=state,
        authn_method="client_secret_basic",
        request_args={"code": response["code"], "code_verifier": "x" * 64, "redirect_uri": redirect},
    )
    assert answer["error"] == "invalid_grant"
