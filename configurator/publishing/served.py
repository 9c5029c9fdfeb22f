"""Reading what tenants serve, in batches: the data layer behind the public API's catalogue fields (and the
benchmark's plain endpoint). It composes the publishing room's own pure rules — ``resolve`` (which version, enabled,
which override layers) and ``apply_layers`` — over four statements for any number of items, where
``effective_item`` costs four per item.

Published versions never change, so their content is parsed once per worker (as the approval engine's
flow cache does); a draft is never served and never cached.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.publishing.effective import Coverage, EffectiveItem, Local, resolve
from tongban.configurator.publishing.models import PUBLISHED, Item, ItemVersion, Publication, TenantItem
from tongban.configurator.publishing.overrides import apply_layers
from tongban.tenants.isolation import path_codes

_LOCK = threading.Lock()
_CONTENT: OrderedDict[int, dict] = OrderedDict()
_MAX = 4096


def effective_items(session: Session, tenant, codes: Iterable[str]) -> dict[str, EffectiveItem]:
    """The content ``tenant`` serves for each of ``codes`` (codes not published to it are left out)."""
    items = dict(session.execute(select(Item.id, Item.code).where(Item.code.in_(set(codes)), Item.retired.is_(False))).all())
    if not items:
        return {}
    coverages: dict[int, list[Coverage]] = defaultdict(list)
    for row in session.execute(select(Publication.item_id, Publication.scope_code, Publication.include_subtree,
                                      Publication.seq, Publication.version_id)
                               .where(Publication.item_id.in_(items))):
        coverages[row.item_id].append(Coverage(row.scope_code, row.include_subtree, row.seq, row.version_id))
    locals_: dict[int, dict[str, Local]] = defaultdict(dict)
    for row in session.execute(select(TenantItem.item_id, TenantItem.tenant_id, TenantItem.enabled,
                                      TenantItem.pinned_version_id, TenantItem.overrides)
                               .where(TenantItem.item_id.in_(items), TenantItem.tenant_id.in_(path_codes(tenant.path)))):
        locals_[row.item_id][row.tenant_id] = Local(row.enabled, row.pinned_version_id, row.overrides or {})
    served = {item_id: resolve(tenant.path, coverages[item_id], locals_[item_id]) for item_id in items}
    contents = version_contents(session, {s.version_id for s in served.values() if s.published})
    found = {}
    for item_id, s in served.items():
        if not s.published or s.version_id not in contents:
            continue
        version_no, content = contents[s.version_id]
        if s.layers:
            content, sources = apply_layers(content, s.layers)
        else:
            sources = {}
        code = items[item_id]
        found[code] = EffectiveItem(code, version_no, s.version_id, s.enabled, content, sources, s.decided_by)
    return found


def version_contents(session: Session, version_ids: set[int]) -> dict[int, tuple[int, dict]]:
    """(version number, content) of published versions; one statement for those not cached yet.

    The content returned is shared: callers read it and never change it.
    """
    found, missing = {}, []
    with _LOCK:
        for vid in version_ids:
            hit = _CONTENT.get(vid)
            if hit is None:
                missing.append(vid)
            else:
                found[vid] = hit
    if missing:
        rows = session.execute(select(ItemVersion.id, ItemVersion.version_no, ItemVersion.state, ItemVersion.content)
                               .where(ItemVersion.id.in_(missing))).all()
        with _LOCK:
            for row in rows:
                found[row.id] = (row.version_no, row.content)
                if row.state == PUBLISHED:
                    _CONTENT[row.id] = found[row.id]
            while len(_CONTENT) > _MAX:
                _CONTENT.popitem(last=False)
    return found


def clear_cache() -> None:
    with _LOCK:
        _CONTENT.clear()
