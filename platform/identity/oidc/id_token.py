"""The id_token: signed with the active key (``kid`` in the header), for the code and the refresh grants."""

from __future__ import annotations

from authlib.oidc.core.util import create_half_hash

from tongban.platform.identity.claims import AuthorizedSubject, identity_claims
from tongban.platform.identity.common import epoch
from tongban.platform.identity.keys import ALG, active_key
from tongban.platform.identity.sessions import session_sid
from tongban.platform.identity.tokens import sign


def build_id_token(ctx, client, user: AuthorizedSubject, token: dict, *, nonce: str | None) -> str:
    scope = token.get("scope") or ""
    claims = identity_claims(ctx.session, user, scope)
    claims.update(
        iss=ctx.issuer,
        aud=[client.get_client_id()],
        azp=client.get_client_id(),
        iat=epoch(ctx.now),
        exp=epoch(ctx.now + ctx.config.id_token_ttl),
        auth_time=epoch(user.auth_time),
        amr=list(user.amr) or ["pwd"],
    )
    if user.session_id:
        claims["sid"] = session_sid(user.session_id)
    if nonce:
        claims["nonce"] = nonce
    if token.get("access_token"):
        claims["at_hash"] = create_half_hash(token["access_token"], ALG).decode()
    return sign(claims, active_key(ctx.session, ctx.now))
