"""Static analysis of a schema's expressions: unknown references, cycles, evaluation order.

Nodes are top-level fields; a field depends on what its ``show_if``, ``required_if``
and ``compute`` refer to. A group depends on everything its row fields refer to in
the form, because a group is settled as a whole. Inside a group, row fields depend
on the row fields they refer to through ``row.``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Iterable, Mapping, Sequence

from .errors import SchemaError
from .expressions import Expression
from .messages import schema_error
from .spec import FieldSpec, RuleSpec

Edges = dict[str, dict[str, str]]  # node -> {dependency: schema path of the expression}


def check_references(fields: Sequence[FieldSpec], rules: Sequence[RuleSpec]) -> list[SchemaError]:
    """Every name an expression uses must be a field in its scope."""
    top = {spec.name for spec in fields}
    errors: list[SchemaError] = []
    for spec in fields:
        for key, expression in spec.expressions.items():
            errors += _unknown(expression, f"{spec.schema_path}.{key}", top, None)
        if spec.type == "group":
            errors += _check_group_references(spec, top)
    errors += _check_rules(rules, top, None)
    return errors


def settle_order(fields: Sequence[FieldSpec]
                 ) -> tuple[list[FieldSpec], list[str], list[SchemaError]]:
    """Fields with their row order set, the top-level order, and any circular dependency."""
    errors: list[SchemaError] = []
    settled = []
    for spec in fields:
        if spec.type == "group":
            row_order, cycles = _order(spec.row_order, _row_edges(spec))
            errors += cycles
            spec = dataclasses.replace(spec, row_order=tuple(row_order))
        settled.append(spec)
    order, cycles = _order([spec.name for spec in fields], _form_edges(fields))
    return settled, order, errors + cycles


def _check_group_references(group: FieldSpec, top: set[str]) -> list[SchemaError]:
    row = set(group.children)
    errors: list[SchemaError] = []
    for child in group.fields:
        for key, expression in child.expressions.items():
            path = f"{child.schema_path}.{key}"
            errors += _unknown(expression, path, top, row)
            if group.name in expression.form_refs:
                errors.append(schema_error(path, "own_group_reference", name=group.name))
    return errors + _check_rules(group.rules, top, row)


def _check_rules(rules: Sequence[RuleSpec], top: set[str],
                 row: set[str] | None) -> list[SchemaError]:
    errors: list[SchemaError] = []
    for rule in rules:
        errors += _unknown(rule.expression, f"{rule.schema_path}.expr", top, row)
        refs = rule.expression.row_refs if row is not None else rule.expression.form_refs
        if rule.field not in (row if row is not None else top) and rule.field not in refs:
            errors.append(schema_error(f"{rule.schema_path}.field", "rule_field_unknown",
                                       name=rule.field))
    return errors


def _unknown(expression: Expression, path: str, top: set[str],
             row: set[str] | None) -> list[SchemaError]:
    errors = [schema_error(path, "unknown_reference", name=name)
              for name in expression.form_refs if name not in top]
    if expression.row_refs and row is None:
        errors.append(schema_error(path, "row_outside_group"))
    elif row is not None:
        errors += [schema_error(path, "unknown_reference", name=f"row.{name}")
                   for name in expression.row_refs if name not in row]
    return errors


def _form_edges(fields: Sequence[FieldSpec]) -> Edges:
    edges: Edges = {}
    for spec in fields:
        own = _edges_of(spec, lambda e: e.form_refs)
        if spec.type == "group":
            for child in spec.fields:
                for name, path in _edges_of(child, lambda e: e.form_refs).items():
                    own.setdefault(name, path)
            own.pop(spec.name, None)  # reported as own_group_reference
        edges[spec.name] = own
    return edges


def _row_edges(group: FieldSpec) -> Edges:
    return {child.name: _edges_of(child, lambda e: e.row_refs) for child in group.fields}


def _edges_of(spec: FieldSpec, refs: Callable[[Expression], Iterable[str]]) -> dict[str, str]:
    edges: dict[str, str] = {}
    for key, expression in spec.expressions.items():
        for name in refs(expression):
            edges.setdefault(name, f"{spec.schema_path}.{key}")
    return edges


def _order(names: Sequence[str], edges: Mapping[str, Mapping[str, str]]
           ) -> tuple[list[str], list[SchemaError]]:
    """Depth-first topological order that keeps declaration order where it can."""
    order: list[str] = []
    errors: list[SchemaError] = []
    done: set[str] = set()
    active: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in active:
            cycle = active[active.index(name):] + [name]
            errors.append(schema_error(edges[cycle[0]][cycle[1]], "circular_dependency",
                                       cycle=" → ".join(cycle)))
            return
        active.append(name)
        for dependency in edges.get(name, {}):
            if dependency in edges:
                visit(dependency)
        active.pop()
        done.add(name)
        order.append(name)

    for name in names:
        visit(name)
    return order, errors
