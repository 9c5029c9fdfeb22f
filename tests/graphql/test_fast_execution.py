"""The executor's fast path for plain leaf fields answers exactly as graphql-core's ordinary path: same
data, and the same errors (with paths) for a null in a non-null field or a value a scalar refuses."""
import strawberry
from graphql_support import TOWNSHIP, data_of, post

from tongban.graphql.core.execution import FastExecutionContext


@strawberry.type
class Row:
    name: str
    count: int
    tags: list[str]
    note: str | None


@strawberry.type
class Query:
    @strawberry.field
    def rows(self) -> list[Row | None]:
        return [Row(name="a", count=1, tags=["x"], note=None), Row(name=None, count=2, tags=[], note="n"),
                Row(name="c", count=2**40, tags=[], note=None), Row(name="d", count=3, tags=["y", None], note=None)]


def _both(query):
    fast = strawberry.Schema(Query, execution_context_class=FastExecutionContext).execute_sync(query)
    stock = strawberry.Schema(Query).execute_sync(query)
    return fast, stock


def test_same_data_and_same_errors_as_the_ordinary_path():
    fast, stock = _both("{ rows { name count tags note } }")
    assert fast.data == stock.data
    assert [(e.message, e.path) for e in fast.errors] == [(e.message, e.path) for e in stock.errors]
    assert {tuple(e.path) for e in fast.errors} == {("rows", 1, "name"), ("rows", 2, "count"),
                                                       ("rows", 3, "tags", 1)}


def test_the_catalogue_answers_the_same_with_and_without_the_fast_path(api, published, monkeypatch):
    from tongban.graphql import schema as root

    query = ('{ items(tenant: "' + TOWNSHIP + '") { nodes { code name kind caseType audience channels '
             "promisedLimitDays materials { id name form required formats maxSizeMb rongqueSupplyDays } } } }")
    fast = data_of(post(api, query))
    root.build_schema.cache_clear()
    monkeypatch.setattr(root, "FastExecutionContext", None)
    try:
        stock = data_of(post(api, query))
    finally:
        root.build_schema.cache_clear()
    assert fast == stock and fast["items"]["nodes"]
