"""The construction room's front door: one unit of work per call, in the project's tenant.

Routes, the demo seed, the bench and tests call these methods; the rules live in projects, stages,
assembly, clock and dashboard.
"""
from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select

from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.construction import catalogue, dashboard, projects, stages
from tongban.platform.construction.errors import Forbidden, Invalid, NotFound, WrongState, problem, wrong_state
from tongban.platform.construction.models import Commitment, ItemCase, Project, ProjectStage
from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant


def register_listener() -> None:
    """Items follow their cases and stages join on them: put the construction listeners in the approval engine's
    FOLLOWING and CONCLUDED lists (idempotent; called by the app factory, the worker and every
    ConstructionService)."""
    from tongban.platform.approval import listeners

    if stages.case_followed not in listeners.FOLLOWING:
        listeners.FOLLOWING.append(stages.case_followed)
    if stages.case_concluded not in listeners.CONCLUDED:
        listeners.CONCLUDED.append(stages.case_concluded)


class ConstructionService:
    def __init__(self, database, *, calendars: CalendarProvider | None = None, approval=None) -> None:
        self.database = database
        self.calendars = calendars or (approval.calendars if approval is not None else CalendarProvider(database))
        self._approval = approval
        register_listener()
        self._homes: dict[int, str] = {}
        self._tenants: dict[str, Tenant] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ contexts
    def _tenant(self, code: str) -> Tenant:
        """The tenant row (kept per worker: a code and its path never change)."""
        with self._lock:
            tenant = self._tenants.get(code)
        if tenant is None:
            with self.database.unit_of_work(TenantContext.system("tenant lookup")) as session:
                tenant = session.get(Tenant, code)
            if tenant is None:
                raise NotFound([problem("tenant", "not_found", f"没有区划 {code}", f"no tenant {code}")])
            with self._lock:
                self._tenants[code] = tenant
        return tenant

    def project_tenant(self, project_id: int) -> Tenant:
        with self._lock:
            code = self._homes.get(project_id)
        if code is None:
            with self.database.unit_of_work(TenantContext.system("project routing")) as session:
                code = session.scalar(select(Project.tenant_id).where(Project.id == project_id))
            if code is None:
                raise NotFound([problem("project", "not_found", "没有该项目", "no such project")])
            with self._lock:
                self._homes[project_id] = code
        return self._tenant(code)

    @property
    def approval(self):
        """The approval engine the items' cases run in (the app's own when given)."""
        if self._approval is None:
            from tongban.platform.approval.service import ApprovalService
            from tongban.platform.settings import load_settings

            self._approval = ApprovalService(self.database, secret_key=load_settings().secret_key,
                                             calendars=self.calendars)
        return self._approval

    def _ctx(self, session, now: datetime) -> stages.Ctx:
        return stages.Ctx(session, self.calendars.calendar(session), now, self.approval.secret_key)

    def _work(self, project_id: int, now: datetime | None):
        tenant = self.project_tenant(project_id)
        return tenant, self.database.unit_of_work(TenantContext.of(tenant)), now or utcnow()

    # ------------------------------------------------------------ configuration
    def seed_defaults(self) -> int:
        from tongban.platform.approval.actors import Actor

        with self.database.unit_of_work(TenantContext.of(self._tenant(catalogue.PROVINCE))) as session:
            return catalogue.seed_defaults(session, Actor.system())

    def negative_list(self, tenant_code: str = catalogue.PROVINCE) -> list:
        with self.database.unit_of_work(TenantContext.of(self._tenant(tenant_code))) as session:
            return catalogue.negative_list(session)

    def templates(self, tenant_code: str = catalogue.PROVINCE) -> list:
        with self.database.unit_of_work(TenantContext.of(self._tenant(tenant_code))) as session:
            return catalogue.templates(session)

    # ------------------------------------------------------------ the investor
    def register(self, tenant_code: str, actor, application: projects.ProjectApplication, *,
                 now: datetime | None = None) -> Project:
        tenant = self._tenant(tenant_code)
        with self.database.unit_of_work(TenantContext.of(tenant)) as session:
            project = projects.register(session, tenant, actor, application, now=now or utcnow())
        with self._lock:
            self._homes[project.id] = tenant.code
        return project

    def projects_of(self, subject: str) -> list[Project]:
        with self.database.unit_of_work(TenantContext.system("an investor's own projects")) as session:
            return projects.of_investor(session, subject)

    def project_by_code(self, code: str) -> Project | None:
        with self.database.unit_of_work(TenantContext.system("project by its code")) as session:
            return session.scalar(select(Project).where(Project.code == code))

    def stage_form(self, project_id: int, stage: str):
        tenant, work, _ = self._work(project_id, None)
        with work as session:
            return stages.stage_form(session, tenant, projects.get(session, project_id), stage)

    def apply(self, project_id: int, stage: str, actor, *, form_data: dict, files: dict | None = None,
              commitments: dict | None = None, now: datetime | None = None) -> ProjectStage:
        tenant, work, now = self._work(project_id, now)
        with work as session:
            ctx = self._ctx(session, now)
            project = projects.get(session, project_id)
            return stages.apply(ctx, tenant, project, projects.stage_of(session, project_id, stage), actor,
                                form_data=form_data, files=files or {}, commitments=commitments)

    def supply(self, project_id: int, stage: str, material_id: str, files: list[dict], actor, *,
               now: datetime | None = None):
        tenant, work, now = self._work(project_id, now)
        with work as session:
            ctx = self._ctx(session, now)
            return stages.supply(ctx, projects.get(session, project_id), projects.stage_of(session, project_id, stage),
                                 material_id, files, actor)

    # ------------------------------------------------------------ departments
    def accept(self, project_id: int, stage: str, actor, *, now: datetime | None = None) -> list[ItemCase]:
        tenant, work, now = self._work(project_id, now)
        with work as session:
            ctx = self._ctx(session, now)
            return stages.accept(ctx, tenant, projects.get(session, project_id),
                                 projects.stage_of(session, project_id, stage), actor)

    def decide(self, project_id: int, item_case_id: int, actor, *, result: str, comment: str = "",
               now: datetime | None = None) -> ItemCase:
        """A department's decision on its item, made the way the workbench makes it: every open step of the
        item's approval case acted on by ``actor`` through the engine (审查 → 决定 → 发证), or rejected at the
        decision step. The stage joins through the engine's listener."""
        from tongban.platform.approval.errors import ApprovalError, Forbidden as CaseForbidden

        if result not in ("approved", "rejected"):
            raise Invalid([problem("result", "invalid", "请选择准予或不予许可", "choose approved or rejected")])
        if result == "rejected" and not comment.strip():
            raise Invalid([problem("comment", "required", "不予许可须说明理由", "give the reason for a rejection")])
        item = self.item_case(project_id, item_case_id)
        if item.approval_case_id is None or item.state not in stages.RUNNING:
            raise wrong_state({"suspended": "该事项因容缺材料逾期已暂停", "waiting_chain": "该事项尚在等待前置事项",
                               "supplement": "该事项正等待申请人补正",
                               "special": "该事项正在特别程序中"}.get(
                item.state, "该事项已办结"), f"the item is {item.state}")
        try:
            while True:
                task = self._open_task(project_id, item.approval_case_id)
                if task is None:
                    break
                if result == "rejected" and task.node_id == "decide":
                    self.approval.act(item.approval_case_id, "reject", actor, task_id=task.id, reason=comment, now=now)
                else:
                    self.approval.act(item.approval_case_id, "approve", actor, task_id=task.id, comment=comment,
                                      now=now)
        except CaseForbidden as error:
            raise Forbidden([problem("actor", error.code, error.zh, error.en)]) from error
        except ApprovalError as error:
            raise WrongState([problem("state", error.code, error.zh, error.en)]) from error
        return self.item_case(project_id, item_case_id)

    def item_case(self, project_id: int, item_case_id: int) -> ItemCase:
        tenant, work, _ = self._work(project_id, None)
        with work as session:
            case = session.get(ItemCase, item_case_id)
            if case is None or case.project_id != project_id:
                raise NotFound([problem("item", "not_found", "没有该事项办件", "no such item case")])
            return case

    def _open_task(self, project_id: int, case_id: int):
        from tongban.platform.approval.models import Task

        tenant, work, _ = self._work(project_id, None)
        with work as session:
            return session.scalar(select(Task).where(Task.case_id == case_id, Task.state == "open").order_by(Task.id))

    def schedule_joint_acceptance(self, project_id: int, actor, at: datetime, *, now: datetime | None = None):
        tenant, work, now = self._work(project_id, now)
        with work as session:
            ctx = self._ctx(session, now)
            return stages.schedule_joint_acceptance(ctx, projects.get(session, project_id),
                                                    projects.stage_of(session, project_id, "acceptance"), actor, at)

    def inspect(self, project_id: int, commitment_id: int, actor, *, passed: bool, note: str = "",
                now: datetime | None = None) -> Commitment:
        tenant, work, now = self._work(project_id, now)
        with work as session:
            ctx = self._ctx(session, now)
            commitment = session.get(Commitment, commitment_id)
            if commitment is None or commitment.project_id != project_id:
                raise NotFound([problem("commitment", "not_found", "没有该承诺", "no such commitment")])
            return stages.inspect(ctx, commitment, actor, passed=passed, note=note)

    def inspection_queue(self, tenant_code: str) -> list[Commitment]:
        with self.database.unit_of_work(TenantContext.of(self._tenant(tenant_code))) as session:
            return stages.inspection_queue(session)

    def sweep_rongque(self, *, now: datetime | None = None) -> int:
        """Every tenant's overdue 容缺 materials (a periodic job)."""
        with self.database.unit_of_work(TenantContext.system("容缺 supply deadlines")) as session:
            return stages.sweep_rongque(self._ctx(session, now or utcnow()))

    def waiting_for(self, tenant_code: str) -> dict:
        """The lead department's clerk's list: stages to accept and every open item, by project."""
        with self.database.unit_of_work(TenantContext.of(self._tenant(tenant_code))) as session:
            applied = list(session.execute(select(ProjectStage, Project).join(Project, Project.id == ProjectStage.project_id)
                                           .where(ProjectStage.state.in_(("applied", "accepted")))
                                           .order_by(ProjectStage.applied_at)))
            return {"stages": [(s, p) for s, p in applied]}

    # ------------------------------------------------------------ reading
    def dashboard(self, project_id: int, *, now: datetime | None = None) -> dashboard.Dashboard:
        tenant, work, now = self._work(project_id, now)
        with work as session:
            return dashboard.build(session, self.calendars.calendar(session), tenant,
                                   projects.get(session, project_id), now)

    def investor_dashboard(self, project_id: int, subject: str, *, now: datetime | None = None) -> dashboard.Dashboard:
        """The dashboard as its investor sees it; anyone else's project reads as not found."""
        board = self.dashboard(project_id, now=now)
        if board.project.investor_subject != subject:
            raise NotFound([problem("project", "not_found", "没有该项目", "no such project")])
        return board

    def commitments(self, project_id: int) -> list[Commitment]:
        tenant, work, _ = self._work(project_id, None)
        with work as session:
            return list(session.scalars(select(Commitment).where(Commitment.project_id == project_id)))
