"""Role grants scoped by tenant, checked along the tenant tree's materialised path.

A grant at 4601 (海口市) with ``extends_to_subtree`` covers 460105100 (长流镇, path /46/4601/460105/460105100/);
a grant at 4601 never covers 4602 (三亚市). Grant and revoke write an audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.identity.accounts import AccountKind
from tongban.platform.identity.common import IdentityError, InvalidInput, NotFound, audit, system_clock
from tongban.platform.identity.directory import forget_after_commit
from tongban.platform.identity.models import Account, RoleGrant
from tongban.platform.identity.permissions import Permission, Role
from tongban.tenants.models import Tenant


class PermissionDenied(IdentityError):
    code = "forbidden"

    def __init__(self) -> None:
        # The same words whether the tenant does not exist or is simply not yours.
        super().__init__("无权在该地区执行此操作", "Not permitted for this tenant")


@dataclass(frozen=True)
class GrantScope:
    """One grant as carried in tokens and principals: enough to decide without the database."""

    role: str
    tenant_code: str
    tenant_path: str
    subtree: bool

    def covers(self, path: str) -> bool:
        return path == self.tenant_path or (self.subtree and path.startswith(self.tenant_path))

    def as_claim(self) -> dict:
        return {
            "role": self.role,
            "tenant": self.tenant_code,
            "path": self.tenant_path,
            "subtree": self.subtree,
        }

    @classmethod
    def from_claim(cls, claim: dict) -> GrantScope:
        return cls(str(claim["role"]), str(claim["tenant"]), str(claim["path"]), bool(claim.get("subtree")))


def allows(grants: Iterable[GrantScope], permission: Permission, tenant_path: str) -> bool:
    """Pure check: some grant's role carries ``permission`` and its tenant covers ``tenant_path``."""
    for grant in grants:
        try:
            role = Role(grant.role)
        except ValueError:
            continue
        if permission in role.permissions and grant.covers(tenant_path):
            return True
    return False


def grants_of(session: Session, account_id: int) -> list[GrantScope]:
    stmt = (
        select(RoleGrant.role, RoleGrant.tenant_code, Tenant.path, RoleGrant.extends_to_subtree)
        .join(Tenant, Tenant.code == RoleGrant.tenant_code)
        .where(RoleGrant.account_id == account_id)
        .order_by(Tenant.path, RoleGrant.role)
    )
    return [GrantScope(role, code, path, subtree) for role, code, path, subtree in session.execute(stmt)]


def tenant_path(session: Session, tenant) -> str | None:
    """Accepts a Tenant, a directory TenantInfo (anything with ``.path``) or a division code."""
    if hasattr(tenant, "path"):
        return tenant.path
    return session.scalar(select(Tenant.path).where(Tenant.code == str(tenant)))


def is_authorized(session: Session, account: Account | int, permission: Permission, tenant) -> bool:
    account_id = account if isinstance(account, int) else account.id
    path = tenant_path(session, tenant)
    if path is None:
        return False
    if not isinstance(account, int) and account.status != "active":
        return False
    return allows(grants_of(session, account_id), permission, path)


def authorize(session: Session, account: Account | int, permission: Permission, tenant) -> None:
    """Raise PermissionDenied unless ``account`` holds ``permission`` over ``tenant``."""
    if not is_authorized(session, account, permission, tenant):
        raise PermissionDenied()


def _check_granter(session: Session, granter: Account, role: Role, tenant: Tenant, subtree: bool) -> None:
    """A granter needs manage_roles over the tenant (over its whole subtree for a subtree grant); only a
    province administrator may make another province administrator."""

    def qualifies(g: GrantScope) -> bool:
        if role is Role.PROVINCE_ADMIN and g.role != Role.PROVINCE_ADMIN.value:
            return False
        return Permission.MANAGE_ROLES in _role_permissions(g.role) and g.covers(tenant.path)

    covering = [g for g in grants_of(session, granter.id) if qualifies(g)]
    if not covering or (subtree and not any(g.subtree for g in covering)):
        raise PermissionDenied()


def _role_permissions(role: str) -> frozenset[Permission]:
    try:
        return Role(role).permissions
    except ValueError:
        return frozenset()


def _tenant(session: Session, code: str) -> Tenant:
    tenant = session.get(Tenant, code)
    if tenant is None:
        raise InvalidInput(f"区划 {code} 不存在", f"No tenant {code}", field="tenant_code")
    return tenant


def grant_role(
    session: Session,
    *,
    account: Account,
    role: Role,
    tenant_code: str,
    extends_to_subtree: bool,
    granter: Account | None,
    actor: str,
    now: datetime | None = None,
) -> RoleGrant:
    """Grant ``role`` at ``tenant_code``; ``granter`` None means the platform itself (CLI, seed)."""
    tenant = _tenant(session, tenant_code)
    if account.kind != AccountKind.STAFF.value:
        raise InvalidInput(
            "只有工作人员账号可以被授予角色", "Only staff accounts can hold roles", field="account"
        )
    if granter is not None:
        _check_granter(session, granter, role, tenant, extends_to_subtree)
    now = now or system_clock()
    grant = session.scalar(
        select(RoleGrant).where(
            RoleGrant.account_id == account.id,
            RoleGrant.role == role.value,
            RoleGrant.tenant_code == tenant.code,
        )
    )
    if grant is None:
        grant = RoleGrant(
            account_id=account.id,
            role=role.value,
            tenant_code=tenant.code,
            extends_to_subtree=extends_to_subtree,
            granted_by=actor,
            granted_at=now,
        )
        session.add(grant)
    else:
        grant.extends_to_subtree, grant.granted_by, grant.granted_at = extends_to_subtree, actor, now
    audit(
        session,
        actor=actor,
        action="role_granted",
        target=account.subject,
        tenant_code=tenant.code,
        at=now,
        role=role.value,
        username=account.username,
        extends_to_subtree=extends_to_subtree,
    )
    session.flush()
    forget_after_commit(session)
    return grant


def revoke_role(
    session: Session,
    *,
    account: Account,
    role: Role,
    tenant_code: str,
    granter: Account | None,
    actor: str,
    now: datetime | None = None,
) -> None:
    tenant = _tenant(session, tenant_code)
    grant = session.scalar(
        select(RoleGrant).where(
            RoleGrant.account_id == account.id,
            RoleGrant.role == role.value,
            RoleGrant.tenant_code == tenant.code,
        )
    )
    if grant is None:
        raise NotFound("该账号在此地区没有这个角色", "The account does not hold this role here")
    if granter is not None:
        _check_granter(session, granter, role, tenant, grant.extends_to_subtree)
    session.delete(grant)
    audit(
        session,
        actor=actor,
        action="role_revoked",
        target=account.subject,
        tenant_code=tenant.code,
        at=now or system_clock(),
        role=role.value,
        username=account.username,
    )
    forget_after_commit(session)
    session.flush()
