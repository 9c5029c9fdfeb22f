"""The public progress page (case number + query code, no sign-in) shows how a case goes, never what staff wrote:
a clerk's comment may carry an ID or phone number. The API's caseProgress leaves comments out; so does this page,
and it says the details are on the signed-in 我的办件 page — where the applicant still reads the comments."""
from approval_fixtures import CLERK, HAIKOU, REVIEWER, application, service, step
from portal_support import portal_csrf

from tongban.tenants.isolation import TenantContext

NOTE = "已电话联系申请人 13912345678，身份证号 460100199001011230 核对无误"
MISSING = [{"material_id": "m1", "name": "申请书（签字页）"}]


def commented_case(db, settings, who):
    engine = service(db, settings)
    case = engine.submit(HAIKOU, HAIKOU, who, application(applicant=who))
    step(engine, db, case["id"], "accept", CLERK, comment=NOTE)
    step(engine, db, case["id"], "request_supplement", REVIEWER, missing=MISSING, comment="签字页缺失，请本人签字后补正")
    return case


def ask(client, number, code):
    form = client.get("/progress")
    return client.post("/progress", data={"csrf_token": portal_csrf(form), "number": number, "code": code})


def test_the_public_progress_page_shows_no_staff_comment_and_points_to_my_cases(app, db, settings, me):
    from starlette.testclient import TestClient

    case = commented_case(db, settings, me)
    with TestClient(app, base_url="http://haikou.localhost") as anonymous:
        page = ask(anonymous, case["number"], case["query_code"])
        english = anonymous.post("/progress?lang=en", data={"csrf_token": portal_csrf(anonymous.get("/progress?lang=en")),
                                                             "number": case["number"], "code": case["query_code"]})
    assert page.status_code == 200
    assert "受理" in page.text and "要求补正材料" in page.text  # the steps themselves still show
    assert NOTE not in page.text and "13912345678" not in page.text and "460100199001011230" not in page.text
    assert "签字页缺失" not in page.text
    assert "不显示工作人员的办理意见" in page.text and "我的办件" in page.text and 'href="/cases"' in page.text
    assert english.status_code == 200 and "Sign in to My cases" in english.text
    assert "13912345678" not in english.text


def test_the_signed_in_applicant_still_reads_the_comments_on_their_own_case(web, db, settings, me):
    case = commented_case(db, settings, me)
    own = web.get(f"/cases/{case['number']}")
    assert own.status_code == 200
    assert NOTE in own.text and "签字页缺失，请本人签字后补正" in own.text
    assert "不显示工作人员的办理意见" not in own.text


def test_the_progress_view_and_the_graphql_progress_agree_on_comments(db, settings, published):
    """The domain's public view carries no comment at all (a tenant's own timeline template cannot print one)."""
    from approval_fixtures import citizen

    from tongban.platform.portal.cases import applicant_case, case_by_query_code

    who = citizen()
    case = commented_case(db, settings, who)
    with db.unit_of_work(TenantContext.system("test")) as s:
        public = case_by_query_code(s, settings.secret_key, case["number"], case["query_code"])
        own = applicant_case(s, case["number"], who.subject)
    assert public.comments_shown is False and [e["comment"] for e in public.timeline] == [None] * len(public.timeline)
    assert own.comments_shown is True and NOTE in [e["comment"] for e in own.timeline]
