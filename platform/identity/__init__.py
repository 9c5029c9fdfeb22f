"""Unified identity (统一身份认证): persons, enterprises and their agents, staff, roles scoped by tenant,
and the OpenID Connect provider every web room and API client signs in through.

What other rooms use (imported lazily, so that ``platform/models.py`` can import the models alone):

- ``authorize(session, account, permission, tenant)`` / ``is_authorized(...)``, ``Permission``, ``Role``,
  ``PermissionDenied`` — tenant-tree permission checks (tongban.platform.identity.grants)
- ``IdentityService.verify_access_token(token, required_scopes=..., audience=...)`` → ``Principal``, or
  ``TokenRefused`` (tongban.platform.identity.service; ``web.identity_for(app)`` gives the app's service)
- ``RelyingParty`` / ``RPUser`` — sign-in for the portal, workbench and admin rooms
  (tongban.platform.identity.web.rp)
- ``seed_identity(database)`` — first-party clients and demo accounts (tongban.platform.identity.seed)
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "authorize": "grants",
    "is_authorized": "grants",
    "PermissionDenied": "grants",
    "GrantScope": "grants",
    "Permission": "permissions",
    "Role": "permissions",
    "IdentityService": "service",
    "Principal": "tokens",
    "TokenRefused": "tokens",
    "seed_identity": "seed",
    "IdentityConfig": "config",
}

__all__ = [  # noqa: RUF022 - grouped by module
    "authorize",
    "is_authorized",
    "PermissionDenied",
    "GrantScope",
    "Permission",
    "Role",
    "IdentityService",
    "Principal",
    "TokenRefused",
    "seed_identity",
    "IdentityConfig",
]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
