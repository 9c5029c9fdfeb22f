"""Registering a project (the 立项 intake): checks, the investment negative list, and its stages."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.construction.catalogue import INDUSTRIES, PROJECT_TYPES, negative_list, templates
from tongban.platform.construction.errors import Invalid, NotFound, Refused, forbidden, problem
from tongban.platform.construction.models import Project, ProjectStage
from tongban.platform.sharing import basedata

CODE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}$")


@dataclass
class ProjectApplication:
    code: str
    name: str
    investor_uscc: str
    investor_name: str
    area: str
    investment_wan_yuan: str | float
    land_area_m2: str | float
    industry: str
    project_type: str


def register(session: Session, tenant, actor, application: ProjectApplication, *, now: datetime) -> Project:
    """A new project in ``tenant`` with one row per stage (skipped where its type skips the stage).

    Prohibited by the negative list → :class:`Refused` citing the entry, nothing written; restricted → the
    entry's extra approval joins the 立项 stage."""
    if actor.kind not in ("applicant", "system"):
        raise forbidden("项目由投资主体申报", "the investor registers the project")
    errors, investment, land = _check(session, application)
    if errors:
        raise Invalid(errors)
    entries = [e for e in negative_list(session) if e.industry == application.industry]
    prohibited = [e for e in entries if e.kind == "prohibited"]
    if prohibited:
        e = prohibited[0]
        raise Refused([problem("industry", "negative_list_prohibited",
                               f"不予受理：该项目属于投资负面清单禁止类（{e.code}：{e.description}）",
                               f"refused: the investment negative list prohibits it ({e.code}: {e.description})")])
    extra = [{"entry": e.code, "description": e.description, "item_code": e.extra_item_code,
              "department": e.extra_department, "stage": "approval"} for e in entries if e.kind == "restricted"]
    project = Project(tenant_id=tenant.code, code=application.code, name=application.name.strip(),
                      investor_subject=actor.subject, investor_uscc=application.investor_uscc,
                      investor_name=application.investor_name,
                      investor_contact=dict(getattr(actor, "contact", None) or {}), area=application.area.strip(),
                      investment_wan_yuan=investment, land_area_m2=land, industry=application.industry,
                      project_type=application.project_type, extra_items=extra, created_at=now)
    session.add(project)
    session.flush()
    for template in templates(session):
        applies = application.project_type in (template.project_types or [])
        session.add(ProjectStage(tenant_id=tenant.code, project_id=project.id, stage=template.stage, seq=template.seq,
                                 name_zh=template.name_zh, lead_department=template.lead_department,
                                 limit_days=template.limit_days, state="waiting" if applies else "skipped"))
    basedata.upsert_project(session, application.code, source="construction", now=now, name=project.name,
                            investor_id=application.investor_uscc, investor_name=application.investor_name,
                            location=application.area or tenant.name, investment_wan_yuan=str(investment),
                            stage="立项")
    session.flush()
    return project


def _check(session: Session, a: ProjectApplication) -> tuple[list[dict], Decimal | None, Decimal | None]:
    errors = []
    if not CODE_PATTERN.match(a.code or ""):
        errors.append(problem("code", "pattern", "投资项目代码格式如 2026-460100-65-03-000123",
                              "the project code looks like 2026-460100-65-03-000123"))
    elif session.scalar(select(Project.id).where(Project.code == a.code)) is not None:
        errors.append(problem("code", "duplicate", "该投资项目代码已登记", "this project code is already registered"))
    if not (a.investor_uscc or "").strip():
        errors.append(problem("investor_uscc", "required", "请以企业身份（代理所属企业）申报项目",
                              "register the project acting for your enterprise"))
    if not (a.name or "").strip():
        errors.append(problem("name", "required", "请填写项目名称", "enter the project name"))
    if a.project_type not in PROJECT_TYPES:
        errors.append(problem("project_type", "invalid", "请选择项目类型", "choose the project type"))
    if a.industry not in INDUSTRIES:
        errors.append(problem("industry", "invalid", "请选择所属行业", "choose the industry"))
    numbers = []
    for name, value, zh in (("investment_wan_yuan", a.investment_wan_yuan, "总投资"), ("land_area_m2", a.land_area_m2, "用地面积")):
        try:
            number = Decimal(str(value))
            if number <= 0:
                raise InvalidOperation
            numbers.append(number)
        except (InvalidOperation, ValueError):
            errors.append(problem(name, "invalid", f"{zh}应为大于零的数字", f"{name} must be a number above zero"))
            numbers.append(None)
    return errors, numbers[0], numbers[1]


def get(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound([problem("project", "not_found", "没有该项目", "no such project")])
    return project


def stages_of(session: Session, project_id: int) -> list[ProjectStage]:
    return list(session.scalars(select(ProjectStage).where(ProjectStage.project_id == project_id)
                                .order_by(ProjectStage.seq)))


def stage_of(session: Session, project_id: int, stage: str) -> ProjectStage:
    row = session.scalar(select(ProjectStage).where(ProjectStage.project_id == project_id, ProjectStage.stage == stage))
    if row is None:
        raise NotFound([problem("stage", "not_found", "没有该阶段", "no such stage")])
    return row


def of_investor(session: Session, subject: str) -> list[Project]:
    return list(session.scalars(select(Project).where(Project.investor_subject == subject)
                                .order_by(Project.created_at.desc(), Project.id.desc())))
