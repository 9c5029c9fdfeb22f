"""The investment negative list at 立项, and the project clock on the working calendar."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from construction_support import CLERK, INVESTOR, apply, application, beijing, decide_all, department_staff
from tongban.platform.approval.models import Task
from tongban.platform.approval.service import ApprovalService
from tongban.platform.construction.errors import Refused
from tongban.platform.construction.models import Project
from tongban.tenants.isolation import TenantContext


def test_a_prohibited_project_is_refused_at_intake_citing_the_entry(service, db):
    with pytest.raises(Refused) as refused:
        service.register("4601", INVESTOR, application(industry="coal_power"))
    error = refused.value.errors[0]
    assert error["path"] == "industry" and "HN-J-001" in error["zh"] and "禁止新建燃煤发电项目" in error["zh"]
    assert "prohibits" in error["en"]
    with db.unit_of_work(TenantContext.system("test")) as s:
        assert s.scalar(select(func.count()).select_from(Project)) == 0


def test_a_restricted_project_gets_the_entrys_extra_approval(service):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(industry="golf"), now=now)
    assert project.extra_items[0]["entry"] == "HN-X-001" and project.extra_items[0]["item_code"] == "HN-GC-016"
    form = service.stage_form(project.id, "approval")
    assert form.items[-1].code == "HN-GC-016" and "项目申请报告" in {m.name for m in form.materials}
    apply(service, project.id, "approval", now=now)
    cases = service.accept(project.id, "approval", CLERK, now=now)
    extra = next(c for c in cases if c.item_code == "HN-GC-016")
    assert extra.mode == "extra" and extra.department == "development_reform" and extra.state == "open"
    # an unrestricted industry gets nothing extra
    plain = service.register("4601", INVESTOR, application("2026-460100-65-03-000126"), now=now)
    assert plain.extra_items == [] and "HN-GC-016" not in [i.code for i in service.stage_form(plain.id, "approval").items]


def test_the_clock_counts_working_days_across_national_day(service):
    accepted = beijing(2026, 9, 29, 10)  # Tuesday before National Day
    project = service.register("4601", INVESTOR, application(), now=accepted)
    apply(service, project.id, "approval", now=accepted)
    service.accept(project.id, "approval", CLERK, now=accepted)
    # concluded at midnight starting Tuesday 13 October: the working days after acceptance are
    # 30 Sep; (1–7 Oct holiday); 8, 9 Oct; Saturday 10 Oct (an adjusted working day); 12 Oct → 5
    board = decide_all(service, project.id, "approval", now=beijing(2026, 10, 13, 0))
    clock = board.clock
    approval = clock.stages[0]
    assert approval.used_days == Decimal("5.00") and not approval.overdue
    # legal limits of the 立项 items: 7 + 20 + 30 + 20 + 20 = 97 working days
    assert approval.legal_days == 97
    assert clock.actual_speedup == Decimal("94.8")  # (97 - 5) / 97
    # the whole project: stage limits 10 + 8 + 12 + 6 + 10 = 46 against 309 legal days (97+60+55+32+65)
    assert (clock.limit_days, clock.legal_days) == (46, 309)
    assert clock.planned_speedup == Decimal("85.1")
    # half a working day later into the next stage: 14 Oct 12:00 from acceptance on 13 Oct 00:00
    apply(service, project.id, "land", now=beijing(2026, 10, 13, 0))
    service.accept(project.id, "land", CLERK, now=beijing(2026, 10, 13, 0))
    board = service.dashboard(project.id, now=beijing(2026, 10, 14, 12))
    assert board.clock.stages[1].used_days == Decimal("0.50")
    assert board.clock.used_days == Decimal("5.50")


@pytest.fixture
def engine(service, db, settings):
    return ApprovalService(db, secret_key=settings.secret_key)


def _open_task(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.scalar(select(Task).where(Task.case_id == case_id, Task.state == "open")).id


def test_a_special_procedure_of_the_last_open_item_does_not_count_against_the_stage(service, engine, db):
    accepted = beijing(2026, 9, 29, 10)  # Tuesday before National Day
    project = service.register("4601", INVESTOR, application(), now=accepted)
    apply(service, project.id, "approval", now=accepted)
    flood = next(c for c in service.accept(project.id, "approval", CLERK, now=accepted) if c.item_code == "HN-GC-004")
    decide_all(service, project.id, "approval", now=beijing(2026, 9, 30, 10), skip=("HN-GC-004",))
    water = department_staff("water_affairs")
    engine.act(flood.approval_case_id, "special_start", water, task_id=_open_task(db, flood.approval_case_id),
               kind="expert_review", approved_days=3, reason="防洪评价专家评审", now=beijing(2026, 9, 30, 16))
    engine.act(flood.approval_case_id, "special_end", water, task_id=_open_task(db, flood.approval_case_id),
               comment="评审通过", now=beijing(2026, 10, 12, 10))
    board = decide_all(service, project.id, "approval", now=beijing(2026, 10, 13, 0))
    approval = board.clock.stages[0]
    assert board.stages[0].state == "concluded"
    # 29 Sep 10:00 → 13 Oct 00:00 is 5 working days (30 Sep; 8, 9, 10 Oct; 12 Oct). The expert review, the only
    # item still open: 30 Sep 16:00–24:00 (8 h) + 8, 9, 10 Oct + 12 Oct 00:00–10:00 (10 h) = 3 + 18/24 = 3.75
    assert approval.paused_days == Decimal("3.75")
    assert approval.used_days == Decimal("1.25")  # 30 Sep 00:00–16:00 (16 h) + 12 Oct 10:00–24:00 (14 h)
    assert board.clock.actual_speedup == Decimal("98.7")  # (97 - 1.25) / 97


def test_the_stage_clock_stops_only_while_every_open_item_waits(service, engine, db):
    monday = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=monday)
    apply(service, project.id, "approval", now=monday)
    items = {c.item_code: c for c in service.accept(project.id, "approval", CLERK, now=monday)}
    flood, energy = items["HN-GC-004"], items["HN-GC-003"]
    water, reform = department_staff("water_affairs"), department_staff("development_reform")
    # Tue 3 Nov 10:00: 补正 on the flood item — the other four items run on, so the stage does too
    engine.act(flood.approval_case_id, "request_supplement", water, task_id=_open_task(db, flood.approval_case_id),
               missing=[{"material_id": "flood_report", "name": "洪水影响评价报告（补充淹没分析）"}],
               comment="请补充百年一遇淹没分析", now=beijing(2026, 11, 3, 10))
    for code in ("HN-ST-001", "HN-GC-001", "HN-GC-002"):  # Wed 4 Nov 10:00: three items decided
        service.decide(project.id, items[code].id, department_staff(items[code].department), result="approved",
                       now=beijing(2026, 11, 4, 10))
    # Thu 5 Nov 10:00: a hearing on the energy item — now both open items wait
    engine.act(energy.approval_case_id, "special_start", reform, task_id=_open_task(db, energy.approval_case_id),
               kind="hearing", approved_days=5, reason="节能审查听证", now=beijing(2026, 11, 5, 10))
    board = service.dashboard(project.id, now=beijing(2026, 11, 6, 12))
    # 2 Nov 10:00 → 6 Nov 12:00 is 3.5 working days (3, 4, 5 Nov; half of 6 Nov); waiting since 5 Nov 10:00:
    # 14 h + 12 h = 26/24 = 1.08; used 3 Nov, 4 Nov and 5 Nov 00:00–10:00 = 2 + 10/24 = 2.42
    assert (board.clock.stages[0].used_days, board.clock.stages[0].paused_days) == (Decimal("2.42"), Decimal("1.08"))
    # Fri 6 Nov 16:00 the investor supplies: the flood item runs again, the hearing alone does not stop the stage
    engine.act(flood.approval_case_id, "supply", INVESTOR, files={"flood_report": [{"id": "doc-1", "name": "淹没分析.pdf",
                                                                                  "size": 20_000}]},
               now=beijing(2026, 11, 6, 16))
    engine.act(energy.approval_case_id, "special_end", reform, task_id=_open_task(db, energy.approval_case_id),
               now=beijing(2026, 11, 9, 10))
    service.decide(project.id, energy.id, reform, result="approved", now=beijing(2026, 11, 9, 12))
    board = decide_all(service, project.id, "approval", now=beijing(2026, 11, 10, 12))
    approval = board.clock.stages[0]
    assert board.stages[0].state == "concluded"
    # 2 Nov 10:00 → Tue 10 Nov 12:00: 3, 4, 5, 6 Nov, (weekend), 9 Nov, half of 10 Nov = 5.5 working days; left
    # out only Thu 5 Nov 10:00 → Fri 6 Nov 16:00, when both open items waited: 14 h + 16 h = 30/24 = 1.25
    assert approval.paused_days == Decimal("1.25")
    assert approval.used_days == Decimal("4.25")
    assert board.clock.actual_speedup == Decimal("95.6")  # (97 - 4.25) / 97 = 95.62


def test_the_negative_list_is_the_provinces_and_seen_below_it(service):
    entries = service.negative_list("460105100")  # 长流镇 sees the province's list
    assert {e.code for e in entries} >= {"HN-J-001", "HN-X-001"}


def test_the_supervision_rules_mark_a_running_stage_and_its_items(service):
    accepted = beijing(2026, 11, 2, 10)  # Monday
    project = service.register("4601", INVESTOR, application(), now=accepted)
    apply(service, project.id, "approval", now=accepted)
    service.accept(project.id, "approval", CLERK, now=accepted)
    # 8 working days used of the 立项 limit of 10: within the warning rule's 2 days
    board = service.dashboard(project.id, now=beijing(2026, 11, 13, 0))
    assert board.clock.stages[0].used_days == Decimal("8.00") and board.clock.stages[0].mark == "warning"
    # 11 working days (3–6, 9–13, 16, 17 November): past the stage limit → yellow; of the items, 备案
    # (promised 2, legal 7) → red, 洪水影响评价 (promised 8, legal 20) → yellow, 环评 (promised 15) → none yet
    board = service.dashboard(project.id, now=beijing(2026, 11, 18, 0))
    assert board.clock.stages[0].used_days == Decimal("11.00") and board.clock.stages[0].mark == "yellow"
    marks = {i["item"]: i["mark"] for o in board.owed for i in o.items}
    assert marks["企业投资项目备案"] == "red" and marks["洪水影响评价审批"] == "yellow"
    assert marks["建设项目环境影响报告表审批"] is None


def test_a_departments_item_is_not_marked_for_the_time_it_waited_for_the_investors_supplement(service, engine, db):
    accepted = beijing(2026, 11, 2, 10)  # Monday
    project = service.register("4601", INVESTOR, application(), now=accepted)
    apply(service, project.id, "approval", now=accepted)
    flood = next(c for c in service.accept(project.id, "approval", CLERK, now=accepted) if c.item_code == "HN-GC-004")
    engine.act(flood.approval_case_id, "request_supplement", department_staff("water_affairs"),
               task_id=_open_task(db, flood.approval_case_id), missing=[{"name": "洪水影响评价报告（补充淹没分析）"}],
               now=beijing(2026, 11, 3, 10))
    engine.act(flood.approval_case_id, "supply", INVESTOR, now=beijing(2026, 11, 13, 10))
    board = service.dashboard(project.id, now=beijing(2026, 11, 18, 0))
    # the other items ran meanwhile: the stage has used 11 working days (3–6, 9–13, 16, 17 Nov) → yellow
    assert board.clock.stages[0].used_days == Decimal("11.00") and board.clock.stages[0].mark == "yellow"
    # the flood item (promised 8, legal 20) waited from 3 Nov 10:00 to 13 Nov 10:00: 14 h + 4–6, 9–12 Nov + 10 h
    # = 8 working days, so it has used 11 - 8 = 3 and is not marked; its promised due moves by the 8 days: 10 h
    # before, 14 h on 13 Nov, then 16–20, 23, 24 Nov → due at 00:00 on Wednesday 25 November
    flood_line = next(i for o in board.owed for i in o.items if i["item"] == "洪水影响评价审批")
    assert flood_line["days"] == Decimal("3.00") and flood_line["mark"] is None
    assert flood_line["due"] == beijing(2026, 11, 25, 0) and not flood_line["overdue"]
