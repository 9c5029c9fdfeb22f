"""A small relying-party helper for Tongban's own web rooms (portal, workbench, admin), on any tenant host.

Each room is an OIDC client of the provider, so one sign-in at the provider serves every tenant host
(single sign-on): ``haikou.localhost/auth/login`` sends the browser to the provider with PKCE (S256),
state and nonce; ``/auth/callback`` exchanges the code, validates the id_token (signature by ``kid``,
issuer, audience, expiry, nonce, at_hash) and keeps the tokens server-side behind a per-host cookie.

    portal = RelyingParty("portal")                   # routes under /auth/...
    workbench = RelyingParty("workbench", prefix="/workbench")
    routes = [*workbench.routes(), ...]
    user = await workbench.current_user(request)      # RPUser or None
    token = await workbench.access_token(request)     # for calling the API, refreshed when needed
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc.jwk import RSAKey
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tongban.platform.identity import rp_store
from tongban.platform.identity.common import utc
from tongban.platform.identity.grants import GrantScope, allows
from tongban.platform.identity.keys import PublicKey
from tongban.platform.identity.permissions import Permission
from tongban.platform.identity.seed import first_party_secret
from tongban.platform.identity.tokens import TokenRefused, decode
from tongban.platform.identity.web.common import call, redirect, render, service_of

FLOW_TTL = 600
SESSION_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class RPUser:
    """The signed-in person as a room sees it (from the validated id_token)."""

    subject: str
    name: str
    user_type: str
    uscc: str | None
    enterprise_sub: str | None
    roles: tuple[GrantScope, ...]
    claims: dict = field(compare=False)

    def allows(self, permission: Permission, tenant) -> bool:
        return allows(self.roles, permission, tenant.path)


class RelyingPartyError(Exception):
    pass


class RelyingParty:
    def __init__(
        self,
        client_id: str,
        *,
        prefix: str = "",
        scope: str = "openid profile email phone",
        client_secret: str | None = None,
        provider_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client_id, self.prefix, self.scope = client_id, prefix.rstrip("/"), scope
        self._secret, self._provider_url, self._transport = client_secret, provider_url, transport
        self.cookie = f"tb_rp_{client_id}"
        self._jwks: dict[str, PublicKey] = {}
        self._jwks_at = float("-inf")

    def routes(self) -> list[Route]:
        p = self.prefix
        return [
            Route(f"{p}/auth/login", self.login),
            Route(f"{p}/auth/callback", self.callback),
            Route(f"{p}/auth/switch", self.switch),
            Route(f"{p}/auth/logout", self.logout, methods=["GET", "POST"]),
        ]

    # --- configuration derived from the request ---------------------------------------------------------
    def _service(self, request: Request):
        return service_of(request)

    def provider(self, request: Request) -> str:
        if self._provider_url or self._service(request).config.issuer:
            return (self._provider_url or self._service(request).config.issuer).rstrip("/")
        port = f":{request.url.port}" if request.url.port else ""
        return f"{request.url.scheme}://{self._service(request).config.base_domain}{port}"

    def _here(self, request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}{self.prefix}"

    def redirect_uri(self, request: Request) -> str:
        return self._here(request) + "/auth/callback"

    def _client_secret(self, request: Request) -> str:
        return self._secret or first_party_secret(self._service(request).config.secret_key, self.client_id)

    def _serializer(self, request: Request) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(
            self._service(request).config.secret_key, salt=f"tongban.rp.{self.client_id}"
        )

    def _http(self, request: Request) -> httpx.AsyncClient:
        transport = self._transport
        if transport is None and self._provider_url is None:
            transport = httpx.ASGITransport(app=request.app)  # the provider is this very app: no network hop
        return httpx.AsyncClient(transport=transport, base_url=self.provider(request), timeout=10)

    # --- routes ---------------------------------------------------------------------------------------------
    async def login(self, request: Request) -> Response:
        return self.start(request, next_url=request.query_params.get("next", "/"))

    async def switch(self, request: Request) -> Response:
        """Act as oneself (``acting=self``) or for an enterprise (``acting=<enterprise sub>``): a new code."""
        return self.start(
            request,
            next_url=request.query_params.get("next", "/"),
            acting=request.query_params.get("acting", "self"),
        )

    def start(self, request: Request, *, next_url: str = "/", acting: str | None = None) -> Response:
        state, nonce, verifier = (
            secrets.token_urlsafe(24),
            secrets.token_urlsafe(24),
            secrets.token_urlsafe(48),
        )
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri(request),
            "scope": self.scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        if acting:
            params["acting_as"] = acting
        response = redirect(f"{self.provider(request)}/oidc/authorize?{urlencode(params)}")
        flow = self._serializer(request).dumps(
            {"state": state, "nonce": nonce, "verifier": verifier, "next": _local(next_url)}
        )
        response.set_cookie(
            self.cookie + "_flow",
            flow,
            max_age=FLOW_TTL,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    async def callback(self, request: Request) -> Response:
        try:
            flow = self._serializer(request).loads(
                request.cookies.get(self.cookie + "_flow", ""), max_age=FLOW_TTL
            )
        except BadSignature:
            return self._failed(request, "login_expired")
        params = request.query_params
        if not hmac.compare_digest(str(flow.get("state")), params.get("state", "")):
            return self._failed(request, "state_mismatch")
        if params.get("error") or not params.get("code"):
            return self._failed(request, params.get("error", "missing_code"))
        try:
            tokens, claims = await self._exchange(request, params["code"], flow)
        except (RelyingPartyError, TokenRefused, httpx.HTTPError) as error:
            return self._failed(request, str(error) or type(error).__name__)
        service = self._service(request)
        session_id = await call(self._store, service, claims, tokens)
        response = redirect(flow.get("next", "/"))
        response.delete_cookie(self.cookie + "_flow", path="/")
        response.set_cookie(
            self.cookie,
            self._serializer(request).dumps(session_id),
            max_age=int(SESSION_TTL.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
        return response

    async def logout(self, request: Request) -> Response:
        """End this room's session and the provider's (RP-initiated logout), then come back here."""
        session_id = self._session_id(request)
        tokens = await call(self._tokens_of, self._service(request), session_id)
        await call(self._remove, self._service(request), session_id)
        params = {"client_id": self.client_id, "post_logout_redirect_uri": self._here(request) + "/"}
        if tokens is not None:
            params["id_token_hint"] = tokens.id_token
        response = redirect(f"{self.provider(request)}/oidc/logout?{urlencode(params)}")
        response.delete_cookie(self.cookie, path="/")
        return response

    # --- what rooms call ----------------------------------------------------------------------------------
    async def current_user(self, request: Request) -> RPUser | None:
        claims = await call(self._claims_of, self._service(request), self._session_id(request))
        if claims is None:
            return None
        return RPUser(
            claims["sub"],
            claims.get("name", ""),
            claims.get("user_type", "person"),
            claims.get("uscc"),
            claims.get("enterprise_sub"),
            tuple(GrantScope.from_claim(c) for c in claims.get("tenant_roles", [])),
            claims,
        )

    async def access_token(self, request: Request) -> str | None:
        """The session's access token, refreshed (with rotation) when it has expired; None if signed out."""
        service, session_id = self._service(request), self._session_id(request)
        tokens = await call(self._tokens_of, service, session_id)
        if tokens is None:
            return None
        if tokens.access_expires_at > service.now() + timedelta(seconds=30):
            return tokens.access_token
        if not tokens.refresh_token:
            return None
        async with self._http(request) as http:
            answer = await http.post(
                "/oidc/token",
                data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token},
                auth=(self.client_id, self._client_secret(request)),
            )
        if answer.status_code != 200:
            await call(self._remove, service, session_id)
            return None
        body = answer.json()
        fresh = rp_store.TokenSet(
            body.get("id_token", tokens.id_token),
            body["access_token"],
            body.get("refresh_token"),
            service.now() + timedelta(seconds=body["expires_in"]),
        )
        await call(self._replace, service, session_id, fresh)
        return fresh.access_token

    # --- internals ----------------------------------------------------------------------------------------
    async def _exchange(self, request: Request, code: str, flow: dict) -> tuple[rp_store.TokenSet, dict]:
        async with self._http(request) as http:
            answer = await http.post(
                "/oidc/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_uri(request),
                    "code_verifier": flow["verifier"],
                },
                auth=(self.client_id, self._client_secret(request)),
            )
            if answer.status_code != 200:
                raise RelyingPartyError(answer.json().get("error", "token_error"))
            body = answer.json()
            claims = await self._validate_id_token(
                request, http, body.get("id_token", ""), flow["nonce"], body["access_token"]
            )
        expires = self._service(request).now() + timedelta(seconds=int(body.get("expires_in", 600)))
        return rp_store.TokenSet(
            body["id_token"], body["access_token"], body.get("refresh_token"), expires
        ), claims

    async def _validate_id_token(
        self, request, http: httpx.AsyncClient, id_token: str, nonce: str, access_token: str
    ) -> dict:
        if time.monotonic() - self._jwks_at > 300 or _kid(id_token) not in self._jwks:
            keys = (await http.get("/oidc/jwks")).json()["keys"]
            self._jwks = {k["kid"]: PublicKey(k["kid"], RSAKey.import_key(k), None) for k in keys}
            self._jwks_at = time.monotonic()
        claims = decode(
            id_token, self._jwks.get, now=self._service(request).now(), issuer=self.provider(request)
        )
        audience = claims.get("aud")
        if self.client_id not in ([audience] if isinstance(audience, str) else audience or []):
            raise RelyingPartyError("wrong audience")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise RelyingPartyError("nonce mismatch")
        if claims.get("at_hash") != create_half_hash(access_token, "RS256").decode():
            raise RelyingPartyError("at_hash mismatch")
        return claims

    def _failed(self, request: Request, reason: str) -> Response:
        return render(
            request,
            "message.html",
            {
                "title_zh": "登录未完成，请重试",
                "title_en": "Sign-in did not complete; please try again",
                "body_zh": f"原因：{reason}",
                "body_en": f"Reason: {reason}",
                "link": self._here(request) + "/auth/login",
            },
            400,
        )

    def _session_id(self, request: Request) -> str | None:
        value = request.cookies.get(self.cookie)
        if not value:
            return None
        try:
            return self._serializer(request).loads(value, max_age=int(SESSION_TTL.total_seconds()))
        except BadSignature:
            return None

    def _store(self, service, claims: dict, tokens: rp_store.TokenSet) -> str:
        with service.unit() as session:
            return rp_store.create(
                session,
                secret_key=service.config.secret_key,
                client_id=self.client_id,
                claims=claims,
                tokens=tokens,
                now=service.now(),
                ttl=SESSION_TTL,
            )

    def _claims_of(self, service, session_id: str | None) -> dict | None:
        with service.unit() as session:
            row = rp_store.load(session, session_id, self.client_id, service.now())
            return rp_store.claims_of(service.config.secret_key, row) if row else None

    def _tokens_of(self, service, session_id: str | None) -> rp_store.TokenSet | None:
        with service.unit() as session:
            row = rp_store.load(session, session_id, self.client_id, service.now())
            if row is None:
                return None
            return rp_store.unseal(service.config.secret_key, row.sealed_tokens, utc(row.access_expires_at))

    def _replace(self, service, session_id: str, tokens: rp_store.TokenSet) -> None:
        with service.unit() as session:
            row = rp_store.load(session, session_id, self.client_id, service.now())
            if row is not None:
                rp_store.replace_tokens(row, secret_key=service.config.secret_key, tokens=tokens, claims=None)

    def _remove(self, service, session_id: str | None) -> None:
        with service.unit() as session:
            rp_store.remove(session, session_id)


def _kid(token: str) -> str:
    from tongban.platform.identity.tokens import unverified_header

    try:
        return str(unverified_header(token).get("kid", ""))
    except TokenRefused:
        return ""


def _local(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else "/"


# The portal also asks for the resident ID: the e-license library knows a citizen's licenses by it.
portal_rp = RelyingParty("portal", scope="openid profile email phone identity:resident_id")

__all__ = ["RPUser", "RelyingParty", "portal_rp"]
