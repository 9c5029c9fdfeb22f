"""What an editor page edits — the item's open draft, or its latest version when no draft is open — and
saving one part through ``catalogue.edit_draft`` with optimistic locking.

The page carries a *base* token: ``r<revision>`` when it showed an open draft, ``v<latest version>`` when
it showed a version with no draft open. Saving against a base that moved is a conflict: someone else
edited, opened or published the draft in the meantime.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tongban.configurator.publishing import catalogue
from tongban.configurator.publishing.models import DRAFT, Item, ItemVersion

CONFLICT = catalogue.CatalogueError(
    "conflict",
    "草稿已被他人修改或发布，请刷新后重试",
    "the draft was changed or published by someone else; reload it",
)


@dataclass(frozen=True)
class Editing:
    item: Item
    version: ItemVersion  # the open draft, or the latest version
    has_draft: bool

    @property
    def content(self) -> dict:
        return self.version.content

    @property
    def base(self) -> str:
        return f"r{self.version.revision}" if self.has_draft else f"v{self.item.latest_version_no}"

    @property
    def owner(self) -> str:
        return self.item.tenant_id

    @property
    def next_version_no(self) -> int:
        return self.version.version_no if self.has_draft else self.item.latest_version_no + 1


def editing(session: Session, code: str) -> Editing:
    item = catalogue.get_item(session, code)
    draft = catalogue.current_draft(session, item)
    if draft is not None:
        return Editing(item, draft, True)
    return Editing(item, catalogue.version(session, item, item.latest_version_no), False)


def save_part(session: Session, code: str, part: str, value, *, actor: str, base: str) -> ItemVersion:
    """Save one part of the draft if ``base`` still describes it; a conflict otherwise."""
    item = catalogue.get_item(session, code)
    draft = catalogue.current_draft(session, item)
    expected = None
    if base.startswith("r") and base[1:].isdigit():
        if draft is None:
            raise CONFLICT
        expected = int(base[1:])
    elif not (base == f"v{item.latest_version_no}" and draft is None):
        raise CONFLICT
    saved = catalogue.edit_draft(session, code, part, value, actor=actor, expected_revision=expected)
    session.flush()
    return saved


def status(item: Item, latest_state: str) -> tuple[str, str, str]:
    """(key, 中文, English) of where an item stands."""
    if item.retired:
        return "retired", "已退役", "Retired"
    published = item.published_version_no
    if latest_state == DRAFT and published:
        return (
            "draft",
            f"已发布第 {published} 版，第 {item.latest_version_no} 版草稿编辑中",
            f"v{published} published, draft v{item.latest_version_no} open",
        )
    if latest_state == DRAFT:
        return (
            "unpublished",
            f"未发布（草稿第 {item.latest_version_no} 版）",
            f"Not published (draft v{item.latest_version_no})",
        )
    return "published", f"已发布第 {published} 版", f"v{published} published"
