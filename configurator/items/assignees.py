"""Whom a step goes to must exist: a department the province lists (``approval.departments``) or one staff members
carry (a tenant's own office, 长流镇综治办), and a role that handles cases (``identity.permissions``). A typo would hand the step to nobody — a parallel branch
would then never be done and its join never reached — so it is refused on its field before publishing, in an
item's flow and in a tenant's local assignees alike."""
from __future__ import annotations

from functools import cache

from tongban.configurator.items.problems import Problem


@cache
def _known() -> tuple[dict, dict]:
    from tongban.platform.approval.departments import DEPARTMENTS
    from tongban.platform.identity.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Permission, Role

    # the province administrator holds every permission and may step in on any task (guards), but is nobody's
    # handling role: a step assigned to it would wait for an administrator
    handling = {r.value: ROLE_LABELS[r] for r in Role
                if r is not Role.PROVINCE_ADMIN
                and ROLE_PERMISSIONS[r] & {Permission.ACCEPT_CASES, Permission.APPROVE_CASES}}
    return DEPARTMENTS, handling


def known_departments(session) -> frozenset[str]:
    """The province's department codes and every department a staff member carries."""
    from sqlalchemy import select

    from tongban.platform.identity.models import Staff

    carried = session.scalars(select(Staff.department).where(Staff.department.is_not(None)).distinct())
    return frozenset(_known()[0]) | {d for d in carried if d}


def assignment_problems(path: str, assignment, departments=None) -> list[Problem]:
    """Problems of one ``{role, department}`` assignment at ``path`` (an empty list when both are known or absent).
    ``departments``: the known ones (``known_departments``); the province's list when not given."""
    if not isinstance(assignment, dict):
        return []
    listed, roles = _known()
    departments = listed if departments is None else departments
    problems = []
    department, role = assignment.get("department"), assignment.get("role")
    if isinstance(department, str) and department.strip() and department.strip() not in departments:
        problems.append(Problem(f"{path}.department", "unknown_department",
                                f"没有代码为“{department}”的部门，请从部门列表中选择",
                                f"there is no department with the code {department!r}: choose one from the list"))
    if isinstance(role, str) and role.strip() and role.strip() not in roles:
        problems.append(Problem(f"{path}.role", "unknown_role", f"没有办件角色“{role}”，请从角色列表中选择",
                                f"there is no case-handling role {role!r}: choose one from the list"))
    return problems


def flow_assignment_problems(flow, departments=None) -> list[Problem]:
    """Each node's assignment in a flow document (paths as the flow editor names them)."""
    if not isinstance(flow, dict) or not isinstance(flow.get("nodes"), list):
        return []
    problems = []
    for index, node in enumerate(flow["nodes"]):
        if isinstance(node, dict):
            problems += assignment_problems(f"flow.nodes[{index}].assignment", node.get("assignment"), departments)
    return problems


def choices() -> tuple[list[tuple[str, tuple[str, str]]], list[tuple[str, tuple[str, str]]]]:
    """(departments, roles) as (code, (zh, en)) for the editors' pick lists."""
    departments, roles = _known()
    return sorted(departments.items()), sorted(roles.items())
