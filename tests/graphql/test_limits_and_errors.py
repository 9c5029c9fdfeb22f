"""Protection and errors: depth, aliases, cost (reported in extensions.cost), page size, rate limits with
x-ratelimit-* headers, body size; unexpected failures masked, validation errors and refusals explained."""
from graphql_support import TOWNSHIP, codes_of, data_of, post
from strawberry.extensions.validation_cache import _get_validate_cache

from tongban.graphql.core.limits import ApiLimits

DEEP = "{ tenant(code: \"46\") { children { children { children { children { code } } } } } }"


def test_depth_and_alias_limits(api, app):
    app.state.graphql_limits = ApiLimits(max_depth=4, max_aliases=2)
    deep = post(api, DEEP).json()
    assert deep["data"] is None and "exceeds maximum operation depth of 4" in deep["errors"][0]["message"]
    aliases = post(api, '{ a: tenant(code: "46") { code } b: tenant(code: "4601") { code } '
                        'c: tenant(code: "4602") { code } }').json()
    assert aliases["data"] is None and "aliases" in aliases["errors"][0]["message"]
    assert data_of(post(api, '{ a: tenant(code: "46") { code } b: tenant(code: "4601") { code } }'))["b"]["code"] == "4601"


def test_cost_is_reported_and_refused_over_the_maximum(api, app, published):
    query = f"query($n: Int) {{ items(tenant: \"{TOWNSHIP}\", first: $n) {{ nodes {{ code materials {{ id name }} }} }} }}"
    small = post(api, query, {"n": 2}).json()
    # items, then per item on the page: nodes, code, materials, id, name
    assert small["extensions"]["cost"]["requestedQueryCost"] == 1 + 2 * 5
    app.state.graphql_limits = ApiLimits(max_cost=100)
    refused = post(api, query, {"n": 100}).json()
    assert refused["data"] is None and codes_of(refused) == ["QUERY_TOO_COMPLEX"]
    assert refused["extensions"]["cost"] == {"requestedQueryCost": 501, "maximumQueryCost": 100}
    assert "501" in refused["errors"][0]["extensions"]["messageZh"]


def test_page_size_above_100_is_refused(api, published):
    body = post(api, f'{{ items(tenant: "{TOWNSHIP}", first: 500) {{ totalCount }} }}').json()
    assert codes_of(body) == ["BAD_USER_INPUT"] and body["errors"][0]["extensions"]["field"] == "first"


def test_rate_limits_per_client_with_headers(api, app, identity):
    from graphql_support import mint_token

    app.state.graphql_limits = ApiLimits(anonymous_burst=2, anonymous_per_second=0.01, client_burst=3,
                                         client_per_second=0.01)
    first = post(api, "{ vocabulary { channels { value } } }")
    assert first.status_code == 200 and first.headers["x-ratelimit-limit"] == "2"
    assert first.headers["x-ratelimit-remaining"] == "1"
    post(api, "{ vocabulary { channels { value } } }")
    third = post(api, "{ vocabulary { channels { value } } }")
    assert third.status_code == 429 and codes_of(third.json()) == ["RATE_LIMITED"]
    assert int(third.headers["retry-after"]) > 0 and third.headers["x-ratelimit-remaining"] == "0"
    token = mint_token(identity, client_id="tongban-api", user_type=None, scope="catalog:read")
    answered = post(api, "{ vocabulary { channels { value } } }", token=token)  # a client has its own bucket
    assert answered.status_code == 200 and answered.headers["x-ratelimit-limit"] == "3"


def test_unexpected_failures_are_masked_and_validation_errors_are_not(api, monkeypatch):
    from tongban.graphql.catalogue import queries

    def broken(*_args):
        raise RuntimeError("password=hunter2 in /srv/secret.py")

    monkeypatch.setattr(queries, "served_catalogue", broken)
    body = post(api, f'{{ items(tenant: "{TOWNSHIP}") {{ totalCount }} }}').json()
    assert body["errors"][0]["message"] == "服务器内部错误，请稍后重试 / Unexpected error."
    assert "hunter2" not in str(body) and "secret" not in str(body) and "extensions" not in body["errors"][0]
    typo = post(api, "{ vocabulary { chanels { value } } }").json()
    assert "chanels" in typo["errors"][0]["message"] and "Unexpected" not in typo["errors"][0]["message"]


def test_validation_is_cached_across_requests(api):
    query = "{ vocabulary { audiences { value labelZh } } }"
    data_of(post(api, query))
    before = _get_validate_cache(512).cache_info().hits
    data_of(post(api, query))
    assert _get_validate_cache(512).cache_info().hits == before + 1


def test_http_edges(api):
    assert api.post("/graphql", content=b"{" + b" " * 300_000 + b"}",
                    headers={"content-type": "application/json"}).status_code == 413
    mutation = api.get("/graphql", params={"query": "mutation { validateDraft(itemCode: \"X\") { problems { code } } }"})
    assert mutation.status_code == 405 and mutation.headers["allow"] == "POST"
    query = api.get("/graphql", params={"query": "{ tenant(code: \"46\") { name } }"})
    assert query.status_code == 200 and query.json()["data"]["tenant"]["name"] == "海南省"
    ide = api.get("/graphql", headers={"accept": "text/html"})
    assert ide.status_code == 200 and "graphiql" in ide.text.lower()
    bad_json = api.post("/graphql", content=b"{nope", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and codes_of(bad_json.json()) == ["BAD_REQUEST"]
    bad_token = post(api, "{ vocabulary { channels { value } } }", token="not.a.jwt")
    assert bad_token.status_code == 401 and bad_token.headers["www-authenticate"].startswith("Bearer error=")
