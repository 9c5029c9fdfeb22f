"""The permission catalogue and the roles that bundle permissions. Declared here, never improvised."""

from __future__ import annotations

import enum


class Permission(str, enum.Enum):
    CONFIGURE_ITEMS = "configure_items"  # 编辑事项、表单、材料、流程
    PUBLISH_ITEMS = "publish_items"  # 发布事项版本
    MANAGE_TENANT_ITEMS = "manage_tenant_items"  # 启用/停用事项、本地化配置
    ACCEPT_CASES = "accept_cases"  # 窗口受理
    APPROVE_CASES = "approve_cases"  # 审批决定
    VIEW_CASES = "view_cases"
    SUPERVISE = "supervise"  # 电子监察
    HANDLE_RATINGS = "handle_ratings"  # 好差评整改
    ADMINISTER_TENANT = "administer_tenant"  # 租户设置、主题、主机名
    MANAGE_ACCOUNTS = "manage_accounts"  # 工作人员账号
    MANAGE_ROLES = "manage_roles"  # 授予、撤销角色
    VIEW_STATISTICS = "view_statistics"

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS = {
    Permission.CONFIGURE_ITEMS: "配置事项",
    Permission.PUBLISH_ITEMS: "发布事项",
    Permission.MANAGE_TENANT_ITEMS: "管理本级事项",
    Permission.ACCEPT_CASES: "受理办件",
    Permission.APPROVE_CASES: "审批办件",
    Permission.VIEW_CASES: "查看办件",
    Permission.SUPERVISE: "电子监察",
    Permission.HANDLE_RATINGS: "好差评处理",
    Permission.ADMINISTER_TENANT: "管理租户",
    Permission.MANAGE_ACCOUNTS: "管理工作人员账号",
    Permission.MANAGE_ROLES: "管理角色",
    Permission.VIEW_STATISTICS: "查看统计",
}


class Role(str, enum.Enum):
    PROVINCE_ADMIN = "province_admin"
    TENANT_ADMIN = "tenant_admin"
    ITEM_CONFIGURATOR = "item_configurator"
    WINDOW_CLERK = "window_clerk"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    STATISTICIAN = "statistician"
    # handlers named by flow nodes (assignment.role); each may approve the cases of its tenant
    REVIEWER = "reviewer"
    CERTIFICATE_CLERK = "certificate_clerk"
    REGISTRAR = "registrar"
    CASHIER = "cashier"
    LEADERSHIP = "leadership"
    DEPARTMENT_HANDLER = "department_handler"
    SOCIAL_ASSISTANCE_OFFICER = "social_assistance_officer"
    TOWNSHIP_LEADER = "township_leader"
    HANDLER = "handler"
    INSPECTOR = "inspector"

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self]

    @property
    def label(self) -> tuple[str, str]:
        return ROLE_LABELS[self]


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.PROVINCE_ADMIN: frozenset(Permission),
    Role.TENANT_ADMIN: frozenset(
        {
            P.MANAGE_TENANT_ITEMS,
            P.ADMINISTER_TENANT,
            P.MANAGE_ACCOUNTS,
            P.MANAGE_ROLES,
            P.VIEW_CASES,
            P.VIEW_STATISTICS,
        }
    ),
    Role.ITEM_CONFIGURATOR: frozenset({P.CONFIGURE_ITEMS, P.PUBLISH_ITEMS, P.MANAGE_TENANT_ITEMS}),
    Role.WINDOW_CLERK: frozenset({P.ACCEPT_CASES, P.VIEW_CASES}),
    Role.APPROVER: frozenset({P.APPROVE_CASES, P.VIEW_CASES}),
    Role.SUPERVISOR: frozenset({P.SUPERVISE, P.HANDLE_RATINGS, P.VIEW_CASES, P.VIEW_STATISTICS}),
    Role.STATISTICIAN: frozenset({P.VIEW_STATISTICS}),
}
for _handler in (Role.REVIEWER, Role.CERTIFICATE_CLERK, Role.REGISTRAR, Role.CASHIER, Role.LEADERSHIP,
                 Role.DEPARTMENT_HANDLER, Role.SOCIAL_ASSISTANCE_OFFICER, Role.TOWNSHIP_LEADER, Role.HANDLER,
                 Role.INSPECTOR):
    ROLE_PERMISSIONS[_handler] = frozenset({P.APPROVE_CASES, P.VIEW_CASES})

ROLE_LABELS = {
    Role.PROVINCE_ADMIN: ("省级管理员", "Province administrator"),
    Role.TENANT_ADMIN: ("租户管理员", "Tenant administrator"),
    Role.ITEM_CONFIGURATOR: ("事项配置员", "Item configurator"),
    Role.WINDOW_CLERK: ("窗口受理人员", "Window clerk"),
    Role.APPROVER: ("审批人员", "Approver"),
    Role.SUPERVISOR: ("监察人员", "Supervisor"),
    Role.STATISTICIAN: ("统计人员", "Statistician"),
    Role.REVIEWER: ("审查人员", "Reviewer"),
    Role.CERTIFICATE_CLERK: ("制证人员", "Certificate clerk"),
    Role.REGISTRAR: ("登记人员", "Registrar"),
    Role.CASHIER: ("收费人员", "Cashier"),
    Role.LEADERSHIP: ("分管领导", "Leadership"),
    Role.DEPARTMENT_HANDLER: ("部门经办人", "Department handler"),
    Role.SOCIAL_ASSISTANCE_OFFICER: ("社会救助专干", "Social assistance officer"),
    Role.TOWNSHIP_LEADER: ("乡镇领导", "Township leader"),
    Role.HANDLER: ("部门经办人员", "Department handler"),
    Role.INSPECTOR: ("现场核查人员", "Inspector"),
}


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        from tongban.platform.identity.common import InvalidInput

        known = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"未知角色 {value}（可选：{known}）", f"Unknown role {value} (one of: {known})", field="role"
        ) from None
