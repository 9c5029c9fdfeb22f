"""Authoring the catalogue: items, drafts, validation and publishing. Every change is audited.

Runs in a unit of work bound to the item's owning tenant (normally the province); row-level security
and the ORM refuse a write from any other tenant, so a tenant admin cannot change the standard.
"""
from __future__ import annotations

import copy
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tongban.configurator.items.assignees import known_departments
from tongban.configurator.items.content import check_content, empty_content, summary_of
from tongban.configurator.items.problems import ContentInvalid, Problem
from tongban.configurator.publishing.clock import next_publish_seq
from tongban.configurator.publishing.models import DRAFT, PUBLISHED, Item, ItemVersion, Publication
from tongban.configurator.publishing.scopes import PublishScope
from tongban.platform import audit
from tongban.platform.db import utcnow
from tongban.tenants.models import Tenant


class CatalogueError(LookupError):
    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en
        super().__init__(f"{zh} / {en}")


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def get_item(session: Session, code: str) -> Item:
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise CatalogueError("item_not_found", f"找不到事项 {code}", f"no item {code}")
    return item


def create_item(session: Session, *, owner: str, elements: dict, actor: str) -> ItemVersion:
    """A new item with its first draft; the draft may be incomplete, publishing checks it whole."""
    code = str(elements.get("code") or "").strip()
    if not code:
        raise ContentInvalid([Problem("elements.code", "required", "请填写事项编码", "item code is required")])
    if session.scalar(select(Item.id).where(Item.code == code).execution_options(include_all_tenants_unchecked=True)):
        raise ContentInvalid([Problem("elements.code", "duplicate", f"事项编码 {code} 已存在", f"item code {code} exists")])
    item = Item(tenant_id=owner, code=code, latest_version_no=1)
    session.add(item)
    session.flush()
    version = _new_version(item, 1, empty_content(elements), actor)
    session.add(version)
    audit.record(session, tenant_id=owner, actor=actor, action="create", entity="item", entity_key=code,
                 after={"elements": elements})
    session.flush()
    return version


def _new_version(item: Item, number: int, content: dict, actor: str) -> ItemVersion:
    return ItemVersion(tenant_id=item.tenant_id, item_id=item.id, version_no=number, state=DRAFT,
                       content=content, content_hash=content_hash(content), created_by=actor,
                       **summary_of(content))


def current_draft(session: Session, item: Item) -> ItemVersion | None:
    return session.scalar(select(ItemVersion).where(ItemVersion.item_id == item.id, ItemVersion.state == DRAFT))


def version(session: Session, item: Item, number: int) -> ItemVersion:
    found = session.scalar(select(ItemVersion).where(ItemVersion.item_id == item.id, ItemVersion.version_no == number))
    if found is None:
        raise CatalogueError("version_not_found", f"事项 {item.code} 没有第 {number} 版", f"{item.code} has no version {number}")
    return found


def start_draft(session: Session, code: str, *, actor: str) -> ItemVersion:
    """The item's open draft, or a new one copied from the latest version."""
    item = get_item(session, code)
    draft = current_draft(session, item)
    if draft:
        return draft
    latest = version(session, item, item.latest_version_no)
    item.latest_version_no += 1
    draft = _new_version(item, item.latest_version_no, copy.deepcopy(latest.content), actor)
    session.add(draft)
    session.flush()
    return draft


def edit_draft(session: Session, code: str, part: str, value, *, actor: str, expected_revision: int | None = None) -> ItemVersion:
    """Replace one part (elements, form, materials, flow) of the draft; a stale revision is a conflict."""
    if part not in ("elements", "form", "materials", "flow"):
        raise CatalogueError("unknown_part", f"未知的内容部分 {part}", f"unknown content part {part!r}")
    draft = start_draft(session, code, actor=actor)
    if expected_revision is not None and draft.revision != expected_revision:
        raise CatalogueError("conflict", "草稿已被他人修改，请刷新后重试", "the draft was changed by someone else; reload it")
    before = draft.content.get(part)
    content = {**draft.content, part: value}
    draft.content = content
    draft.content_hash = content_hash(content)
    for key, column_value in summary_of(content).items():
        setattr(draft, key, column_value)
    audit.record(session, tenant_id=draft.tenant_id, actor=actor, action="edit_draft", entity="item",
                 entity_key=code, before={part: before}, after={part: value}, extra={"version": draft.version_no})
    session.flush()
    return draft


def validate_draft(session: Session, code: str) -> list[Problem]:
    draft = current_draft(session, get_item(session, code))
    if draft is None:
        return []
    return check_content(draft.content, departments=known_departments(session))


def publish(session: Session, code: str, scope: PublishScope, *, actor: str, version_no: int | None = None) -> ItemVersion:
    """Publish the draft (or an already published ``version_no``) to ``scope``: one upsert, whatever its size."""
    item = get_item(session, code)
    target = version(session, item, version_no) if version_no else current_draft(session, item)
    if target is None:
        target = version(session, item, item.published_version_no or item.latest_version_no)
    problems = check_content(target.content, departments=known_departments(session))
    if problems:
        raise ContentInvalid(problems)
    _check_scope(session, item, scope)
    if target.state == DRAFT:
        target.state, target.published_by, target.published_at = PUBLISHED, actor, utcnow()
        item.published_version_no = max(item.published_version_no or 0, target.version_no)
    seq = next_publish_seq(session)
    _upsert_publications(session, item, target, scope, seq, actor)
    audit.record(session, tenant_id=item.tenant_id, actor=actor, action="publish", entity="item", entity_key=code,
                 extra={"version": target.version_no, "scope": list(scope.codes), "subtree": scope.include_subtree})
    session.flush()
    return target


def _check_scope(session: Session, item: Item, scope: PublishScope) -> None:
    if not scope.codes:
        raise CatalogueError("empty_scope", "请选择发布范围", "choose where to publish")
    paths = dict(session.execute(select(Tenant.code, Tenant.path)
                                 .where(Tenant.code.in_((*scope.codes, item.tenant_id)))).all())
    owner_path = paths[item.tenant_id]
    for code in scope.codes:
        if code not in paths or not paths[code].startswith(owner_path):
            raise CatalogueError("scope_outside_owner", f"发布范围 {code} 不在本级管辖范围内",
                                 f"{code} is outside the item owner's jurisdiction")


def _upsert_publications(session, item, target, scope, seq, actor) -> None:
    rows = [{"tenant_id": item.tenant_id, "item_id": item.id, "version_id": target.id, "scope_code": code,
             "include_subtree": scope.include_subtree, "seq": seq, "published_by": actor,
             "published_at": utcnow()} for code in scope.codes]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(Publication).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["item_id", "scope_code", "include_subtree"],
        set_={"version_id": stmt.excluded.version_id, "seq": stmt.excluded.seq,
              "published_by": stmt.excluded.published_by, "published_at": stmt.excluded.published_at})
    session.execute(stmt)
