"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0): when a provider session ends, every registered
client that received tokens under it gets one signed Logout Token at its ``backchannel_logout_uri``, sent after
the sign-out commits and retried until the client accepts it. A real relying party endpoint (``logout_receiver``)
verifies each token against the provider's published JWKS."""

from datetime import timedelta

import pytest
from identity_helpers import claims_of, code_for, csrf_of, exchange, pkce, register, register_app, sign_in
from logout_receiver import Receiver, serve
from sqlalchemy import func, select
from starlette.testclient import TestClient

from tongban.platform.db import utcnow
from tongban.platform.identity import sessions
from tongban.platform.identity.common import InvalidInput
from tongban.platform.identity.expiry import purge_expired
from tongban.platform.identity.logout_delivery import deliver, due_for_sweep
from tongban.platform.identity.models import LogoutDelivery, ProviderSession


@pytest.fixture
def receiver(seeded):
    yield from serve(Receiver(issuer="http://localhost"))


def _client(service, receiver, name: str, *, uri: bool = True, sid_required: bool = False) -> tuple[str, str]:
    client_id, secret = register(
        service,
        name=f"外部门户 {name}",
        client_type="confidential",
        backchannel_logout_uri=receiver.uri(name) if uri else None,
        backchannel_logout_session_required=sid_required,
    )
    receiver.audiences[name] = client_id
    if sid_required:
        receiver.sid_required.add(name)
    return client_id, secret


def _id_token_claims(browser, client_id: str, secret: str) -> dict:
    """The client signs the browser's user in (code + PKCE) and keeps the id_token's claims."""
    verifier, challenge = pkce()
    code = code_for(browser, client_id, challenge, scope="openid profile")
    answer = exchange(browser, code, client_id=client_id, verifier=verifier, secret=secret)
    assert answer.status_code == 200, answer.text
    return claims_of(answer.json()["id_token"])


def _sign_out(browser) -> None:
    page = browser.post("/logout", data={"csrf_token": csrf_of(browser, "/logout")})
    assert page.status_code == 200 and "您已退出登录" in page.text


def _deliveries(service) -> int:
    with service.unit() as session:
        return session.scalar(select(func.count()).select_from(LogoutDelivery))


def test_discovery_advertises_back_channel_logout(browser):
    document = browser.get("/.well-known/openid-configuration").json()
    assert document["backchannel_logout_supported"] is True
    assert document["backchannel_logout_session_supported"] is True
    assert "sid" in document["claims_supported"]


def test_signing_out_sends_one_verified_logout_token_to_each_client_with_a_session(app, browser, seeded, receiver):
    a = _client(seeded, receiver, "a")
    b = _client(seeded, receiver, "b", sid_required=True)
    other_persons = _client(seeded, receiver, "c")
    no_uri = _client(seeded, receiver, "d", uri=False)
    sign_in(browser, "citizen")
    id_a = _id_token_claims(browser, *a)
    _id_token_claims(browser, *a)  # a second sign-in of the same client under the same session
    id_b = _id_token_claims(browser, *b)
    _id_token_claims(browser, *no_uri)
    with TestClient(app, base_url="http://localhost") as other:
        sign_in(other, "agent")
        _id_token_claims(other, *other_persons)
    receiver.jwks = browser.get("/oidc/jwks").json()

    _sign_out(browser)

    assert receiver.refused == []
    assert sorted(receiver.attempts) == ["a", "b"], "one token per client with a session, none for c or d"
    for name, client_id, id_claims in (("a", a[0], id_a), ("b", b[0], id_b)):
        (token,) = receiver.accepted_for(name)
        assert token["aud"] == client_id
        assert id_claims["sid"] and token["sid"] == id_claims["sid"], "the id_token's sid names the session"
        assert token["sub"] == id_claims["sub"] and token["iss"] == id_claims["iss"] == "http://localhost"
        assert 0 < token["exp"] - token["iat"] <= 300
    assert receiver.accepted_for("a")[0]["jti"] != receiver.accepted_for("b")[0]["jti"]
    assert _deliveries(seeded) == 2


def test_a_client_that_registered_no_uri_is_sent_nothing(browser, seeded, receiver):
    client = _client(seeded, receiver, "quiet", uri=False)
    sign_in(browser, "citizen")
    _id_token_claims(browser, *client)
    _sign_out(browser)
    assert receiver.attempts == [] and _deliveries(seeded) == 0


def test_a_failing_client_is_retried_with_backoff_until_it_accepts(browser, seeded, receiver, db):
    client = _client(seeded, receiver, "flaky")
    sign_in(browser, "citizen")
    id_claims = _id_token_claims(browser, *client)
    receiver.jwks = browser.get("/oidc/jwks").json()
    receiver.fail_next["flaky"] = 2

    _sign_out(browser)
    assert receiver.attempts == ["flaky"] and receiver.accepted == []
    assert due_for_sweep(db, now=utcnow() + timedelta(seconds=5)) == [], "not before the backoff"

    first_retry = due_for_sweep(db, now=utcnow() + timedelta(minutes=1))
    assert len(first_retry) == 1
    assert deliver(db, first_retry, now=utcnow() + timedelta(minutes=1)) == 0  # answered 503 again
    assert due_for_sweep(db, now=utcnow() + timedelta(minutes=1)) == [], "the backoff doubled"

    later = utcnow() + timedelta(minutes=5)
    assert deliver(db, due_for_sweep(db, now=later), now=later) == 1
    assert receiver.attempts == ["flaky"] * 3 and receiver.refused == []
    (token,) = receiver.accepted_for("flaky")
    assert token["sid"] == id_claims["sid"]
    assert due_for_sweep(db, now=later + timedelta(hours=2)) == [], "accepted: never sent again"


def test_a_rolled_back_sign_out_sends_nothing(browser, seeded, receiver, db):
    client = _client(seeded, receiver, "a")
    sign_in(browser, "citizen")
    _id_token_claims(browser, *client)
    receiver.jwks = browser.get("/oidc/jwks").json()

    with pytest.raises(RuntimeError), seeded.unit() as session:
        row = session.scalar(select(ProviderSession).where(ProviderSession.ended_at.is_(None)))
        sessions.end(session, row, seeded.now())
        raise RuntimeError("something after the sign-out failed: the transaction rolls back")

    assert receiver.attempts == [] and _deliveries(seeded) == 0
    assert due_for_sweep(db, now=utcnow() + timedelta(hours=1)) == []
    assert "王小明" in browser.get("/account").text, "still signed in"
    _sign_out(browser)
    assert len(receiver.accepted_for("a")) == 1


def test_a_session_that_expires_is_logged_out_at_the_client_when_it_is_purged(browser, seeded, receiver):
    client = _client(seeded, receiver, "a")
    sign_in(browser, "citizen")
    id_claims = _id_token_claims(browser, *client)
    receiver.jwks = browser.get("/oidc/jwks").json()

    with seeded.unit() as session:
        purge_expired(session, seeded.now() + seeded.config.session_ttl)
    (token,) = receiver.accepted_for("a")
    assert token["sid"] == id_claims["sid"] and token["sub"] == id_claims["sub"]


@pytest.mark.parametrize(
    "uri",
    [
        "http://rp.example.com/backchannel",  # http away from this machine
        "https://rp.example.com/backchannel#logout",  # a fragment
        "https://{slug}.example.com/backchannel",  # placeholders are for first-party redirect URIs
        "ftp://rp.example.com/backchannel",
        "https:///backchannel",
        "https://rp.example.com:99999/backchannel",
    ],
)
def test_a_bad_uri_is_refused_on_its_field(seeded, uri):
    with pytest.raises(InvalidInput) as refused:
        register(seeded, name="外部门户", client_type="confidential", backchannel_logout_uri=uri)
    assert refused.value.field == "backchannel_logout_uri"
    assert "退出通知地址无效" in refused.value.zh and "Invalid back-channel logout URI" in refused.value.en


def test_developers_set_the_uri_and_see_field_errors_in_chinese_and_english(browser, seeded):
    sign_in(browser, "citizen")
    refused = register_app(browser, scopes=("openid", "profile"),
                           backchannel_logout_uri="http://rp.example.com/backchannel")
    assert refused.status_code == 400
    assert 'id="backchannel_logout_uri-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert "退出通知地址无效" in refused.text and "Invalid back-channel logout URI" in refused.text
    assert "椰城停车" in refused.text and "还没有应用" in refused.text, "the form kept, nothing registered"

    page = register_app(browser, scopes=("openid", "profile"),
                        backchannel_logout_uri="http://127.0.0.1:8080/backchannel",
                        backchannel_logout_session_required="on")
    assert page.status_code == 200 and "只显示这一次" in page.text
    client_id = seeded_client_id(seeded)
    detail = browser.get(f"/developers/apps/{client_id}").text
    assert "http://127.0.0.1:8080/backchannel" in detail and "须含 sid" in detail

    form = {"csrf_token": csrf_of(browser, "/developers/apps"), "action": "backchannel_logout"}
    bad = browser.post(f"/developers/apps/{client_id}", data={**form, "backchannel_logout_uri": "https://rp/x#y"})
    assert bad.status_code == 400 and "退出通知地址无效" in bad.text and "no fragment" in bad.text
    assert "http://127.0.0.1:8080/backchannel" in browser.get(f"/developers/apps/{client_id}").text, "unchanged"

    saved = browser.post(
        f"/developers/apps/{client_id}", data={**form, "backchannel_logout_uri": "https://rp.example.com/bc"}
    )
    assert saved.status_code == 200 and "已保存" in saved.text
    detail = browser.get(f"/developers/apps/{client_id}").text
    assert "https://rp.example.com/bc" in detail and "须含 sid" not in detail
    cleared = browser.post(f"/developers/apps/{client_id}", data={**form, "backchannel_logout_uri": ""})
    assert cleared.status_code == 200 and "未设置" in browser.get(f"/developers/apps/{client_id}").text

    browser.cookies.clear()
    sign_in(browser, "agent")
    form["csrf_token"] = csrf_of(browser, "/developers/apps")
    others = browser.post(f"/developers/apps/{client_id}", data={**form, "backchannel_logout_uri": "https://x.cn/bc"})
    assert others.status_code == 404, "someone else's app looks like no app"


def seeded_client_id(service) -> str:
    from tongban.platform.identity.models import Client

    with service.unit() as session:
        return session.scalar(select(Client.client_id).where(Client.name == "椰城停车"))


def test_an_operator_sets_the_uri_from_the_cli_and_a_bad_one_is_refused(seeded, receiver):
    from click.testing import CliRunner

    from tongban.platform.cli import main
    from tongban.platform.identity.models import Client

    client_id, _secret = _client(seeded, receiver, "cli", uri=False)
    wrong = CliRunner().invoke(main, ["identity", "backchannel-logout", client_id, "http://rp.example.com/bc"])
    assert wrong.exit_code != 0 and "退出通知地址无效" in wrong.output and "Invalid back-channel" in wrong.output
    done = CliRunner().invoke(
        main, ["identity", "backchannel-logout", client_id, "https://rp.example.com/bc", "--session-required"]
    )
    assert done.exit_code == 0 and "https://rp.example.com/bc" in done.output, done.output
    with seeded.unit() as session:
        client = session.get(Client, client_id)
        assert client.backchannel_logout_uri == "https://rp.example.com/bc"
        assert client.backchannel_logout_session_required is True
    assert CliRunner().invoke(main, ["identity", "backchannel-logout", "app_nope", ""]).exit_code != 0


def test_an_operator_signing_someone_out_tells_the_clients(browser, seeded, receiver):
    from click.testing import CliRunner

    from tongban.platform.cli import main

    client = _client(seeded, receiver, "a")
    sign_in(browser, "citizen")
    id_claims = _id_token_claims(browser, *client)
    receiver.jwks = browser.get("/oidc/jwks").json()

    done = CliRunner().invoke(main, ["identity", "sign-out", "citizen"])
    assert done.exit_code == 0 and "ended 1 sessions of citizen" in done.output, done.output
    (token,) = receiver.accepted_for("a")
    assert token["sid"] == id_claims["sid"]
    assert "/login" in str(browser.get("/account").url), "signed out at the provider too"
    assert CliRunner().invoke(main, ["identity", "sign-out", "nobody"]).exit_code != 0


def test_deliveries_accepted_long_ago_are_purged_and_owed_ones_kept(browser, seeded, receiver, db):
    from tongban.platform.identity.logout_delivery import purge_spent

    for name in ("a", "b"):
        client = _client(seeded, receiver, name)
        sign_in(browser, "citizen")
        _id_token_claims(browser, *client)
        receiver.jwks = browser.get("/oidc/jwks").json()
        receiver.fail_next["b"] = 99
        _sign_out(browser)
    with seeded.unit() as session:
        assert purge_spent(session, utcnow() + timedelta(days=29)) == 0, "kept for 30 days"
        assert purge_spent(session, utcnow() + timedelta(days=31)) == 1, "the accepted one only"
        (left,) = session.scalars(select(LogoutDelivery))
        assert left.sent_at is None and left.uri == receiver.uri("b")


def test_a_password_reset_logs_the_person_out_at_the_clients(browser, seeded, receiver, mailer):
    import re

    client = _client(seeded, receiver, "a")
    sign_in(browser, "citizen")
    id_claims = _id_token_claims(browser, *client)
    receiver.jwks = browser.get("/oidc/jwks").json()
    seeded.request_password_reset("citizen", link_for=lambda t: f"http://localhost/login/reset/{t}")
    token = re.search(r"/login/reset/(\S+)", mailer.outbox[-1].body).group(1)

    seeded.reset_password(token, "Yecheng#Park2027")

    (logout,) = receiver.accepted_for("a")
    assert logout["sid"] == id_claims["sid"] and logout["sub"] == id_claims["sub"]


def test_the_receiver_refuses_a_forged_token_and_one_with_a_nonce(browser, seeded, receiver):
    """The relying party's checks are real: a token signed by another key, or carrying a nonce, is refused."""
    from joserfc import jwt as jose_jwt
    from joserfc.jwk import RSAKey

    from tongban.platform.identity.backchannel import EVENT

    receiver.jwks = browser.get("/oidc/jwks").json()
    receiver.audiences["x"] = "app_x"
    kid = receiver.jwks["keys"][0]["kid"]
    now = int(utcnow().timestamp())
    claims = {"iss": "http://localhost", "aud": "app_x", "iat": now, "exp": now + 120, "jti": "j1", "sid": "s",
              "events": {EVENT: {}}}
    forged = jose_jwt.encode({"alg": "RS256", "kid": kid, "typ": "logout+jwt"}, claims,
                             RSAKey.generate_key(2048, private=True))
    assert receiver.validate("x", forged)[0].startswith("signature")
    with seeded.unit() as session:
        from tongban.platform.identity.keys import active_key
        from tongban.platform.identity.tokens import sign

        with_nonce = sign({**claims, "nonce": "n"}, active_key(session, seeded.now()), typ="logout+jwt")
        genuine = sign(claims, active_key(session, seeded.now()), typ="logout+jwt")
    assert receiver.validate("x", with_nonce)[0] == "bad claims: nonce"
    assert receiver.validate("x", genuine)[0] is None
    assert receiver.validate("x", genuine)[0] == "bad claims: jti", "a replayed jti"
