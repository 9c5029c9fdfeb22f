"""Describing each field for rendering, so a portal template can render from the schema."""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from .errors import FieldError
from .prefill import prefill
from .schema import FormSchema
from .spec import FieldSpec
from .validation import ValidationContext, evaluate
from .values import to_json

_ROW_INDEX = re.compile(r"^\[\d+\]$")
_CONSTRAINTS = ("min_length", "max_length", "min_value", "max_value", "min_count", "max_count",
                "max_size", "min_rows", "max_rows", "within")


def render_spec(schema: FormSchema | Mapping[str, Any], values: Mapping[str, Any] | None = None,
                errors: Iterable[FieldError] = (), *,
                identity: Mapping[str, Any] | None = None,
                context: ValidationContext | Mapping[str, Any] | None = None
                ) -> list[dict[str, Any]]:
    """One plain dict per top-level field: name, path, type, label, required, visible,
    readonly, options, constraints, value and error messages (zh/en).

    Without ``values`` the form shows its prefill (identity, then defaults).
    """
    form = schema if isinstance(schema, FormSchema) else FormSchema.parse(schema)
    if values is None:
        values = {name: entry["value"] for name, entry in prefill(form, identity).items()}
    state = evaluate(form, values, identity=identity, context=context)
    view = _View(state.visible, state.required, list(errors))
    return [view.field(spec, spec.name, values.get(spec.name), state.cleaned.get(spec.name))
            for spec in form.fields]


class _View:
    def __init__(self, visible: dict[str, bool], required: dict[str, bool],
                 errors: list[FieldError]) -> None:
        self.visible, self.required, self.errors = visible, required, errors

    def field(self, spec: FieldSpec, path: str, raw: Any, cleaned: Any) -> dict[str, Any]:
        described = {
            "name": spec.name, "path": path, "type": spec.type, "label": spec.label.as_dict(),
            "help": spec.help.as_dict() if spec.help else None,
            "placeholder": spec.placeholder.as_dict() if spec.placeholder else None,
            "required": self.required.get(path, spec.required),
            "visible": self.visible.get(path, True),
            "readonly": spec.compute is not None or spec.locked,
            "options": [{"value": o.value, "label": o.label.as_dict()} for o in spec.options],
            "constraints": _constraints(spec),
            "value": to_json(cleaned if cleaned is not None else raw),
            "errors": self._errors_of(spec, path),
        }
        if spec.type == "group":
            rows = raw if isinstance(raw, list) else []
            cleaned_rows = cleaned if isinstance(cleaned, list) else [{}] * len(rows)
            described["template"] = [self.field(c, c.name, None, None) for c in spec.fields]
            described["rows"] = [self._row(spec, f"{path}[{i}]", row, cleaned_row)
                                 for i, (row, cleaned_row) in enumerate(zip(rows, cleaned_rows))]
            described["value"] = None
        return described

    def _errors_of(self, spec: FieldSpec, path: str) -> list[dict[str, str]]:
        """Errors at the field's path or inside it ("period.start", "files[1]"); a group
        keeps only its own and whole-row errors, its row fields show the rest."""
        return [{"code": error.code, "zh": error.message_zh, "en": error.message_en}
                for error in self.errors if _belongs(error.path, path, spec.type == "group")]

    def _row(self, group: FieldSpec, row_path: str, raw_row: Any,
             cleaned_row: Mapping[str, Any]) -> list[dict[str, Any]]:
        row = raw_row if isinstance(raw_row, Mapping) else {}
        return [self.field(child, f"{row_path}.{child.name}", row.get(child.name),
                           cleaned_row.get(child.name)) for child in group.fields]


def _constraints(spec: FieldSpec) -> dict[str, Any]:
    found = {key.replace("_value", ""): to_json(getattr(spec, key)) for key in _CONSTRAINTS
             if getattr(spec, key) is not None}
    if spec.pattern is not None:
        found["pattern"] = spec.pattern.pattern
    if spec.accept:
        found["accept"] = list(spec.accept)
    if spec.type == "number":
        found["decimals"] = spec.decimals
    if spec.type == "phone":
        found["phone_kind"] = spec.phone_kind
    return found


def _belongs(error_path: str, path: str, is_group: bool) -> bool:
    if error_path == path:
        return True
    rest = error_path[len(path):] if error_path.startswith(path) else ""
    if is_group:
        return bool(_ROW_INDEX.match(rest))
    return rest.startswith((".", "["))
