"""Who acts on a case: staff with roles granted in tenants, an applicant, or the platform itself.

The identity room builds an Actor from a signed-in account; the engine only asks it questions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "window_clerk": frozenset({"accept_cases", "view_cases"}),
    "approver": frozenset({"approve_cases", "view_cases"}),
    "department_handler": frozenset({"approve_cases", "view_cases"}),
    "tenant_admin": frozenset({"accept_cases", "approve_cases", "view_cases", "administer_tenant"}),
    "province_admin": frozenset({"accept_cases", "approve_cases", "view_cases", "administer_tenant",
                                 "configure_items", "publish_items"}),
    "supervisor": frozenset({"view_cases", "supervise"}),
}
for _handler in ("reviewer", "certificate_clerk", "registrar", "cashier", "leadership", "social_assistance_officer",
                 "township_leader"):
    ROLE_PERMISSIONS[_handler] = frozenset({"approve_cases", "view_cases"})


@dataclass(frozen=True)
class RoleGrant:
    role: str
    tenant_code: str
    tenant_path: str
    subtree: bool = False
    permissions: frozenset[str] = frozenset()

    def covers(self, tenant_path: str) -> bool:
        return tenant_path == self.tenant_path or (self.subtree and tenant_path.startswith(self.tenant_path))

    def allows(self, permission: str) -> bool:
        return permission in (self.permissions or ROLE_PERMISSIONS.get(self.role, frozenset()))


@dataclass(frozen=True)
class Actor:
    subject: str  # "staff:12", "person:5", "enterprise:3", "system"
    name: str
    kind: str  # staff | applicant | system
    department: str | None = None
    grants: tuple[RoleGrant, ...] = field(default_factory=tuple)
    contact: dict = field(default_factory=dict)  # email, phone (applicants)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", "系统", "system")

    def may(self, permission: str, tenant_path: str) -> bool:
        if self.kind == "system":
            return True
        return any(g.covers(tenant_path) and g.allows(permission) for g in self.grants)

    def has_role(self, role: str, tenant_path: str) -> bool:
        if self.kind == "system":
            return True
        return any(g.role == role and g.covers(tenant_path) for g in self.grants)

    def role_for(self, permission: str, tenant_path: str) -> str | None:
        for grant in self.grants:
            if grant.covers(tenant_path) and grant.allows(permission):
                return grant.role
        return None
