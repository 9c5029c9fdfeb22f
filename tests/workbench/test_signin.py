"""Signing in to the workbench: through the provider with password and TOTP, on a tenant host or path; only
staff with a role in this tenant get in."""
from starlette.testclient import TestClient
from workbench_support import HAIKOU, SANYA, csrf_in, sign_in


def test_a_signed_out_visit_goes_through_the_provider_and_lands_on_my_tasks(web, clock):
    first = web.get(HAIKOU + "/workbench/", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/workbench/auth/login?next=/workbench/"
    start = web.get(HAIKOU + first.headers["location"], follow_redirects=False)
    assert "client_id=workbench" in start.headers["location"]
    assert "redirect_uri=http%3A%2F%2Fhaikou.localhost%2Fworkbench%2Fauth%2Fcallback" in start.headers["location"]
    landing = sign_in(web, "haikou.clerk", clock)
    assert str(landing.url) == HAIKOU + "/workbench/"
    assert "我的待办" in landing.text and "符窗口" in landing.text and "海口市" in landing.text


def test_the_totp_step_is_required_for_staff(web, clock):
    page = web.get(HAIKOU + "/workbench/")
    answer = web.post(str(page.url), data={"csrf_token": csrf_in(page.text), "username": "haikou.clerk",
                                           "password": "Tongban@2026"})
    assert "/login/totp" in str(answer.url) and "动态验证码" in answer.text
    wrong = web.post(str(answer.url), data={"csrf_token": csrf_in(answer.text), "code": "000000"})
    assert "我的待办" not in wrong.text
    assert web.get(HAIKOU + "/workbench/", follow_redirects=False).status_code == 303


def test_the_workbench_also_works_under_a_tenant_path(web, clock):
    landing = sign_in(web, "haikou.approver", clock, site="http://localhost", path="/t/4601/workbench/")
    assert str(landing.url) == "http://localhost/t/4601/workbench/"
    assert 'href="/t/4601/workbench/intake"' in landing.text and "邢审批" in landing.text


def test_a_citizen_is_refused(web, clock):
    page = web.get(HAIKOU + "/workbench/")
    landing = web.post(str(page.url), data={"csrf_token": csrf_in(page.text), "username": "citizen",
                                            "password": "Tongban@2026"})
    assert landing.status_code == 403 and "工作台仅供工作人员使用" in landing.text


def test_staff_without_a_role_here_are_sent_to_where_they_have_one(web, clock):
    sign_in(web, "haikou.clerk", clock)
    refused = web.get(SANYA + "/workbench/")
    assert refused.status_code == 403 and "您在三亚市没有工作人员角色" in refused.text
    assert 'href="/t/4601/workbench/"' in refused.text


def test_staff_at_the_provinces_address_land_on_their_only_workbench(web, clock):
    landing = sign_in(web, "haikou.clerk", clock, site="http://localhost")
    assert landing.status_code == 200 and str(landing.url) == "http://localhost/t/4601/workbench/"
    assert "符窗口" in landing.text


def test_signing_out_ends_the_session(web, clock):
    sign_in(web, "haikou.clerk", clock)
    out = web.get(HAIKOU + "/workbench/auth/logout", follow_redirects=False)
    assert out.headers["location"].startswith("http://localhost/oidc/logout?")
    web.get(out.headers["location"])
    assert web.get(HAIKOU + "/workbench/", follow_redirects=False).status_code == 303


def test_two_people_on_two_clients(app, web, clock):
    sign_in(web, "haikou.clerk", clock)
    with TestClient(app, base_url="http://localhost") as other:
        landing = sign_in(other, "sanya.clerk", clock, site=SANYA)
        assert "黎窗口" in landing.text and "三亚市" in landing.text
    assert "符窗口" in web.get(HAIKOU + "/workbench/").text


def test_each_page_asks_for_its_permission(app, db, identity, web, clock):
    from approval_fixtures import application, citizen
    from workbench_support import new_staff

    case_id = app.state.approval.submit("4601", "4601", citizen(), application())["id"]
    new_staff(db, identity, "haikou.configurator", "item_configurator")
    landing = sign_in(web, "haikou.configurator", clock)
    assert landing.status_code == 200 and "共 0 项待办" in landing.text
    case_page = web.get(f"{HAIKOU}/workbench/cases/{case_id}")
    nothing = web.get(f"{HAIKOU}/workbench/cases/999999")
    assert case_page.status_code == nothing.status_code == 404 and "找不到该办件" in case_page.text
    assert web.get(f"{HAIKOU}/workbench/cases/{case_id}/documents/acceptance.pdf").status_code == 404
    intake = web.get(f"{HAIKOU}/workbench/intake")
    assert intake.status_code == 403 and "窗口收件需要窗口受理权限" in intake.text
    assert web.get(f"{HAIKOU}/workbench/received").status_code == 403
