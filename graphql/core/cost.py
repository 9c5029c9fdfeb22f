"""A simple, predictable query cost (Saleor/GitHub style): every field costs one point, multiplied by
the page sizes (``first``, default page size when absent) of every connection above it. Introspection
is free. Computed from the document and variables before anything runs."""
from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

MAX_NESTING = 50  # fragments spreading each other are refused by validation; this is a second guard


def query_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
               variables: dict[str, Any], *, default_page: int) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)),
                     None)
    if operation is None:
        return 0
    root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type}.get(
        operation.operation)
    if root is None:
        return 0
    walker = _Walker(schema, fragments, variables, default_page)
    return walker.selection_set(operation.selection_set, root, 1, 0)


class _Walker:
    def __init__(self, schema, fragments, variables, default_page) -> None:
        self.schema, self.fragments, self.variables, self.default_page = schema, fragments, variables, default_page

    def selection_set(self, selections: SelectionSetNode, parent, multiplier: int, depth: int) -> int:
        if depth > MAX_NESTING:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, multiplier, depth)
            elif isinstance(selection, InlineFragmentNode):
                target = self._type(selection.type_condition.name.value) if selection.type_condition else parent
                total += self.selection_set(selection.selection_set, target, multiplier, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self._type(fragment.type_condition.name.value)
                    total += self.selection_set(fragment.selection_set, target, multiplier, depth + 1)
        return total

    def field(self, node: FieldNode, parent, multiplier: int, depth: int) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
        if definition is None or node.selection_set is None:
            return multiplier
        named = get_named_type(definition.type)
        inner = multiplier * self._page(node) if named.name.endswith("Connection") else multiplier
        return multiplier + self.selection_set(node.selection_set, named, inner, depth + 1)

    def _page(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                value = argument.value
                if isinstance(value, IntValueNode):
                    return max(int(value.value), 1)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    return max(int(given), 1) if isinstance(given, int) else self.default_page
        return self.default_page

    def _type(self, name: str):
        return self.schema.get_type(name)
