"""Everything the construction room needs in a database: its catalogue items, the data dictionary, the
stage templates, the negative list and the item chains (safe to run twice)."""
from __future__ import annotations

from sqlalchemy import select

from tongban.configurator.demo import items_building
from tongban.configurator.demo.seed import PROVINCE, add_published, tenant_context
from tongban.configurator.publishing.models import Item
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform.construction import demo_items
from tongban.platform.sharing.dictionary import seed_data_elements

BUILDING_ITEMS = (items_building.planning_permit, items_building.construction_permit, items_building.eia_approval)


def install(database, service) -> int:
    contents = [make() for make in BUILDING_ITEMS] + demo_items.items()
    created = 0
    with database.unit_of_work(tenant_context(database, PROVINCE)) as session:
        present = set(session.scalars(select(Item.code)))
        for content in contents:
            if content["elements"]["code"] not in present:
                add_published(session, content, owner=PROVINCE, scope=PublishScope.subtree(PROVINCE),
                              actor="system:construction")
                created += 1
        seed_data_elements(session)
    return created + service.seed_defaults()
