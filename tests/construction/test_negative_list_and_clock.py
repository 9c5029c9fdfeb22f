"""The investment negative list at 立项, and the project clock on the working calendar."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from construction_support import CLERK, INVESTOR, apply, application, beijing, decide_all
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
