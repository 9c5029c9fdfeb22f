"""Who may read from and write to the library: registered department systems (client credentials) and
staff. A reader is bound to a tenant (and its subtree), to the license types it may read, and to a rate."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.sharing.access import Accessor
from tongban.platform.sharing.errors import Forbidden, Invalid, problem
from tongban.platform.sharing.license_types import is_province_admin
from tongban.platform.sharing.models import SharingClient
from tongban.tenants.models import Tenant

BASE_DATA = "base_data"
STAFF_RATE = 120


@dataclass(frozen=True)
class Reader:
    accessor: Accessor
    tenant_path: str
    may_read: frozenset[str]  # license type codes, "base_data", or "*"
    rate_per_minute: int

    def reads(self, what: str) -> bool:
        return "*" in self.may_read or what in self.may_read


def register_client(session: Session, *, client_id: str, name: str, tenant_code: str, department: str,
                    may_issue: list[str] = (), may_read: list[str] = (), rate_per_minute: int = 60,
                    actor) -> SharingClient:
    """Province admins bind an OAuth client (client credentials) to a tenant, department and license types."""
    if not is_province_admin(actor):
        raise Forbidden("forbidden", "只有省级管理员可以登记部门系统", "only province admins register department systems")
    errors = []
    if session.get(Tenant, tenant_code) is None:
        errors.append(problem("tenant_code", "unknown_tenant", "没有该租户", "no such tenant"))
    if not client_id.strip() or not name.strip() or not department.strip():
        errors.append(problem("client_id", "required", "请填写客户端、名称和部门", "client id, name and department are needed"))
    if not 1 <= int(rate_per_minute) <= 10_000:
        errors.append(problem("rate_per_minute", "invalid", "频率上限应在 1 到 10000 之间", "rate: 1 to 10000 a minute"))
    if errors:
        raise Invalid(errors)
    row = session.get(SharingClient, client_id) or SharingClient(client_id=client_id)
    row.name, row.tenant_code, row.department = name, tenant_code, department
    row.may_issue, row.may_read, row.rate_per_minute = list(may_issue), list(may_read), int(rate_per_minute)
    session.add(row)
    session.flush()
    return row


def client_of(session: Session, principal) -> SharingClient:
    """The registration of a client-credentials principal; anything else is refused."""
    row = session.get(SharingClient, principal.client_id) if getattr(principal, "kind", None) == "client" else None
    if row is None:
        raise Forbidden("client_not_registered", "该系统未登记为电子证照库的部门系统",
                        "this client is not registered with the e-license library")
    return row


def reader_for_client(session: Session, client: SharingClient) -> Reader:
    path = session.scalar(select(Tenant.path).where(Tenant.code == client.tenant_code)) or ""
    return Reader(Accessor(client.client_id, client.name, client.tenant_code, client.department), path,
                  frozenset(client.may_read), client.rate_per_minute)


def reader_for_staff(session: Session, actor, tenant_code: str) -> Reader:
    """Staff read for cases of a tenant where they may view cases."""
    path = session.scalar(select(Tenant.path).where(Tenant.code == tenant_code))
    if path is None or not actor.may("view_cases", path):
        raise Forbidden("forbidden", "您在该地区没有查看办件的权限", "you may not view cases there")
    return Reader(Accessor(actor.subject, actor.name, tenant_code, actor.department), path, frozenset({"*"}),
                  STAFF_RATE)
