"""An in-memory snapshot of the tenant tree for resolving the tenant of each request without a query.

Each worker holds one; it reloads when the tree's version row has moved, checked at most every
``ttl`` seconds (a suspension reaches every worker within that time, the changing worker at once).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import select

from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Level, Tenant, TenantHost, TenantStatus
from tongban.tenants.tree import current_version


@dataclass(frozen=True)
class TenantInfo:
    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    slug: str
    status: str

    @property
    def active(self) -> bool:
        return self.status == TenantStatus.ACTIVE.value

    @property
    def level_enum(self) -> Level:
        return Level(self.level)

    def context(self) -> TenantContext:
        return TenantContext(code=self.code, path=self.path)


@dataclass(frozen=True)
class Snapshot:
    version: int
    by_code: dict[str, TenantInfo]
    by_slug: dict[str, TenantInfo]
    by_host: dict[str, TenantInfo]
    children: dict[str | None, tuple[TenantInfo, ...]] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # resolution results of this snapshot

    @property
    def root(self) -> TenantInfo | None:
        roots = self.children.get(None, ())
        return roots[0] if roots else None

    def ancestors(self, code: str) -> list[TenantInfo]:
        info = self.by_code[code]
        return [self.by_code[c] for c in info.path.strip("/").split("/")[:-1] if c in self.by_code]

    def subtree(self, code: str) -> list[TenantInfo]:
        prefix = self.by_code[code].path
        return sorted((t for t in self.by_code.values() if t.path.startswith(prefix)), key=lambda t: t.path)


def load_snapshot(session) -> Snapshot:
    version = current_version(session)
    tenants = [TenantInfo(t.code, t.name, t.level, t.parent_code, t.path, t.slug, t.status)
               for t in session.scalars(select(Tenant).order_by(Tenant.code))]
    by_code = {t.code: t for t in tenants}
    hosts = {h.host: by_code[h.tenant_code] for h in session.scalars(select(TenantHost))}
    children: dict[str | None, list[TenantInfo]] = {}
    for t in tenants:
        children.setdefault(t.parent_code, []).append(t)
    return Snapshot(version, by_code, {t.slug: t for t in tenants}, hosts,
                    {k: tuple(v) for k, v in children.items()})


class TenantDirectory:
    def __init__(self, database, *, ttl: float = 10.0) -> None:
        self._database = database
        self._ttl = ttl
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._expires = 0.0

    @property
    def snapshot(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None or time.monotonic() >= self._expires:
            return self._refresh()
        return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None

    def _refresh(self) -> Snapshot:
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and now < self._expires:
                return self._snapshot
            with self._database.unit_of_work(TenantContext.system("tenant directory")) as session:
                if self._snapshot is None or current_version(session) != self._snapshot.version:
                    self._snapshot = load_snapshot(session)
            self._expires = now + self._ttl
            return self._snapshot
