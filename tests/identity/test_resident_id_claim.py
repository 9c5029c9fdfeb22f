"""The resident ID (公民身份号码) as the ``resident_id`` claim: released to the first-party portal with the
``identity:resident_id`` scope (and kept sealed in the portal's session), never to a third-party application
that was not granted the scope, nor while the person acts for an enterprise."""

import pytest
from identity_helpers import (
    LOCAL_CALLBACK,
    authorize,
    claims_of,
    code_for,
    csrf_of,
    exchange,
    give_consent,
    pkce,
    portal_secret,
    query_of,
    register,
    sign_in,
)
from sqlalchemy import select
from starlette.responses import JSONResponse
from starlette.routing import Route

from tongban.platform.identity.clients import grant_restricted_scope
from tongban.platform.identity.common import InvalidInput
from tongban.platform.identity.models import Client, RelyingPartySession
from tongban.platform.identity.web.rp import portal_rp

CITIZEN_ID = "460100199003070015"  # the demo citizen 王小明 (DEMO_ACCOUNTS.md)
SCOPE = "openid profile identity:resident_id"


@pytest.fixture
def third_party(seeded):
    return register(seeded, name="椰城停车", client_type="confidential", scope="openid profile email")


def _tokens(browser, client_id, secret, scope=SCOPE, redirect_uri=LOCAL_CALLBACK):
    verifier, challenge = pkce()
    code = code_for(browser, client_id, challenge, scope=scope, redirect_uri=redirect_uri)
    answer = exchange(browser, code, client_id=client_id, verifier=verifier, secret=secret, redirect_uri=redirect_uri)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_portal_receives_the_resident_id_in_the_id_token_and_userinfo(browser, seeded):
    sign_in(browser, "citizen")
    tokens = _tokens(browser, "portal", portal_secret(seeded), redirect_uri="http://localhost/auth/callback")
    id_token = claims_of(tokens["id_token"])
    assert id_token["resident_id"] == CITIZEN_ID and id_token["resident_id_verified"] is True
    assert "resident_id" not in claims_of(tokens["access_token"]), "access tokens travel to APIs: not in them"
    info = browser.get("/oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert info["resident_id"] == CITIZEN_ID
    without = _tokens(browser, "portal", portal_secret(seeded), scope="openid profile",
                      redirect_uri="http://localhost/auth/callback")
    assert "resident_id" not in claims_of(without["id_token"]), "only with the scope asked for"
    assert "resident_id" in browser.get("/.well-known/openid-configuration").json()["claims_supported"]


def test_a_third_party_app_without_the_scope_never_gets_it(browser, seeded, third_party):
    client_id, secret = third_party
    sign_in(browser, "citizen")
    tokens = _tokens(browser, client_id, secret)
    assert "identity:resident_id" not in tokens["scope"].split()
    assert "resident_id" not in claims_of(tokens["id_token"])
    info = browser.get("/oidc/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert info["name"] == "王小明" and "resident_id" not in info


def test_a_third_party_app_cannot_give_itself_the_scope_but_an_operator_can_grant_it(browser, seeded, third_party):
    with pytest.raises(InvalidInput) as refused:
        register(seeded, name="偷号", client_type="confidential", scope="openid identity:resident_id")
    assert refused.value.field == "scope" and "须经平台管理员授予" in refused.value.zh
    sign_in(browser, "citizen")
    page = browser.get("/developers/apps")
    assert "读取办事指南" in page.text and "公民身份号码" not in page.text, "the developer form does not offer it"
    refused_form = browser.post("/developers/apps", data={
        "csrf_token": csrf_of(browser, "/developers/apps"), "name": "偷号", "client_type": "confidential",
        "redirect_uris": "https://example.com/cb", "scopes": ["openid", "identity:resident_id"]})
    assert refused_form.status_code == 400 and "须经平台管理员授予" in refused_form.text

    client_id, secret = third_party
    with seeded.unit() as session:
        grant_restricted_scope(session, session.get(Client, client_id), "identity:resident_id", actor="province.admin")
    verifier, challenge = pkce()
    consent = authorize(browser, client_id, challenge=challenge, scope=SCOPE)
    assert "公民身份号码" in consent.text, "the person still consents to the ID number"
    code = query_of(give_consent(browser, consent.text))["code"]
    tokens = exchange(browser, code, client_id=client_id, verifier=verifier, secret=secret).json()
    assert claims_of(tokens["id_token"])["resident_id"] == CITIZEN_ID


def test_no_resident_id_while_acting_for_an_enterprise(browser, seeded):
    from tongban.platform.identity.seed import demo_enterprise

    with seeded.unit() as session:
        enterprise_sub = demo_enterprise(session).subject
    sign_in(browser, "agent")
    verifier, challenge = pkce()
    callback = "http://localhost/auth/callback"
    code = code_for(browser, "portal", challenge, scope=SCOPE, redirect_uri=callback, acting_as=enterprise_sub)
    tokens = exchange(browser, code, client_id="portal", verifier=verifier, secret=portal_secret(seeded),
                      redirect_uri=callback).json()
    claims = claims_of(tokens["id_token"])
    assert claims["user_type"] == "enterprise" and "resident_id" not in claims


def test_the_portal_session_carries_the_resident_id_sealed(app, browser, seeded, db):
    async def whoami(request):
        user = await portal_rp.current_user(request)
        return JSONResponse({"resident_id": user and user.claims.get("resident_id")})

    app.router.routes.append(Route("/whoami-id", whoami))
    page = browser.get("http://haikou.localhost/auth/login?next=/whoami-id")
    token = csrf_of(browser, str(page.url))
    landing = browser.post(str(page.url), data={"csrf_token": token, "username": "citizen",
                                                "password": "Tongban@2026"})
    assert landing.json() == {"resident_id": CITIZEN_ID}
    with seeded.unit() as session:
        (row,) = session.scalars(select(RelyingPartySession))
        assert "resident_id" not in row.claims and CITIZEN_ID not in row.sealed_tokens
        assert row.claims["name"] == "王小明"


def test_an_operator_grants_the_scope_from_the_cli_and_a_wrong_scope_is_refused(seeded, third_party):
    from click.testing import CliRunner

    from tongban.platform.cli import main

    client_id, _secret = third_party
    wrong = CliRunner().invoke(main, ["identity", "grant-scope", client_id, "cases:write"])
    assert wrong.exit_code != 0 and "不是受限权限范围" in wrong.output
    done = CliRunner().invoke(main, ["identity", "grant-scope", client_id, "identity:resident_id"])
    assert done.exit_code == 0, done.output
    with seeded.unit() as session:
        assert "identity:resident_id" in session.get(Client, client_id).scope.split()
    assert CliRunner().invoke(main, ["identity", "grant-scope", "app_nope", "identity:resident_id"]).exit_code != 0


def test_seeding_again_gives_an_older_portal_client_the_new_scope(seeded, db):
    from tongban.platform.identity.seed import seed_identity

    with seeded.unit() as session:
        session.get(Client, "portal").scope = "openid profile email phone catalog:read cases:read cases:write"
    seed_identity(db, secret_key=seeded.config.secret_key, base_url="http://localhost",
                  passwords=seeded.config.passwords)
    with seeded.unit() as session:
        scopes = session.get(Client, "portal").scope.split()
    assert "identity:resident_id" in scopes and len(scopes) == len(set(scopes)) == 8
