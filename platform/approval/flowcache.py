"""A case's flow and content come from its immutable item version, so each worker parses them once."""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy.orm import Session

from tongban.configurator.flows import Flow
from tongban.configurator.forms import FormSchema
from tongban.configurator.publishing.models import ItemVersion

_LOCK = threading.Lock()
_CACHE: OrderedDict[int, tuple[Flow, FormSchema, dict]] = OrderedDict()
_MAX = 2048


def version_parts(session: Session, version_id: int) -> tuple[Flow, FormSchema, dict]:
    with _LOCK:
        hit = _CACHE.get(version_id)
        if hit:
            _CACHE.move_to_end(version_id)
            return hit
    version = session.get(ItemVersion, version_id)
    content = version.content
    limit = (content.get("elements") or {}).get("promised_limit_days")
    parts = (Flow.parse(content["flow"], promised_limit_days=limit), FormSchema.parse(content.get("form") or {"fields": []}),
             content)
    with _LOCK:
        _CACHE[version_id] = parts
        while len(_CACHE) > _MAX:
            _CACHE.popitem(last=False)
    return parts


def flow_of(session: Session, version_id: int) -> Flow:
    return version_parts(session, version_id)[0]


_SERVED: OrderedDict[tuple[str, str], tuple[int, object, int | None]] = OrderedDict()


def served_item(session: Session, tenant, item_code: str, *, generation: int | None = None):
    """What ``tenant`` serves for ``item_code`` and the item's id, cached while the catalogue generation stands
    still (any publish, enable, pin, override or retire moves it): one primary-key read on a hit, none when the
    caller read the ``generation`` in this transaction already."""
    from sqlalchemy import select

    from tongban.configurator.publishing.clock import current_generation
    from tongban.configurator.publishing.effective import effective_item
    from tongban.configurator.publishing.models import Item

    if generation is None:
        generation = current_generation(session)  # read first: a later change can only make us recompute
    key = (tenant.code, item_code)
    with _LOCK:
        hit = _SERVED.get(key)
        if hit and hit[0] == generation:
            _SERVED.move_to_end(key)
            return hit[1], hit[2]
    served = effective_item(session, tenant, item_code)
    item_id = session.scalar(select(Item.id).where(Item.code == item_code)) if served is not None else None
    with _LOCK:
        _SERVED[key] = (generation, served, item_id)
        while len(_SERVED) > _MAX:
            _SERVED.popitem(last=False)
    return served, item_id
