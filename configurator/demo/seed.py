"""Loading the demo catalogue: each missing demo item is created, filled and published to the province.

One unit of work in the province's context, so a failure leaves nothing behind; items that already
exist (by code) are left exactly as an administrator may have changed them, so a second run adds nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from tongban.configurator.demo.items import demo_items
from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.models import Item
from tongban.configurator.publishing.scopes import PublishScope
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

PROVINCE = "46"
Progress = Callable[[int, int], None]


class TenantMissing(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(f"找不到区划 {code}，请先运行 tongban seed / no division {code}: run `tongban seed` first")


def tenant_context(database, code: str) -> TenantContext:
    """The unit-of-work context of tenant ``code`` (looked up once, as a request would have it)."""
    with database.unit_of_work(TenantContext.system(f"context of {code}")) as session:
        tenant = session.get(Tenant, code)
        if tenant is None:
            raise TenantMissing(code)
        return TenantContext.of(tenant)


def seed_demo_catalogue(database, *, actor: str = "system:seed", progress: Progress | None = None) -> int:
    """Create and publish to the whole province (46) every demo item not yet in the catalogue; the count."""
    contents = demo_items()
    with database.unit_of_work(tenant_context(database, PROVINCE)) as session:
        codes = [c["elements"]["code"] for c in contents]
        present = set(session.scalars(select(Item.code).where(Item.code.in_(codes))))
        missing = [c for c in contents if c["elements"]["code"] not in present]
        for done, content in enumerate(missing, 1):
            add_published(session, content, owner=PROVINCE, scope=PublishScope.subtree(PROVINCE), actor=actor)
            if progress:
                progress(done, len(missing))
    return len(missing)


def add_published(session, content: dict, *, owner: str, scope: PublishScope, actor: str) -> None:
    code = content["elements"]["code"]
    catalogue.create_item(session, owner=owner, elements=content["elements"], actor=actor)
    for part in ("form", "materials", "flow"):
        catalogue.edit_draft(session, code, part, content[part], actor=actor)
    catalogue.publish(session, code, scope, actor=actor)
