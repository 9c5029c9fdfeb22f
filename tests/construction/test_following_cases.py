"""An item follows its case between opening and conclusion: a department's 补正 request and the supply, a
roll-back, and a 容缺 material handed in on the case in 我的办件 instead of on the project page."""
import re

import pytest
from sqlalchemy import select

from construction_support import CLERK, INVESTOR, apply, application, beijing, department_staff
from tongban.platform.approval.errors import NotAllowed
from tongban.platform.approval.models import Case, CaseMaterial, Task
from tongban.platform.approval.service import ApprovalService
from tongban.platform.construction.errors import WrongState
from tongban.platform.construction.views import dashboard_view
from tongban.tenants.isolation import TenantContext

MONDAY = beijing(2026, 11, 2, 10)
SITE = "http://haikou.localhost"
DOCUMENT = [{"id": "doc-1", "name": "备案证明.pdf", "size": 20_000}]


@pytest.fixture
def engine(service, db, settings):
    return ApprovalService(db, secret_key=settings.secret_key)


def _open_task(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.scalar(select(Task).where(Task.case_id == case_id, Task.state == "open"))


def _case(db, case_id):
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.get(Case, case_id)


def _seen(service, project, code, now):
    """What the investor's dashboard says about item ``code``: its state's label and its department's line."""
    view = dashboard_view(service.investor_dashboard(project.id, INVESTOR.subject, now=now))
    item = next(c for c in view["cases"] if c.item_code == code)
    owed = [i["state"] for o in view["owed"] for i in o.items if i["case_number"] == item.case_number]
    return view["state_label"](item.state), owed, view


def _accepted(service, *, leave_out=()):
    project = service.register("4601", INVESTOR, application(), now=MONDAY)
    apply(service, project.id, "approval", now=MONDAY, leave_out=leave_out)
    return project, {c.item_code: c for c in service.accept(project.id, "approval", CLERK, now=MONDAY)}


def test_a_supplement_request_shows_on_the_project_until_the_investor_supplies(service, engine, db):
    project, items = _accepted(service)
    flood, water = items["HN-GC-004"], department_staff("water_affairs")
    engine.act(flood.approval_case_id, "request_supplement", water, task_id=_open_task(db, flood.approval_case_id).id,
               missing=[{"material_id": "flood_report", "name": "洪水影响评价报告（补充淹没分析）"}],
               comment="请补充百年一遇淹没分析", now=beijing(2026, 11, 3, 10))
    label, owed, _ = _seen(service, project, "HN-GC-004", beijing(2026, 11, 3, 11))
    assert label == ("待补正", "Awaiting supplements") and owed == ["supplement"]
    with pytest.raises(WrongState):  # the department cannot decide while the applicant owes the supplement
        service.decide(project.id, flood.id, water, result="approved", now=beijing(2026, 11, 3, 11))

    engine.act(flood.approval_case_id, "supply", INVESTOR, files={"flood_report": DOCUMENT},
               now=beijing(2026, 11, 4, 10))
    label, owed, view = _seen(service, project, "HN-GC-004", beijing(2026, 11, 4, 11))
    assert label == ("审批中", "In approval") and owed == ["open"]
    assert view["stages"][0].state == "accepted"
    assert service.decide(project.id, flood.id, water, result="approved", now=beijing(2026, 11, 4, 11)).state == "approved"


def test_a_special_procedure_shows_on_the_project_until_the_department_finishes_it(service, engine, db):
    project, items = _accepted(service)
    flood, water = items["HN-GC-004"], department_staff("water_affairs")
    engine.act(flood.approval_case_id, "special_start", water, task_id=_open_task(db, flood.approval_case_id).id,
               kind="testing", approved_days=10, reason="河道行洪能力检验检测", now=beijing(2026, 11, 3, 10))
    label, owed, _ = _seen(service, project, "HN-GC-004", beijing(2026, 11, 3, 11))
    assert label == ("特别程序中", "In a special procedure") and owed == ["special"]
    with pytest.raises(WrongState) as refused:  # no decision while the testing runs
        service.decide(project.id, flood.id, water, result="approved", now=beijing(2026, 11, 3, 11))
    assert "特别程序" in refused.value.errors[0]["zh"]

    engine.act(flood.approval_case_id, "special_end", water, task_id=_open_task(db, flood.approval_case_id).id,
               comment="检测合格", now=beijing(2026, 11, 5, 10))
    label, owed, _ = _seen(service, project, "HN-GC-004", beijing(2026, 11, 5, 11))
    assert label == ("审批中", "In approval") and owed == ["open"]
    assert service.decide(project.id, flood.id, water, result="approved", now=beijing(2026, 11, 5, 11)).state == "approved"


def test_a_roll_back_shows_on_the_project_and_the_department_decides_again(service, engine, db):
    project, items = _accepted(service)
    flood, water = items["HN-GC-004"], department_staff("water_affairs")
    engine.act(flood.approval_case_id, "approve", water, task_id=_open_task(db, flood.approval_case_id).id, now=MONDAY)
    decide = _open_task(db, flood.approval_case_id)
    assert decide.node_id == "decide"
    engine.act(flood.approval_case_id, "roll_back", water, task_id=decide.id, comment="淹没分析需重新审查", now=MONDAY)
    label, owed, _ = _seen(service, project, "HN-GC-004", MONDAY)
    assert label == ("退回重办", "Rolled back for re-handling") and owed == ["returned"]

    engine.act(flood.approval_case_id, "approve", water, task_id=_open_task(db, flood.approval_case_id).id, now=MONDAY)
    assert _seen(service, project, "HN-GC-004", MONDAY)[0] == ("审批中", "In approval")
    engine.act(flood.approval_case_id, "roll_back", water, task_id=_open_task(db, flood.approval_case_id).id,
               comment="再次退回", now=MONDAY)
    assert service.decide(project.id, flood.id, water, result="approved", now=MONDAY).state == "approved"


def test_a_rolled_back_item_shows_returned_again_after_a_special_procedure_or_a_supplement(service, engine, db):
    project, items = _accepted(service)
    flood, water = items["HN-GC-004"], department_staff("water_affairs")
    case_id = flood.approval_case_id
    engine.act(case_id, "approve", water, task_id=_open_task(db, case_id).id, now=MONDAY)
    engine.act(case_id, "roll_back", water, task_id=_open_task(db, case_id).id, comment="淹没分析需重新审查", now=MONDAY)
    engine.act(case_id, "special_start", water, task_id=_open_task(db, case_id).id, kind="expert_review",
               approved_days=5, reason="组织专家论证", now=beijing(2026, 11, 3, 10))
    assert _seen(service, project, "HN-GC-004", beijing(2026, 11, 3, 11))[0] == ("特别程序中", "In a special procedure")
    engine.act(case_id, "special_end", water, task_id=_open_task(db, case_id).id, comment="论证通过",
               now=beijing(2026, 11, 4, 10))
    label, owed, _ = _seen(service, project, "HN-GC-004", beijing(2026, 11, 4, 11))
    assert label == ("退回重办", "Rolled back for re-handling") and owed == ["returned"]  # not 审批中: still to redo

    engine.act(case_id, "request_supplement", water, task_id=_open_task(db, case_id).id,
               missing=[{"material_id": "flood_report", "name": "洪水影响评价报告（补充淹没分析）"}],
               now=beijing(2026, 11, 4, 11))
    engine.act(case_id, "supply", INVESTOR, files={"flood_report": DOCUMENT}, now=beijing(2026, 11, 5, 10))
    assert _seen(service, project, "HN-GC-004", beijing(2026, 11, 5, 11))[0] == ("退回重办", "Rolled back for re-handling")

    engine.act(case_id, "approve", water, task_id=_open_task(db, case_id).id, now=beijing(2026, 11, 5, 11))
    engine.act(case_id, "special_start", water, task_id=_open_task(db, case_id).id, kind="testing",
               approved_days=3, reason="复核检测", now=beijing(2026, 11, 5, 12))
    engine.act(case_id, "special_end", water, task_id=_open_task(db, case_id).id, comment="合格",
               now=beijing(2026, 11, 6, 10))
    assert _seen(service, project, "HN-GC-004", beijing(2026, 11, 6, 11))[0] == ("审批中", "In approval")  # moved on


def _material(service, project, material_id, now):
    view = dashboard_view(service.investor_dashboard(project.id, INVESTOR.subject, now=now))
    return next(m for m in view["materials"] if m.material_id == material_id)


def test_a_rongque_material_supplied_in_my_cases_is_supplied_for_the_project(service, engine, db):
    project, items = _accepted(service, leave_out=("approval_doc",))
    energy, filing = items["HN-GC-003"], items["HN-GC-001"]
    reform = department_staff("development_reform")
    service.decide(project.id, filing.id, reform, result="approved", now=MONDAY)  # 用地预审 opens, also lacking it
    engine.act(energy.approval_case_id, "supply", INVESTOR, files={"approval_doc": DOCUMENT},
               now=beijing(2026, 11, 5, 10))

    doc = _material(service, project, "approval_doc", beijing(2026, 11, 5, 10))
    assert (doc.status, doc.files) == ("supplied", DOCUMENT)
    assert service.sweep_rongque(now=beijing(2026, 11, 17, 9)) == 0  # nothing overdue after the deadline
    for code in ("HN-GC-002", "HN-GC-003"):  # the other item needing it has it on its case too
        assert _seen(service, project, code, beijing(2026, 11, 17, 9))[0] == ("审批中", "In approval")
    with db.unit_of_work(TenantContext.system("test")) as s:
        siting = service.dashboard(project.id, now=MONDAY).cases
        siting_case = next(c for c in siting if c.item_code == "HN-GC-002").approval_case_id
        copy = s.scalar(select(CaseMaterial).where(CaseMaterial.case_id == siting_case,
                                                   CaseMaterial.material_id == "approval_doc"))
        assert (copy.status, copy.files) == ("supplied", DOCUMENT)
    assert service.decide(project.id, energy.id, reform, result="approved",
                          now=beijing(2026, 11, 17, 9)).state == "approved"


def test_an_overdue_rongque_material_supplied_in_my_cases_resumes_the_project(service, engine, db):
    project, items = _accepted(service, leave_out=("approval_doc",))
    energy, filing = items["HN-GC-003"], items["HN-GC-001"]
    reform = department_staff("development_reform")
    service.decide(project.id, filing.id, reform, result="approved", now=MONDAY)
    assert service.sweep_rongque(now=beijing(2026, 11, 17, 9)) == 1
    assert _material(service, project, "approval_doc", beijing(2026, 11, 17, 9)).status == "overdue"
    assert _case(db, energy.approval_case_id).state == "supplement"  # paused: 我的办件 asks for it

    with pytest.raises(NotAllowed) as refused:  # resuming needs the overdue material itself
        engine.act(energy.approval_case_id, "supply", INVESTOR, files={"energy_report": DOCUMENT},
                   now=beijing(2026, 11, 18, 10))
    assert refused.value.field == "materials.approval_doc" and "逾期" in refused.value.zh
    assert _case(db, energy.approval_case_id).state == "supplement"  # nothing was written

    engine.act(energy.approval_case_id, "supply", INVESTOR, files={"approval_doc": DOCUMENT},
               now=beijing(2026, 11, 18, 10))
    later = beijing(2026, 11, 18, 11)
    doc = _material(service, project, "approval_doc", later)
    assert (doc.status, doc.supplied_at is not None) == ("supplied", True)
    label, owed, view = _seen(service, project, "HN-GC-003", later)
    assert label == ("审批中", "In approval") and owed == ["open"]
    assert _seen(service, project, "HN-GC-002", later)[0] == ("审批中", "In approval")  # resumed with it
    siting = next(c for c in view["cases"] if c.item_code == "HN-GC-002")
    assert (_case(db, siting.approval_case_id).state, _case(db, siting.approval_case_id).paused) == ("in_progress", False)
    assert view["clock"].stages[0].paused_days > 0  # the overdue time still does not count against the stage


def test_a_rongque_deadline_missed_while_a_supplement_was_awaited_pauses_the_item_on_supply(service, engine, db):
    project, items = _accepted(service, leave_out=("approval_doc",))
    energy, filing = items["HN-GC-003"], items["HN-GC-001"]
    reform = department_staff("development_reform")
    service.decide(project.id, filing.id, reform, result="approved", now=MONDAY)
    engine.act(energy.approval_case_id, "request_supplement", reform,
               task_id=_open_task(db, energy.approval_case_id).id, missing=[{"name": "节能报告（补充能耗测算）"}],
               now=beijing(2026, 11, 5, 10))
    assert service.sweep_rongque(now=beijing(2026, 11, 17, 9)) == 1
    assert _seen(service, project, "HN-GC-003", beijing(2026, 11, 17, 9))[0][0] == "待补正"  # still the applicant's turn

    engine.act(energy.approval_case_id, "supply", INVESTOR, files={"energy_report": DOCUMENT},
               now=beijing(2026, 11, 18, 10))
    label, owed, _ = _seen(service, project, "HN-GC-003", beijing(2026, 11, 18, 11))
    assert label == ("暂停（容缺材料逾期）", "Suspended (gap material overdue)") and owed == ["suspended"]
    paused = _case(db, energy.approval_case_id)
    assert (paused.state, paused.paused) == ("supplement", True)  # no decision until the document is in


def test_a_rongque_deadline_missed_during_a_special_procedure_pauses_the_item_when_it_ends(service, engine, db):
    project, items = _accepted(service, leave_out=("approval_doc",))
    energy, filing = items["HN-GC-003"], items["HN-GC-001"]
    reform = department_staff("development_reform")
    service.decide(project.id, filing.id, reform, result="approved", now=MONDAY)
    engine.act(energy.approval_case_id, "special_start", reform, task_id=_open_task(db, energy.approval_case_id).id,
               kind="hearing", approved_days=15, reason="节能审查听证", now=beijing(2026, 11, 5, 10))
    assert service.sweep_rongque(now=beijing(2026, 11, 17, 9)) == 1
    assert _seen(service, project, "HN-GC-003", beijing(2026, 11, 17, 9))[0][0] == "特别程序中"  # the hearing runs on

    engine.act(energy.approval_case_id, "special_end", reform, task_id=_open_task(db, energy.approval_case_id).id,
               now=beijing(2026, 11, 18, 10))
    label, owed, _ = _seen(service, project, "HN-GC-003", beijing(2026, 11, 18, 11))
    assert label == ("暂停（容缺材料逾期）", "Suspended (gap material overdue)") and owed == ["suspended"]
    paused = _case(db, energy.approval_case_id)
    assert (paused.state, paused.paused) == ("supplement", True)  # no decision until the document is in


@pytest.fixture
def web_investor(app, db, settings):
    """The demo enterprise as an Actor, and a client signed in as its agent acting for it."""
    from starlette.testclient import TestClient

    from portal_support import sign_in
    from tongban.platform.approval.actors import Actor
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.seed import demo_enterprise, seed_identity
    from tongban.platform.identity.service import IdentityService

    identity = IdentityService(db, config_from_settings(settings, passwords=Passwords(fast_hasher())))
    app.state.identity = identity
    seed_identity(db, secret_key=settings.secret_key, base_url="http://localhost", passwords=identity.config.passwords)
    with db.unit_of_work(TenantContext.system("test")) as s:
        enterprise = demo_enterprise(s)
        investor = Actor(enterprise.subject, enterprise.name, "applicant")

    def client() -> TestClient:
        browser = TestClient(app, base_url=SITE)
        sign_in(browser, SITE, "agent", next_path="/construction/projects")
        browser.get(f"{SITE}/auth/switch", params={"acting": enterprise.subject, "next": "/construction/projects"})
        return browser

    return investor, client


def _web_project(service, investor):
    from construction_support import files_for, stage_values

    project = service.register("4601", investor, application(), now=MONDAY)
    form = service.stage_form(project.id, "approval")
    service.apply(project.id, "approval", investor, form_data=stage_values(form, project.code),
                  files=files_for(form), now=MONDAY)
    return project, {c.item_code: c for c in service.accept(project.id, "approval", CLERK, now=MONDAY)}


def test_the_investor_sees_awaiting_supplements_and_special_procedures_on_the_project_page(service, engine, db,
                                                                                          web_investor):
    import re

    investor, signed_in = web_investor
    project, items = _web_project(service, investor)
    flood = items["HN-GC-004"]
    engine.act(flood.approval_case_id, "request_supplement", department_staff("water_affairs"),
               task_id=_open_task(db, flood.approval_case_id).id, missing=[{"name": "洪水影响评价报告（补充淹没分析）"}])

    row = re.compile(r'<tr data-item="HN-GC-004">.*?<td class="item-state">([^<]*)</td>', re.S)
    with signed_in() as client:
        page = client.get(f"/construction/projects/{project.id}")
        assert page.status_code == 200 and row.search(page.text).group(1) == "待补正"
        assert "洪水影响评价审批（待补正）" in page.text  # what the water department owes, and why it waits
        engine.act(flood.approval_case_id, "supply", investor, files={"flood_report": DOCUMENT})
        assert row.search(client.get(f"/construction/projects/{project.id}").text).group(1) == "审批中"
        water = department_staff("water_affairs")
        engine.act(flood.approval_case_id, "special_start", water, task_id=_open_task(db, flood.approval_case_id).id,
                   kind="hearing", approved_days=5)
        page = client.get(f"/construction/projects/{project.id}")
        assert row.search(page.text).group(1) == "特别程序中" and "洪水影响评价审批（特别程序中）" in page.text


def test_the_investor_sees_the_working_days_the_stage_clock_left_out(service, engine, db, web_investor):
    investor, signed_in = web_investor
    project, items = _web_project(service, investor)
    for code, item in items.items():  # every item but the flood one decided on the day of acceptance
        if code != "HN-GC-004":
            service.decide(project.id, item.id, department_staff(item.department), result="approved", now=MONDAY)
    flood, water = items["HN-GC-004"], department_staff("water_affairs")
    engine.act(flood.approval_case_id, "special_start", water, task_id=_open_task(db, flood.approval_case_id).id,
               kind="hearing", approved_days=5, now=beijing(2026, 11, 3, 10))
    engine.act(flood.approval_case_id, "special_end", water, task_id=_open_task(db, flood.approval_case_id).id,
               now=beijing(2026, 11, 5, 10))
    service.decide(project.id, flood.id, water, result="approved", now=beijing(2026, 11, 5, 12))
    with signed_in() as client:
        page = client.get(f"/construction/projects/{project.id}").text
    # 2 Nov 10:00 → 5 Nov 12:00: 3, 4 Nov and half of 5 Nov = 2.5 working days; the hearing, the only item
    # still open, 3 Nov 10:00 → 5 Nov 10:00 = 2 working days, is left out
    assert "已用 0.50 个工作日" in page
    assert 'data-paused-days="2.00"' in page and "不计时 2.00 个工作日（等待申请人或特别程序）" in page
    # the timeline hatches the span over the stage's bar and over the flood item's bar, with the reason and times
    spans = re.findall(r'<rect class="left-out"[^>]*><title>([^<]*)</title>', page)
    assert spans == ["不计入时限 Not counted：阶段计时暂停 stage clock stopped 2026-11-03 10:00 → 2026-11-05 10:00",
                     "不计入时限 Not counted：听证 hearing 2026-11-03 10:00 → 2026-11-05 10:00"]
    assert "不计入时限 Not counted</text>" in page  # the legend
