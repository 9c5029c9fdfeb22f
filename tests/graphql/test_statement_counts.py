"""N+1 guards: a page of items with materials and forms, and a page of cases with their tasks, events
and materials, cost the same number of SQL statements for 10 rows as for 50."""
from graphql_support import TOWNSHIP, data_of, post, publish_many, staff_token, statements, submit
from tests_support import ON_POSTGRES

from tongban.configurator.publishing.cache import CatalogueCache
from tongban.configurator.publishing.served import clear_cache

ITEMS = f"""query($first: Int) {{ items(tenant: "{TOWNSHIP}", first: $first) {{ nodes {{ code name kind
  materials {{ id name form required }} fees {{ id amount }} form {{ fields }} }} }} }}"""

CASES = f"""query($first: Int) {{ cases(tenant: "{TOWNSHIP}", first: $first) {{ totalCount nodes {{ number state
  handlingTenant {{ name }} tasks {{ id role case {{ number }} }} events {{ action }} materials {{ materialId status }} }} }} }}"""


def _count(api, db, app, query, first, token=None, cold=True):
    if cold:
        app.state.catalogue = CatalogueCache()
        clear_cache()
    with statements(db.engine) as seen:
        body = data_of(post(api, query, {"first": first}, token=token))
    return len(seen), body


def test_a_page_of_items_costs_the_same_statements_for_10_and_50(api, db, app):
    publish_many(db, 50)
    _count(api, db, app, ITEMS, 1)  # the worker's first request loads the tenant directory
    ten, body10 = _count(api, db, app, ITEMS, 10)
    fifty, body50 = _count(api, db, app, ITEMS, 50)
    assert len(body10["items"]["nodes"]) == 10 and len(body50["items"]["nodes"]) == 50
    assert all(len(n["materials"]) == 3 and n["form"]["fields"] for n in body50["items"]["nodes"])
    # PostgreSQL adds one set_config per unit of work (directory check, catalogue, loader batch, ...)
    assert ten == fifty and fifty <= (13 if ON_POSTGRES else 9), (ten, fifty)
    warm, _ = _count(api, db, app, ITEMS, 50, cold=False)
    assert warm < fifty, warm  # published contents and the tenant's catalogue are cached per worker


def test_a_page_of_cases_costs_the_same_statements_for_10_and_50(api, db, app, identity):
    from approval_fixtures import publish_all

    publish_all(db)
    for _ in range(50):
        submit(api, identity)
    staff = staff_token(identity, ("window_clerk", TOWNSHIP, False))
    _count(api, db, app, CASES, 1, staff, cold=False)
    ten, body10 = _count(api, db, app, CASES, 10, staff, cold=False)
    fifty, body50 = _count(api, db, app, CASES, 50, staff, cold=False)
    assert len(body10["cases"]["nodes"]) == 10 and len(body50["cases"]["nodes"]) == 50
    assert body50["cases"]["nodes"][0]["tasks"][0]["case"]["number"] == body50["cases"]["nodes"][0]["number"]
    assert ten == fifty, (ten, fifty)


ALERTS = """query($first: Int) { alerts(tenant: "4601", first: $first) { totalCount nodes { id severity state
  caseNumber tenant { name parent { code } } supervisor { code } events { action } } } }"""


def test_a_page_of_alerts_costs_the_same_statements_for_10_and_50(api, db, app, identity):
    from graphql_world import put_alert

    for i in range(60):
        put_alert(db, 1000 + i, f"460105100-20260101-{i:06d}")
    supervisor = staff_token(identity, ("supervisor", "4601", True), scope="supervision:read")
    _count(api, db, app, ALERTS, 1, supervisor, cold=False)
    ten, body10 = _count(api, db, app, ALERTS, 10, supervisor, cold=False)
    fifty, body50 = _count(api, db, app, ALERTS, 50, supervisor, cold=False)
    assert len(body10["alerts"]["nodes"]) == 10 and len(body50["alerts"]["nodes"]) == 50
    assert body50["alerts"]["totalCount"] == 60 and body50["alerts"]["nodes"][0]["tenant"]["parent"]["code"] == "460105"
    assert ten == fifty, (ten, fifty)
