"""Helpers for the GraphQL API tests: tokens, published items, posting queries, counting SQL statements."""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import timedelta

from catalogue_fixtures import content
from sqlalchemy import event
from tests_support import tenant_context

from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform.identity.common import epoch
from tongban.platform.identity.keys import active_key
from tongban.platform.identity.models import IssuedToken
from tongban.platform.identity.tokens import ACCESS_TOKEN_TYPE, sign

TOWNSHIP = "460105100"  # 长流镇, 海口市秀英区
PATHS = {"46": "/46/", "4601": "/46/4601/", "4602": "/46/4602/", "460105": "/46/4601/460105/",
         TOWNSHIP: "/46/4601/460105/460105100/", "460202": "/46/4602/460202/"}


def mint_token(identity, *, subject: str | None = None, client_id: str = "portal", scope: str = "",
               user_type: str | None = "person", roles: list[tuple] = (), revoked: bool = False) -> str:
    """An access token as the provider would issue it (signed with its key, recorded for revocation checks).

    ``roles``: (role, tenant code, subtree). ``user_type=None`` and no subject make a client-credentials token.
    Used where the provider cannot issue the token yet (``catalog:write`` is not a registered scope) and to
    keep tests short; the end-to-end tests get real tokens from the provider.
    """
    now = identity.now()
    jti = secrets.token_urlsafe(16)
    claims = {"iss": identity.config.issuer or "http://localhost", "sub": subject or client_id, "aud": ["tongban-api"],
              "client_id": client_id, "scope": scope, "iat": epoch(now), "exp": epoch(now + timedelta(minutes=10)),
              "jti": jti}
    if user_type is not None:
        claims.update(user_type=user_type, auth_time=epoch(now))
    if roles:
        claims["roles"] = [{"role": r, "tenant": t, "path": PATHS[t], "subtree": s} for r, t, s in roles]
    with identity.unit() as session:
        token = sign(claims, active_key(session, now), typ=ACCESS_TOKEN_TYPE)
        session.add(IssuedToken(jti=jti, family=secrets.token_hex(8), client_id=client_id, scope=scope,
                                issued_at=now, access_expires_at=now + timedelta(minutes=10),
                                access_revoked_at=now if revoked else None))
    return token


def post(client, query: str, variables: dict | None = None, *, token: str | None = None, path: str = "/graphql",
         headers: dict | None = None):
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    return client.post(path, json={"query": query, "variables": variables or {}}, headers=sent)


def data_of(response) -> dict:
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


def codes_of(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def publish_many(db, count: int, *, prefix: str = "BULK") -> list[str]:
    """``count`` complete items published to the whole province, in one unit of work."""
    codes = [f"{prefix}-{i:03d}" for i in range(count)]
    with db.unit_of_work(tenant_context(db, "46")) as s:
        for i, code in enumerate(codes):
            body = content(code, f"测试事项{i:03d}")
            catalogue.create_item(s, owner="46", elements=body["elements"], actor="admin")
            for part in ("form", "materials", "flow"):
                catalogue.edit_draft(s, code, part, body[part], actor="admin")
            catalogue.publish(s, code, PublishScope.subtree("46"), actor="admin")
    return codes


@contextmanager
def statements(engine):
    """Collects every SQL statement sent through ``engine`` while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def account_subject(identity, username: str) -> str:
    from tongban.platform.identity.seed import demo_account

    with identity.unit() as session:
        return demo_account(session, username).subject


def citizen_token(identity, scope: str = "openid cases:read cases:write catalog:read") -> str:
    return mint_token(identity, subject=account_subject(identity, "citizen"), scope=scope, user_type="person")


def staff_token(identity, *roles: tuple, subject: str = "staff-test", scope: str = "cases:read cases:write") -> str:
    return mint_token(identity, subject=subject, scope=scope, user_type="staff", roles=list(roles))


def citizen_form(identity) -> dict:
    from tongban.platform.identity.models import Person
    from tongban.platform.identity.seed import demo_account

    with identity.unit() as session:
        account = demo_account(session, "citizen")
        person = session.get(Person, account.id)
        return {"applicant_name": person.name, "id_number": person.id_number}


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(client, token: str, material_id: str, name: str = "申请书.pdf", data: bytes = PDF, *,
           item: str = "PROMISED", tenant: str = TOWNSHIP):
    """POST /graphql/uploads as a program would (multipart, bearer token); returns the response."""
    return client.post("/graphql/uploads", headers={"Authorization": f"Bearer {token}"},
                       data={"itemCode": item, "materialId": material_id, "tenant": tenant},
                       files={"file": (name, data, "application/octet-stream")})


def uploaded_files(client, token: str, item: str = "PROMISED", tenant: str = TOWNSHIP) -> list[dict]:
    """The two required materials of the test items, uploaded for the token's person: the ``files`` input."""
    files = []
    for material_id, name in (("m1", "申请书.pdf"), ("m2", "营业执照.pdf")):
        answer = upload(client, token, material_id, name, item=item, tenant=tenant)
        assert answer.status_code == 201, answer.text
        files.append({"materialId": material_id, "files": [{"id": answer.json()["id"]}]})
    return files

SUBMIT = """mutation($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    queryCode
    case { id number state handlingTenant { code } tasks { id nodeId role } }
    errors { field code messageZh messageEn }
  }
}"""

CASE = """query($id: ID!) { case(id: $id) { id number state result tasks { id nodeId role revision }
  events { seq action actorName } materials { materialId status } } }"""

STEP = """mutation($input: TaskInput!) { approveCase(input: $input) {
  case { state tasks { id nodeId } } errors { code field messageEn } } }"""

ACCEPT = """mutation($input: AcceptInput!) { acceptCase(input: $input) {
  case { state tasks { id nodeId } } errors { code field messageEn } } }"""


def submit(client, identity, *, item: str = "PROMISED", tenant: str = TOWNSHIP, token: str | None = None, **form):
    token = token or citizen_token(identity)
    files = []  # the required files, where the token may upload them (others' submissions are refused anyway)
    for material_id, name in (("m1", "申请书.pdf"), ("m2", "营业执照.pdf")):
        answer = upload(client, token, material_id, name, item=item, tenant=tenant)
        if answer.status_code == 201:
            files.append({"materialId": material_id, "files": [{"id": answer.json()["id"]}]})
    variables = {"input": {"tenant": tenant, "itemCode": item, "formData": {**citizen_form(identity), **form},
                           "files": files}}
    return post(client, SUBMIT, variables, token=token).json()


# --- real tokens from the provider, over HTTP (the end-to-end tests) -------------------------------------------
import base64
import hashlib
import html
import re
from urllib.parse import parse_qs, urlsplit

CALLBACK = "http://localhost/cb"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
STAFF_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def register_app(identity, scope: str = "openid profile catalog:read cases:read cases:write") -> tuple[str, str]:
    """A third-party developer's confidential application: (client id, secret)."""
    from tongban.platform.identity.clients import register_client

    with identity.unit() as session:
        client, secret = register_client(session, name="第三方应用", client_type="confidential",
                                         redirect_uris=[CALLBACK], scope=scope, actor="test")
        return client.client_id, secret


def add_township_staff(identity, username: str = "changliu.staff") -> str:
    """A member of 长流镇's staff with the roles of the promised flow and a TOTP second factor."""
    from tongban.platform.identity import accounts
    from tongban.platform.identity.common import system_clock
    from tongban.platform.identity.grants import grant_role
    from tongban.platform.identity.permissions import Role
    from tongban.platform.identity.seed import DEMO_PASSWORD

    with identity.unit() as session:
        account = accounts.register_staff(session, identity.config.passwords, username=username,
                                          password=DEMO_PASSWORD, name="符长流", home_tenant_code=TOWNSHIP)
        account.totp_secret, account.totp_enabled_at = STAFF_TOTP, system_clock()
        for role in (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.CERTIFICATE_CLERK):
            grant_role(session, account=account, role=role, tenant_code=TOWNSHIP, extends_to_subtree=False,
                       granter=None, actor="test")
    return username


def client_credentials(http, client_id: str, secret: str, scope: str = "catalog:read") -> str:
    answer = http.post("/oidc/token", data={"grant_type": "client_credentials", "scope": scope},
                       auth=(client_id, secret))
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def user_token(http, username: str, client_id: str, secret: str, scope: str) -> str:
    """Sign in on the provider's pages (password, then TOTP for staff), consent, exchange the code."""
    import pyotp

    from tongban.platform.identity.seed import DEMO_PASSWORD

    token = _CSRF.search(http.get("/login?next=/account").text).group(1)
    answer = http.post("/login?next=/account", data={"csrf_token": token, "username": username,
                                                     "password": DEMO_PASSWORD})
    location = answer.headers.get("location", "")
    if location.startswith("/login/totp"):
        token = _CSRF.search(http.get(location).text).group(1)
        answer = http.post(location, data={"csrf_token": token, "code": pyotp.TOTP(STAFF_TOTP).now()})
    assert answer.status_code == 303, answer.text[:300]
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": scope,
              "state": "s", "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
              "code_challenge_method": "S256"}
    answer = http.get("/oidc/authorize", params=params)
    if answer.status_code == 200 and 'name="consent"' in answer.text:
        fields = {k: html.unescape(v) for k, v in _HIDDEN.findall(answer.text)}
        answer = http.post("/oidc/authorize", data={**fields, "consent": "allow"})
    assert answer.status_code == 302, answer.text[:300]
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    tokens = http.post("/oidc/token", data={"grant_type": "authorization_code", "code": code,
                                            "redirect_uri": CALLBACK, "code_verifier": verifier},
                       auth=(client_id, secret))
    assert tokens.status_code == 200, tokens.text
    return tokens.json()["access_token"]
