"""The portal pages as an HTTP client sees them: the public negative list, a refused registration with its
field-level message, the investor's own dashboard only, and the workbench page for staff only."""
import pytest
from starlette.testclient import TestClient

from construction_support import ready
from portal_support import portal_csrf, sign_in
from tongban.platform.construction.demo import WALKED, seed_demo_projects
from tongban.platform.identity.seed import demo_enterprise, seed_identity
from tongban.tenants.isolation import TenantContext

SITE = "http://haikou.localhost"


@pytest.fixture
def demo(app, db, settings):
    from tongban.platform.identity.config import config_from_settings
    from tongban.platform.identity.passwords import Passwords, fast_hasher
    from tongban.platform.identity.service import IdentityService

    identity = IdentityService(app.state.database, config_from_settings(settings, passwords=Passwords(fast_hasher())))
    app.state.identity = identity
    seed_identity(db, secret_key=settings.secret_key, base_url="http://localhost", passwords=identity.config.passwords)
    service = ready(db)
    seed_demo_projects(db)
    with db.unit_of_work(TenantContext.system("test")) as s:
        enterprise = demo_enterprise(s).subject
    return service, enterprise


def _investor(app, enterprise) -> TestClient:
    client = TestClient(app, base_url=SITE)
    sign_in(client, SITE, "agent", next_path="/construction/projects")
    client.get(f"{SITE}/auth/switch", params={"acting": enterprise, "next": "/construction/projects"})
    return client


def test_the_negative_list_is_public(app, demo):
    with TestClient(app, base_url=SITE) as client:
        page = client.get("/construction/negative-list")
    assert page.status_code == 200
    assert "HN-J-001" in page.text and "禁止新建燃煤发电项目" in page.text and "HN-GC-016" in page.text


def test_a_prohibited_registration_is_refused_on_the_page_citing_the_entry(app, demo):
    service, enterprise = demo
    with _investor(app, enterprise) as client:
        page = client.get("/construction/projects")
        assert "椰风智慧产业园研发中心" in page.text
        answer = client.post("/construction/projects", data={
            "csrf_token": portal_csrf(page), "code": "2026-460100-44-01-000777", "name": "某燃煤电厂",
            "area": "海口国家高新区", "investment_wan_yuan": "50000", "land_area_m2": "80000",
            "industry": "coal_power", "project_type": "social"})
        assert answer.status_code == 422
        assert 'data-path="industry"' in answer.text and "HN-J-001" in answer.text
        bad = client.post("/construction/projects", data={
            "csrf_token": portal_csrf(page), "code": "12345", "name": "", "area": "", "investment_wan_yuan": "-1",
            "land_area_m2": "abc", "industry": "software", "project_type": "social"})
        assert bad.status_code == 422
        for path in ("code", "name", "investment_wan_yuan", "land_area_m2"):
            assert f'data-path="{path}"' in bad.text
    assert service.project_by_code("2026-460100-44-01-000777") is None


def test_the_dashboard_is_the_investors_own(app, demo):
    service, enterprise = demo
    walked = service.project_by_code(WALKED)
    with _investor(app, enterprise) as client:
        page = client.get(f"/construction/projects/{walked.id}")
        assert page.status_code == 200
        assert "<svg" in page.text and 'class="planned-speedup">85.1%' in page.text
        assert 'href="/powers/HN-GC-001"' in page.text  # each stage item links to its 权力清单 entry
        assert client.get("/powers/HN-GC-001").status_code == 200
    with TestClient(app, base_url=SITE) as other:
        sign_in(other, SITE, "citizen", next_path="/cases")
        assert other.get(f"/construction/projects/{walked.id}").status_code == 404
    with TestClient(app, base_url=SITE) as anonymous:
        assert anonymous.get(f"/construction/projects/{walked.id}", follow_redirects=False).status_code == 303
        assert anonymous.get("/workbench/construction", follow_redirects=False).status_code == 303
