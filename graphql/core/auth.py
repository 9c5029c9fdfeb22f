"""Who is calling: an OIDC bearer token from the platform's provider, verified into a Principal; and the
permission classes that declare which scope (and which kind of token) each top-level field needs.

Scopes: ``catalog:read`` (the catalogue; anonymous callers may read it too), ``cases:read`` and
``cases:write`` (cases and tasks), ``catalog:write`` (the configurator), ``licenses:read`` (the holder's
wallet; department systems' purpose-bound reads), ``supervision:read`` and ``supervision:write`` (alerts,
statistics, disposition). Tenant roles are not decided here: the domain decides them through the Actor
built from the principal.
"""
from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension

from tongban.graphql.core.errors import ApiError, forbidden, unauthenticated
from tongban.platform.identity.tokens import Principal
from tongban.platform.identity.web.common import identity_for

CATALOG_READ, CATALOG_WRITE = "catalog:read", "catalog:write"
CASES_READ, CASES_WRITE = "cases:read", "cases:write"
LICENSES_READ = "licenses:read"
SUPERVISION_READ, SUPERVISION_WRITE = "supervision:read", "supervision:write"


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError("UNAUTHENTICATED", "访问令牌格式应为 Bearer <token>",
                       "the Authorization header must be `Bearer <token>`")
    return token.strip()


def verify(app, token: str) -> Principal:
    """Raises identity's TokenRefused (401) for a bad, expired or revoked token."""
    return identity_for(app).verify_access_token(token)


class Requires(BasePermission):
    """The caller's token carries ``scope``; ``anonymous`` lets callers without a token through, ``account``
    refuses client-credentials tokens (acting for a person needs that person's token), ``client`` takes only
    client-credentials tokens (a registered department system speaks for itself)."""

    def __init__(self, scope: str, *, anonymous: bool = False, account: bool = False, staff: bool = False,
                 client: bool = False) -> None:
        self.scope, self.anonymous, self.account, self.staff = scope, anonymous, account or staff, staff
        self.client = client

    def has_permission(self, source: Any, info, **kwargs: Any) -> bool:
        return self.check(info.context.principal)

    def check(self, principal: Principal | None) -> bool:
        """True, or ApiError (UNAUTHENTICATED / FORBIDDEN); also used by the upload endpoint beside GraphQL."""
        if principal is None:
            if self.anonymous:
                return True
            raise unauthenticated()
        if self.scope not in principal.scopes:
            raise ApiError("FORBIDDEN", f"访问令牌缺少权限范围 {self.scope}",
                           f"the access token lacks the scope {self.scope}", requiredScope=self.scope)
        if self.account and principal.kind != "account":
            raise forbidden("此操作需要用户本人授权的令牌（客户端凭证令牌不行）",
                            "this needs a token a user signed in for (not a client-credentials token)")
        if self.staff and principal.user_type != "staff":
            raise forbidden("此操作仅限工作人员", "this is for staff only")
        if self.client and principal.kind != "client":
            raise forbidden("此查询仅限登记的部门系统（客户端凭证令牌）",
                            "this is for registered department systems (a client-credentials token)")
        return True


def requires(scope: str, **options: bool) -> list[PermissionExtension]:
    """Field extensions for ``strawberry.field(extensions=requires(...))``."""
    return [PermissionExtension([Requires(scope, **options)], use_directives=False)]
