"""The provider's endpoints as synchronous functions: one unit of work each, an :class:`OAuthResponse` or an
outcome the web layer renders (sign in first, ask for consent, confirm logout, show an error page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc6749 import AccessDeniedError, InvalidRequestError, OAuth2Error
from authlib.oidc.core.errors import ConsentRequiredError, LoginRequiredError
from authlib.oidc.core.grants.util import is_openid_scope
from sqlalchemy import select

from tongban.platform.identity import sessions
from tongban.platform.identity.claims import AuthorizedSubject, identity_claims
from tongban.platform.identity.clients import SCOPES
from tongban.platform.identity.common import utc
from tongban.platform.identity.models import Consent, IssuedToken
from tongban.platform.identity.oidc.server import HttpRequest, OAuthResponse, ProviderContext, ProviderServer
from tongban.platform.identity.tokens import TokenRefused

NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]


@dataclass(frozen=True)
class LoginRequired:
    next_url: str  # the authorisation request to resume after signing in (without prompt)


@dataclass(frozen=True)
class ConsentRequired:
    client_name: str
    scopes: tuple[tuple[str, str, str], ...]  # (scope, zh, en)
    params: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ErrorPage:
    error: str
    description: str


@dataclass(frozen=True)
class ConfirmLogout:
    client_name: str | None
    params: tuple[tuple[str, str], ...]


def _context(service, session, http: HttpRequest, provider_session_id: str | None = None) -> ProviderContext:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(http.url))
    return ProviderContext(
        session, service.config, service.issuer(origin), service.now(), provider_session_id
    )


def discovery(service, origin: str) -> dict:
    issuer = service.issuer(origin)
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oidc/authorize",
        "token_endpoint": f"{issuer}/oidc/token",
        "userinfo_endpoint": f"{issuer}/oidc/userinfo",
        "jwks_uri": f"{issuer}/oidc/jwks",
        "revocation_endpoint": f"{issuer}/oidc/revoke",
        "introspection_endpoint": f"{issuer}/oidc/introspect",
        "end_session_endpoint": f"{issuer}/oidc/logout",
        "backchannel_logout_supported": True,
        "backchannel_logout_session_supported": True,
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent"],
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "at_hash",
            "amr",
            "sid",
            "name",
            "preferred_username",
            "user_type",
            "uscc",
            "enterprise_sub",
            "agent_name",
            "tenant_roles",
            "home_tenant",
            "department",
            "email",
            "phone_number",
            "resident_id",
            "resident_id_verified",
        ],
        "ui_locales_supported": ["zh-CN", "en"],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
    }


def authorize(service, http: HttpRequest, provider_session_id: str | None, *, consent: str | None = None):
    """Validate an authorisation request and answer it: a redirect (code or error), or what to show first."""
    with service.unit() as session:
        ctx = _context(service, session, http, provider_session_id)
        server = ProviderServer(ctx)
        row = sessions.load(session, provider_session_id, ctx.now)
        request = server.create_oauth2_request(http)
        try:
            grant = server.get_consent_grant(request, end_user=_signed_in(session, row))
            decision = _decide(session, ctx, grant, http, row, consent)
        except sessions.ActingRefused:
            refusal = InvalidRequestError(
                "acting_as is not permitted for this account", redirect_uri=grant.redirect_uri
            )
            return _error(server, request, refusal)
        except OAuth2Error as error:
            return _error(server, request, error)
        if not isinstance(decision, AuthorizedSubject):
            return decision
        return server.create_authorization_response(request=request, grant_user=decision, grant=grant)


def _signed_in(session, row) -> AuthorizedSubject | None:
    if row is None:
        return None
    return AuthorizedSubject(
        row.account_id,
        _subject(session, row),
        row.acting_enterprise_id,
        row.id,
        utc(row.auth_time),
        tuple(row.amr or ()),
    )


def _decide(session, ctx: ProviderContext, grant, http: HttpRequest, row, consent: str | None):
    """Who the code is for, or what must happen first: sign in (again), or ask for consent."""
    data, user, scope = grant.request.payload.data, grant.request.user, grant.request.scope
    if user is None or grant.prompt == "login" or _too_old(data.get("max_age"), user, ctx.now):
        if data.get("prompt") == "none":
            raise LoginRequiredError(redirect_uri=grant.redirect_uri)
        return LoginRequired(_resume_url(http))
    if data.get("acting_as"):
        sessions.act_as(session, row, data["acting_as"], actor=user.subject, now=ctx.now)
        user = AuthorizedSubject(
            user.account_id, user.subject, row.acting_enterprise_id, row.id, user.auth_time, user.amr
        )
    needs = _needs_consent(session, grant.client, user, scope, prompt=data.get("prompt"))
    if needs and consent is None:
        if data.get("prompt") == "none":
            raise ConsentRequiredError(redirect_uri=grant.redirect_uri)
        return _consent_page(grant.client, scope, http)
    if consent == "deny":
        raise AccessDeniedError(redirect_uri=grant.redirect_uri)
    if needs:
        _remember_consent(session, grant.client, user, scope, ctx.now)
    return user


def _subject(session, row) -> str:
    from tongban.platform.identity.models import Account

    return session.get(Account, row.account_id).subject


def _error(server: ProviderServer, request, error: OAuth2Error):
    error.state = request.payload.state
    response = server.handle_error_response(request, error)
    if response.location:
        return response
    return ErrorPage(error.error, error.get_error_description() or "")


def _too_old(max_age: str | None, user: AuthorizedSubject, now) -> bool:
    if max_age is None or not str(max_age).isdigit():
        return False
    return user.auth_time + timedelta(seconds=int(max_age)) < now


def _resume_url(http: HttpRequest) -> str:
    params = [
        (k, v)
        for k, v in (http.form if http.method == "POST" else http.query)
        if k not in ("prompt", "max_age")
    ]
    return "/oidc/authorize?" + urlencode(params)


def _needs_consent(session, client, user: AuthorizedSubject, scope: str, *, prompt: str | None) -> bool:
    if client.row.first_party:
        return False
    if prompt == "consent":
        return True
    stored = session.get(Consent, (user.account_id, client.get_client_id()))
    return stored is None or not set((scope or "").split()) <= set(stored.scope.split())


def _consent_page(client, scope: str, http: HttpRequest) -> ConsentRequired:
    scopes = tuple((s, *SCOPES[s]) for s in (scope or "").split() if s in SCOPES)
    params = tuple(
        (k, v)
        for k, v in (http.form if http.method == "POST" else http.query)
        if k not in ("consent", "csrf_token", "prompt")
    )
    return ConsentRequired(client.row.name, scopes, params)


def _remember_consent(session, client, user: AuthorizedSubject, scope: str, now) -> None:
    stored = session.get(Consent, (user.account_id, client.get_client_id()))
    if stored is None:
        session.add(
            Consent(account_id=user.account_id, client_id=client.get_client_id(), scope=scope, granted_at=now)
        )
    else:
        stored.scope = " ".join(dict.fromkeys(stored.scope.split() + scope.split()))
        stored.granted_at = now


def token(service, http: HttpRequest) -> OAuthResponse:
    with service.unit() as session:
        return ProviderServer(_context(service, session, http)).create_token_response(http)


def revoke(service, http: HttpRequest) -> OAuthResponse:
    with service.unit() as session:
        return ProviderServer(_context(service, session, http)).create_endpoint_response("revocation", http)


def introspect(service, http: HttpRequest) -> OAuthResponse:
    with service.unit() as session:
        return ProviderServer(_context(service, session, http)).create_endpoint_response(
            "introspection", http
        )


def userinfo(service, http: HttpRequest, bearer: str | None) -> OAuthResponse:
    try:
        principal = service.verify_access_token(bearer or "", required_scopes=["openid"])
    except TokenRefused as refused:
        challenge = f'Bearer error="{refused.code}", error_description="{refused.reason}"'
        return OAuthResponse(
            refused.status,
            {"error": refused.code, "error_description": refused.reason},
            [("WWW-Authenticate", challenge), *NO_STORE],
        )
    with service.unit() as session:
        row = session.scalar(select(IssuedToken).where(IssuedToken.jti == principal.token_id))
        if row is None or row.account_id is None:
            return OAuthResponse(
                401, {"error": "invalid_token"}, [("WWW-Authenticate", 'Bearer error="invalid_token"')]
            )
        subject = AuthorizedSubject(
            row.account_id,
            principal.subject,
            row.acting_enterprise_id,
            row.session_id,
            utc(row.auth_time) or service.now(),
        )
        return OAuthResponse(200, identity_claims(session, subject, row.scope), NO_STORE)


def end_session(service, http: HttpRequest, provider_session_id: str | None, *, confirmed: bool):
    """RP-initiated logout: with a valid id_token_hint at once; otherwise after the person confirms."""
    with service.unit() as session:
        server = ProviderServer(_context(service, session, http, provider_session_id))
        try:
            validated = server.validate_endpoint_request("end_session", http)
        except OAuth2Error as error:
            server.handle_error_response(server.create_oauth2_request(http), error)
            return ErrorPage(error.error, error.get_error_description() or "")
        if validated.needs_confirmation and not confirmed:
            name = validated.client.row.name if validated.client else None
            params = tuple(
                (k, v) for k, v in (http.form if http.method == "POST" else http.query) if k != "csrf_token"
            )
            return ConfirmLogout(name, params)
        return server.create_endpoint_response("end_session", validated)


def jwks(service) -> dict:
    return service.jwks()


__all__ = [
    "ConfirmLogout",
    "ConsentRequired",
    "ErrorPage",
    "LoginRequired",
    "authorize",
    "discovery",
    "end_session",
    "introspect",
    "is_openid_scope",
    "jwks",
    "revoke",
    "token",
    "userinfo",
]
