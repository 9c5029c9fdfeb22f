"""Catalogue queries: the items a tenant serves (filtered, sorted, paginated) and one item by code.

The list reads the worker's catalogue cache (one statement when warm); content fields of a page are
fetched together by the ``effective_item`` loader, announced here.
"""
from __future__ import annotations

from enum import Enum

import strawberry

from tongban.configurator.publishing.effective import CatalogueEntry
from tongban.graphql.catalogue.types import ItemNode, item_node
from tongban.graphql.catalogue.vocabulary import Audience, CaseType, Channel, ItemKind, Vocabulary
from tongban.graphql.core.auth import CATALOG_READ, requires
from tongban.graphql.core.pagination import Connection, decode_cursor, page_size, paginate_sorted
from tongban.graphql.core.tenancy import tenant_of


@strawberry.enum(description="Sort order of the item list")
class ItemSort(Enum):
    CODE = "code"
    NAME = "name"
    PROMISED_LIMIT = "promised_limit"


@strawberry.input(description="Item filters; all given ones must hold / 事项筛选条件")
class ItemFilter:
    search: str | None = strawberry.field(default=None, description="Part of the name or the code")
    kind: ItemKind | None = None
    case_type: CaseType | None = None
    audience: Audience | None = None
    channel: Channel | None = None
    department: str | None = None


SORT_KEYS = {
    "code": lambda e: (e.code,),
    "name": lambda e: (e.name, e.code),
    "promised_limit": lambda e: (e.promised_limit_days if e.promised_limit_days is not None else 9999, e.code),
}


def _matches(entry: CatalogueEntry, f: ItemFilter) -> bool:
    needle = (f.search or "").strip().lower()
    return ((not needle or needle in entry.name.lower() or needle in entry.code.lower())
            and (f.kind is None or entry.kind == f.kind.value)
            and (f.case_type is None or entry.case_type == f.case_type.value)
            and (f.audience is None or f.audience.value in entry.audience)
            and (f.channel is None or f.channel.value in entry.channels)
            and (not f.department or entry.department == f.department))


def served_catalogue(context, tenant) -> list[CatalogueEntry]:
    with context.database.unit_of_work(tenant.context()) as session:
        return context.state.catalogue.catalogue(session, tenant)


@strawberry.type
class CatalogueQueries:
    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="Enabled items the tenant serves (default: the request's tenant) / 本地可办事项")
    def items(self, info: strawberry.Info, tenant: str | None = None, filter: ItemFilter | None = None,
              sort: ItemSort = ItemSort.CODE, first: int | None = None, after: str | None = None) -> Connection[ItemNode]:
        context = info.context
        place = tenant_of(context, tenant)
        size, cursor = page_size(context, first), decode_cursor(after)
        entries = served_catalogue(context, place)
        if filter is not None:
            entries = [e for e in entries if _matches(e, filter)]
        key = SORT_KEYS[sort.value]
        if sort is not ItemSort.CODE:
            entries = sorted(entries, key=key)
        page = paginate_sorted(entries, key, first=size, after=cursor, node=lambda e: item_node(e, place.code))
        context.loaders.effective_item.expect((place.code, node.code) for node in page.nodes)
        return page

    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="One enabled item the tenant serves, by item code; null when it does not serve it")
    def item(self, info: strawberry.Info, code: str, tenant: str | None = None) -> ItemNode | None:
        context = info.context
        place = tenant_of(context, tenant)
        entry = next((e for e in served_catalogue(context, place) if e.code == code), None)
        return item_node(entry, place.code) if entry else None

    @strawberry.field(description="Labels of every enum value (zh/en) / 枚举值说明")
    def vocabulary(self) -> Vocabulary:
        return Vocabulary()
