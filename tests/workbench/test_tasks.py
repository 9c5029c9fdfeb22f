"""我的待办: open tasks where I hold the task's role (and department), soonest due first, with yellow and red
marks, filters by item, state and due, and paging; never another tenant's."""
import re
from datetime import timedelta

from approval_fixtures import CLERK, REVIEWER, application, citizen, open_tasks, the_case
from workbench_support import HAIKOU, grant, set_department, sign_in

from tongban.platform.db import utcnow


def _submit(app, item="PROMISED", tenant="4601", now=None):
    return app.state.approval.submit(tenant, tenant, citizen(), application(item), now=now)["id"]


def _numbers(page_text):
    return re.findall(r'<span class="meta">(\d{4}-\d{8}-\d{6})</span>', page_text)


def test_the_clerk_sees_acceptance_tasks_soonest_first_with_red_and_yellow_marks(app, db, web, clock):
    old = _submit(app, now=utcnow() - timedelta(days=15))
    fresh = _submit(app)
    sanya = _submit(app, tenant="4602")
    page = sign_in(web, "haikou.clerk", clock)
    numbers = _numbers(page.text)
    by_id = {i: the_case(db, i).number for i in (old, fresh, sanya)}
    assert numbers == [by_id[old], by_id[fresh]], "overdue first, 三亚's case never"
    rows = page.text.split("<tbody>")[1].split("</tr>")
    assert 'class="mark-red"' in rows[0] and "已超期" in rows[0]
    assert 'class="mark-yellow"' in rows[1] and "即将到期" in rows[1]
    assert "共 2 项待办" in page.text


def test_tasks_follow_the_role_of_each_step(app, db, web, clock):
    case_id = _submit(app)
    app.state.approval.act(case_id, "accept", CLERK, task_id=open_tasks(db, case_id)[0].id)
    grant(db, "haikou.approver", "reviewer")
    page = sign_in(web, "haikou.approver", clock)
    assert "审查" in page.text and "共 1 项待办" in page.text
    app.state.approval.act(case_id, "approve", REVIEWER, task_id=open_tasks(db, case_id)[0].id)
    again = web.get(HAIKOU + "/workbench/")
    assert "决定" in again.text and "共 1 项待办" in again.text  # the decision is the approver's


def test_a_department_step_is_only_for_that_department(app, db, web, clock):
    case_id = _submit(app, item="JOINT")
    app.state.approval.act(case_id, "accept", CLERK, task_id=open_tasks(db, case_id)[0].id)
    grant(db, "haikou.approver", "registrar")
    set_department(db, "haikou.approver", "public_security")
    page = sign_in(web, "haikou.approver", clock)
    assert "共 1 项待办" in page.text and "公安刻章备案" in page.text  # one of four parallel registrar steps
    assert "市场监管登记" not in page.text and "税务登记" not in page.text


def test_filters_by_item_state_and_due(app, db, web, clock):
    promised = _submit(app)
    _submit(app, item="NOW")
    case_id = _submit(app, now=utcnow() - timedelta(days=15))
    app.state.approval.act(case_id, "request_supplement", CLERK, task_id=open_tasks(db, case_id)[0].id,
                           missing=[{"name": "申请书签字页"}])
    late = _submit(app, now=utcnow() - timedelta(days=15))
    page = sign_in(web, "haikou.clerk", clock)
    assert "共 4 项待办" in page.text
    assert '<option value="NOW" >结婚登记</option>' in page.text
    by_item = web.get(HAIKOU + "/workbench/?item=NOW")
    assert "共 1 项待办" in by_item.text and "结婚登记" in by_item.text and 'value="NOW" selected' in by_item.text
    by_state = web.get(HAIKOU + "/workbench/?state=supplement")
    assert "共 1 项待办" in by_state.text and "待补正" in by_state.text
    overdue = web.get(HAIKOU + "/workbench/?due=overdue")  # not the one waiting for the applicant: its clock stopped
    assert "共 1 项待办" in overdue.text and _numbers(overdue.text) == [the_case(db, late).number]
    soon = web.get(HAIKOU + "/workbench/?due=soon&item=PROMISED")
    assert "共 1 项待办" in soon.text and str(promised) in soon.text


def test_a_task_waiting_for_the_applicant_is_marked_clock_stopped_not_overdue(app, db, web, clock):
    """补正: the clock stands still until the applicant supplies, so a due time already passed is provisional —
    neither red nor yellow, in the list and on the case page."""
    case_id = _submit(app, now=utcnow() - timedelta(days=15))
    app.state.approval.act(case_id, "request_supplement", CLERK, task_id=open_tasks(db, case_id)[0].id,
                           missing=[{"name": "申请书签字页"}])
    page = sign_in(web, "haikou.clerk", clock)
    (row,) = [r for r in page.text.split("<tbody>")[1].split("</tr>") if the_case(db, case_id).number in r]
    assert 'class="mark-paused"' in row and "计时暂停" in row and "Clock stopped" in row
    assert "已超期" not in row and "即将到期" not in row
    case_page = web.get(HAIKOU + f"/workbench/cases/{case_id}")
    assert "已超期" not in case_page.text and "计时暂停" in case_page.text


def test_paging(app, db, web, clock):
    for _ in range(23):
        _submit(app)
    first = sign_in(web, "haikou.clerk", clock)
    assert "共 23 项待办" in first.text and len(_numbers(first.text)) == 20 and "第 1 / 2 页" in first.text
    second = web.get(HAIKOU + "/workbench/?page=2")
    assert len(_numbers(second.text)) == 3 and "上一页" in second.text
    assert set(_numbers(first.text)).isdisjoint(_numbers(second.text))
    beyond = web.get(HAIKOU + "/workbench/?page=99")
    assert "第 2 / 2 页" in beyond.text


def test_a_city_admin_may_include_lower_levels_and_the_read_is_logged(app, db, web, clock):
    township = _submit(app, tenant="460105100")
    grant(db, "haikou.admin", "province_admin", "4601", subtree=True)
    page = sign_in(web, "haikou.admin", clock)
    assert "含下级地区" in page.text and "共 0 项待办" in page.text
    below = web.get(HAIKOU + "/workbench/?scope=subtree")
    assert "共 1 项待办" in below.text and f'href="/t/460105100/workbench/cases/{township}"' in below.text
    from sqlalchemy import select

    from tongban.tenants.access import SubtreeAccess
    from tongban.tenants.isolation import TenantContext

    with db.unit_of_work(TenantContext.system("t")) as s:
        assert s.scalars(select(SubtreeAccess.reason)).all() == ["工作台待办（含下级）"]


def test_a_township_case_is_in_its_own_staffs_tasks_and_they_take_it_to_the_certificate(app, db, web, clock):
    """The demo's 长流镇 has its own window and market-supervision station: a case applied for on its portal is
    accepted by changliu.clerk and decided and certified by changliu.approver (city staff cannot see it)."""
    from workbench_support import hidden_fields

    township, site = "460105100", "http://localhost"
    base = f"/t/{township}/workbench"

    def act(case_id, action):
        detail = web.get(f"{site}{base}/cases/{case_id}")
        url = f"{base}/cases/{case_id}/act/{action}"
        return web.post(site + url, data=hidden_fields(detail.text, url))

    case_id = _submit(app, tenant=township)
    number = the_case(db, case_id).number
    assert number not in sign_in(web, "haikou.clerk", clock).text
    web.cookies.clear()
    page = sign_in(web, "changliu.clerk", clock, site=site, path=f"{base}/")
    assert page.status_code == 200 and number in page.text and "共 1 项待办" in page.text
    assert act(case_id, "accept").status_code == 200
    web.cookies.clear()
    sign_in(web, "changliu.approver", clock, site=site, path=f"{base}/")
    for node in ("review", "decide", "certificate"):
        assert act(case_id, "approve").status_code == 200, node
    case = the_case(db, case_id)
    assert case.state == "concluded" and case.certificate_number
