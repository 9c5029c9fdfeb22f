"""Done-when for construction projects, in a real browser: the investor (the agent of 海南椰风科技有限公司
acting for it) and the lead department's clerk at 海口's one-stop window take the demo project from 立项 to
竣工验收 — one form per stage, a 容缺 material supplied from the dashboard, a 告知承诺 signed, the joint
acceptance scheduled. Each item is an approval case at its department: 海口水务局's approver decides the flood
impact item of 立项 in the workbench (my tasks → case → 审查 → 决定); the other departments' own systems
decide theirs through the engine. The dashboard shows the timeline and the speed-up. Screenshots of each page."""
import re

from browser_support import screenshot, staff_signs_in
from construction_support import decide_all, ready
from workbench_support import PDF, set_department

from tongban.configurator.forms import FormSchema
from tongban.configurator.forms.sample import sample_values
from tongban.platform.construction.demo import USCC, WAITING, WALKED, seed_demo_projects
from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.seed import DEMO_PASSWORD, demo_enterprise, seed_identity
from tongban.tenants.isolation import TenantContext

STAGES = [("approval", "立项"), ("land", "供地"), ("planning", "规划报建"), ("construction", "施工"),
          ("acceptance", "竣工验收")]


def _site(live_server: str) -> str:
    return "http://haikou.localhost:" + live_server.rsplit(":", 1)[1]


def _investor_signs_in(page, site, enterprise_sub):
    page.goto(f"{site}/auth/switch?acting={enterprise_sub}&next=/construction/projects")
    page.get_by_label(re.compile("用户名|账号|Username", re.IGNORECASE)).fill("agent")
    page.get_by_label(re.compile("密码|Password", re.IGNORECASE)).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{site}/construction/projects")


def _clerk_signs_in(page, site):
    staff_signs_in(page, site + "/workbench/construction", "haikou.clerk")


def _department_decides_in_the_workbench(page, site, item_name):
    """海口水务局's approver: my tasks → the item's case → 审查 → 决定, as for any other case."""
    staff_signs_in(page, site + "/workbench/", "haikou.approver")
    row = page.locator("tbody tr", has_text=item_name)
    assert row.count() == 1 and "海南椰风科技有限公司" in row.inner_text()
    screenshot(page, "construction-department-my-tasks")
    row.get_by_role("link", name=item_name).click()
    for step in ("审查", "决定"):
        assert page.locator("h3", has_text=step).count() == 1
        page.locator("summary", has_text=re.compile("^同意，提交下一环节")).first.click()
        page.locator("details[open]").get_by_role("button", name="同意，提交下一环节").click()
        page.wait_for_url(re.compile(r".*\?done="))
    assert "已办结" in page.content() and "准予许可" in page.content()
    screenshot(page, "construction-department-decided")


def _fill_stage_form(page, service, project, stage, pdf_path, *, leave_out=(), commitment=None):
    """What a new user does: fill every empty field, choose a file for each material, sign the commitment."""
    form = service.stage_form(project.id, stage)
    values = sample_values(FormSchema.parse(form.schema),
                           overrides={f["name"]: USCC for f in form.schema["fields"] if f["name"].endswith("uscc")})
    for spec in form.schema["fields"]:
        box = page.locator(f"#f-{spec['name']}")
        if box.count() == 0 or spec["name"] not in values:
            continue
        tag = box.evaluate("e => e.tagName")
        if tag == "SELECT":
            if not box.input_value():
                box.select_option(str(values[spec["name"]]))
        elif box.get_attribute("type") == "checkbox":
            box.check()
        elif not box.input_value() and box.get_attribute("readonly") is None:
            box.fill(str(values[spec["name"]]))
    for material in form.materials:
        if material.id not in leave_out:
            page.locator(f"[data-material='{material.id}'] input[type=file]").set_input_files(str(pdf_path))
    if commitment:
        page.locator("textarea[name^='commit.']").fill(commitment)


def test_investor_and_lead_clerk_take_the_demo_project_from_approval_to_completion(
        live_server, db, settings, browser, page, tmp_path):
    from tongban.platform.approval import flowcache

    flowcache._CACHE.clear()
    seed_identity(db, secret_key=settings.secret_key, base_url=live_server, passwords=Passwords(fast_hasher()))
    set_department(db, "haikou.approver", "water_affairs")  # 海口市水务局 for this walk
    service = ready(db)
    seed_demo_projects(db)
    with db.unit_of_work(TenantContext.system("test")) as s:
        enterprise_sub = demo_enterprise(s).subject
    project = service.project_by_code(WAITING)
    site = _site(live_server)
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    clerk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()

    _investor_signs_in(page, site, enterprise_sub)
    assert "椰风数据中心（二期）" in page.locator("table.projects").inner_text()
    page.goto(f"{site}/construction/negative-list")
    assert "禁止新建燃煤发电项目" in page.locator("main").inner_text()
    screenshot(page, "construction-negative-list")
    page.goto(f"{site}/construction/projects")
    screenshot(page, "construction-my-projects")
    page.get_by_role("link", name=WAITING).click()
    _clerk_signs_in(clerk, site)

    for stage, name in STAGES:
        page.get_by_role("link", name=re.compile(f"申报{name}阶段")).click()
        hint = page.locator("p.hint").first.inner_text()
        assert "共享数据只填一次" in hint
        leave_out = ("approval_doc", "flood_report") if stage == "approval" else ("seismic_report",)
        _fill_stage_form(page, service, project, stage, pdf, leave_out=leave_out,
                         commitment="本单位承诺排水设施符合城镇排水标准，接受事后核查。" if stage == "construction" else None)
        if stage == "approval":
            screenshot(page, "construction-stage-form")
        page.get_by_role("button", name=re.compile("提交阶段申请")).click()
        page.wait_for_url(re.compile(r".*\?done=applied"))
        assert page.locator(f"#stage-{stage}").get_attribute("data-state") == "applied"

        clerk.goto(site + "/workbench/construction")
        row = clerk.locator(f"tr[data-project='{WAITING}'][data-stage='{stage}']")
        row.get_by_role("button", name=re.compile("受理本阶段")).click()
        clerk.wait_for_url(re.compile(r".*\?done=accepted"))
        owed = clerk.locator(f"tr[data-project='{WAITING}'][data-stage='{stage}'] .owed")
        assert owed.count() >= (3 if stage == "approval" else 1)  # the items went to their departments at once
        if stage == "approval":
            screenshot(clerk, "construction-workbench-accepted")
            page.reload()
            assert page.locator("[data-material='approval_doc']").get_attribute("data-status") == "rongque"
            assert page.locator("[data-material='flood_report']").get_attribute("data-status") == "regional"
            page.locator("#supply-approval_doc").set_input_files(str(pdf))
            page.get_by_role("button", name=re.compile("补交材料")).click()
            page.wait_for_url(re.compile(r".*\?done=supplied"))
            assert page.locator("[data-material='approval_doc']").get_attribute("data-status") == "supplied"
            water = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
            _department_decides_in_the_workbench(water, site, "洪水影响评价审批")
            water.context.close()
            page.reload()
            assert page.locator("#stage-approval").get_attribute("data-state") == "accepted"  # the others owe theirs
            assert page.locator("tr[data-item='HN-GC-004'] .item-state").inner_text() == "准予"
        if stage == "acceptance":
            clerk.fill(f"#joint-{project.id}", "2026-12-08T09:30")
            clerk.get_by_role("button", name=re.compile("预约联合验收")).click()
            clerk.wait_for_url(re.compile(r".*\?done=scheduled"))
        decide_all(service, project.id, stage, now=None)  # each department's own system decides its items
        page.reload()
        assert page.locator(f"#stage-{stage}").get_attribute("data-state") == "concluded"

    assert "告知承诺" in page.locator("#stage-construction").inner_text()
    assert page.locator("#stage-acceptance .notice-number").inner_text() == f"JS-{WAITING}-5"
    assert page.locator("svg.construction-timeline rect.bar-stage").count() == 5
    assert page.locator("svg.construction-timeline rect.bar-item").count() >= 16
    assert re.match(r"\d+\.\d%", page.locator(".planned-speedup").inner_text())
    assert "已竣工验收" in page.locator("p.meta").first.inner_text()
    screenshot(page, "construction-dashboard")
    walked = service.project_by_code(WALKED)  # the demo project walked over five months: a readable timeline
    page.goto(f"{site}/construction/projects/{walked.id}")
    assert page.locator(".planned-speedup").inner_text() == "85.1%"
    assert page.locator("[data-material='approval_doc']").get_attribute("data-status") == "supplied"
    screenshot(page, "construction-demo-dashboard")
    clerk.goto(f"{site}/workbench/construction/{project.id}")
    assert clerk.locator("svg.construction-timeline").count() == 1
    clerk.locator("tr[data-item='HN-GC-004'] a.case-link").click()  # the item is a case of the workbench
    assert "洪水影响评价审批" in clerk.content() and "已办结" in clerk.content()
    screenshot(clerk, "construction-workbench-dashboard")
    clerk.context.close()
