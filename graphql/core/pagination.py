"""Relay-style connections: ``first``/``after`` with opaque keyset cursors, at most 100 per page.

A cursor is the sort key of the last row seen (base64 of JSON), so a page never shifts when rows are
added before it; an unreadable cursor and a page size outside 0–100 are refused with a clear error.
"""
from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from tongban.graphql.core.context import ApiContext
from tongban.graphql.core.errors import bad_input

T = TypeVar("T")
N = TypeVar("N")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Rows matching the filter (null where counting costs too much)")


def page_size(context: ApiContext, first: int | None) -> int:
    limits = context.limits
    if first is None:
        return limits.default_page_size
    if first < 0 or first > limits.max_page_size:
        raise bad_input(f"first 应在 0 到 {limits.max_page_size} 之间（收到 {first}）",
                        f"first must be between 0 and {limits.max_page_size} (got {first})", field="first")
    return first


def encode_cursor(key: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), ensure_ascii=False, default=str).encode()).decode()


def decode_cursor(cursor: str | None) -> list | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, list):
        raise bad_input("游标无效，请使用上一页返回的 endCursor", "invalid cursor: pass a previous page's endCursor",
                        field="after")
    return key


def connection(rows: Sequence[N], keys: Sequence[Sequence[Any]], *, has_next: bool, has_previous: bool,
               total: int | None, node: Callable[[N], Any] = lambda row: row) -> Connection:
    nodes = [node(row) for row in rows]
    cursors = [encode_cursor(key) for key in keys]
    edges = [Edge(cursor=c, node=n) for c, n in zip(cursors, nodes)]
    info = PageInfo(has_next_page=has_next, has_previous_page=has_previous,
                    start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None)
    return Connection(edges=edges, nodes=nodes, page_info=info, total_count=total)


def paginate_sorted(rows: Sequence[N], key: Callable[[N], tuple], *, first: int, after: list | None,
                    node: Callable[[N], Any]) -> Connection:
    """A page of an in-memory list already sorted by ``key`` (keys unique, e.g. ending with a code)."""
    keys = [key(row) for row in rows]
    start = 0
    if after is not None:
        try:
            start = bisect.bisect_right(keys, tuple(after))
        except TypeError:
            raise bad_input("游标与排序方式不符", "the cursor does not match the sort order", field="after") from None
    page = rows[start:start + first]
    return connection(page, keys[start:start + first], has_next=start + first < len(rows), has_previous=start > 0,
                      total=len(rows), node=node)
