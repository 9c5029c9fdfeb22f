"""The tenant tree as the API shows it: read from the directory snapshot, so no field costs a query."""
from __future__ import annotations

from enum import Enum

import strawberry

from tongban.tenants.directory import TenantInfo
from tongban.tenants.models import Level

TenantLevel = strawberry.enum(Enum("TenantLevel", {level.name: level.value for level in Level}),
                              description="省 / 市县 / 区 / 乡镇街道 / 村社区")


@strawberry.type(description="A government of the province (a tenant), keyed by its division code / 租户（行政区划）")
class Tenant:
    code: str
    name: str
    level: TenantLevel
    slug: str
    parent_code: str | None
    path: str = strawberry.field(description="Materialised path of codes from the province down: /46/4601/")
    info: strawberry.Private[TenantInfo]

    @strawberry.field(description="省 / 市县 / 区 / 乡镇街道 / 村社区")
    def level_label(self) -> str:
        return Level(self.level).label_zh

    @strawberry.field
    def parent(self, info: strawberry.Info) -> Tenant | None:
        if self.parent_code is None:
            return None
        parent = info.context.snapshot.by_code.get(self.parent_code)
        return tenant_node(parent) if parent else None

    @strawberry.field(description="Tenants one level down, by code")
    def children(self, info: strawberry.Info) -> list[Tenant]:
        return [tenant_node(t) for t in info.context.snapshot.children.get(self.code, ())]

    @strawberry.field(description="From the province down to the parent")
    def ancestors(self, info: strawberry.Info) -> list[Tenant]:
        return [tenant_node(t) for t in info.context.snapshot.ancestors(self.code)]


def tenant_node(info: TenantInfo) -> Tenant:
    return Tenant(code=info.code, name=info.name, level=info.level, slug=info.slug, parent_code=info.parent_code,
                  path=info.path, info=info)
