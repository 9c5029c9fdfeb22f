"""The case page: applicant with the ID masked, the form read-only, materials, the flow with the current
step, the full timeline, the clock and the documents; and nothing at all of another tenant's cases."""
from approval_fixtures import CLERK, application, citizen, open_tasks, step, the_case
from starlette.testclient import TestClient
from workbench_support import HAIKOU, SANYA, VALID_ID, sign_in


def _case(app, tenant="4601", **form):
    return app.state.approval.submit(tenant, tenant, citizen(), application(**form))["id"]


def test_the_case_page_shows_everything_staff_need(app, db, web, clock):
    case_id = _case(app, capital="2000000")
    sign_in(web, "haikou.clerk", clock)
    page = web.get(f"{HAIKOU}/workbench/cases/{case_id}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"  # personal data: not kept by the shared window computer
    text = page.text
    assert "个体工商户设立登记" in text and the_case(db, case_id).number in text
    assert "460100********1230" in text and VALID_ID not in text  # masked everywhere, the form too
    assert "申请人姓名" in text and "张三" in text and "注册资本" in text and "2000000" in text
    assert "申请书.pdf" in text and f"/workbench/cases/{case_id}/files/u1" in text
    assert "缺少（可容缺）" in text  # 验资报告: capital above one million
    assert "<svg" in text and "当前环节：受理" in text
    assert "提交申请" in text and "承诺时限" in text and "10 个工作日" in text
    assert "受理 <span" in text and 'name="rongque" value="m3"' in text  # the accept form with 容缺 choices
    assert "暂无文书" in text


def test_the_applicants_id_comes_from_the_form_when_the_record_lacks_it(app, db, web, clock):
    from dataclasses import replace

    bare = application()
    bare = replace(bare, applicant={k: v for k, v in bare.applicant.items() if k != "id_number"})
    case_id = app.state.approval.submit("4601", "4601", citizen(), bare)["id"]
    sign_in(web, "haikou.clerk", clock)
    text = web.get(f"{HAIKOU}/workbench/cases/{case_id}").text
    applicant_panel = text.split('id="h-applicant"')[1].split("</dl>")[0]
    assert "460100********1230" in applicant_panel and VALID_ID not in text


def test_internal_events_show_to_staff_and_documents_download(app, db, web, clock):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    from approval_fixtures import staff

    app.state.approval.act(case_id, "forward", staff("r", "4601", "reviewer"), task_id=open_tasks(db, case_id)[0].id,
                           department="海口市行政审批局")
    sign_in(web, "haikou.clerk", clock)
    page = web.get(f"{HAIKOU}/workbench/cases/{case_id}")
    assert "转交" in page.text and "内部 Internal" in page.text and "转交至：海口市行政审批局" in page.text
    assert f"/workbench/cases/{case_id}/documents/acceptance.pdf" in page.text
    pdf = web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/acceptance.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    missing = web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/certificate.pdf")
    assert missing.status_code == 404


def test_a_step_for_another_role_shows_who_handles_it(app, db, web, clock):
    case_id = _case(app)
    step(app.state.approval, db, case_id, "accept", CLERK)
    sign_in(web, "haikou.clerk", clock)
    page = web.get(f"{HAIKOU}/workbench/cases/{case_id}")
    assert "审查" in page.text and "由其他岗位办理" in page.text and "/act/approve" not in page.text


def test_haikou_staff_cannot_see_or_act_on_sanya_cases(app, db, web, clock):
    sanya_case = _case(app, tenant="4602")
    haikou_case = _case(app)
    sign_in(web, "haikou.clerk", clock)
    nothing = web.get(f"{HAIKOU}/workbench/cases/999999")
    stranger = web.get(f"{HAIKOU}/workbench/cases/{sanya_case}")
    assert nothing.status_code == stranger.status_code == 404
    assert "找不到该办件" in stranger.text and the_case(db, sanya_case).number not in stranger.text
    assert web.get(f"{HAIKOU}/workbench/cases/{sanya_case}/documents/acceptance.pdf").status_code == 404
    own = web.get(f"{HAIKOU}/workbench/cases/{haikou_case}")
    forged = web.post(f"{HAIKOU}/workbench/cases/{sanya_case}/act/refuse",
                      data={"csrf_token": own.text.split('name="csrf_token" value="')[1].split('"')[0],
                            "task_id": str(open_tasks(db, sanya_case)[0].id), "reason": "不属于本机关职权范围"})
    assert forged.status_code == 404 and the_case(db, sanya_case).state == "submitted"
    with TestClient(app, base_url="http://localhost") as sanya:
        sign_in(sanya, "sanya.clerk", clock, site=SANYA)
        assert sanya.get(f"{SANYA}/workbench/cases/{haikou_case}").status_code == 404
        assert sanya.get(f"{SANYA}/workbench/cases/{sanya_case}").status_code == 200


def test_haikou_staff_on_sanyas_host_see_nothing(app, db, web, clock):
    sanya_case = _case(app, tenant="4602")
    sign_in(web, "haikou.approver", clock)
    answer = web.get(f"{SANYA}/workbench/cases/{sanya_case}")
    nothing = web.get(f"{SANYA}/workbench/cases/999999")
    assert answer.status_code == nothing.status_code == 403 and the_case(db, sanya_case).number not in answer.text
    assert answer.text.split("<main")[1].split("</main>")[0] == nothing.text.split("<main")[1].split("</main>")[0]
