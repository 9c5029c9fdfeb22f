"""Each action form: the engine's refusal shown at the field (zh + en) with what was typed kept, and success
moving the case on; stale pages and forged requests change nothing."""
import pytest
from approval_fixtures import (
    CLERK,
    REVIEWER,
    application,
    citizen,
    open_tasks,
    publish,
    staff,
    step,
    the_case,
)
from catalogue_fixtures import content
from workbench_support import HAIKOU, act, grant, hidden_fields, sign_in

from tongban.platform.workbench.labels import department_label


def _case(app, item="PROMISED", tenant="4601", **form):
    return app.state.approval.submit(tenant, tenant, citizen(), application(item, **form))["id"]


def _page(web, case_id, site=HAIKOU, prefix="/workbench"):
    page = web.get(f"{site}{prefix}/cases/{case_id}")
    assert page.status_code == 200, page.text[:300]
    return page.text


@pytest.fixture
def clerk(web, clock):
    sign_in(web, "haikou.clerk", clock)
    return web


@pytest.fixture
def approver(db, web, clock):
    for role in ("reviewer", "certificate_clerk", "cashier"):
        grant(db, "haikou.approver", role)
    sign_in(web, "haikou.approver", clock)
    return web


def test_accept_asks_for_the_gaps_then_accepts_with_rongque(app, db, clerk):
    case_id = _case(app, capital="2000000")
    page = _page(clerk, case_id)
    refused = act(clerk, HAIKOU, case_id, "accept", page, comment="材料已核对")
    assert refused.status_code == 409
    assert "尚有材料未提交" in refused.text and "materials are missing" in refused.text
    assert "涉及材料 <span lang=\"en\">Materials</span>：验资报告" in refused.text  # the material's name, not its id
    assert '<details id="act-accept-' in refused.text and "open>" in refused.text.split('<details id="act-accept-')[1][:40]
    assert "材料已核对</textarea>" in refused.text  # what was typed is kept
    assert the_case(db, case_id).state == "submitted"
    done = act(clerk, HAIKOU, case_id, "accept", refused.text, rongque="m3")
    assert done.status_code == 200 and f"/cases/{case_id}?done=accept" in str(done.url)
    assert "已受理" in done.text and "容缺补交期限" in done.text and "受理通知书（PDF）" in done.text
    assert "Accepted with a gap</span>：验资报告" in done.text  # the timeline names the material too
    assert the_case(db, case_id).state == "in_progress"


def test_refuse_needs_a_reason_then_the_result_is_delivered(app, db, clerk):
    case_id = _case(app)
    page = _page(clerk, case_id)
    empty = act(clerk, HAIKOU, case_id, "refuse", page, reason="  ")
    assert empty.status_code == 400 and 'id="err-refuse-reason"' in empty.text
    assert "不予受理必须说明理由" in empty.text and "a refusal needs a reason" in empty.text
    done = act(clerk, HAIKOU, case_id, "refuse", empty.text, reason="不属于本机关职权范围")
    assert "已作出不予受理" in done.text and "不予受理通知书" in done.text and the_case(db, case_id).state == "refused"
    no_method = act(clerk, HAIKOU, case_id, "deliver", done.text)
    assert no_method.status_code == 400 and "请选择送达方式" in no_method.text
    delivered = act(clerk, HAIKOU, case_id, "deliver", no_method.text, method="window", comment="申请人已领取")
    assert "已送达" in delivered.text and the_case(db, case_id).delivered_at is not None
    assert "/act/deliver" not in delivered.text


def test_request_supplements_all_at_once(app, db, clerk):
    case_id = _case(app)
    page = _page(clerk, case_id)
    nothing = act(clerk, HAIKOU, case_id, "request_supplement", page, comment="请补齐")
    assert nothing.status_code == 400 and "请一次性列明需要补正的全部内容" in nothing.text
    assert "请补齐</textarea>" in nothing.text
    done = clerk.post(f"{HAIKOU}/workbench/cases/{case_id}/act/request_supplement",
                      data={**_hidden(nothing.text, case_id, "request_supplement"), "missing": "m1",
                            "missing_other": "法定代表人签字页\n股东会决议", "comment": "请补齐"})
    assert "已一次性告知补正" in done.text and "待补正" in done.text
    assert "补正清单：申请书、法定代表人签字页、股东会决议" in done.text and "补正告知书" in done.text
    assert "等待申请人补正材料" in done.text


def test_approve_through_the_nodes_to_the_certificate(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    for expected in ("审查", "决定", "制证发证"):
        page = _page(approver, case_id)
        assert f"<h3>{expected}" in page
        answer = act(approver, HAIKOU, case_id, "approve", page, comment="同意")
        assert "已办理，进入下一环节" in answer.text
    case = the_case(db, case_id)
    assert case.state == "concluded" and case.result == "approved" and case.certificate_number
    page = _page(approver, case_id)
    assert "准予许可决定书" in page and "证书（PDF）" in page and case.certificate_number in page
    pdf = approver.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/certificate.pdf")
    assert pdf.content[:5] == b"%PDF-"


def test_reject_needs_a_reason(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    step(app.state.approval, db, case_id, "approve", REVIEWER)
    page = _page(approver, case_id)
    empty = act(approver, HAIKOU, case_id, "reject", page)
    assert empty.status_code == 400 and "不予许可必须说明理由" in empty.text and 'id="err-reject-reason"' in empty.text
    done = act(approver, HAIKOU, case_id, "reject", empty.text, reason="不符合法定条件")
    assert "已作出不予许可决定" in done.text and "不予许可决定书" in done.text
    assert the_case(db, case_id).result == "rejected"


def test_roll_back_to_a_chosen_earlier_step(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    step(app.state.approval, db, case_id, "approve", REVIEWER)
    page = _page(approver, case_id)
    assert '<option value="">上一环节' in page and '<option value="review"' in page
    empty = act(approver, HAIKOU, case_id, "roll_back", page, to_node="review")
    assert empty.status_code == 400 and "回退必须说明理由" in empty.text
    assert '<option value="review" selected>' in empty.text
    done = act(approver, HAIKOU, case_id, "roll_back", empty.text, to_node="review", comment="审查意见不完整")
    assert "已回退" in done.text and [t.node_id for t in open_tasks(db, case_id)] == ["review"]


def test_forward_to_a_department(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id)
    empty = act(approver, HAIKOU, case_id, "forward", page, comment="请协办")
    assert empty.status_code == 400 and "请选择转交的部门或人员" in empty.text and "请协办</textarea>" in empty.text
    done = act(approver, HAIKOU, case_id, "forward", empty.text, department="public_security")
    assert "已转交" in done.text and "内部 Internal" in done.text
    assert f"转交至：{department_label('public_security')[0]}" in done.text
    assert "由其他岗位办理" in done.text and "/act/approve" not in done.text  # the step left his department


def _publish_fee_item(db):
    body = content("FEE", "建设工程规划许可")
    body["materials"] = []
    node = lambda i, kind, zh, **kw: {"id": i, "kind": kind, "label": {"zh": zh}, **kw}
    body["flow"] = {"nodes": [
        node("accept", "start", "受理", time_limit_days=1, assignment={"role": "window_clerk"}),
        node("fee", "pay_fee", "缴费", time_limit_days=2, assignment={"role": "cashier"}),
        node("certificate", "issue_certificate", "发证", time_limit_days=1, assignment={"role": "certificate_clerk"}),
        node("conclude", "conclude", "办结")],
        "edges": [{"from": "accept", "to": "fee"}, {"from": "fee", "to": "certificate"},
                  {"from": "certificate", "to": "conclude"}]}
    publish(db, "FEE", body)


def test_charge_and_record_the_payment(app, db, approver):
    _publish_fee_item(db)
    case_id = _case(app, item="FEE")
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id)
    assert 'name="amount" value="10.00"' in page
    bad = act(approver, HAIKOU, case_id, "charge", page, amount="十元")
    assert bad.status_code == 400 and "金额格式不正确" in bad.text and 'value="十元"' in bad.text
    for nonsense in ("nan", "inf", "-5", "0", "12.345", "1e9"):
        refused = act(approver, HAIKOU, case_id, "charge", bad.text, amount=nonsense)
        assert refused.status_code == 400, nonsense
        assert "金额" in refused.text and "amount" in refused.text, nonsense
    assert the_case(db, case_id).fee_due == "10.00"  # the item's standard fee, untouched
    charged = act(approver, HAIKOU, case_id, "charge", bad.text, amount="20")
    assert "已核定收费" in charged.text and "20.00 元" in charged.text
    unpaid = act(approver, HAIKOU, case_id, "approve", charged.text)
    assert unpaid.status_code == 409 and "尚未缴费" in unpaid.text
    no_reference = act(approver, HAIKOU, case_id, "pay", unpaid.text)
    assert no_reference.status_code == 400 and "请填写缴费凭证号" in no_reference.text
    paid = act(approver, HAIKOU, case_id, "pay", no_reference.text, reference="POS-20261126-01")
    assert "已登记缴费" in paid.text and "已缴 Paid" in paid.text
    assert "已办理" in act(approver, HAIKOU, case_id, "approve", paid.text).text


def test_report_up_from_a_township(app, db, web, clock):
    case_id = _case(app, item="REPORT", tenant="460105100")
    engine = app.state.approval
    step(engine, db, case_id, "accept", staff("c", "460105100", "window_clerk"))
    step(engine, db, case_id, "approve", staff("s", "460105100", "social_assistance_officer", department="civil_affairs"))
    grant(db, "haikou.approver", "township_leader", "460105100")
    sign_in(web, "haikou.approver", clock, site="http://localhost", path="/t/460105100/workbench/")
    page = _page(web, case_id, site="http://localhost", prefix="/t/460105100/workbench")
    done = web.post(f"http://localhost/t/460105100/workbench/cases/{case_id}/act/report_up",
                    data={**_hidden(page, case_id, "report_up", prefix="/t/460105100/workbench"), "comment": "请审批"})
    assert str(done.url).startswith(f"http://localhost/t/460105100/workbench/cases/{case_id}?done=report_up")
    assert "已上报上级" in done.text and the_case(db, case_id).state == "reported"


def test_a_stale_page_is_explained_and_nothing_changes(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id)
    step(app.state.approval, db, case_id, "approve", REVIEWER)  # someone else, meanwhile
    late = act(approver, HAIKOU, case_id, "approve", page, comment="同意，材料齐全")
    assert late.status_code == 409 and "他人已先处理" in late.text and "该环节已处理" in late.text
    assert "您已办理过此环节" not in late.text
    assert "同意，材料齐全" in late.text  # what was typed is still there
    assert [t.node_id for t in open_tasks(db, case_id)] == ["decide"]


def test_sending_the_same_form_twice_says_it_was_yours_and_does_it_once(app, db, clerk):
    case_id = _case(app)
    page = _page(clerk, case_id)
    assert act(clerk, HAIKOU, case_id, "accept", page).status_code == 200
    again = act(clerk, HAIKOU, case_id, "accept", page)  # back, then the same form again
    assert again.status_code == 409 and "您已办理过此环节" in again.text and "You already handled this step" in again.text
    assert "他人已先处理" not in again.text
    assert the_case(db, case_id).state == "in_progress" and [t.node_id for t in open_tasks(db, case_id)] == ["review"]


def test_another_action_from_a_second_tab_says_what_was_done_and_that_this_was_not(app, db, clerk):
    case_id = _case(app)
    tab_1, tab_2 = _page(clerk, case_id), _page(clerk, case_id)
    assert act(clerk, HAIKOU, case_id, "accept", tab_1).status_code == 200
    late = act(clerk, HAIKOU, case_id, "refuse", tab_2, reason="经营场所不符合规定")
    assert late.status_code == 409 and "您已在别处对此环节作出“受理”" in late.text and "You already accepted it" in late.text
    assert "本次操作没有执行" in late.text and "没有重复办理" not in late.text and "他人已先处理" not in late.text
    assert the_case(db, case_id).state == "in_progress"


def test_a_changed_task_revision_is_a_conflict(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id).replace('name="revision" value="1"', 'name="revision" value="0"')
    late = act(approver, HAIKOU, case_id, "approve", page)
    assert late.status_code == 409 and "该环节已被他人修改" in late.text
    assert [t.node_id for t in open_tasks(db, case_id)] == ["review"]


def test_a_forged_form_without_the_csrf_token_changes_nothing(app, db, clerk):
    case_id = _case(app)
    task_id = open_tasks(db, case_id)[0].id
    forged = clerk.post(f"{HAIKOU}/workbench/cases/{case_id}/act/refuse",
                        data={"csrf_token": "x", "task_id": str(task_id), "reason": "伪造"})
    assert forged.status_code == 400 and "页面已过期" in forged.text and the_case(db, case_id).state == "submitted"


def _hidden(page_text, case_id, action, prefix="/workbench"):
    from workbench_support import hidden_fields

    return hidden_fields(page_text, f"{prefix}/cases/{case_id}/act/{action}")


def test_a_hearing_is_started_and_finished_from_the_case_page(app, db, approver):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id)
    assert "启动特别程序" in page and 'name="approved_days"' in page and "专家评审" in page
    no_days = act(approver, HAIKOU, case_id, "special_start", page, kind="hearing", approved_days="五天")
    assert no_days.status_code == 400 and "批准的工作日天数" in no_days.text and "approved number of working days" in no_days.text
    assert 'value="五天"' in no_days.text and not the_case(db, case_id).paused  # typed kept, nothing changed
    started = act(approver, HAIKOU, case_id, "special_start", no_days.text, kind="hearing", approved_days="5",
                  reason="申请人申请听证")
    assert "已启动特别程序，计时暂停" in started.text and "暂停中" in started.text and "听证" in started.text
    assert "/act/approve" not in started.text and "结束特别程序" in started.text  # only finishing is offered
    assert the_case(db, case_id).paused
    ended = act(approver, HAIKOU, case_id, "special_end", started.text, comment="听证完毕")
    assert "特别程序已结束，恢复计时" in ended.text and "/act/approve" in ended.text
    assert not the_case(db, case_id).paused


def test_no_roll_back_is_offered_where_there_is_no_step_to_go_back_to(app, db, approver):
    """At 审查, the step before is the application's acceptance itself: 回退 cannot go there, so the form is not
    offered (and a crafted post is refused, changing nothing)."""
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    page = _page(approver, case_id)
    assert "审查" in page and 'id="rb-node"' not in page and "上一环节" not in page
    before = the_case(db, case_id).revision
    hidden = hidden_fields(page, f"/workbench/cases/{case_id}/act/approve")  # the same task's csrf and revision
    refused = approver.post(f"{HAIKOU}/workbench/cases/{case_id}/act/roll_back",
                            data={**hidden, "to_node": "", "comment": "试试"})
    assert refused.status_code in (400, 409) and "不能回退到该环节" in refused.text
    assert the_case(db, case_id).revision == before and [t.node_id for t in open_tasks(db, case_id)] == ["review"]
