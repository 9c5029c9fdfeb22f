"""OAuth clients: registration, secrets (shown once, stored hashed), redirect URI rules, and the adapter
authlib's server calls (``ClientMixin``).

First-party clients (portal, workbench, admin) serve every tenant host, so their registered redirect URIs
may hold ``{slug}`` (a tenant's host label) and ``{code}`` (a division code) placeholders. Third-party
clients register exact URIs only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin
from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.identity.common import InvalidInput, audit, digest
from tongban.platform.identity.models import Account, Client

SCOPES: dict[str, tuple[str, str]] = {
    "openid": ("确认您的登录身份", "Confirm who you are"),
    "profile": ("姓名、用户类型和角色", "Your name, user type and roles"),
    "email": ("电子邮箱", "Your email address"),
    "phone": ("手机号码", "Your mobile number"),
    "identity:resident_id": ("公民身份号码", "Your resident ID number"),
    "catalog:read": ("读取办事指南", "Read the service catalogue"),
    "catalog:write": ("配置和发布事项", "Configure and publish items"),
    "licenses:read": ("查询电子证照（须注明用途）", "Read e-licenses (with a stated purpose)"),
    "licenses:write": ("向电子证照库报送证照", "Send licenses to the e-license library"),
    "cases:read": ("查看您的办件", "Read your cases"),
    "cases:write": ("代您提交和补正办件", "Submit and amend cases for you"),
    "supervision:read": ("查看电子监察预警和统计", "Read supervision alerts and statistics"),
    "supervision:write": ("处置电子监察预警", "Dispose of supervision alerts"),
}
USER_SCOPES = ("openid", "profile", "email", "phone", "identity:resident_id")
# Scopes a third-party application cannot give itself: first-party clients hold them, others only by an
# operator's grant (``grant_restricted_scope``), audited.
RESTRICTED_SCOPES = ("identity:resident_id",)
PLACEHOLDERS = {"{slug}": "[a-z0-9][a-z0-9-]{0,62}", "{code}": r"\d{2,12}"}
PUBLIC, CONFIDENTIAL = "public", "confidential"


def _uri_pattern(registered: str) -> re.Pattern[str]:
    parts = re.split(r"(\{slug\}|\{code\})", registered)
    return re.compile("^" + "".join(PLACEHOLDERS.get(p, re.escape(p)) for p in parts) + "$")


def uri_matches(registered: list[str], uri: str, *, patterns: bool) -> bool:
    if not uri:
        return False
    for candidate in registered:
        if "{" in candidate:
            if patterns and _uri_pattern(candidate).match(uri):
                return True
        elif hmac.compare_digest(candidate, uri):
            return True
    return False


def _acceptable_uri(uri: str, *, allow_patterns: bool) -> bool:
    """https, or http on this machine (development); no fragment; placeholders only where allowed."""
    test = uri.replace("{slug}", "slug").replace("{code}", "46")
    try:
        parts = urlsplit(test)
        hostname, _port = parts.hostname, parts.port
    except ValueError:
        return False
    loopback = hostname in ("localhost", "127.0.0.1", "::1") or (hostname or "").endswith(".localhost")
    return not (
        ("{" in uri and not allow_patterns)
        or parts.fragment
        or not hostname
        or not (parts.scheme == "https" or (parts.scheme == "http" and loopback))
    )


def _check_uri(uri: str, *, allow_patterns: bool) -> str:
    uri = uri.strip()
    if not _acceptable_uri(uri, allow_patterns=allow_patterns):
        raise InvalidInput(
            f"回调地址无效：{uri}（须为 https，本机调试可用 http，不能含 #）",
            f"Invalid redirect URI {uri} (https, or http on localhost; no fragment)",
            field="redirect_uris",
        )
    return uri


def check_backchannel_logout_uri(uri: str | None) -> str | None:
    """The client's back-channel logout URI (or None): the redirect URIs' rules, exact URIs only."""
    uri = (uri or "").strip()
    if not uri:
        return None
    if len(uri) > 2000 or not _acceptable_uri(uri, allow_patterns=False):
        raise InvalidInput(
            f"退出通知地址无效：{uri}（须为 https，本机调试可用 http://localhost 或 127.0.0.1，不能含 # 或占位符）",
            f"Invalid back-channel logout URI {uri} (https, or http on localhost; no fragment or placeholder)",
            field="backchannel_logout_uri",
        )
    return uri


def set_backchannel_logout(
    session: Session, client: Client, uri: str | None, *, session_required: bool, actor: str
) -> None:
    """Set (or clear, with an empty URI) where the client is told that a user's session ended."""
    client.backchannel_logout_uri = check_backchannel_logout_uri(uri)
    client.backchannel_logout_session_required = bool(session_required)
    audit(
        session,
        actor=actor,
        action="client_backchannel_logout_set",
        target=client.client_id,
        uri=client.backchannel_logout_uri or "",
        session_required=client.backchannel_logout_session_required,
    )


def _check_scopes(scope: str, *, first_party: bool = False) -> str:
    names = scope.split()
    unknown = [s for s in names if s not in SCOPES]
    if unknown:
        raise InvalidInput(
            f"未知的权限范围：{' '.join(unknown)}", f"Unknown scopes: {' '.join(unknown)}", field="scope"
        )
    restricted = [s for s in names if s in RESTRICTED_SCOPES]
    if restricted and not first_party:
        raise InvalidInput(
            f"第三方应用不能自行申请权限范围：{' '.join(restricted)}（须经平台管理员授予）",
            f"A third-party application cannot give itself {' '.join(restricted)} (an operator grants it)",
            field="scope",
        )
    return " ".join(dict.fromkeys(names))


class RegistrationInvalid(InvalidInput):
    """Several fields of a client's registration wrong: ``problems`` holds each (all told at once)."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        super().__init__(problems[0].zh, problems[0].en, field=problems[0].field)
        self.problems = problems


def _check_registration(name: str, client_type: str, redirect_uris, logout_uris, first_party: bool, scope: str,
                        backchannel_logout_uri: str | None):
    """(redirect URIs, post-logout URIs, grant types, scope, back-channel URI) after checking every field; every
    problem found is raised at once (RegistrationInvalid), each naming its field."""
    problems: list[InvalidInput] = []

    def checked(rule, default=None):
        try:
            return rule()
        except InvalidInput as problem:
            problems.append(problem)
            return default

    if client_type not in (PUBLIC, CONFIDENTIAL):
        problems.append(InvalidInput("客户端类型须为 public 或 confidential", "Client type is public or confidential",
                                     field="client_type"))
    if not (name or "").strip():
        problems.append(InvalidInput("请填写应用名称", "Enter the application's name", field="name"))
    uris = [checked(lambda u=u: _check_uri(u, allow_patterns=first_party)) for u in redirect_uris if u.strip()]
    logouts = [checked(lambda u=u: _check_uri(u, allow_patterns=first_party)) for u in logout_uris if u.strip()]
    grant_types = ["authorization_code", "refresh_token"] if uris else []
    if client_type == CONFIDENTIAL:
        grant_types.append("client_credentials")
    if not grant_types and client_type == PUBLIC:
        problems.append(InvalidInput("公开客户端至少需要一个回调地址", "A public client needs a redirect URI",
                                     field="redirect_uris"))
    backchannel = checked(lambda: check_backchannel_logout_uri(backchannel_logout_uri))
    scopes = checked(lambda: _check_scopes(scope, first_party=first_party), "")
    if problems:
        raise RegistrationInvalid(problems)
    return uris, logouts, grant_types, scopes, backchannel


def register_client(
    session: Session,
    *,
    name: str,
    client_type: str,
    redirect_uris: list[str],
    scope: str,
    actor: str,
    owner: Account | None = None,
    first_party: bool = False,
    client_id: str | None = None,
    post_logout_redirect_uris: list[str] = (),
    may_introspect: bool = False,
    secret: str | None = None,
    backchannel_logout_uri: str | None = None,
    backchannel_logout_session_required: bool = False,
) -> tuple[Client, str | None]:
    """Register a client; returns it and its secret in clear (confidential clients only), shown once."""
    uris, logout_uris, grant_types, scope, backchannel_uri = _check_registration(
        name, client_type, redirect_uris, post_logout_redirect_uris, first_party, scope, backchannel_logout_uri
    )
    secret = secret or (secrets.token_urlsafe(32) if client_type == CONFIDENTIAL else None)
    client = Client(
        client_id=client_id or "app_" + secrets.token_hex(8),
        name=name.strip(),
        owner_account_id=owner.id if owner else None,
        first_party=first_party,
        client_type=client_type,
        secret_hash=digest(secret) if secret else None,
        redirect_uris=uris,
        post_logout_redirect_uris=logout_uris,
        grant_types=grant_types,
        scope=scope,
        may_introspect=may_introspect,
        backchannel_logout_uri=backchannel_uri,
        backchannel_logout_session_required=bool(backchannel_logout_session_required),
    )
    session.add(client)
    audit(
        session,
        actor=actor,
        action="client_registered",
        target=client.client_id,
        name=client.name,
        client_type=client_type,
    )
    session.flush()
    return client, secret


def rotate_secret(session: Session, client: Client, *, actor: str, now) -> str:
    if client.client_type != CONFIDENTIAL:
        raise InvalidInput("公开客户端没有密钥", "A public client has no secret")
    secret = secrets.token_urlsafe(32)
    client.secret_hash, client.secret_rotated_at = digest(secret), now
    audit(session, actor=actor, action="client_secret_rotated", target=client.client_id, at=now)
    return secret


def grant_restricted_scope(session: Session, client: Client, scope: str, *, actor: str) -> None:
    """An operator lets one third-party client request a restricted scope (its users still consent)."""
    if scope not in RESTRICTED_SCOPES:
        raise InvalidInput(f"不是受限权限范围：{scope}", f"Not a restricted scope: {scope}", field="scope")
    if scope in client.scope.split():
        return
    client.scope = " ".join([*client.scope.split(), scope])
    audit(session, actor=actor, action="client_scope_granted", target=client.client_id, scope=scope)


def clients_of(session: Session, owner: Account) -> list[Client]:
    return list(
        session.scalars(select(Client).where(Client.owner_account_id == owner.id).order_by(Client.created_at))
    )


class OAuthClient(ClientMixin):
    """What authlib sees of a client row."""

    def __init__(self, row: Client) -> None:
        self.row = row
        self.client_id = row.client_id

    @property
    def is_public(self) -> bool:
        return self.row.client_type == PUBLIC

    @property
    def client_metadata(self) -> dict:
        return {
            "post_logout_redirect_uris": self.row.post_logout_redirect_uris,
            "backchannel_logout_uri": self.row.backchannel_logout_uri,
            "backchannel_logout_session_required": self.row.backchannel_logout_session_required,
        }

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        exact = [u for u in self.row.redirect_uris if "{" not in u]
        return exact[0] if len(exact) == 1 and len(self.row.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.row.scope.split())
        return " ".join(s for s in dict.fromkeys((scope or "").split()) if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return uri_matches(self.row.redirect_uris, redirect_uri, patterns=self.row.first_party)

    def check_post_logout_redirect_uri(self, uri: str) -> bool:
        return uri_matches(self.row.post_logout_redirect_uris, uri, patterns=self.row.first_party)

    def check_client_secret(self, client_secret: str) -> bool:
        stored = self.row.secret_hash
        return bool(stored) and hmac.compare_digest(stored, digest(client_secret or ""))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.is_public:
            return method == "none" and endpoint in ("token", "revocation")
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.row.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.row.grant_types
