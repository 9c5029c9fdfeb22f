"""The API's limits, in one place: page sizes, depth, aliases, query cost, request rate, body size.

The app may hold its own ``ApiLimits`` on ``app.state.graphql_limits`` (tests set small ones).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiLimits:
    default_page_size: int = 20
    max_page_size: int = 100  # GitHub's and Saleor's cap
    max_depth: int = 10
    max_aliases: int = 20
    max_cost: int = 20_000  # points: one per field, times the page sizes of the connections above it
    max_body_bytes: int = 200_000
    # token buckets per client (OAuth client id) or, without a token, per address
    client_burst: int = 240
    client_per_second: float = 8.0
    anonymous_burst: int = 60
    anonymous_per_second: float = 1.0


DEFAULT_LIMITS = ApiLimits()


def limits_of(app) -> ApiLimits:
    return getattr(app.state, "graphql_limits", None) or DEFAULT_LIMITS
