"""容缺受理, 告知承诺, 区域评估 and stage skipping by project type."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from construction_support import (CLERK, INVESTOR, PARK, apply, application, beijing, decide_all,
                                  department_staff)
from tongban.platform.approval.models import Case, CaseMaterial
from tongban.platform.construction import regional
from tongban.platform.construction.errors import Invalid, WrongState
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext


def _material(board, material_id):
    return next(m for m in board.materials if m.material_id == material_id)


def test_a_missed_rongque_deadline_suspends_the_items_and_tells_the_investor(service, db):
    applied = beijing(2026, 11, 2, 10)  # Monday
    project = service.register("4601", INVESTOR, application(), now=applied)
    apply(service, project.id, "approval", now=applied, leave_out=("approval_doc",))
    board = service.dashboard(project.id, now=applied)
    gap = _material(board, "approval_doc")
    # 10 working days after Monday 2 November: 3–6, 9–13, 16 November → due at 00:00 on the 17th (Beijing)
    assert gap.status == "rongque" and gap.supply_due_at == beijing(2026, 11, 17, 0)
    cases = {c.item_code: c for c in service.accept(project.id, "approval", CLERK, now=applied)}
    service.decide(project.id, cases["HN-GC-001"].id, department_staff("development_reform"), result="approved",
                   now=applied)
    assert service.sweep_rongque(now=beijing(2026, 11, 16, 23)) == 0  # still in time
    with pytest.raises(WrongState) as gap:  # reviewed meanwhile, but not approved without the document
        service.decide(project.id, cases["HN-GC-003"].id, department_staff("development_reform"), result="approved",
                       now=beijing(2026, 11, 5, 10))
    assert "尚未补齐" in gap.value.errors[0]["zh"] and "项目批准、核准或者备案文件" in gap.value.errors[0]["zh"]

    assert service.sweep_rongque(now=beijing(2026, 11, 17, 9)) == 1
    board = service.dashboard(project.id, now=beijing(2026, 11, 17, 9))
    states = {c.item_code: c.state for c in board.cases}
    assert states["HN-GC-002"] == states["HN-GC-003"] == "suspended"  # the two items that need the document
    assert states["HN-ST-001"] == states["HN-GC-004"] == "open"
    assert _material(board, "approval_doc").status == "overdue"
    with db.unit_of_work(TenantContext.system("test")) as s:  # the item's approval case is paused (clock stopped)
        energy = s.get(Case, cases["HN-GC-003"].approval_case_id)
        assert (energy.state, energy.paused) == ("supplement", True)
    with pytest.raises(WrongState):
        service.decide(project.id, cases["HN-GC-003"].id, department_staff("development_reform"),
                       result="approved", now=beijing(2026, 11, 17, 9))
    with db.unit_of_work(TenantContext.system("test")) as s:
        told = s.scalars(select(OutboxMessage).where(OutboxMessage.topic == "construction_rongque_overdue")).all()
    assert told and "已超过补交期限" in told[0].body and "建设项目用地预审与选址意见书核发" in told[0].body

    # supplied late: the items carry on
    service.supply(project.id, "approval", "approval_doc", [{"id": "late", "name": "备案证明.pdf", "size": 1000}],
                   INVESTOR, now=beijing(2026, 11, 18, 10))
    board = service.dashboard(project.id, now=beijing(2026, 11, 18, 10))
    assert {c.item_code: c.state for c in board.cases}["HN-GC-003"] == "open"
    with db.unit_of_work(TenantContext.system("test")) as s:
        energy = s.get(Case, cases["HN-GC-003"].approval_case_id)
        assert (energy.state, energy.paused) == ("in_progress", False)
        gap_row = s.scalar(select(CaseMaterial).where(CaseMaterial.case_id == energy.id,
                                                      CaseMaterial.material_id == "approval_doc"))
        assert gap_row.status == "supplied" and gap_row.files[0]["name"] == "备案证明.pdf"
    assert _material(board, "approval_doc").status == "supplied"
    board = decide_all(service, project.id, "approval", now=beijing(2026, 11, 19, 10))
    assert board.stages[0].state == "concluded"
    # the stage clock stopped from the deadline (17th, 00:00) to the supply (18th, 10:00): applicant-caused
    approval_clock = board.clock.stages[0]
    assert approval_clock.paused_days == Decimal("1.42")
    assert approval_clock.used_days == Decimal("12.42") - Decimal("1.42")  # 3 Nov – 19 Nov 10:00, less the pause


def test_commitment_items_conclude_on_the_signed_commitment_and_are_queued_for_inspection(service):
    now = beijing(2026, 11, 2, 10)
    project = service.register("4601", INVESTOR, application(), now=now)
    for stage in ("approval", "land", "planning"):
        apply(service, project.id, stage, now=now)
        service.accept(project.id, stage, CLERK, now=now)
        decide_all(service, project.id, stage, now=now)
    with pytest.raises(Invalid) as unsigned:
        apply(service, project.id, "construction", now=now)
    assert unsigned.value.errors[0]["path"] == "commitments.HN-GC-011"
    apply(service, project.id, "construction", now=now,
          commitments={"HN-GC-011": "本单位承诺排水设施符合城镇排水标准，接受事后核查。"})
    cases = {c.item_code: c for c in service.accept(project.id, "construction", CLERK, now=now)}
    assert cases["HN-GC-011"].state == "committed" and cases["HN-GC-011"].decided_at == now
    queue = service.inspection_queue("4601")
    assert [c.item_case_id for c in queue] == [cases["HN-GC-011"].id]
    # 20 working days after Monday 2 November 2026 → due at 00:00 on Tuesday 1 December
    assert queue[0].inspect_by == beijing(2026, 12, 1, 0) and queue[0].text.startswith("本单位承诺")
    service.inspect(project.id, queue[0].id, department_staff("water_affairs"), passed=True, note="现场核查一致",
                    now=now)
    assert service.inspection_queue("4601") == []


def test_a_regional_assessment_stands_for_the_matching_material(service, db):
    with db.unit_of_work(TenantContext.system("test")) as s:
        regional.record(s, "4601", area=PARK, kind="flood", name="海口国家高新区洪水影响区域评估",
                        material_ids=["flood_report"], report_ref="HKGX-QYPG-2025-03", concluded_on=date(2025, 6, 30))
    now = beijing(2026, 11, 2, 10)
    inside = service.register("4601", INVESTOR, application(), now=now)
    apply(service, inside.id, "approval", now=now, leave_out=("flood_report",))
    flood = _material(service.dashboard(inside.id, now=now), "flood_report")
    assert flood.status == "regional" and flood.satisfied_by == "海口国家高新区洪水影响区域评估（海口国家高新区）"

    outside = service.register("4601", INVESTOR, application("2026-460100-65-03-000124", area="秀英区某地块"), now=now)
    with pytest.raises(Invalid) as missing:
        apply(service, outside.id, "approval", now=now, leave_out=("flood_report",))
    assert [e["path"] for e in missing.value.errors] == ["materials.flood_report"]


def test_a_project_type_skips_the_stages_it_does_not_need(service):
    now = beijing(2026, 11, 2, 10)
    small = service.register("4601", INVESTOR, application(project_type="small_social"), now=now)
    social = service.register("4601", INVESTOR, application("2026-460100-65-03-000125"), now=now)
    assert [(s.stage, s.state) for s in service.dashboard(small.id, now=now).stages] == [
        ("approval", "waiting"), ("land", "waiting"), ("planning", "skipped"), ("construction", "waiting"),
        ("acceptance", "waiting")]
    assert "skipped" not in {s.state for s in service.dashboard(social.id, now=now).stages}
    for stage in ("approval", "land"):
        apply(service, small.id, stage, now=now)
        service.accept(small.id, stage, CLERK, now=now)
        decide_all(service, small.id, stage, now=now)
    apply(service, small.id, "construction", now=now, commitments={"HN-GC-011": "承诺"})  # straight after 供地
    clock = service.dashboard(small.id, now=now).clock
    assert clock.limit_days == 46 - 12


def test_a_skipped_stage_item_that_a_later_item_needs_is_merged_into_that_stage(service):
    """small_social skips 规划报建, but 施工许可 needs the 规划许可 first (协同串): it is handled in the 施工 stage
    (规划、施工许可合并办理), the 施工许可 waits for it, and the stage concludes approved."""
    now = beijing(2026, 11, 2, 10)
    small = service.register("4601", INVESTOR, application(project_type="small_social"), now=now)
    for stage in ("approval", "land"):
        apply(service, small.id, stage, now=now)
        service.accept(small.id, stage, CLERK, now=now)
        decide_all(service, small.id, stage, now=now)
    form = service.stage_form(small.id, "construction")
    assert [i.code for i in form.items][:4] == ["HN-ZJ-001", "HN-GC-010", "HN-GC-011", "HN-ZR-001"]
    assert [i.code for i in service.stage_form(small.id, "land").items] == ["HN-GC-005", "HN-GC-006", "HN-GC-007"]
    apply(service, small.id, "construction", now=now, commitments={"HN-GC-011": "承诺"})
    service.accept(small.id, "construction", CLERK, now=now)
    board = service.dashboard(small.id, now=now)
    stage_id = next(s.id for s in board.stages if s.stage == "construction")
    states = {c.item_code: c.state for c in board.cases if c.stage_id == stage_id}
    assert states["HN-ZR-001"] == "open" and states["HN-ZJ-001"] == "waiting_chain"
    board = decide_all(service, small.id, "construction", now=now)
    construction = next(s for s in board.stages if s.stage == "construction")
    assert (construction.state, construction.result) == ("concluded", "approved")
