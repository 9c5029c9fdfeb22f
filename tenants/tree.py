"""Queries and changes on the tenant tree. Subtree and ancestor reads are one indexed query each."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tongban.tenants.divisions import Division, DivisionListInvalid, DivisionProblem, parse_divisions, slug_for
from tongban.tenants.models import DirectoryVersion, Tenant, TenantHost, TenantStatus


class TenantNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ImportResult:
    created: int
    unchanged: int


def subtree(session: Session, path: str) -> list[Tenant]:
    """The tenant at ``path`` and everything below it, ordered by path (a range scan on the path index)."""
    stmt = select(Tenant).where(Tenant.path >= path, Tenant.path < path + "~").order_by(Tenant.path)
    return list(session.scalars(stmt))


def ancestors(session: Session, tenant: Tenant) -> list[Tenant]:
    """From the root down to the parent: a primary-key lookup of the codes on the path."""
    codes = tenant.ancestor_codes
    if not codes:
        return []
    found = {t.code: t for t in session.scalars(select(Tenant).where(Tenant.code.in_(codes)))}
    return [found[c] for c in codes if c in found]


def get(session: Session, code: str) -> Tenant:
    tenant = session.get(Tenant, code)
    if tenant is None:
        raise TenantNotFound(code)
    return tenant


def children(session: Session, code: str) -> list[Tenant]:
    return list(session.scalars(select(Tenant).where(Tenant.parent_code == code).order_by(Tenant.code)))


def import_divisions(session: Session, text: str) -> ImportResult:
    """Check the whole list first, then insert all new tenants in one statement; nothing half-imported."""
    existing = {t.code: t for t in session.scalars(select(Tenant))}
    divisions = parse_divisions(text, existing_codes=frozenset(existing))
    problems = [_conflict(d, existing[d.code]) for d in divisions if d.code in existing]
    problems = [p for p in problems if p]
    if problems:
        raise DivisionListInvalid(problems)
    new = [d for d in divisions if d.code not in existing]
    rows = _rows_for(new, existing)
    if rows:
        session.execute(insert(Tenant), rows)
        bump_version(session)
    return ImportResult(created=len(rows), unchanged=len(divisions) - len(rows))


def _conflict(d: Division, current: Tenant) -> DivisionProblem | None:
    if (d.name, d.level, d.parent_code) == (current.name, current.level, current.parent_code):
        return None
    return DivisionProblem(d.line, "code", f"区划 {d.code} 已存在且内容不同（{current.name}）",
                           f"division {d.code} already exists with other content ({current.name})")


def _rows_for(new: list[Division], existing: dict[str, Tenant]) -> list[dict]:
    paths = {code: t.path for code, t in existing.items()}
    slugs = {t.slug for t in existing.values()}
    rows = []
    for d in new:  # parents come first
        path = (paths[d.parent_code] if d.parent_code else "/") + d.code + "/"
        paths[d.code] = path
        slug = slug_for(d.name)
        if slug in slugs:
            slug = f"{slug}-{d.code}"
        slugs.add(slug)
        rows.append({"code": d.code, "name": d.name, "level": d.level, "parent_code": d.parent_code,
                     "path": path, "depth": path.count("/") - 2, "slug": slug,
                     "status": TenantStatus.ACTIVE.value})
    return rows


def set_status(session: Session, code: str, status: TenantStatus) -> Tenant:
    tenant = get(session, code)
    tenant.status = status.value
    bump_version(session)
    return tenant


def add_host(session: Session, code: str, host: str) -> TenantHost:
    get(session, code)
    row = TenantHost(host=host.lower().strip(), tenant_code=code)
    session.add(row)
    bump_version(session)
    return row


def bump_version(session: Session) -> None:
    """Tell every worker's directory cache that the tree changed."""
    changed = session.execute(update(DirectoryVersion).where(DirectoryVersion.id == 1)
                              .values(version=DirectoryVersion.version + 1)).rowcount
    if not changed:
        session.add(DirectoryVersion(id=1, version=1))
        session.flush()


def current_version(session: Session) -> int:
    return session.execute(select(DirectoryVersion.version).where(DirectoryVersion.id == 1)).scalar() or 0
