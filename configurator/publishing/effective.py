"""The item a tenant serves: the published version that covers it (or its pin) with the overrides of its
ancestors and itself laid on top, nearest last; enabled unless the nearest decision says otherwise."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tongban.configurator.items.assignees import known_departments
from tongban.configurator.publishing.models import Item, ItemVersion, Publication, TenantItem
from tongban.configurator.publishing.overrides import apply_layers, check_overrides
from tongban.tenants.isolation import path_codes
from tongban.tenants.models import Tenant


@dataclass(frozen=True)
class Coverage:
    scope_code: str
    include_subtree: bool
    seq: int
    version_id: int


@dataclass(frozen=True)
class Local:
    enabled: bool | None
    pinned_version_id: int | None
    overrides: dict


@dataclass(frozen=True)
class Served:
    """What one tenant serves of one item (pure result of :func:`resolve`)."""

    published: bool
    enabled: bool
    version_id: int | None
    layers: list[tuple[str, dict]] = field(default_factory=list)
    decided_by: str | None = None  # the tenant whose decision enabled/disabled it


def resolve(path: str, coverages: list[Coverage], locals_: dict[str, Local]) -> Served:
    """Pure: which version ``path``'s tenant serves and whether it is enabled."""
    codes = path_codes(path)
    me = codes[-1]
    covering = [c for c in coverages if (c.include_subtree and c.scope_code in codes) or c.scope_code == me]
    if not covering:
        return Served(False, False, None)
    version_id = max(covering, key=lambda c: c.seq).version_id
    enabled, decided_by = True, None
    layers = []
    for code in codes:  # root first, nearest last
        local = locals_.get(code)
        if local is None:
            continue
        if local.enabled is not None:
            enabled, decided_by = local.enabled, code
        if local.pinned_version_id is not None:
            version_id = local.pinned_version_id
        if local.overrides:
            layers.append((code, local.overrides))
    return Served(True, enabled, version_id, layers, decided_by)


class CatalogueEntry(NamedTuple):
    item_id: int
    code: str
    version_no: int
    name: str
    kind: str
    department: str
    case_type: str
    audience: tuple[str, ...]
    channels: tuple[str, ...]
    legal_limit_days: int | None
    promised_limit_days: int | None


SUMMARY = (ItemVersion.id, ItemVersion.item_id, ItemVersion.version_no, ItemVersion.name, ItemVersion.kind,
           ItemVersion.department, ItemVersion.case_type, ItemVersion.audience, ItemVersion.levels,
           ItemVersion.channels, ItemVersion.legal_limit_days, ItemVersion.promised_limit_days)


def effective_catalogue(session: Session, tenant) -> list[CatalogueEntry]:
    """Every enabled item ``tenant`` (anything with code, path, level) serves.

    One query picks, per item, the latest publication covering the tenant together with that version's
    summary columns; a second reads the few local decisions on the tenant's path (disable, pin), and a
    third — only when something is pinned — reads the pinned versions' summaries.
    """
    codes = path_codes(tenant.path)
    covers = or_(Publication.scope_code.in_(codes[:-1]) & Publication.include_subtree,
                 Publication.scope_code == tenant.code)
    ranked = (select(Publication.item_id, Publication.version_id,
                     func.row_number().over(partition_by=Publication.item_id, order_by=Publication.seq.desc())
                     .label("rank"))
              .where(covers).subquery())
    rows = session.execute(
        select(*SUMMARY, Item.code).join(ranked, ranked.c.version_id == ItemVersion.id)
        .join(Item, Item.id == ItemVersion.item_id)
        .where(ranked.c.rank == 1, Item.retired.is_(False))).all()
    decisions = _local_decisions(session, codes)
    pinned_ids = {pin for _, pin in decisions.values() if pin}
    pinned = {r.id: r for r in session.execute(
        select(*SUMMARY, Item.code).join(Item, Item.id == ItemVersion.item_id)
        .where(ItemVersion.id.in_(pinned_ids)))} if pinned_ids else {}
    entries = []
    level = tenant.level
    for row in rows:
        enabled, pin = decisions.get(row.item_id, (True, None))
        if not enabled:
            continue
        row = pinned.get(pin, row)
        if level in row.levels:
            entries.append(_entry(row))
    entries.sort(key=_by_code)
    return entries


def _by_code(entry: CatalogueEntry) -> str:
    return entry.code


def _local_decisions(session: Session, codes: tuple[str, ...]) -> dict[int, tuple[bool, int | None]]:
    """Per item: (enabled, pinned version id) after the decisions on the path, root first, nearest last."""
    depth = {code: i for i, code in enumerate(codes)}
    rows = session.execute(select(TenantItem.item_id, TenantItem.tenant_id, TenantItem.enabled,
                                  TenantItem.pinned_version_id).where(TenantItem.tenant_id.in_(codes))).all()
    decisions: dict[int, tuple[bool, int | None]] = {}
    for row in sorted(rows, key=lambda r: depth[r.tenant_id]):
        enabled, pin = decisions.get(row.item_id, (True, None))
        decisions[row.item_id] = (enabled if row.enabled is None else row.enabled,
                                  row.pinned_version_id or pin)
    return decisions


def _entry(r) -> CatalogueEntry:
    return CatalogueEntry(r.item_id, r.code, r.version_no, r.name, r.kind, r.department, r.case_type,
                          tuple(r.audience.split(",")) if r.audience else (),
                          tuple(r.channels.split(",")) if r.channels else (),
                          r.legal_limit_days, r.promised_limit_days)


def _coverages(session: Session, item: Item) -> list[Coverage]:
    return [Coverage(p.scope_code, p.include_subtree, p.seq, p.version_id)
            for p in session.scalars(select(Publication).where(Publication.item_id == item.id))]


def _locals(session: Session, item: Item, codes) -> dict[str, Local]:
    rows = session.scalars(select(TenantItem).where(TenantItem.item_id == item.id, TenantItem.tenant_id.in_(codes)))
    return {r.tenant_id: Local(r.enabled, r.pinned_version_id, r.overrides or {}) for r in rows}


def served_version(session: Session, tenant_code: str, item: Item) -> ItemVersion | None:
    path = session.scalar(select(Tenant.path).where(Tenant.code == tenant_code))
    served = resolve(path, _coverages(session, item), _locals(session, item, path_codes(path)))
    return session.get(ItemVersion, served.version_id) if served.version_id else None


@dataclass(frozen=True)
class EffectiveItem:
    code: str
    version_no: int
    version_id: int
    enabled: bool
    content: dict
    sources: dict[str, str]
    decided_by: str | None


def effective_item(session: Session, tenant, item_code: str) -> EffectiveItem | None:
    """The full content ``tenant`` serves for ``item_code`` (None when not published to it)."""
    item = session.scalar(select(Item).where(Item.code == item_code))
    if item is None or item.retired:
        return None
    served = resolve(tenant.path, _coverages(session, item), _locals(session, item, path_codes(tenant.path)))
    if not served.published:
        return None
    version = session.get(ItemVersion, served.version_id)
    content, sources = apply_layers(version.content, served.layers)
    return EffectiveItem(item.code, version.version_no, version.id, served.enabled, content, sources, served.decided_by)


@dataclass(frozen=True)
class MatrixRow:
    code: str
    name: str
    level: str
    published: bool
    enabled: bool
    version_no: int | None
    pinned: bool
    overrides: dict
    override_problems: list


def tenant_matrix(session: Session, item_code: str, root_code: str) -> list[MatrixRow]:
    """Each tenant of ``root_code``'s subtree: state, version, overrides, and overrides a new version broke.

    Needs a unit of work that can see the subtree's rows (an audited subtree scope).
    """
    item = session.scalar(select(Item).where(Item.code == item_code))
    root = session.get(Tenant, root_code)
    tenants = session.scalars(select(Tenant).where(Tenant.path >= root.path, Tenant.path < root.path + "~")
                              .order_by(Tenant.path)).all()
    ancestors = set(path_codes(root.path))
    locals_ = _locals(session, item, ancestors | {t.code for t in tenants})
    coverages = _coverages(session, item)
    versions = {v.id: v for v in session.scalars(select(ItemVersion).where(ItemVersion.item_id == item.id))}
    rows, departments = [], known_departments(session)
    for t in tenants:
        served = resolve(t.path, coverages, locals_)
        own = locals_.get(t.code)
        version = versions.get(served.version_id)
        problems = (check_overrides(version.content, own.overrides, departments=departments)
                    if own and own.overrides and version else [])
        rows.append(MatrixRow(t.code, t.name, t.level, served.published, served.enabled,
                              version.version_no if version else None, bool(own and own.pinned_version_id),
                              own.overrides if own else {}, [p.to_dict() for p in problems]))
    return rows
