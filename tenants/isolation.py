"""Tenant isolation: the context a unit of work runs in, the tenant-owned base, and the session hooks.

Two walls, one rule ("a query sees its tenant, or an explicitly granted and audited subtree"):
- PostgreSQL: row-level security policies (see migrations) read ``app.tenant_id``, ``app.scope`` and
  ``app.subtree_path``, which every transaction sets with ``set_config(name, value, true)`` — local to
  the transaction, so a pooled connection never carries a tenant into the next request. With nothing set
  the policies return no rows (fail closed).
- Both databases: the ORM adds the same criteria to every query on a tenant-owned entity, and refuses
  to flush a row into a tenant outside the context.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sqlalchemy import String, and_, event, false, or_, select, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column, with_loader_criteria

Scope = Literal["self", "subtree"]


class TenantViolation(PermissionError):
    """A write aimed at a tenant outside the unit of work's context."""


@dataclass(frozen=True)
class TenantContext:
    """Who the unit of work acts for: one tenant, or (explicitly) a tenant and its whole subtree."""

    code: str | None
    path: str | None = None
    scope: Scope = "self"
    reason: str | None = None

    @classmethod
    def none(cls) -> TenantContext:
        return cls(code=None)

    @classmethod
    def of(cls, tenant) -> TenantContext:
        return cls(code=tenant.code, path=tenant.path)

    @classmethod
    def subtree_of(cls, tenant, *, reason: str) -> TenantContext:
        """Read and write the tenant and everything below it. Callers record why (see tenants.access)."""
        return cls(code=tenant.code, path=tenant.path, scope="subtree", reason=reason)

    @classmethod
    def system(cls, reason: str) -> TenantContext:
        """The platform itself (workers, migrations of data, CLI): every tenant, for a stated reason."""
        return cls(code="*", path="/", scope="subtree", reason=reason)

    def covers_path(self, path: str) -> bool:
        if self.code is None:
            return False
        if self.scope == "subtree":
            return self.path is not None and path.startswith(self.path)
        return False


class TenantOwned:
    """Mixin for every tenant-owned table: a ``tenant_id`` leading its indexes, guarded by RLS and the ORM."""

    @declared_attr
    def tenant_id(cls) -> Mapped[str]:
        return mapped_column(String(12), index=True)

    __tenant_owned__ = True


class TenantInherited:
    """Mixin for configuration a tenant shares with everything below it (catalogue items, tenant settings).

    A row is visible to its own tenant and to every tenant under it; it is written by its own tenant
    (or an explicit subtree scope above it). ``tenant_id`` is the owning tenant.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[str]:
        return mapped_column(String(12), index=True)

    __tenant_inherited__ = True


class TenantShared:
    """Mixin for rows two tenants see: the owner (``tenant_id``, e.g. the handling tenant of a case) and
    ``received_tenant_id`` (the tenant whose window received it, 全省通办)."""

    @declared_attr
    def tenant_id(cls) -> Mapped[str]:
        return mapped_column(String(12), index=True)

    @declared_attr
    def received_tenant_id(cls) -> Mapped[str]:
        return mapped_column(String(12), index=True)

    __tenant_shared__ = True


GUARDED = (TenantOwned, TenantInherited, TenantShared)


def path_codes(path: str | None) -> tuple[str, ...]:
    """``/46/4601/460105/`` → ``("46", "4601", "460105")``: the tenant and its ancestors."""
    return tuple(path.strip("/").split("/")) if path and path != "/" else ()


def _tenant_of(session: Session) -> TenantContext:
    return session.info.get("tenant") or TenantContext.none()


def tenant_criteria(context: TenantContext, column):
    """The SQL criteria for ``column`` (a tenant_id column) under ``context``."""
    from tongban.tenants.models import Tenant

    if context.code is None:
        return false()
    if context.scope == "subtree":
        if context.path == "/":
            return column.is_not(None)
        subtree = select(Tenant.code).where(
            and_(Tenant.path >= context.path, Tenant.path < context.path + "~")
        )
        return column.in_(subtree.scalar_subquery())
    return column == context.code


def install_session_hooks(factory) -> None:
    event.listen(factory, "after_begin", _set_postgres_tenant)
    event.listen(factory, "do_orm_execute", _add_tenant_criteria)
    event.listen(factory, "before_flush", _check_tenant_of_new_rows)


TENANT_SQL = ("SELECT set_config('app.tenant_id', %(code)s, true), set_config('app.scope', %(scope)s, true),"
              " set_config('app.subtree_path', %(path)s, true), set_config('app.tenant_path', %(own_path)s, true)")
_TENANT_TEXT = text(TENANT_SQL.replace("%(", ":").replace(")s", ""))
DEFER_TENANT = "tenant_sent_by_caller"  # session.info flag: see tenant_settings


def tenant_settings(context: TenantContext) -> dict:
    """The transaction-local settings row-level security reads (``TENANT_SQL``'s parameters)."""
    return {"code": context.code or "", "scope": context.scope if context.code else "",
            "path": context.path if context.scope == "subtree" and context.path else "",
            "own_path": context.path if context.code and context.path else ""}


def _set_postgres_tenant(session: Session, _transaction, connection) -> None:
    """Every transaction gets its tenant first. A caller that begins the transaction itself and sends its first
    statement at once (the approval engine's case unit) may take the settings and send them with that statement,
    in the same round trip: it sets ``session.info[DEFER_TENANT] = True`` and finds the settings there."""
    if connection.dialect.name != "postgresql":
        return
    settings = tenant_settings(_tenant_of(session))
    if session.info.get(DEFER_TENANT) is True:
        session.info[DEFER_TENANT] = settings
        return
    connection.execute(_TENANT_TEXT, settings)


def _add_tenant_criteria(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("include_all_tenants_unchecked"):
        return
    options = _criteria_options(_tenant_of(state.session))
    if options:
        state.statement = state.statement.options(*options)


@lru_cache(maxsize=4096)
def _criteria_options(context: TenantContext) -> tuple:
    """The loader-criteria options of one context, built once (they are immutable)."""
    options = []
    owned = _criteria_lambda(context)
    if owned is not None:
        options.append(with_loader_criteria(TenantOwned, owned, include_aliases=True))
    inherited = _inherited_criteria_lambda(context)
    if inherited is not None:
        options.append(with_loader_criteria(TenantInherited, inherited, include_aliases=True))
    shared = _shared_criteria_lambda(context)
    if shared is not None:
        options.append(with_loader_criteria(TenantShared, shared, include_aliases=True))
    return tuple(options)


def _criteria_lambda(context: TenantContext):
    """One lambda per scope kind, with plain values in the closure so SQLAlchemy binds them as parameters."""
    from tongban.tenants.models import Tenant

    if context.code is None:
        return lambda cls: false()
    if context.scope == "subtree":
        if context.path == "/":
            return None
        low, high = context.path, context.path + "~"
        return lambda cls: cls.tenant_id.in_(
            select(Tenant.code).where(Tenant.path >= low, Tenant.path < high)
        )
    code = context.code
    return lambda cls: cls.tenant_id == code


def _shared_criteria_lambda(context: TenantContext):
    from tongban.tenants.models import Tenant

    if context.code is None:
        return lambda cls: false()
    if context.scope == "subtree":
        if context.path == "/":
            return None
        low, high = context.path, context.path + "~"
        return lambda cls: or_(
            cls.tenant_id.in_(select(Tenant.code).where(Tenant.path >= low, Tenant.path < high)),
            cls.received_tenant_id.in_(select(Tenant.code).where(Tenant.path >= low, Tenant.path < high)))
    code = context.code
    return lambda cls: or_(cls.tenant_id == code, cls.received_tenant_id == code)


def _inherited_criteria_lambda(context: TenantContext):
    """Rows owned by the tenant or its ancestors; in a subtree scope, also rows owned below it."""
    from tongban.tenants.models import Tenant

    if context.code is None:
        return lambda cls: false()
    if context.path == "/":
        return None
    codes = path_codes(context.path) or (context.code,)
    if context.scope == "subtree":
        low, high = context.path, context.path + "~"
        return lambda cls: or_(cls.tenant_id.in_(codes), cls.tenant_id.in_(
            select(Tenant.code).where(Tenant.path >= low, Tenant.path < high)))
    return lambda cls: cls.tenant_id.in_(codes)


def _check_tenant_of_new_rows(session: Session, _flush_context, _instances) -> None:
    """New, changed and deleted rows must belong to a tenant the context may write (a row a tenant inherits from
    above it is read-only there: neither changed nor deleted)."""
    context = _tenant_of(session)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, GUARDED):
            continue
        if obj.tenant_id is None and context.code not in (None, "*"):
            obj.tenant_id = context.code
        if isinstance(obj, TenantShared) and _may_write(session, context, obj.received_tenant_id):
            continue
        if not _may_write(session, context, obj.tenant_id):
            raise TenantViolation(
                f"不能写入其他租户的数据 / cannot write tenant {obj.tenant_id!r} from context {context.code!r}"
            )


def _may_write(session: Session, context: TenantContext, tenant_id: str | None) -> bool:
    if tenant_id is None or context.code is None:
        return False
    if tenant_id == context.code or context.path == "/":
        return True
    if context.scope != "subtree":
        return False
    from tongban.tenants.models import Tenant

    path = session.execute(select(Tenant.path).where(Tenant.code == tenant_id)).scalar_one_or_none()
    return path is not None and context.covers_path(path)
