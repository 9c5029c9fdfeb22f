"""graphql-core's executor with a fast path for plain leaf fields.

Measured on the catalogue query (bench/graphql.py), most of the API's own cost is graphql-core's work per
field: a Path, a GraphQLResolveInfo, strawberry's default-resolver wrapper, then complete_value's type
dispatch — about 10 µs for a field that only reads an attribute. A field strawberry itself marks as
basic (no resolver, no permission, no extension: ``_is_default``) whose type is a scalar or enum, or a
list of them, is read and serialised here directly. Anything unusual (a null where the schema says
non-null, a value the scalar refuses, middleware) goes down graphql-core's ordinary path, so errors,
paths and null propagation stay exactly the same.
"""
from __future__ import annotations

from typing import Any

from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, is_leaf_type

DEFINITION = "strawberry-definition"
SLOW = object()


# Python values that these scalars serialise unchanged: taken as they are (the common case by far).
AS_IS = {"String": str, "ID": str, "Boolean": bool}
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class _Plan:
    __slots__ = ("as_is", "attribute", "coerce", "is_int", "is_list", "items_nullable", "nullable")

    def __init__(self, attribute: str, leaf, is_list: bool, nullable: bool, items_nullable: bool) -> None:
        self.attribute, self.coerce, self.is_list = attribute, leaf.coerce_output_value, is_list
        self.nullable, self.items_nullable = nullable, items_nullable
        self.as_is = AS_IS.get(leaf.name)
        self.is_int = leaf.name == "Int"

    def complete(self, value: Any) -> Any:
        """A non-null value serialised, or SLOW."""
        if not self.is_list:
            if self.is_int and type(value) is int and INT_MIN <= value <= INT_MAX:
                return value
            return _leaf(self.coerce, value)
        if not isinstance(value, (list, tuple)):
            return SLOW
        coerce, out = self.coerce, []
        for item in value:
            if item is None:
                if not self.items_nullable:
                    return SLOW
                out.append(None)
                continue
            coerced = _leaf(coerce, item)
            if coerced is SLOW:
                return SLOW
            out.append(coerced)
        return out


def _leaf(coerce, value: Any) -> Any:
    try:
        coerced = coerce(value)
    except Exception:  # noqa: BLE001 — the ordinary path raises and locates the error
        return SLOW
    return SLOW if coerced is None or coerced is Undefined else coerced


_PLANS: dict[int, tuple[Any, _Plan | None]] = {}  # id(GraphQLField) → (field, plan); the schema lives on


def _plan_for(field_def) -> _Plan | None:
    hit = _PLANS.get(id(field_def))
    if hit is not None and hit[0] is field_def:
        return hit[1]
    plan = _make_plan(field_def)
    _PLANS[id(field_def)] = (field_def, plan)
    return plan


def _make_plan(field_def) -> _Plan | None:
    resolve = field_def.resolve
    definition = (field_def.extensions or {}).get(DEFINITION)
    if resolve is None or not getattr(resolve, "_is_default", False) or definition is None:
        return None
    if definition.default_resolver is not getattr:
        return None
    field_type, nullable = field_def.type, True
    if isinstance(field_type, GraphQLNonNull):
        field_type, nullable = field_type.of_type, False
    if is_leaf_type(field_type):
        return _Plan(definition.python_name, field_type, False, nullable, True)
    if isinstance(field_type, GraphQLList):
        item, items_nullable = field_type.of_type, True
        if isinstance(item, GraphQLNonNull):
            item, items_nullable = item.of_type, False
        if is_leaf_type(item):
            return _Plan(definition.python_name, item, True, nullable, items_nullable)
    return None


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_fields(self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None,
                       grouped_field_set, position_context):
        middleware = self.middleware_manager
        if middleware is not None and middleware._middleware_resolvers is not None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        for response_name, field_details_list, plan in self._compiled(parent_type, grouped_field_set):
            if plan is not None:  # inlined: this loop runs for every leaf of every object
                value = getattr(source_value, plan.attribute, None)
                if value is None:
                    if plan.nullable:
                        results[response_name] = None
                        continue
                elif type(value) is plan.as_is and not plan.is_list:
                    results[response_name] = value
                    continue
                else:
                    value = plan.complete(value)
                    if value is not SLOW:
                        results[response_name] = value
                        continue
            result = self.execute_field(parent_type, source_value, field_details_list,
                                        Path(path, response_name, parent_type.name), position_context)
            if result is not Undefined:
                results[response_name] = result
                if is_awaitable(result):
                    awaitable_fields.append(response_name)
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    def _compiled(self, parent_type: GraphQLObjectType, grouped_field_set) -> list[tuple[str, Any, _Plan | None]]:
        """The field set with each field's plan, worked out once per request and selection: graphql-core hands
        the same grouped field set for every object of a list."""
        cache = self.__dict__.setdefault("_tongban_compiled", {})
        hit = cache.get(id(grouped_field_set))
        if hit is not None and hit[0] is grouped_field_set and hit[1] is parent_type:
            return hit[2]
        fields = parent_type.fields
        compiled = []
        for response_name, field_details_list in grouped_field_set.items():
            field_def = fields.get(field_details_list[0].node.name.value)
            compiled.append((response_name, field_details_list, _plan_for(field_def) if field_def is not None else None))
        cache[id(grouped_field_set)] = (grouped_field_set, parent_type, compiled)
        return compiled

    async def _gather_fields(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        from graphql.pyutils import gather_with_cancel

        awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
        return results
