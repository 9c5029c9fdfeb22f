"""The grants: authorisation code (+ PKCE S256, + OpenID Connect), refresh with rotation, client credentials.

Rules authlib leaves to us (see the field notes): PKCE with S256 is required of public clients and
``plain`` is refused; a replayed authorisation code or a replayed (already rotated) refresh token revokes
every token of its family; refresh responses carry a fresh id_token; client-credential scopes are
limited to what the client registered.
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidRequestError, InvalidScopeError, TokenMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.grants.util import is_openid_scope
from sqlalchemy import exists, select

from tongban.platform.identity.claims import AuthorizedSubject, identity_claims
from tongban.platform.identity.clients import USER_SCOPES
from tongban.platform.identity.common import digest, epoch, utc
from tongban.platform.identity.models import Account, AuthorizationCode, IssuedToken, ProviderSession
from tongban.platform.identity.oidc.id_token import build_id_token

CLIENT_AUTH = ("client_secret_basic", "client_secret_post", "none")


class CodeView:
    """authlib's AuthorizationCodeMixin over a stored code."""

    def __init__(self, row: AuthorizationCode) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self):
        return self.row.redirect_uri

    def get_scope(self):
        return self.row.scope

    def get_nonce(self):
        return self.row.nonce

    def get_auth_time(self):
        return epoch(utc(self.row.auth_time))

    def get_acr(self):
        return None

    def get_amr(self):
        return list(self.row.amr or [])


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    def save_authorization_code(self, code, request):
        ctx, user = self.server.ctx, request.user
        data = request.payload.data
        ctx.session.add(
            AuthorizationCode(
                code_hash=digest(code),
                client_id=request.client.get_client_id(),
                account_id=user.account_id,
                acting_enterprise_id=user.acting_enterprise_id,
                session_id=user.session_id,
                redirect_uri=request.payload.redirect_uri or "",
                scope=request.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                auth_time=user.auth_time,
                amr=list(user.amr),
                created_at=ctx.now,
                expires_at=ctx.now + ctx.config.code_ttl,
            )
        )
        ctx.session.flush()

    def query_authorization_code(self, code, client):
        ctx = self.server.ctx
        row = ctx.session.get(AuthorizationCode, digest(code), with_for_update=True)
        if row is None:
            return None
        if row.used_at is not None:
            self.server.revoke_family(
                row.code_hash, reason="authorization_code_replayed", client_id=client.get_client_id()
            )
            return None
        if row.client_id != client.get_client_id() or utc(row.expires_at) <= ctx.now:
            return None
        return CodeView(row)

    def delete_authorization_code(self, authorization_code):
        authorization_code.row.used_at = self.server.ctx.now

    def authenticate_user(self, authorization_code):
        row = authorization_code.row
        account = self.server.ctx.session.get(Account, row.account_id)
        if account is None or account.status != "active":
            return None
        if row.session_id and not _still_signed_in(self.server.ctx.session, row.session_id):
            return None  # signed out since the code was issued (single sign-out): no new session from it
        return AuthorizedSubject(
            account.id,
            account.subject,
            row.acting_enterprise_id,
            row.session_id,
            utc(row.auth_time),
            tuple(row.amr or ()),
            family=row.code_hash,
        )


def _still_signed_in(session, provider_session_id: str) -> bool:
    provider = session.get(ProviderSession, provider_session_id)
    return provider is not None and provider.ended_at is None


class S256Challenge(CodeChallenge):
    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)

    def validate_code_challenge(self, grant, redirect_uri):
        super().validate_code_challenge(grant, redirect_uri)
        data = grant.request.payload.data
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE requires code_challenge_method=S256; 'plain' is not accepted.")
        if grant.request.client.is_public and not data.get("code_challenge"):
            raise InvalidRequestError("Public clients must use PKCE (code_challenge with S256).")


class OpenIDCode(oidc_grants.OpenIDCode):
    """OpenID Connect on the code grant; bound to the request's context (one server per request)."""

    def __init__(self, ctx, require_nonce: bool = False) -> None:
        super().__init__(require_nonce=require_nonce)
        self.ctx = ctx

    def exists_nonce(self, nonce, request):
        return bool(
            self.ctx.session.scalar(
                select(
                    exists().where(
                        AuthorizationCode.client_id == request.payload.client_id,
                        AuthorizationCode.nonce == nonce,
                    )
                )
            )
        )

    def generate_user_info(self, user, scope):
        return identity_claims(self.ctx.session, user, scope)

    def encode_id_token(self, token, request):
        code = request.authorization_code
        return build_id_token(
            self.ctx, request.client, request.user, token, nonce=code.get_nonce() if code else None
        )


class RefreshView(TokenMixin):
    def __init__(self, row: IssuedToken) -> None:
        self.row = row

    def check_client(self, client):
        return self.row.client_id == client.get_client_id()

    def get_scope(self):
        return self.row.scope


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        ctx = self.server.ctx
        row = ctx.session.scalar(
            select(IssuedToken).where(IssuedToken.refresh_hash == digest(refresh_token)).with_for_update()
        )
        if row is None:
            return None
        if row.refresh_used_at is not None or row.revoked_at is not None:
            if row.revoked_at is None:
                self.server.revoke_family(
                    row.family, reason="refresh_token_replayed", client_id=row.client_id
                )
            return None
        if utc(row.refresh_expires_at) <= ctx.now:
            return None
        return RefreshView(row)

    def authenticate_user(self, refresh_token):
        row = refresh_token.row
        account = self.server.ctx.session.get(Account, row.account_id) if row.account_id else None
        if account is None or account.status != "active":
            return None
        return AuthorizedSubject(
            account.id,
            account.subject,
            row.acting_enterprise_id,
            row.session_id,
            utc(row.auth_time) or self.server.ctx.now,
            tuple(row.amr or ()),
            family=row.family,
        )

    def revoke_old_credential(self, refresh_token):
        refresh_token.row.refresh_used_at = self.server.ctx.now

    def create_token_response(self):
        status, token, headers = super().create_token_response()
        if is_openid_scope(token.get("scope")):
            token["id_token"] = build_id_token(
                self.server.ctx, self.request.client, self.request.user, token, nonce=None
            )
        return status, token, headers


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    def validate_token_request(self):
        super().validate_token_request()
        client = self.request.client
        service_scopes = [s for s in client.row.scope.split() if s not in USER_SCOPES]
        requested = (self.request.payload.scope or "").split()
        if any(s not in service_scopes for s in requested):
            raise InvalidScopeError("The client may not request these scopes.")
        self.request.scope = " ".join(requested or service_scopes)

    def create_token_response(self):
        token = self.generate_token(scope=self.request.scope, include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER
