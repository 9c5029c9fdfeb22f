"""JWTs: signing with the active key, and verifying access tokens into a :class:`Principal`.

Access tokens are RFC 9068 JWTs (``typ: at+jwt``) with ``iss``, ``aud``, ``sub``, ``client_id``, ``scope``,
``exp`` and ``jti``, so an API verifies them locally; the introspection endpoint is there for the rest.
An id_token (``typ: JWT``) is never accepted where an access token is expected.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from joserfc import jwt
from joserfc.errors import JoseError

from tongban.platform.identity.common import IdentityError, epoch, from_epoch
from tongban.platform.identity.grants import GrantScope, PermissionDenied, allows
from tongban.platform.identity.keys import ALG, PublicKey, SigningKey, private_key
from tongban.platform.identity.permissions import Permission

ACCESS_TOKEN_TYPE = "at+jwt"
LEEWAY_SECONDS = 30


class TokenRefused(IdentityError):
    """Maps to RFC 6750: ``invalid_token`` (401) or ``insufficient_scope`` (403)."""

    code = "invalid_token"
    status = 401

    def __init__(self, reason: str, *, insufficient_scope: bool = False) -> None:
        self.reason = reason
        if insufficient_scope:
            self.code, self.status = "insufficient_scope", 403
            super().__init__("访问令牌的权限范围不足", f"The access token lacks a scope: {reason}")
        else:
            super().__init__("访问令牌无效或已过期", f"The access token is not valid: {reason}")


@dataclass(frozen=True)
class ActingEnterprise:
    subject: str
    uscc: str


@dataclass(frozen=True)
class Principal:
    """Who is calling an API with a verified access token: an account (possibly acting for an
    enterprise) through a client, or a client on its own (client credentials)."""

    kind: str  # "account" | "client"
    subject: str
    client_id: str
    user_type: str | None
    acting: ActingEnterprise | None
    scopes: frozenset[str]
    roles: tuple[GrantScope, ...]
    token_id: str
    expires_at: datetime

    @property
    def acting_subject(self) -> str:
        """The party the call is made for: the enterprise when an agent acts for one."""
        return self.acting.subject if self.acting else self.subject

    def has_scopes(self, *scopes: str) -> bool:
        return set(scopes) <= self.scopes

    def allows(self, permission: Permission, tenant) -> bool:
        return self.kind == "account" and allows(self.roles, permission, tenant.path)

    def authorize(self, permission: Permission, tenant) -> None:
        if not self.allows(permission, tenant):
            raise PermissionDenied()


def sign(claims: dict, key: SigningKey, *, typ: str = "JWT") -> str:
    return jwt.encode({"alg": ALG, "kid": key.kid, "typ": typ}, claims, private_key(key), algorithms=[ALG])


def unverified_header(token: str) -> dict:
    try:
        segment = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError, UnicodeDecodeError):
        raise TokenRefused("malformed") from None
    if not isinstance(header, dict):
        raise TokenRefused("malformed")
    return header


def decode(
    token: str,
    key_for: Callable[[str], PublicKey | None],
    *,
    now: datetime,
    issuer: str | None,
    typ: str | None = None,
    check_exp: bool = True,
) -> dict:
    """Verify signature (by ``kid``, RS256 only), issuer and lifetime; return the claims."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise TokenRefused("malformed")
    header = unverified_header(token)
    if header.get("alg") != ALG:
        raise TokenRefused("unsupported algorithm")
    if typ is not None and str(header.get("typ", "")).lower() != typ:
        raise TokenRefused("wrong token type")
    public = key_for(str(header.get("kid", "")))
    if public is None:
        raise TokenRefused("unknown signing key")
    try:
        claims = dict(jwt.decode(token, public.key, algorithms=[ALG]).claims)
    except (JoseError, ValueError):
        raise TokenRefused("bad signature") from None
    _check_times(claims, now, check_exp)
    if issuer is not None and claims.get("iss") != issuer:
        raise TokenRefused("wrong issuer")
    return claims


def _check_times(claims: dict, now: datetime, check_exp: bool) -> None:
    timestamp = epoch(now)
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int) or not isinstance(iat, int):
        raise TokenRefused("missing exp or iat")
    if check_exp and exp <= timestamp - LEEWAY_SECONDS:
        raise TokenRefused("expired")
    if iat > timestamp + LEEWAY_SECONDS:
        raise TokenRefused("issued in the future")


def principal_from(claims: dict) -> Principal:
    is_client = claims.get("sub") == claims.get("client_id") and "user_type" not in claims
    acting = ActingEnterprise(claims["enterprise_sub"], claims["uscc"]) if claims.get("uscc") else None
    return Principal(
        kind="client" if is_client else "account",
        subject=str(claims["sub"]),
        client_id=str(claims["client_id"]),
        user_type=claims.get("user_type"),
        acting=acting,
        scopes=frozenset(str(claims.get("scope", "")).split()),
        roles=tuple(GrantScope.from_claim(r) for r in claims.get("roles", [])),
        token_id=str(claims.get("jti")),
        expires_at=from_epoch(claims["exp"]),
    )


def verify_access_token(
    token: str,
    *,
    required_scopes: Iterable[str] = (),
    audience: str,
    key_for: Callable[[str], PublicKey | None],
    now: datetime,
    issuer: str | None = None,
    is_revoked: Callable[[str], bool] | None = None,
) -> Principal:
    """Verify a bearer access token for ``audience`` and ``required_scopes``; raise TokenRefused."""
    claims = decode(token, key_for, now=now, issuer=issuer, typ=ACCESS_TOKEN_TYPE)
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if audience not in audiences:
        raise TokenRefused("wrong audience")
    if not claims.get("jti") or not claims.get("client_id") or not claims.get("sub"):
        raise TokenRefused("missing claims")
    if is_revoked is not None and is_revoked(str(claims["jti"])):
        raise TokenRefused("revoked")
    principal = principal_from(claims)
    missing = set(required_scopes) - principal.scopes
    if missing:
        raise TokenRefused(" ".join(sorted(missing)), insufficient_scope=True)
    return principal
