"""Revocation (RFC 7009), introspection (RFC 7662) and RP-initiated logout (OpenID Connect)."""

from __future__ import annotations

from datetime import datetime

from authlib.oauth2.rfc6749 import TokenMixin
from authlib.oauth2.rfc7009 import RevocationEndpoint as _Revocation
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _Introspection
from authlib.oidc.rpinitiated import EndSessionEndpoint as _EndSession
from joserfc.jwk import KeySet
from sqlalchemy import select

from tongban.platform.identity import sessions
from tongban.platform.identity.common import epoch, utc
from tongban.platform.identity.keys import published
from tongban.platform.identity.models import Account, Enterprise, IssuedToken, ProviderSession


class TokenView(TokenMixin):
    """An issued-token row seen as one token: its access or its refresh half."""

    def __init__(self, row: IssuedToken, kind: str, now: datetime) -> None:
        self.row, self.kind, self.now = row, kind, now

    def check_client(self, client):
        return self.row.client_id == client.get_client_id()

    def get_scope(self):
        return self.row.scope

    def get_expires_at(self) -> datetime:
        return utc(self.row.access_expires_at if self.kind == "access_token" else self.row.refresh_expires_at)

    def get_expires_in(self):
        return int((self.get_expires_at() - self.now).total_seconds())

    def is_expired(self):
        return self.get_expires_at() <= self.now

    def is_revoked(self):
        if self.row.revoked_at is not None:
            return True
        if self.kind == "access_token":
            return self.row.access_revoked_at is not None
        return self.row.refresh_used_at is not None


class RevocationEndpoint(_Revocation):
    CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")

    def query_token(self, token_string, token_type_hint):
        return self.server.find_token(token_string, token_type_hint)

    def revoke_token(self, token, request):
        now = self.server.ctx.now
        if token.kind == "refresh_token":  # RFC 7009 §2.1: and the access tokens of the same grant
            self.server.revoke_family(
                token.row.family, reason="refresh_token_revoked", client_id=token.row.client_id
            )
        else:
            token.row.access_revoked_at = now


class IntrospectionEndpoint(_Introspection):
    CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    def query_token(self, token_string, token_type_hint):
        return self.server.find_token(token_string, token_type_hint)

    def check_permission(self, token, client, request):
        return client.row.may_introspect or token.check_client(client)

    def introspect_token(self, token):
        row, session = token.row, self.server.ctx.session
        payload = {
            "active": True,
            "token_type": token.kind,
            "scope": row.scope,
            "client_id": row.client_id,
            "iss": self.server.ctx.issuer,
            "iat": epoch(utc(row.issued_at)),
            "exp": epoch(token.get_expires_at()),
        }
        if token.kind == "access_token":
            payload.update(jti=row.jti, aud=[self.server.ctx.config.api_audience])
        account = session.get(Account, row.account_id) if row.account_id else None
        payload["sub"] = account.subject if account else row.client_id
        if account is not None:
            payload["username"] = account.username
            payload["user_type"] = "enterprise" if row.acting_enterprise_id else account.kind
        if row.acting_enterprise_id:
            enterprise = session.get(Enterprise, row.acting_enterprise_id)
            payload.update(uscc=enterprise.uscc, enterprise_sub=enterprise.subject)
        return payload


class EndSessionEndpoint(_EndSession):
    def get_server_jwks(self):
        ctx = self.server.ctx
        return KeySet.import_key_set({"keys": [k.public_jwk for k in published(ctx.session, ctx.now)]})

    def get_algorithms(self):
        return ["RS256"]

    def _is_valid_post_logout_redirect_uri(self, client, post_logout_redirect_uri):
        return client.check_post_logout_redirect_uri(post_logout_redirect_uri)

    def is_post_logout_redirect_uri_legitimate(self, request, post_logout_redirect_uri, client, logout_hint):
        return bool(client.row.first_party)  # our own rooms need no id_token_hint to come back

    def end_session(self, end_session_request):
        ctx = self.server.ctx
        row = sessions.load(ctx.session, ctx.provider_session_id, ctx.now, stage=None)
        claims = end_session_request.id_token_claims or {}
        if row is None and claims.get("sid"):
            row = self._session_by_sid(claims["sid"], claims.get("sub"))
        if row is not None:
            sessions.end(ctx.session, row, ctx.now)

    def _session_by_sid(self, sid: str, subject: str | None) -> ProviderSession | None:
        ctx = self.server.ctx
        account = ctx.session.scalar(select(Account).where(Account.subject == subject)) if subject else None
        if account is None:
            return None
        live = ctx.session.scalars(
            select(ProviderSession).where(
                ProviderSession.account_id == account.id, ProviderSession.ended_at.is_(None)
            )
        )
        return next((s for s in live if sessions.session_sid(s.id) == sid), None)
