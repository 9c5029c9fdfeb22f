"""Consultations and complaints, and 好差评 on a concluded case, through the supervision room's services."""
from approval_fixtures import CLERK, HAIKOU, application, citizen, service, step
from portal_support import portal_csrf, sign_in


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


def test_the_applicant_rates_a_concluded_case_once(web, db, settings, me):
    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application("NOW", applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    page = web.get(f"/cases/{case['number']}")
    assert "评价本次服务" in page.text and "非常满意" in page.text
    bad = web.post(f"/cases/{case['number']}/rating", data={"csrf_token": portal_csrf(page), "level": "1"})
    assert "差评请说明原因" in bad.text
    good = web.post(f"/cases/{case['number']}/rating", data={"csrf_token": portal_csrf(page), "level": "5"})
    assert "感谢您的评价" in good.text and "我的评价" in good.text and "评价本次服务" not in good.text


def test_the_rater_reads_what_the_department_did_and_confirms_it(web, db, settings, me):
    """A bad rating: the department's rectification and call-back show on the rater's case page, who answers
    whether it satisfies them — not satisfied sends it back with a new deadline, satisfied closes it."""
    from tongban.platform.supervision.ratings import service as ratings

    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application("NOW", applicant=me))
    step(engine, db, case["id"], "accept", CLERK)
    page = web.get(f"/cases/{case['number']}")
    web.post(f"/cases/{case['number']}/rating", data={"csrf_token": portal_csrf(page), "level": "1",
                                                       "reason": "窗口人员态度差"})
    page = web.get(f"/cases/{case['number']}")
    assert "部门整改" in page.text and "待整改" in page.text and "满意，确认办结" not in page.text
    (rating,) = ratings.department_rectifications(db, _approver(), HAIKOU)
    ratings.report_rectification(db, _approver(), HAIKOU, rating["id"], report="已约谈窗口人员")
    ratings.record_callback(db, _approver(), HAIKOU, rating["id"], note="申请人表示理解")
    page = web.get(f"/cases/{case['number']}")
    assert "已约谈窗口人员" in page.text and "申请人表示理解" in page.text and "满意，确认办结" in page.text
    again = web.post(f"/cases/{case['number']}/rating/confirm", data={"csrf_token": portal_csrf(page),
                                                                       "satisfied": "no"})
    assert "已退回部门重新整改" in again.text and "待整改" in again.text and "满意，确认办结" not in again.text
    ratings.report_rectification(db, _approver(), HAIKOU, rating["id"], report="已调整窗口排班")
    page = web.get(f"/cases/{case['number']}")
    done = web.post(f"/cases/{case['number']}/rating/confirm", data={"csrf_token": portal_csrf(page),
                                                                      "satisfied": "yes"})
    assert "该差评整改已办结" in done.text and "评价人已确认" in done.text


def _approver():
    from approval_fixtures import staff

    return staff("m", HAIKOU, "approver", department="market_regulation")


def test_a_complaint_about_my_case_goes_to_the_department_handling_it(web, db, settings, me):
    """From the case page: the case is chosen on the form; the complaint carries its number to the department that
    handles it (the item's 市场监督管理局, none chosen); a number that is not one's own is refused at its field."""
    from sqlalchemy import select

    from tongban.platform.supervision.models import Petition
    from tongban.tenants.isolation import TenantContext

    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, me, application(applicant=me))
    page = web.get(f"/cases/{case['number']}")
    assert f"/consult?case={case['number']}" in page.text and "对此办件咨询或投诉" in page.text
    form = web.get(f"/consult?case={case['number']}")
    assert f'<option value="{case["number"]}" selected>' in form.text
    someone = citizen("李四", "person:2")
    theirs = engine.submit(HAIKOU, HAIKOU, someone, application(applicant=someone))
    for number in (theirs["number"], "4601-20260101-999999"):  # someone else's case reads as no case
        refused = web.post("/consult", data={"csrf_token": portal_csrf(form), "kind": "complaint", "case": number,
                                             "question": "一直没有受理"})
        assert refused.status_code == 422 and 'id="case-error"' in refused.text and "一直没有受理" in refused.text
    with db.unit_of_work(TenantContext.system("read")) as s:
        assert s.scalars(select(Petition)).all() == []
    asked = web.post("/consult", data={"csrf_token": portal_csrf(form), "kind": "complaint",
                                       "case": case["number"], "question": "一直没有受理"}, follow_redirects=False)
    assert asked.status_code == 303
    shown = web.get(asked.headers["location"])
    assert "涉及办件" in shown.text and f'href="/cases/{case["number"]}"' in shown.text
    with db.unit_of_work(TenantContext.system("read")) as s:
        (petition,) = s.scalars(select(Petition)).all()
    assert (petition.case_number, petition.department) == (case["number"], "market_regulation")
