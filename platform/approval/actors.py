"""Who acts on a case: staff with roles granted in tenants, an applicant, or the platform itself.

The identity room builds an Actor from a signed-in account; the engine only asks it questions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tongban.platform.identity.permissions import ROLE_PERMISSIONS as _CATALOGUE

# The role catalogue is identity's; the engine asks it by name.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    role.value: frozenset(p.value for p in permissions) for role, permissions in _CATALOGUE.items()
}


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


def actor_from_user(user, *, department: str | None = None, contact: dict | None = None) -> Actor:
    """An Actor from a signed-in user or API principal (identity's RPUser / Principal): staff act by their
    tenant roles; citizens and enterprises (possibly through an agent) act as applicants."""
    claims = getattr(user, "claims", {}) or {}
    user_type = getattr(user, "user_type", None) or claims.get("user_type")
    grants = tuple(RoleGrant(g.role, g.tenant_code, g.tenant_path, g.subtree) for g in getattr(user, "roles", ()))
    if user_type == "staff" or grants:
        return Actor(user.subject, claims.get("name") or getattr(user, "name", user.subject), "staff",
                     department=department if department is not None else claims.get("department") or None,
                     grants=grants)
    subject = getattr(user, "acting_subject", None) or getattr(user, "enterprise_sub", None) or user.subject
    return Actor(subject, getattr(user, "name", None) or claims.get("name") or subject, "applicant",
                 contact=contact or {"email": claims.get("email"), "phone": claims.get("phone_number")})
