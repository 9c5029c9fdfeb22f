"""The demo project: five stages, six departments, one 容缺 supplied late, one 告知承诺, a regional assessment."""
from sqlalchemy import select

from construction_support import ready
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext
from tongban.platform.construction.demo import WAITING, WALKED, seed_demo_projects


def test_the_demo_walks_one_project_through_all_five_stages(db):
    service = ready(db)
    assert seed_demo_projects(db) == 2
    assert seed_demo_projects(db) == 0  # once
    projects = {p.code: p for p in service.projects_of(service.project_by_code(WALKED).investor_subject)}
    walked = service.dashboard(projects[WALKED].id)
    assert walked.project.state == "completed"
    assert [(s.stage, s.state, s.result) for s in walked.stages] == [
        (stage, "concluded", "approved") for stage in ("approval", "land", "planning", "construction", "acceptance")]
    assert len({c.department for c in walked.cases}) >= 6
    statuses = {m.material_id: m for m in walked.materials}
    assert statuses["approval_doc"].status == "supplied" and statuses["approval_doc"].supplied_at > statuses[
        "approval_doc"].supply_due_at
    assert statuses["flood_report"].status == "regional"
    with db.unit_of_work(TenantContext.system("test")) as s:  # the items waiting for it were suspended meanwhile
        told = s.scalars(select(OutboxMessage).where(OutboxMessage.topic == "construction_rongque_overdue")).all()
    assert told and "节能审查" in told[0].body
    assert [c.item_code for c in walked.cases if c.state == "committed"] == ["HN-GC-011"]
    assert walked.stages[-1].appointment_at is not None
    assert walked.clock.actual_speedup > 50
    assert service.dashboard(projects[WAITING].id).stages[0].state == "waiting"
