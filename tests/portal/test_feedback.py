"""Consultations and complaints, and 好差评 on a concluded case, through the supervision room's services."""
from approval_fixtures import CLERK, HAIKOU, application, service, step
from portal_support import portal_csrf, sign_in
from sqlalchemy import select

from tongban.platform.approval.actors import Actor


def test_a_signed_in_citizen_asks_and_sees_the_question_listed(web, seeded, published):
    sign_in(web, next_path="/consult")
    page = web.get("/consult")
    empty = web.post("/consult", data={"csrf_token": portal_csrf(page), "kind": "consultation", "question": " "})
    assert empty.status_code == 422 and "请填写您要咨询或投诉的内容" in empty.text
    assert 'id="question-error"' in empty.text and 'aria-invalid="true"' in empty.text
    too_long = web.post("/consult", data={"csrf_token": portal_csrf(page), "kind": "complaint",
                                          "question": "太" * 2001})
    assert too_long.status_code == 422 and "2001" in too_long.text and "太" * 2001 in too_long.text  # kept
    made_up = web.post("/consult", data={"csrf_token": portal_csrf(page), "kind": "complaint",
                                         "department": "不存在的部门", "question": "窗口排队太久"})
    assert made_up.status_code == 422 and 'id="department-error"' in made_up.text and "窗口排队太久" in made_up.text
    expired = web.post("/consult", data={"csrf_token": "stale", "kind": "complaint", "question": "窗口排队太久"})
    assert expired.status_code == 403 and "表单已过期" in expired.text and "窗口排队太久" in expired.text
    asked = web.post("/consult", data={"csrf_token": portal_csrf(page), "kind": "complaint",
                                       "department": "市场监督管理局", "question": "窗口排队太久"},
                     follow_redirects=False)
    assert asked.status_code == 303  # a refresh of the page that follows asks nothing twice
    shown = web.get(asked.headers["location"])
    assert "已收到" in shown.text and shown.text.count("窗口排队太久") == 1
    assert "投诉" in shown.text and "待答复" in shown.text and "市场监督管理局" in shown.text


def test_the_applicant_rates_a_concluded_case_once(web, db, settings, seeded, published):
    from tongban.platform.identity.models import Account
    from tongban.tenants.isolation import TenantContext

    sign_in(web, next_path="/cases")
    with db.unit_of_work(TenantContext.none()) as s:
        account = s.scalar(select(Account).where(Account.username == "citizen"))
        me = Actor(account.subject, "王小明", "applicant")
    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application("NOW", applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    page = web.get(f"/cases/{case['number']}")
    assert "评价本次服务" in page.text and "非常满意" in page.text
    bad = web.post(f"/cases/{case['number']}/rating", data={"csrf_token": portal_csrf(page), "level": "1"})
    assert "差评请说明原因" in bad.text
    good = web.post(f"/cases/{case['number']}/rating", data={"csrf_token": portal_csrf(page), "level": "5"})
    assert "感谢您的评价" in good.text and "我的评价" in good.text and "评价本次服务" not in good.text
