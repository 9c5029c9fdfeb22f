from tongban.tenants import tree
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import TenantStatus

SYSTEM = TenantContext.system("test")


def test_home_lists_the_provinces_cities_and_counties(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "海南省" in page.text
    for name in ("海口市", "三亚市", "三沙市", "儋州市", "琼中黎族苗族自治县"):
        assert name in page.text
    assert page.text.count('class="tenant"') == 19
    assert "274" in page.text


def test_path_prefix_resolves_changliu_with_its_ancestors(client):
    page = client.get("/t/460105100/")
    assert page.status_code == 200
    assert "<h1>长流镇</h1>" in page.text
    start = page.text.index("breadcrumb")
    crumbs = page.text[start:page.text.index("</nav>", start)]
    assert crumbs.index("海南省") < crumbs.index("海口市") < crumbs.index("秀英区") < crumbs.index("长流镇")


def test_host_name_resolves_by_slug_and_by_registered_host(client, db):
    assert "<h1>海口市</h1>" in client.get("/", headers={"host": "haikou.localhost"}).text
    assert "<h1>三亚市</h1>" in client.get("/", headers={"host": "sanya.hainan.localhost:8000"}).text
    with db.unit_of_work(SYSTEM) as s:
        tree.add_host(s, "469002", "zwfw.qionghai.gov.cn")
    assert "<h1>琼海市</h1>" in client.get("/", headers={"host": "zwfw.qionghai.gov.cn"}).text


def test_unknown_tenant_gets_a_bilingual_404(client):
    page = client.get("/t/469999/")
    assert page.status_code == 404
    assert "找不到该地区" in page.text and "No government service portal" in page.text
    unknown_host = client.get("/", headers={"host": "nowhere.example.org"})
    assert unknown_host.status_code == 404


def test_unknown_tenant_as_json_for_api_clients(client):
    reply = client.get("/t/469999/", headers={"accept": "application/json"})
    assert reply.status_code == 404
    error = reply.json()["error"]
    assert error["code"] == "tenant_unknown"
    assert "找不到" in error["detail_zh"] and "No government" in error["detail_en"]


def test_suspended_tenant_gets_a_bilingual_403_until_reactivated(client, db, app):
    with db.unit_of_work(SYSTEM) as s:
        tree.set_status(s, "4602", TenantStatus.SUSPENDED)
    page = client.get("/t/4602/")
    assert page.status_code == 403
    assert "三亚市的服务已暂停" in page.text and "suspended" in page.text
    assert client.get("/", headers={"host": "sanya.localhost"}).status_code == 403
    assert client.get("/t/4601/").status_code == 200
    with db.unit_of_work(SYSTEM) as s:
        tree.set_status(s, "4602", TenantStatus.ACTIVE)
    assert client.get("/t/4602/").status_code == 200


def test_every_response_carries_a_request_id(client):
    reply = client.get("/t/4601/", headers={"x-request-id": "abc123def456"})
    assert reply.headers["x-request-id"] == "abc123def456"
    assert len(client.get("/").headers["x-request-id"]) == 32


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["checks"]["database"] == "ok" and ready["checks"]["tenants"] == 274


def test_unknown_page_in_a_known_tenant_is_a_plain_404(client):
    page = client.get("/t/4601/no-such-page")
    assert page.status_code == 404
    assert "页面不存在" in page.text


def _count_statements(engine, action) -> int:
    from sqlalchemy import event

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_directory_cache_answers_without_queries_and_reloads_only_on_change(db):
    from tongban.tenants.directory import TenantDirectory

    directory = TenantDirectory(db, ttl=60)
    assert directory.snapshot.by_code["4601"].name == "海口市"
    assert _count_statements(db.engine, lambda: [directory.snapshot for _ in range(100)]) == 0

    checking = TenantDirectory(db, ttl=0)
    checking.snapshot
    unchanged = _count_statements(db.engine, lambda: checking.snapshot)
    assert 1 <= unchanged <= 3  # the version check only
    with db.unit_of_work(SYSTEM) as s:
        tree.set_status(s, "4603", TenantStatus.SUSPENDED)
    assert checking.snapshot.by_code["4603"].status == "suspended"
