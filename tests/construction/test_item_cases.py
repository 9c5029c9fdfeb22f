"""Stage items are approval-engine cases: the departments' task lists, the audit hash chain, the e-license
library and supervision's clocks cover them; the stage joins when the cases conclude."""
import pytest
from sqlalchemy import select

from construction_support import CLERK, INVESTOR, USCC, apply, application, beijing, decide_all, department_staff
from sharing_support import register_issuer, seed
from tongban.platform.approval.events import verify_all
from tongban.platform.approval.models import Case, Task
from tongban.platform.approval.service import ApprovalService
from tongban.platform.construction.errors import Forbidden
from tongban.platform.sharing.models import License
from tongban.tenants.isolation import TenantContext


def test_the_planning_permit_is_issued_into_the_e_license_library(service, db, monkeypatch):
    seed(db)
    register_issuer(monkeypatch)
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    for stage in ("approval", "land", "planning"):
        apply(service, project.id, stage, now=now)
        service.accept(project.id, stage, CLERK, now=now)
        board = decide_all(service, project.id, stage, now=now)
    permit = next(c for c in board.cases if c.item_code == "HN-ZR-001")
    assert permit.state == "approved"
    with db.unit_of_work(TenantContext.system("test")) as s:
        case = s.get(Case, permit.approval_case_id)
        issued = s.scalar(select(License).where(License.number == case.certificate_number))
        checked, tampered = verify_all(s)
    assert case.state == "concluded" and case.result == "approved"
    assert (issued.type_code, issued.holder_id) == ("planning_permit", USCC)
    assert checked >= 11 and tampered == []  # every item's case is on the audit hash chain


def test_a_department_decides_in_the_engine_and_the_stage_joins_there(service, db, settings):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    apply(service, project.id, "approval", now=now)
    items = {c.item_code: c for c in service.accept(project.id, "approval", CLERK, now=now)}
    engine = ApprovalService(db, secret_key=settings.secret_key)
    eia = items["HN-ST-001"]
    with db.unit_of_work(TenantContext.system("test")) as s:
        task = s.scalar(select(Task).where(Task.case_id == eia.approval_case_id, Task.state == "open"))
        assert (task.node_id, task.department, task.due_at is not None) == ("review", "ecology_environment", True)
    with pytest.raises(Forbidden):  # another department's staff cannot act on it
        service.decide(project.id, eia.id, department_staff("water_affairs"), result="approved", now=now)
    staff = department_staff("ecology_environment")
    engine.act(eia.approval_case_id, "approve", staff, task_id=task.id, now=now)
    with db.unit_of_work(TenantContext.system("test")) as s:
        decide = s.scalar(select(Task).where(Task.case_id == eia.approval_case_id, Task.state == "open"))
    engine.act(eia.approval_case_id, "reject", staff, task_id=decide.id, reason="选址位于饮用水水源保护区", now=now)
    board = service.dashboard(project.id, now=now)
    assert next(c for c in board.cases if c.item_code == "HN-ST-001").state == "rejected"
    assert next(c for c in board.cases if c.item_code == "HN-ST-001").comment == "选址位于饮用水水源保护区"
    board = decide_all(service, project.id, "approval", now=now)
    stage = board.stages[0]
    assert (stage.state, stage.result) == ("concluded", "rejected")
    assert next(i for i in stage.notice["items"] if i["item"].startswith("建设项目环境影响"))["result"] == "rejected"
