"""Exporting the catalogue, and importing checked entries in one unit of work: all of them or nothing.

An entry whose code is new becomes a new item; one whose content equals the item's latest version changes
nothing; any other becomes (or replaces) the item's draft, part by part, every edit audited. With a
publish scope, each imported item whose content now sits in a draft is published there.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tongban.configurator.catalogue_io.entries import Entry
from tongban.configurator.catalogue_io.problems import ImportInvalid, Place
from tongban.configurator.demo.seed import tenant_context
from tongban.configurator.items.content import PARTS, empty_content
from tongban.configurator.items.problems import ContentInvalid
from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.catalogue import CatalogueError, content_hash
from tongban.configurator.publishing.models import DRAFT, Item, ItemVersion
from tongban.configurator.publishing.scopes import PublishScope
from tongban.tenants.isolation import TenantViolation

Progress = Callable[[str, int, int], None]  # (stage "import" | "publish", done, total)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Latest:
    owner: str
    content_hash: str
    state: str


def export_items(database, *, owner: str = "46", published_only: bool = False) -> list[dict]:
    """``[{"code", "content"}]`` of the items ``owner`` authored, by code: each one's latest version
    (drafts included), or with ``published_only`` its latest published version."""
    number = Item.published_version_no if published_only else Item.latest_version_no
    with database.unit_of_work(tenant_context(database, owner)) as session:
        rows = session.execute(
            select(Item.code, ItemVersion.content)
            .join(ItemVersion, (ItemVersion.item_id == Item.id) & (ItemVersion.version_no == number))
            .where(Item.tenant_id == owner, Item.retired.is_(False)).order_by(Item.code)).all()
    return [{"code": code, "content": content} for code, content in rows]


def import_entries(database, entries: list[Entry], *, actor: str, owner: str = "46",
                   publish_to: str | None = None, progress: Progress | None = None) -> ImportReport:
    report = ImportReport()
    to_publish: list[Entry] = []
    with database.unit_of_work(tenant_context(database, owner)) as session:
        latest = _latest_versions(session)
        for done, entry in enumerate(entries, 1):
            outcome = _guarded(entry, lambda e=entry: _apply(session, e, latest.get(e.code), owner, actor))
            getattr(report, outcome).append(entry.code)
            if outcome != "unchanged" or latest[entry.code].state == DRAFT:
                to_publish.append(entry)
            if progress:
                progress("import", done, len(entries))
        if publish_to:
            scope = PublishScope.subtree(publish_to)
            for done, entry in enumerate(to_publish, 1):
                _guarded(entry, lambda e=entry: catalogue.publish(session, e.code, scope, actor=actor),
                         where=f"--publish {publish_to}")
                report.published.append(entry.code)
                if progress:
                    progress("publish", done, len(to_publish))
    return report


def _latest_versions(session) -> dict[str, _Latest]:
    rows = session.execute(
        select(Item.code, Item.tenant_id, ItemVersion.content_hash, ItemVersion.state)
        .join(ItemVersion, (ItemVersion.item_id == Item.id)
              & (ItemVersion.version_no == Item.latest_version_no)))
    return {code: _Latest(owner, digest, state) for code, owner, digest, state in rows}


def _apply(session, entry: Entry, latest: _Latest | None, owner: str, actor: str) -> str:
    content = entry.content
    if latest is None:
        catalogue.create_item(session, owner=owner, elements=content["elements"], actor=actor)
        blank = empty_content(content["elements"])
        _edit_changed_parts(session, entry, blank, actor)
        return "created"
    if latest.owner != owner:
        raise CatalogueError("owned_elsewhere", f"事项编码 {entry.code} 属于区划 {latest.owner}，不能在此导入",
                             f"item {entry.code} belongs to {latest.owner} and cannot be imported here")
    if content_hash(content) == latest.content_hash:
        return "unchanged"
    draft = catalogue.start_draft(session, entry.code, actor=actor)
    _edit_changed_parts(session, entry, draft.content, actor)
    return "updated"


def _edit_changed_parts(session, entry: Entry, before: dict, actor: str) -> None:
    for part in PARTS:
        if before.get(part) != entry.content[part]:
            catalogue.edit_draft(session, entry.code, part, entry.content[part], actor=actor)


def _guarded(entry: Entry, action, *, where: str | None = None):
    """Run one domain action; a refusal becomes ImportInvalid at the entry's place (nothing is kept)."""
    place = Place(where) if where else entry.locator.fallback
    try:
        return action()
    except ContentInvalid as error:
        raise ImportInvalid([entry.locator.problem(p) if not where else place.problem(p.code, p.zh, p.en)
                             for p in error.problems]) from None
    except CatalogueError as error:
        problem = place.problem(error.code, f"{entry.code}：{error.zh}", f"{entry.code}: {error.en}")
        raise ImportInvalid([problem]) from None
    except (IntegrityError, TenantViolation):
        problem = place.problem("not_writable", f"事项 {entry.code} 无法写入（编码已被其他区划占用）",
                                f"item {entry.code} cannot be written (its code is taken elsewhere)")
        raise ImportInvalid([problem]) from None
