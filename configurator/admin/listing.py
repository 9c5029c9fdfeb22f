"""The item list of the configurator: every item the tenant sees (its own and its ancestors'), with the
summary of its latest version, searched, filtered and paged in the database (two queries a page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from tongban.configurator.admin.drafts import status
from tongban.configurator.publishing.models import DRAFT, Item, ItemVersion

PAGE_SIZE = 20
STATES = {
    "draft": ("有草稿", "Draft open"),
    "published": ("已发布", "Published"),
    "unpublished": ("未发布", "Never published"),
    "retired": ("已退役", "Retired"),
}


@dataclass(frozen=True)
class ItemFilter:
    q: str = ""
    kind: str = ""
    department: str = ""
    audience: str = ""
    case_type: str = ""
    state: str = ""
    page: int = 1

    def query_string(self, **changes) -> str:
        from urllib.parse import urlencode

        values = {**self.__dict__, **changes}
        return urlencode(
            {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}
        )


@dataclass(frozen=True)
class ItemRow:
    code: str
    owner: str
    name: str
    kind: str
    department: str
    audience: tuple[str, ...]
    case_type: str
    state: tuple[str, str, str]
    latest_version_no: int


@dataclass(frozen=True)
class ItemPage:
    rows: list[ItemRow]
    total: int
    page: int
    pages: int
    departments: list[str] = field(default_factory=list)


def _latest() -> Select:
    return select(
        Item,
        ItemVersion.name,
        ItemVersion.kind,
        ItemVersion.department,
        ItemVersion.audience,
        ItemVersion.case_type,
        ItemVersion.state,
    ).join(
        ItemVersion, and_(ItemVersion.item_id == Item.id, ItemVersion.version_no == Item.latest_version_no)
    )


def _filtered(stmt: Select, f: ItemFilter) -> Select:
    if f.q:
        pattern = f"%{f.q.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(ItemVersion.name.like(pattern), Item.code.like(pattern)))
    for column, value in (
        (ItemVersion.kind, f.kind),
        (ItemVersion.department, f.department),
        (ItemVersion.case_type, f.case_type),
    ):
        if value:
            stmt = stmt.where(column == value)
    if f.audience:
        stmt = stmt.where(ItemVersion.audience.like(f"%{f.audience}%"))
    return _by_state(stmt, f.state)


def _by_state(stmt: Select, state: str) -> Select:
    if state == "draft":
        return stmt.where(ItemVersion.state == DRAFT, Item.retired.is_(False))
    if state == "published":
        return stmt.where(Item.published_version_no.is_not(None), Item.retired.is_(False))
    if state == "unpublished":
        return stmt.where(Item.published_version_no.is_(None), Item.retired.is_(False))
    if state == "retired":
        return stmt.where(Item.retired.is_(True))
    return stmt


def list_items(session: Session, f: ItemFilter, *, page_size: int = PAGE_SIZE) -> ItemPage:
    stmt = _filtered(_latest(), f)
    total = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Item.id).subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, f.page), pages)
    rows = session.execute(stmt.order_by(Item.code).limit(page_size).offset((page - 1) * page_size)).all()
    return ItemPage([_row(r) for r in rows], total, page, pages, departments(session))


def _row(r) -> ItemRow:
    item = r.Item
    return ItemRow(
        item.code,
        item.tenant_id,
        r.name,
        r.kind,
        r.department,
        tuple(a for a in (r.audience or "").split(",") if a),
        r.case_type,
        status(item, r.state),
        item.latest_version_no,
    )


def departments(session: Session) -> list[str]:
    stmt = _latest().with_only_columns(ItemVersion.department).distinct().order_by(ItemVersion.department)
    return [d for d in session.scalars(stmt) if d]
