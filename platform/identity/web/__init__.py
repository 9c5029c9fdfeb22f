"""Identity's web routes: thin translators between HTTP and the identity service."""

from __future__ import annotations

from tongban.platform.identity.web.common import identity_for
from tongban.platform.identity.web.rp import RelyingParty, RPUser, portal_rp


def build_routes() -> list:
    from tongban.platform.identity.web import developers, login, oidc

    return [*oidc.routes, *login.routes, *developers.routes, *portal_rp.routes()]


routes = build_routes()

__all__ = ["RPUser", "RelyingParty", "identity_for", "portal_rp", "routes"]
