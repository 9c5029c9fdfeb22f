"""A tenant's relation to items: enable/disable (in bulk, inherited by the subtree), pinning, local overrides.

Runs in a unit of work bound to the acting tenant: a township admin writes the township's row only.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tongban.configurator.items.assignees import known_departments
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing.catalogue import CatalogueError, get_item, version
from tongban.configurator.publishing.clock import bump_generation
from tongban.configurator.publishing.models import PUBLISHED, Item, TenantItem
from tongban.configurator.publishing.overrides import check_overrides
from tongban.platform import audit
from tongban.platform.db import utcnow


def relation(session: Session, tenant_code: str, item: Item) -> TenantItem | None:
    return session.scalar(select(TenantItem).where(TenantItem.tenant_id == tenant_code, TenantItem.item_id == item.id))


def set_enabled(session: Session, tenant_code: str, item_codes: list[str], enabled: bool | None, *, actor: str) -> int:
    """Enable or disable items for ``tenant_code`` and (by inheritance) its subtree, in one statement.

    ``None`` removes the local decision so the tenant follows its parent again. Enabling an item never published
    to the tenant (or above it) is refused, naming the items: it would read "enabled" and serve nothing. Disabling
    one ahead of its publishing is allowed.
    """
    from tongban.configurator.publishing.effective import served_version

    items = list(session.scalars(select(Item).where(Item.code.in_(item_codes))))
    missing = set(item_codes) - {i.code for i in items}
    if missing:
        raise CatalogueError("item_not_found", f"找不到事项：{', '.join(sorted(missing))}",
                             f"no such items: {', '.join(sorted(missing))}")
    if enabled:
        unpublished = sorted(i.code for i in items if served_version(session, tenant_code, i) is None)
        if unpublished:
            raise CatalogueError("not_published_here", f"事项尚未向该地区发布，请先发布再启用：{', '.join(unpublished)}",
                                 f"not published to this tenant yet; publish before enabling: {', '.join(unpublished)}")
    rows = [{"tenant_id": tenant_code, "item_id": i.id, "enabled": enabled, "overrides": {}, "revision": 1,
             "updated_by": actor, "updated_at": utcnow()} for i in items]
    if rows:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(TenantItem).values(rows)
        session.execute(stmt.on_conflict_do_update(
            index_elements=["tenant_id", "item_id"],
            set_={"enabled": stmt.excluded.enabled, "updated_by": actor, "updated_at": stmt.excluded.updated_at,
                  "revision": TenantItem.revision + 1}))
    bump_generation(session)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="enable" if enabled else "disable",
                 entity="tenant_items", entity_key=tenant_code, extra={"items": sorted(item_codes), "enabled": enabled})
    return len(rows)


def _changed_meanwhile() -> CatalogueError:
    return CatalogueError("conflict", "本地设置已被他人修改，请刷新后重试", "the local settings changed; reload them")


def _relation_for_update(session: Session, tenant_code: str, item: Item, actor: str) -> TenantItem:
    return relation(session, tenant_code, item) or _new_relation(session, tenant_code, item, actor)


def _new_relation(session: Session, tenant_code: str, item: Item, actor: str) -> TenantItem:
    row = TenantItem(tenant_id=tenant_code, item_id=item.id, enabled=None, overrides={}, updated_by=actor)
    session.add(row)
    return row


def pin(session: Session, tenant_code: str, item_code: str, version_no: int | None, *, actor: str) -> TenantItem:
    """Pin the tenant (and its subtree) to a published version, or follow the latest again with ``None``."""
    item = get_item(session, item_code)
    row = _relation_for_update(session, tenant_code, item, actor)
    if version_no is None:
        row.pinned_version_id = None
    else:
        target = version(session, item, version_no)
        if target.state != PUBLISHED:
            raise CatalogueError("not_published", f"第 {version_no} 版尚未发布，不能锁定",
                                 f"version {version_no} is not published and cannot be pinned")
        row.pinned_version_id = target.id
    row.updated_by = actor
    bump_generation(session)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="pin", entity="tenant_item",
                 entity_key=f"{tenant_code}:{item_code}", extra={"version": version_no})
    session.flush()
    return row


def set_overrides(session: Session, tenant_code: str, item_code: str, overrides: dict, *, actor: str,
                  expected_revision: int | None = None) -> TenantItem:
    """Replace the tenant's local overrides after checking them against the version it serves. ``expected_revision``
    is the revision the editor was shown (0: the tenant had no local row yet); any other is a conflict, nothing
    written — the first two editors of an item's local settings included."""
    from tongban.configurator.publishing.effective import served_version

    item = get_item(session, item_code)
    served = served_version(session, tenant_code, item)
    if served is None:
        raise CatalogueError("not_served", "该事项未向本地发布", "this item is not published to this tenant")
    cleaned = {k: v for k, v in overrides.items() if v not in (None, "", [], {})}
    problems = check_overrides(served.content, cleaned, departments=known_departments(session))
    if problems:
        raise ContentInvalid(problems)
    row = relation(session, tenant_code, item)
    if expected_revision is not None and (row.revision if row else 0) != expected_revision:
        raise _changed_meanwhile()
    if row is None:
        row = _new_relation(session, tenant_code, item, actor)
        try:  # another editor may be creating the same row this moment: theirs wins, ours is a conflict
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            raise _changed_meanwhile() from None
    before = dict(row.overrides or {})
    row.overrides = cleaned
    row.updated_by = actor
    bump_generation(session)
    audit.record(session, tenant_id=tenant_code, actor=actor, action="override", entity="tenant_item",
                 entity_key=f"{tenant_code}:{item_code}", before=before, after=cleaned)
    session.flush()
    return row
