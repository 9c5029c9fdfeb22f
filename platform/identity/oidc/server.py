"""authlib's AuthorizationServer for Tongban: one instance per request, bound to that request's unit of work.

authlib ships provider glue for Flask and Django only; here the web layer reads the request (body already
awaited) into an :class:`HttpRequest`, and the server answers with an :class:`OAuthResponse` that the web
layer turns into a Starlette response. Everything in between is synchronous and runs in a thread.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tongban.platform.identity.claims import AuthorizedSubject, access_claims
from tongban.platform.identity.clients import OAuthClient
from tongban.platform.identity.common import audit, digest, epoch, new_token, utc
from tongban.platform.identity.config import IdentityConfig
from tongban.platform.identity.keys import active_key
from tongban.platform.identity.models import Client, IssuedToken
from tongban.platform.identity.tokens import ACCESS_TOKEN_TYPE, sign

log = logging.getLogger("tongban.identity.oauth")


@dataclass(frozen=True)
class HttpRequest:
    """What the provider needs of an HTTP request, read by the web layer."""

    method: str
    url: str
    headers: Mapping[str, str]
    query: list[tuple[str, str]] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)
    client_address: str = ""


@dataclass(frozen=True)
class OAuthResponse:
    status: int
    body: dict | str
    headers: list[tuple[str, str]]

    @property
    def location(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "location"), None)


class _Headers(dict):
    """Case-insensitive header lookup (authlib reads ``Authorization``)."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__({k.lower(): v for k, v in headers.items()})

    def get(self, key, default=None):
        return super().get(key.lower(), default)

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def __contains__(self, key) -> bool:
        return super().__contains__(str(key).lower())


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list] = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self):
        return self._data

    @property
    def datalist(self):
        return self._datalist


class TongbanRequest(OAuth2Request):
    """An OAuth2Request over an HttpRequest. Transport security is checked by the web layer's settings
    (https in production), so authlib's own check, which knows nothing of proxies, is not repeated."""

    def __init__(self, http: HttpRequest) -> None:  # not super().__init__: it would re-check the transport
        self.http = http
        self.method, self.uri, self.headers, self._body = http.method, http.url, _Headers(http.headers), None
        self.client = self.auth_method = self.user = self.authorization_code = None
        self.refresh_token = self.credential = self._scope = None
        pairs = http.form if http.method == "POST" else http.query
        self.payload = _Payload(pairs)
        self._args = {k: v for k, v in reversed(http.query)}
        self._form = {k: v for k, v in reversed(http.form)}

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


@dataclass
class ProviderContext:
    session: Session
    config: IdentityConfig
    issuer: str
    now: datetime
    provider_session_id: str | None = None


class ProviderServer(AuthorizationServer):
    def __init__(self, ctx: ProviderContext) -> None:
        super().__init__(scopes_supported=None)  # unknown scopes are ignored (OIDC Core 3.1.2.1)
        from tongban.platform.identity.oidc import endpoints, grants

        self.ctx = ctx
        self._pending: dict[str, tuple[str, datetime, str | None]] = {}
        self.register_token_generator("default", self._generate_token)
        self.register_grant(
            grants.AuthorizationCodeGrant, [grants.S256Challenge(required=True), grants.OpenIDCode(ctx)]
        )
        self.register_grant(grants.RefreshTokenGrant)
        self.register_grant(grants.ClientCredentialsGrant)
        for endpoint in (
            endpoints.RevocationEndpoint,
            endpoints.IntrospectionEndpoint,
            endpoints.EndSessionEndpoint,
        ):
            self.register_endpoint(endpoint)

    # --- authlib's integration points -------------------------------------------------------------------
    def query_client(self, client_id):
        row = self.ctx.session.get(Client, client_id) if client_id else None
        return OAuthClient(row) if row is not None and row.status == "active" else None

    def create_oauth2_request(self, request):
        return request if isinstance(request, OAuth2Request) else TongbanRequest(request)

    def create_json_request(self, request):
        raise NotImplementedError("JSON requests are not used by this provider")

    def handle_response(self, status, body, headers):
        return OAuthResponse(status, body, list(headers))

    def handle_error_response(self, request, error):
        client_id = getattr(getattr(request, "client", None), "client_id", None) or getattr(
            getattr(request, "payload", None), "client_id", None
        )
        log.warning(
            "oauth refused",
            extra={
                "fields": {
                    "error": error.error,
                    "description": error.description,
                    "client_id": client_id,
                    "address": getattr(getattr(request, "http", None), "client_address", ""),
                }
            },
        )
        return super().handle_error_response(request, error)

    def send_signal(self, name, *args, **kwargs):
        return None

    # --- tokens -----------------------------------------------------------------------------------------
    def _generate_token(
        self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True
    ):
        ctx = self.ctx
        ttl = ctx.config.access_token_ttl
        jti, expires = new_token(16), ctx.now + ttl
        claims = {
            "iss": ctx.issuer,
            "sub": user.subject if user else client.get_client_id(),
            "aud": [ctx.config.api_audience],
            "client_id": client.get_client_id(),
            "scope": scope or "",
            "iat": epoch(ctx.now),
            "exp": epoch(expires),
            "jti": jti,
        }
        if user is not None:
            claims.update(access_claims(ctx.session, user))
        access = sign(claims, active_key(ctx.session, ctx.now), typ=ACCESS_TOKEN_TYPE)
        token = {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": int(ttl.total_seconds()),
            "scope": scope or "",
        }
        refresh = new_token(32) if include_refresh_token and user is not None else None
        if refresh:
            token["refresh_token"] = refresh
        self._pending[access] = (jti, expires, refresh)
        return token

    def save_token(self, token, request):
        jti, expires, refresh = self._pending.pop(token["access_token"])
        user: AuthorizedSubject | None = request.user
        now = self.ctx.now
        self.ctx.session.add(
            IssuedToken(
                jti=jti,
                family=(user.family if user and user.family else new_token(16)),
                client_id=request.client.get_client_id(),
                account_id=user.account_id if user else None,
                acting_enterprise_id=user.acting_enterprise_id if user else None,
                session_id=user.session_id if user else None,
                issuer=self.ctx.issuer,
                scope=token.get("scope", ""),
                auth_time=user.auth_time if user else None,
                amr=list(user.amr) if user else [],
                issued_at=now,
                access_expires_at=expires,
                refresh_hash=digest(refresh) if refresh else None,
                refresh_expires_at=now + self.ctx.config.refresh_token_ttl if refresh else None,
            )
        )
        self.ctx.session.flush()

    def revoke_family(self, family: str, *, reason: str, client_id: str) -> int:
        """Revoke every token descended from one authorisation (a replayed code or refresh token)."""
        result = self.ctx.session.execute(
            update(IssuedToken)
            .where(IssuedToken.family == family, IssuedToken.revoked_at.is_(None))
            .values(revoked_at=self.ctx.now)
        )
        audit(
            self.ctx.session,
            actor=f"client:{client_id}",
            action=reason,
            target=family[:16],
            at=self.ctx.now,
            revoked=result.rowcount,
        )
        log.warning(
            "token family revoked",
            extra={"fields": {"reason": reason, "client_id": client_id, "revoked": result.rowcount}},
        )
        return result.rowcount

    def find_token(self, token_string: str, hint: str | None):
        """The issued-token row behind an access token (a JWT of ours) or a refresh token, with its kind."""
        from tongban.platform.identity.oidc.endpoints import TokenView
        from tongban.platform.identity.tokens import TokenRefused, decode

        session = self.ctx.session
        if token_string.count(".") == 2 and hint != "refresh_token":
            try:
                claims = decode(
                    token_string,
                    self._key_for,
                    now=self.ctx.now,
                    issuer=None,
                    typ=ACCESS_TOKEN_TYPE,
                    check_exp=False,
                )
            except TokenRefused:
                return None
            row = session.scalar(select(IssuedToken).where(IssuedToken.jti == str(claims.get("jti"))))
            return TokenView(row, "access_token", self.ctx.now) if row else None
        row = session.scalar(select(IssuedToken).where(IssuedToken.refresh_hash == digest(token_string)))
        return TokenView(row, "refresh_token", self.ctx.now) if row else None

    def _key_for(self, kid: str):
        from joserfc.jwk import RSAKey

        from tongban.platform.identity.keys import PublicKey, published

        for key in published(self.ctx.session, self.ctx.now):
            if key.kid == kid:
                return PublicKey(kid, RSAKey.import_key(key.public_jwk), utc(key.publish_until))
        return None
