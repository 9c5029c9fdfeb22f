"""The lead department accepts once; the items fan out in parallel; the stage concludes with one notice."""
import pytest
from sqlalchemy import select

from construction_support import CLERK, INVESTOR, apply, application, beijing, decide_all, department_staff
from tongban.platform.approval.models import Case, CaseEvent
from tongban.platform.approval.queries import my_tasks
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.construction.errors import Forbidden, Invalid, WrongState
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext


def test_stage_fans_out_in_parallel_and_joins_with_one_notice(service, db):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    apply(service, project.id, "approval", now=now)
    opened = service.accept(project.id, "approval", CLERK, now=now)
    by_code = {c.item_code: c for c in opened}
    # five items at five places at once; 用地预审 waits on the 立项 filing (协同串)
    assert {c.department for c in opened} == {"development_reform", "natural_resources", "ecology_environment",
                                              "water_affairs"}
    assert by_code["HN-GC-002"].state == "waiting_chain" and by_code["HN-GC-002"].waits_on == ["HN-GC-001"]
    assert {c.state for code, c in by_code.items() if code != "HN-GC-002"} == {"open"}
    assert by_code["HN-GC-002"].approval_case_id is None  # it opens when its 前置 item is approved
    running = [c for c in opened if c.item_code != "HN-GC-002"]
    assert len({c.case_number for c in running}) == 4 and all(c.case_number.startswith("4601-") for c in running)
    # each is a real approval case of the investor, accepted once and waiting in its department's task list
    reviewer = department_staff("water_affairs")
    with db.unit_of_work(TenantContext.system("test")) as s:
        flood = s.get(Case, by_code["HN-GC-004"].approval_case_id)
        assert (flood.state, flood.applicant_subject, flood.number) == ("in_progress", INVESTOR.subject,
                                                                         by_code["HN-GC-004"].case_number)
        assert flood.form_data["project_code"] == "2026-460100-65-03-000123"
        assert [e.action for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == flood.id)
                                             .order_by(CaseEvent.seq))] == ["submit", "accept"]
        tasks = my_tasks(s, reviewer, "4601", "/46/4601/", calendar=WorkCalendar(), now=now)
    assert [(t.item_code, t.node_id) for t in tasks.rows] == [("HN-GC-004", "review")]

    with pytest.raises(Forbidden):  # another department cannot decide it
        service.decide(project.id, by_code["HN-GC-004"].id, department_staff("natural_resources"),
                       result="approved", now=now)
    with pytest.raises(WrongState):  # the chained item waits
        service.decide(project.id, by_code["HN-GC-002"].id, department_staff("natural_resources"),
                       result="approved", now=now)
    service.decide(project.id, by_code["HN-GC-001"].id, department_staff("development_reform"),
                   result="approved", now=now)
    board = service.dashboard(project.id, now=now)
    assert next(c for c in board.cases if c.item_code == "HN-GC-002").state == "open"
    assert next(s for s in board.stages if s.stage == "approval").state == "accepted"  # not all decided yet
    assert {o.department for o in board.owed} == {"development_reform", "natural_resources", "ecology_environment",
                                                  "water_affairs"}

    board = decide_all(service, project.id, "approval", now=beijing(2026, 11, 5, 10))
    stage = next(s for s in board.stages if s.stage == "approval")
    assert stage.state == "concluded" and stage.result == "approved"
    assert stage.notice_number == "JS-2026-460100-65-03-000123-1" and len(stage.notice["items"]) == 5
    assert {i["case_number"] for i in stage.notice["items"]} == {c.case_number for c in board.cases}
    assert board.owed == []
    with db.unit_of_work(TenantContext.system("test")) as s:
        sent = s.scalars(select(OutboxMessage).where(OutboxMessage.topic == "construction_stage_concluded")).all()
    assert {m.channel for m in sent} == {"sms", "email"}
    assert "立项阶段已办结（准予）" in sent[0].body


def test_one_rejection_concludes_the_stage_rejected_and_blocks_the_next(service):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    apply(service, project.id, "approval", now=now)
    cases = service.accept(project.id, "approval", CLERK, now=now)
    eia = next(c for c in cases if c.item_code == "HN-ST-001")
    with pytest.raises(Invalid) as refused:
        service.decide(project.id, eia.id, department_staff("ecology_environment"), result="rejected", now=now)
    assert refused.value.errors[0]["path"] == "comment"
    service.decide(project.id, eia.id, department_staff("ecology_environment"), result="rejected",
                   comment="选址位于饮用水水源保护区", now=now)
    board = decide_all(service, project.id, "approval", now=now)
    assert next(s for s in board.stages if s.stage == "approval").result == "rejected"
    with pytest.raises(WrongState):
        apply(service, project.id, "land", now=now)


def test_only_the_investor_applies_and_only_staff_accept(service):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    with pytest.raises(Invalid) as invalid:
        service.apply(project.id, "approval", INVESTOR, form_data={}, files={}, now=now)
    paths = {e["path"] for e in invalid.value.errors}
    assert "project_name" in paths and "materials.siting_report" in paths
    assert service.dashboard(project.id, now=now).stages[0].state == "waiting"  # nothing changed
    apply(service, project.id, "approval", now=now)
    with pytest.raises(Forbidden):
        service.accept(project.id, "approval", INVESTOR, now=now)
    with pytest.raises(WrongState):  # stages go in order
        apply(service, project.id, "land", now=now)
