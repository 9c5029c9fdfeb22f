"""Settling a submission against a parsed schema, field by field in dependency order.

For each field: evaluate ``show_if`` (hidden fields are dropped), take its value
(computed, locked prefill, submitted or default), clean it to the canonical type,
then check requiredness. Groups are settled row by row with ``row`` in scope.
Cross-field rules run last, on fields that cleaned without error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .cleaners_basic import round_computed
from .errors import FieldError, Invalid
from .expressions import Expression, ExpressionFailed
from .field_types import FIELD_TYPES
from .labels import Label
from .messages import field_error
from .spec import CleanEnv, FieldSpec, RuleSpec
from .values import is_blank, to_cel

MISSING: Any = object()
MAX_ROWS = 1000  # hard cap on group rows when the schema sets no max_rows
_NO_LABEL = Label("", "")


@dataclass
class Evaluation:
    """The outcome of settling a submission; ``visible``/``required`` are keyed by path."""

    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    visible: dict[str, bool] = field(default_factory=dict)
    required: dict[str, bool] = field(default_factory=dict)


class Evaluator:
    def __init__(self, fields: tuple[FieldSpec, ...], order: tuple[str, ...],
                 rules: tuple[RuleSpec, ...], env: CleanEnv,
                 identity: Mapping[str, Any] | None) -> None:
        self.by_name = {spec.name: spec for spec in fields}
        self.fields, self.order, self.rules, self.env = fields, order, rules, env
        self.identity = dict(identity or {})
        self.identity_cel = to_cel(self.identity)
        self.today = env.today.isoformat()
        self.form_cel: dict[str, Any] = {}
        self.group_rows_cel: dict[str, list[dict[str, Any]]] = {}
        self.values: dict[str, Any] = {}
        self.failed: set[str] = set()  # top-level fields with an error somewhere inside
        self.result = Evaluation()

    def run(self, data: Any) -> Evaluation:
        if not isinstance(data, Mapping):
            self.result.errors.append(field_error("", "invalid_submission", _NO_LABEL))
            return self.result
        self._refuse_unknown(data, self.by_name, prefix="")
        for name in self.order:
            spec = self.by_name[name]
            self.values[name] = self._settle(spec, data.get(name, MISSING), name, {}, name)
            self.form_cel[name] = self._cel_value(spec, name)
        self._apply_rules(self.rules, {}, "", self.failed)
        self.result.cleaned = {spec.name: self.values[spec.name] for spec in self.fields
                               if self.values.get(spec.name) is not None}
        return self.result

    def _settle(self, spec: FieldSpec, raw: Any, path: str, row: dict[str, Any],
                top_name: str) -> Any:
        visible = spec.show_if is None or self._holds(spec.show_if, row)
        self.result.visible[path] = visible
        if not visible:
            return None
        errors_before = len(self.result.errors)
        if spec.type == "group":
            value = self._settle_group(spec, raw, path)
        else:
            value = self._value(spec, raw, path, row)
        required = spec.required or (spec.required_if is not None
                                     and self._holds(spec.required_if, row))
        self.result.required[path] = required
        if required and _is_empty(spec, value) and len(self.result.errors) == errors_before:
            message = FIELD_TYPES[spec.type].required_message
            self._error(path, "required", spec, message_key=message)
        if len(self.result.errors) > errors_before:
            self.failed.add(top_name)
        return value

    def _value(self, spec: FieldSpec, raw: Any, path: str, row: dict[str, Any]) -> Any:
        if spec.compute is not None:
            raw = round_computed(spec, self._run(spec.compute, row))
        elif spec.locked and spec.prefill and not is_blank(self.identity.get(spec.prefill)):
            raw = self.identity[spec.prefill]
        elif raw is MISSING:
            return spec.default
        if is_blank(raw):
            return None
        try:
            return FIELD_TYPES[spec.type].clean(spec, raw, self.env)  # type: ignore[misc]
        except Invalid as exc:
            self._invalid(spec, path + exc.subpath, exc)
            return None

    def _invalid(self, spec: FieldSpec, path: str, exc: Invalid) -> None:
        custom = spec.pattern_message if exc.code == "pattern" else None
        if custom is not None:
            self.result.errors.append(FieldError(path, exc.code, custom.zh, custom.en))
        else:
            self._error(path, exc.code, spec, **exc.params)

    def _settle_group(self, spec: FieldSpec, raw: Any, path: str) -> list[dict[str, Any]] | None:
        self.group_rows_cel[spec.name] = []
        if raw is MISSING or is_blank(raw):
            if spec.min_rows:
                self._error(path, "too_few_rows", spec, min=spec.min_rows)
            return None
        if not isinstance(raw, list):
            self._error(path, "not_a_list", spec)
            return None
        if not self._row_count_ok(spec, len(raw), path):
            return None
        cleaned = []
        for index, raw_row in enumerate(raw):
            cleaned_row, row_cel = self._settle_row(spec, raw_row, path, index)
            cleaned.append(cleaned_row)
            self.group_rows_cel[spec.name].append(row_cel)
        return cleaned

    def _row_count_ok(self, spec: FieldSpec, count: int, path: str) -> bool:
        if spec.min_rows is not None and count < spec.min_rows:
            self._error(path, "too_few_rows", spec, min=spec.min_rows)
        limit = spec.max_rows if spec.max_rows is not None else MAX_ROWS
        if count > limit:
            self._error(path, "too_many_rows", spec, max=limit)
            return False
        return True

    def _settle_row(self, group: FieldSpec, raw_row: Any, group_path: str,
                    index: int) -> tuple[dict[str, Any], dict[str, Any]]:
        row_path = f"{group_path}[{index}]"
        row_cel: dict[str, Any] = dict.fromkeys(group.children)
        if not isinstance(raw_row, Mapping):
            self._error(row_path, "invalid_row", group, row=index + 1)
            return {}, row_cel
        self._refuse_unknown(raw_row, group.children, prefix=row_path + ".")
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for name in group.row_order:
            child, child_path = group.children[name], f"{row_path}.{name}"
            errors_before = len(self.result.errors)
            values[name] = self._settle(child, raw_row.get(name, MISSING), child_path, row_cel,
                                        group.name)
            row_cel[name] = to_cel(values[name])
            if len(self.result.errors) > errors_before:
                failed.add(name)
        self._apply_rules(group.rules, row_cel, row_path + ".", failed)
        cleaned = {c.name: values[c.name] for c in group.fields if values[c.name] is not None}
        return cleaned, row_cel

    def _cel_value(self, spec: FieldSpec, name: str) -> Any:
        if spec.type == "group":
            return self.group_rows_cel.get(name)
        return to_cel(self.values.get(name))

    def _apply_rules(self, rules: tuple[RuleSpec, ...], row: dict[str, Any], prefix: str,
                     failed: set[str]) -> None:
        for rule in rules:
            refs = rule.expression.row_refs if prefix else rule.expression.form_refs
            if failed.intersection(refs) or not self.result.visible.get(prefix + rule.field, True):
                continue
            if self._run(rule.expression, row) is False:
                self.result.errors.append(FieldError(prefix + rule.field, rule.code,
                                                     rule.message.zh, rule.message.en))

    def _refuse_unknown(self, data: Mapping[str, Any], known: Mapping[str, Any],
                        prefix: str) -> None:
        for key in data:
            if key not in known:
                self.result.errors.append(field_error(f"{prefix}{key}", "unknown_field", _NO_LABEL,
                                                      name=str(key)[:64]))

    def _holds(self, expression: Expression, row: dict[str, Any]) -> bool:
        return self._run(expression, row) is True

    def _run(self, expression: Expression, row: dict[str, Any]) -> Any:
        """Evaluate; a failing expression counts as "no value" (None)."""
        try:
            return expression.evaluate(self.form_cel, row, self.identity_cel, self.today)
        except ExpressionFailed:
            return None

    def _error(self, path: str, code: str, spec: FieldSpec, message_key: str | None = None,
               **params: Any) -> None:
        self.result.errors.append(field_error(path, code, spec.label, message_key, **params))


def _is_empty(spec: FieldSpec, value: Any) -> bool:
    return value is None or (spec.type == "checkbox" and value is False)
