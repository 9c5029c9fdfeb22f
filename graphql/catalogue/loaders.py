"""The catalogue's per-request loaders: what a tenant serves of an item, fetched for a whole page at once."""
from __future__ import annotations

from collections import defaultdict

from tongban.configurator.publishing.effective import EffectiveItem
from tongban.configurator.publishing.served import effective_items
from tongban.graphql.core.loaders import BatchLoader

Key = tuple[str, str]  # (tenant code, item code)


def build_loaders(context) -> dict[str, BatchLoader]:
    def fetch(keys: list[Key]) -> dict[Key, EffectiveItem]:
        by_tenant: dict[str, list[str]] = defaultdict(list)
        for tenant_code, item_code in keys:
            by_tenant[tenant_code].append(item_code)
        found: dict[Key, EffectiveItem] = {}
        for tenant_code, codes in by_tenant.items():
            tenant = context.snapshot.by_code[tenant_code]
            with context.database.unit_of_work(tenant.context()) as session:
                for code, item in effective_items(session, tenant, codes).items():
                    found[(tenant_code, code)] = item
        return found

    return {"effective_item": BatchLoader(fetch, name="effective_item")}
