"""Schema extensions, each passed to the schema as a class or factory (a new instance per request):
depth and alias limits whose validation rules are built once, so the validation cache can hit, and the
query cost check that reports ``extensions.cost``."""
from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule_for

from graphql import ExecutionResult as GraphQLExecutionResult
from tongban.graphql.core.cost import query_cost
from tongban.graphql.core.errors import ApiError


@cache
def _depth_rule(max_depth: int):
    return depth_rule_for(max_depth, None)


@cache
def _alias_rule(max_aliases: int):
    return alias_rule(max_aliases)


class Limits(AddValidationRules):
    """QueryDepthLimiter + MaxAliasesLimiter with the app's limits.

    The trap: strawberry's QueryDepthLimiter builds a new rule class in ``__init__``; passed as a factory
    (as it must be) every request gets a different rule, and ValidationCache, whose key includes the
    rules, never hits. Here one rule class exists per limit value.
    """

    def __init__(self) -> None:
        super().__init__([])

    def on_operation(self) -> Iterator[None]:
        limits = self.execution_context.context.limits
        self.validation_rules = [_depth_rule(limits.max_depth), _alias_rule(limits.max_aliases)]
        yield from super().on_operation()


class QueryCost(SchemaExtension):
    """Refuses a query whose cost (fields × the page sizes above them) exceeds the maximum, before running
    it, and reports the cost in ``extensions.cost`` (Shopify's shape)."""

    def __init__(self) -> None:
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        limits = ec.context.limits
        if ec.graphql_document is not None and not ec.pre_execution_errors:
            self.cost = query_cost(ec.schema._schema, ec.graphql_document, ec.operation_name, ec.variables or {},
                                   default_page=limits.default_page_size)
            if self.cost > limits.max_cost:
                ec.result = GraphQLExecutionResult(data=None, errors=[ApiError(
                    "QUERY_TOO_COMPLEX", f"查询过于复杂：成本 {self.cost}，上限 {limits.max_cost}；请减少字段或每页数量",
                    f"query cost {self.cost} is over the maximum of {limits.max_cost}; ask for fewer fields or "
                    f"smaller pages", cost=self.cost, maxCost=limits.max_cost)])
        yield

    def get_results(self) -> dict:
        if self.cost is None:
            return {}
        limits = self.execution_context.context.limits
        return {"cost": {"requestedQueryCost": self.cost, "maximumQueryCost": limits.max_cost}}
