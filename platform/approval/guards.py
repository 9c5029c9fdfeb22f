"""Checks every action makes before it changes anything: the case's state, the task, the actor's role."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import Conflict, Forbidden, NotAllowed
from tongban.platform.approval.models import Case, Task
from tongban.platform.approval.unit import CaseUnit
from tongban.tenants.models import Tenant

STATE_LABELS = {
    "submitted": ("待受理", "awaiting acceptance"), "supplement": ("待补正", "awaiting supplements"),
    "in_progress": ("办理中", "in progress"), "reported": ("已上报", "reported to a higher level"),
    "concluded": ("已办结", "concluded"), "refused": ("不予受理", "refused"), "withdrawn": ("已撤回", "withdrawn"),
}


def load_case(session: Session, case_id: int, *, lock: bool = True, expected_revision: int | None = None):
    """The case (locked on PostgreSQL), through the session's case unit. ``expected_revision`` is the case revision
    the caller saw (the optimistic-concurrency token of actions on the case as a whole); a newer one is a Conflict."""
    case = CaseUnit.of(session).load_case(case_id, lock=lock)
    if expected_revision is not None and case.revision != expected_revision:
        raise Conflict("case_changed", "办件已被他人修改，请刷新后重试", "this case changed meanwhile; reload it",
                       details={"expected_revision": expected_revision, "revision": case.revision})
    return case


_PATHS: dict[str, str] = {}  # a division code's place in the tree never changes


def tenant_path(session: Session, code: str) -> str:
    path = _PATHS.get(code)
    if path is None:
        path = session.scalar(select(Tenant.path).where(Tenant.code == code))
        if path is not None:
            _PATHS[code] = path
    return path


def require_state(case: Case, *states: str, action_zh: str, action_en: str) -> None:
    if case.state not in states:
        zh, en = STATE_LABELS.get(case.state, (case.state, case.state))
        raise NotAllowed("wrong_state", f"办件当前为“{zh}”，不能{action_zh}",
                         f"the case is {en}; it cannot be {action_en} now")


def load_case_and_task(session: Session, case_id: int, task_id: int, expected_revision: int | None = None):
    """The case (locked on PostgreSQL) and its open task, read together by the session's case unit."""
    case, task = CaseUnit.of(session).load_case_and_task(case_id, task_id)
    return case, require_open(task, case, expected_revision)


def open_task(session: Session, case: Case, task_id: int, expected_revision: int | None = None) -> Task:
    """The open task ``task_id`` of a case read through the ORM (the workbench's case page)."""
    return require_open(session.get(Task, task_id), case, expected_revision)


def require_open(task, case, expected_revision: int | None = None):
    """``task`` is the case's, still open, and at the revision the caller saw."""
    if task is None or task.case_id != case.id:
        raise NotAllowed("task_not_found", "找不到该环节任务", f"no such task on case {case.number}")
    if task.state != "open":
        raise Conflict("task_done", "该环节已处理，请刷新", "this step was already handled; reload the case",
                       details={"completed_by": task.completed_by, "outcome": task.outcome})
    if expected_revision is not None and task.revision != expected_revision:
        raise Conflict("task_changed", "该环节已被他人修改，请刷新", "this step changed meanwhile; reload the case",
                       details={"expected_revision": expected_revision, "revision": task.revision})
    return task


def require_staff(session: Session, actor: Actor, case: Case, permission: str, task: Task | None = None) -> str:
    """The actor holds ``permission`` in the handling tenant (and the task's role and department); returns the role."""
    path = tenant_path(session, case.tenant_id)
    if actor.kind == "system":
        return "system"
    if actor.kind != "staff" or not actor.may(permission, path):
        raise Forbidden("forbidden", "您在该办件的办理地区没有相应权限", "you hold no such role where this case is handled")
    if task is not None:
        if task.role and not actor.has_role(task.role, path) and not actor.has_role("province_admin", path):
            raise Forbidden("wrong_role", "该环节须由指定岗位办理", "this step is for another role")
        if task.department and actor.department != task.department:
            raise Forbidden("wrong_department", f"该环节由“{task.department}”办理", f"this step belongs to {task.department}")
        if task.assignee and task.assignee != actor.subject:
            raise Forbidden("assigned_elsewhere", "该环节已转交他人办理", "this step was forwarded to someone else")
    return actor.role_for(permission, path) or "staff"


def require_applicant(actor: Actor, case: Case) -> None:
    if actor.subject != case.applicant_subject:
        raise Forbidden("not_applicant", "只有申请人本人可以进行此操作", "only the applicant can do this")


def require_clock_running(case: Case) -> None:
    """A case in a special procedure (听证, 检验检测, 专家评审) waits for it to finish before it moves on."""
    if case.paused and case.state == "in_progress":
        raise NotAllowed("special_running", "办件处于特别程序（听证、检验检测或专家评审）中，请先结束特别程序",
                         "the case is in a special procedure (hearing, testing or expert review); finish it first")


def require_node_action(flow, task: Task, action: str) -> None:
    node = flow.node(task.node_id)
    if not node.allows(action):
        raise NotAllowed("action_not_allowed", f"“{node.label.zh}”环节不允许此操作",
                         f"the step {node.label.en or node.id!r} does not allow {action}")


def require_gaps_supplied(session: Session, case: Case, *, action_zh: str, action_en: str) -> None:
    """容缺受理 lets the handling go on while a material is awaited, but no result leaves before it arrives: a
    certificate is not issued and a case does not conclude approved until every gap material is supplied.
    A case with no gap at intake (the usual one) needs no look-up."""
    from tongban.platform.approval.models import CaseMaterial

    if case.gaps_at_intake == 0:
        return
    awaited = list(session.scalars(select(CaseMaterial.name).where(CaseMaterial.case_id == case.id,
                                                                   CaseMaterial.status == "rongque")
                                   .order_by(CaseMaterial.id)))
    if awaited:
        raise NotAllowed("rongque_outstanding", f"容缺材料“{'、'.join(awaited)}”尚未补齐，补齐后才能{action_zh}",
                         f"the gap materials ({', '.join(awaited)}) have not been supplied; {action_en} once they are",
                         field="materials")
