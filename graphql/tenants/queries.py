"""Tenant queries: one tenant by code, the tree level by level (children), a filtered list."""
from __future__ import annotations

import strawberry

from tongban.graphql.core.auth import CATALOG_READ, requires
from tongban.graphql.core.pagination import Connection, decode_cursor, page_size, paginate_sorted
from tongban.graphql.tenants.types import Tenant, TenantLevel, tenant_node
from tongban.tenants.directory import TenantInfo


@strawberry.type
class TenantQueries:
    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="A tenant by division code (default: the request's tenant); null when unknown")
    def tenant(self, info: strawberry.Info, code: str | None = None) -> Tenant | None:
        context = info.context
        found = context.request_tenant if code is None else context.snapshot.by_code.get(code.strip())
        return tenant_node(found) if found and found.active else None

    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="Active tenants, by path (a tree walk): filter by parent, level, name")
    def tenants(self, info: strawberry.Info, parent: str | None = None, level: TenantLevel | None = None,
                name_contains: str | None = None, first: int | None = None,
                after: str | None = None) -> Connection[Tenant]:
        context = info.context
        size, cursor = page_size(context, first), decode_cursor(after)
        rows = _filtered(context.snapshot, parent, level, name_contains)
        return paginate_sorted(rows, _by_path, first=size, after=cursor, node=tenant_node)


def _by_path(tenant: TenantInfo) -> tuple:
    return (tenant.path,)


def _filtered(snapshot, parent: str | None, level, name_contains: str | None) -> list[TenantInfo]:
    if parent is not None:
        if parent not in snapshot.by_code:
            return []
        rows = snapshot.subtree(parent)[1:]
    else:
        rows = sorted(snapshot.by_code.values(), key=_by_path)
    level_value = level.value if level is not None else None
    needle = (name_contains or "").strip()
    return [t for t in rows if t.active and (level_value is None or t.level == level_value)
            and (not needle or needle in t.name)]
