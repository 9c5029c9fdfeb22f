"""The demo: a social-investment project in 海口国家高新区 walked through all five stages by six departments,
with one 容缺 material supplied late, one 告知承诺 item and regional assessments of the park; and a second
project of the same investor registered and waiting for its 立项 application (`tongban seed --demo`)."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tongban.configurator.forms import FormSchema
from tongban.configurator.forms.sample import sample_values
from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.construction import regional
from tongban.platform.construction.models import Project
from tongban.platform.construction.projects import ProjectApplication
from tongban.platform.construction.service import ConstructionService
from tongban.platform.construction.setup import install
from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext

HAIKOU, HAIKOU_PATH = "4601", "/46/4601/"
PARK = "海口国家高新区"
USCC = "91460100MA5T0YF0PN"
WALKED = "2026-460100-65-03-000101"
WAITING = "2026-460100-65-03-000102"
COMMITMENT = "本单位承诺排水设施按批准的设计方案建设，符合城镇排水标准，接受事后核查，如有不实自愿承担法律责任。"


def seed_demo_projects(database) -> int:
    """The two demo projects, once (a second run adds nothing)."""
    service = ConstructionService(database)
    install(database, service)
    with database.unit_of_work(TenantContext.system("demo projects")) as session:
        if session.scalar(select(Project.id).where(Project.code == WALKED)) is not None:
            return 0
        investor = _investor(session)
        regional.record(session, HAIKOU, area=PARK, kind="flood", name="海口国家高新区洪水影响区域评估",
                        material_ids=["flood_report"], report_ref="HKGX-QYPG-2025-03", concluded_on=date(2025, 6, 30))
        regional.record(session, HAIKOU, area=PARK, kind="seismic", name="海口国家高新区地震安全性区域评估",
                        material_ids=["seismic_report"], report_ref="HKGX-QYPG-2025-05", concluded_on=date(2025, 8, 15))
    _walk(service, investor)
    now = utcnow()
    service.register(HAIKOU, investor, _application(WAITING, "椰风数据中心（二期）"), now=now - timedelta(days=1))
    return 2


def _investor(session) -> Actor:
    from tongban.platform.identity.seed import demo_enterprise

    enterprise = demo_enterprise(session)
    contact = {"email": "agent@yefeng.example", "phone": "13907560001"}
    if enterprise is None:
        return Actor("enterprise:demo-yefeng", "海南椰风科技有限公司", "applicant", contact=contact)
    return Actor(enterprise.subject, enterprise.name, "applicant", contact=contact)


def _application(code: str, name: str) -> ProjectApplication:
    return ProjectApplication(code=code, name=name, investor_uscc=USCC, investor_name="海南椰风科技有限公司", area=PARK,
                              investment_wan_yuan="36000", land_area_m2="42000", industry="software",
                              project_type="social")


def department(code: str) -> Actor:
    from tongban.platform.approval.departments import department_name

    return Actor(f"staff:demo-{code}", f"{department_name(code)}审批科", "staff", department=code,
                 grants=tuple(RoleGrant(role, HAIKOU, HAIKOU_PATH) for role in ("reviewer", "approver",
                                                                                 "certificate_clerk")))


WINDOW = Actor("staff:demo-construction-window", "工程建设项目综合窗口", "staff",
               grants=(RoleGrant("window_clerk", HAIKOU, HAIKOU_PATH),))


def stage_values(form, project_code: str) -> dict:
    overrides = {}
    for spec in form.schema["fields"]:
        if spec["name"].endswith("project_code"):
            overrides[spec["name"]] = project_code
        if spec["name"].endswith("uscc"):
            overrides[spec["name"]] = USCC
        if spec["name"] in ("enterprise_name", "project_name"):
            overrides[spec["name"]] = "海南椰风科技有限公司" if spec["name"] == "enterprise_name" else "椰风智慧产业园研发中心"
    return sample_values(FormSchema.parse(form.schema), overrides=overrides)


def files_for(form, *, leave_out=()) -> dict:
    return {m.id: [{"id": f"demo-{m.id}", "name": f"{m.name}.pdf", "size": 240_000}]
            for m in form.materials if m.id not in leave_out}


def apply(service, project, stage, investor, at, *, leave_out=(), commitments=None):
    form = service.stage_form(project.id, stage)
    return service.apply(project.id, stage, investor, form_data=stage_values(form, project.code),
                         files=files_for(form, leave_out=leave_out), commitments=commitments, now=at)


def decide_open(service, project, stage, at, *, step=timedelta(hours=20)):
    """Each open item approved by its own department, a little later each (chains released as they go);
    items still missing a 容缺 material wait for it."""
    from tongban.platform.construction.errors import WrongState

    waiting: set[int] = set()
    while True:
        board = service.dashboard(project.id, now=at)
        stage_id = next(s.id for s in board.stages if s.stage == stage)
        open_cases = [c for c in board.cases if c.stage_id == stage_id and c.state == "open" and c.id not in waiting]
        if not open_cases:
            return at
        for case in open_cases:
            at += step
            try:
                service.decide(project.id, case.id, department(case.department), result="approved", now=at)
            except WrongState:
                waiting.add(case.id)


def _walk(service, investor) -> None:
    start = utcnow() - timedelta(days=150)
    project = service.register(HAIKOU, investor, _application(WALKED, "椰风智慧产业园研发中心"), now=start)
    # 立项: the filing document accepted with a gap (容缺) and supplied two days late; flood report by the park's
    # regional assessment
    at = start + timedelta(days=1)
    apply(service, project, "approval", investor, at, leave_out=("approval_doc", "flood_report"))
    service.accept(project.id, "approval", WINDOW, now=at)
    due = next(m.supply_due_at for m in service.dashboard(project.id, now=at).materials if m.material_id == "approval_doc")
    decide_open(service, project, "approval", at, step=timedelta(days=1))
    service.sweep_rongque(now=due + timedelta(hours=9))
    service.supply(project.id, "approval", "approval_doc", [{"id": "demo-late", "name": "企业投资项目备案证明.pdf",
                                                              "size": 180_000}], investor, now=due + timedelta(days=2))
    at = decide_open(service, project, "approval", due + timedelta(days=2, hours=2), step=timedelta(days=1))
    for stage, gap, commitments in (("land", 7, None), ("planning", 6, None),
                                    ("construction", 10, {"HN-GC-011": COMMITMENT}), ("acceptance", 40, None)):
        at += timedelta(days=gap)
        apply(service, project, stage, investor, at, leave_out=("seismic_report",), commitments=commitments)
        at += timedelta(hours=3)
        service.accept(project.id, stage, WINDOW, now=at)
        if stage == "acceptance":
            service.schedule_joint_acceptance(project.id, WINDOW, at + timedelta(days=5), now=at)
            at += timedelta(days=5)
        at = decide_open(service, project, stage, at, step=timedelta(days=1, hours=12))
