"""Back and submit again (防重复提交): each rendered apply form carries a one-time key; a second submission with it
creates no case and leads to the one the first created, with a notice; another person's key is their own."""
import re

from approval_fixtures import VALID_ID
from portal_support import PDF, portal_csrf, sign_in
from sqlalchemy import func, select

from tongban.platform.approval.models import Case
from tongban.tenants.isolation import TenantContext

APPLY = "/items/PROMISED/apply"
KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def rendered(client, path=APPLY):
    page = client.get(path)
    assert page.status_code == 200
    return {"csrf_token": portal_csrf(page), "submission_key": KEY.search(page.text).group(1)}


def submit(client, form: dict, name="王小明"):
    data = {**form, "action": "submit", "f.applicant_name": name, "f.id_number": VALID_ID}
    files = [("file.mat.m1", ("申请书.pdf", PDF, "application/pdf")), ("file.mat.m2", ("执照.pdf", PDF, "application/pdf"))]
    return client.post(APPLY, data=data, files=files, follow_redirects=False)


def case_count(db) -> int:
    with db.unit_of_work(TenantContext.system("test")) as s:
        return s.scalar(select(func.count()).select_from(Case))


def test_submitting_the_same_form_again_leads_to_the_first_case(web, db, seeded, published):
    sign_in(web, next_path=APPLY)
    form = rendered(web)
    first = submit(web, form)
    assert first.status_code == 303 and "/cases/" in first.headers["location"], first.text[:1500]
    number = first.headers["location"].rsplit("/", 1)[1]
    web.get(first.headers["location"])  # the case page with the query code, once
    again = submit(web, form)  # Back, then 提交申请 once more
    assert again.status_code == 303 and again.headers["location"] == f"/items/PROMISED/submitted/{number}"
    notice = web.get(again.headers["location"])
    assert f"该申请已提交，办件编号 {number}" in notice.text and "没有生成新的办件" in notice.text
    assert f'href="/cases/{number}"' in notice.text and "查询码已在首次提交时显示" in notice.text
    english = web.get(again.headers["location"] + "?lang=en")
    assert f"This application was submitted already: case {number}" in english.text
    assert submit(web, form).headers["location"] == f"/items/PROMISED/submitted/{number}"  # and a third time
    assert case_count(db) == 1
    fresh = rendered(web, APPLY + "?new=1")  # 开始新的申请: a new form is a new application
    assert fresh["submission_key"] != form["submission_key"]
    assert "/cases/" in submit(web, fresh).headers["location"] and case_count(db) == 2


def test_a_key_is_kept_while_the_form_is_corrected(web, db, seeded, published):
    sign_in(web, next_path=APPLY)
    form = rendered(web)
    wrong = web.post(APPLY, data={**form, "action": "submit", "f.applicant_name": ""}, follow_redirects=False)
    assert wrong.status_code == 422 and KEY.search(wrong.text).group(1) == form["submission_key"]
    assert case_count(db) == 0
    assert "/cases/" in submit(web, {**form, "csrf_token": portal_csrf(wrong)}).headers["location"]
    assert "/submitted/" in submit(web, form).headers["location"] and case_count(db) == 1


def test_another_persons_key_means_nothing(web, app, db, seeded, published):
    from starlette.testclient import TestClient

    sign_in(web, next_path=APPLY)
    form = rendered(web)
    first = submit(web, form)
    number = first.headers["location"].rsplit("/", 1)[1]
    with TestClient(app, base_url="http://haikou.localhost") as other:
        sign_in(other, username="agent", next_path=APPLY)
        theirs = submit(other, {**rendered(other), "submission_key": form["submission_key"]}, name="李海燕")
        assert theirs.status_code == 303 and "/cases/" in theirs.headers["location"], theirs.text[:1500]
        assert theirs.headers["location"].rsplit("/", 1)[1] != number
        assert other.get(f"/items/PROMISED/submitted/{number}").status_code == 404  # not theirs: not found
    assert case_count(db) == 2


def test_back_fetches_the_page_again_and_gets_the_same_application(web, db, seeded, published):
    sign_in(web, next_path=APPLY)
    form = rendered(web)
    number = submit(web, form).headers["location"].rsplit("/", 1)[1]
    back = web.get(APPLY)  # the page is no-store: Back asks the server again
    assert KEY.search(back.text).group(1) == form["submission_key"]
    assert f"该申请已提交，办件编号 {number}" in back.text and "再次提交这份申请表不会生成新的办件" in back.text
    assert "/submitted/" in submit(web, {**form, "csrf_token": portal_csrf(back)}).headers["location"]
    fresh = web.get(APPLY + "?new=1")  # 开始新的申请
    assert "该申请已提交" not in fresh.text and KEY.search(fresh.text).group(1) != form["submission_key"]
    assert "该申请已提交" not in web.get(APPLY).text and case_count(db) == 1
