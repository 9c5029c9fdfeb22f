"""The construction room in a test database: items, templates, a project, and the people who act on it."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tongban.configurator.forms import FormSchema
from tongban.configurator.forms.sample import sample_values
from tongban.platform.approval.actors import Actor, RoleGrant
from tongban.platform.construction.projects import ProjectApplication
from tongban.platform.construction.service import ConstructionService
from tongban.platform.construction.setup import install

BEIJING = ZoneInfo("Asia/Shanghai")
HAIKOU, HAIKOU_PATH = "4601", "/46/4601/"
PARK = "海口国家高新区"
USCC = "91460100MA5T0YF0PN"
INVESTOR = Actor("enterprise:yefeng", "海南椰风科技有限公司", "applicant",
                 contact={"email": "invest@yefeng.example", "phone": "13800138000"})
CLERK = Actor("staff:window", "符窗口", "staff", grants=(RoleGrant("window_clerk", HAIKOU, HAIKOU_PATH),))


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING).astimezone(timezone.utc)


def department_staff(department: str) -> Actor:
    return Actor(f"staff:{department}", f"{department} 审批员", "staff", department=department,
                 grants=tuple(RoleGrant(role, HAIKOU, HAIKOU_PATH) for role in ("reviewer", "approver",
                                                                                 "certificate_clerk")))


def ready(db) -> ConstructionService:
    service = ConstructionService(db)
    install(db, service)
    return service


def application(code="2026-460100-65-03-000123", *, industry="software", project_type="social", area=PARK,
                name="椰风软件研发中心") -> ProjectApplication:
    return ProjectApplication(code=code, name=name, investor_uscc=USCC, investor_name=INVESTOR.name, area=area,
                              investment_wan_yuan="12000", land_area_m2="20000", industry=industry,
                              project_type=project_type)


def stage_values(form, project_code="2026-460100-65-03-000123") -> dict:
    overrides = {name: project_code for name in form.schema_field_names() if name.endswith("project_code")} \
        if hasattr(form, "schema_field_names") else {}
    for spec in form.schema["fields"]:
        if spec["name"].endswith("project_code"):
            overrides[spec["name"]] = project_code
        if spec["name"].endswith("uscc"):
            overrides[spec["name"]] = USCC
    return sample_values(FormSchema.parse(form.schema), overrides=overrides)


def files_for(form, *, leave_out=()) -> dict:
    return {m.id: [{"id": f"f-{m.id}", "name": f"{m.name}.pdf", "size": 20_000}]
            for m in form.materials if m.id not in leave_out}


def apply(service, project_id, stage, *, now, leave_out=(), commitments=None):
    form = service.stage_form(project_id, stage)
    code = service.dashboard(project_id, now=now).project.code
    return service.apply(project_id, stage, INVESTOR, form_data=stage_values(form, code),
                         files=files_for(form, leave_out=leave_out), commitments=commitments, now=now)


def decide_all(service, project_id, stage, *, now, skip=()):
    """Each open item of ``stage`` approved by its own department (chains released as they go)."""
    while True:
        board = service.dashboard(project_id, now=now)
        stage_id = next(s.id for s in board.stages if s.stage == stage)
        open_cases = [c for c in board.cases if c.stage_id == stage_id and c.state == "open" and c.item_code not in skip]
        if not open_cases:
            return board
        for case in open_cases:
            service.decide(project_id, case.id, department_staff(case.department), result="approved", now=now)
