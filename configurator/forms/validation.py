"""``validate_submission``: the one server-side check of a submitted form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Collection, Mapping

from .errors import FieldError
from .evaluation import Evaluation, Evaluator
from .schema import FormSchema
from .spec import CleanEnv, DivisionLookup, beijing_today, division_lookup
from .values import to_json


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """What the engine needs from outside the schema.

    ``division_codes`` is a predicate or a collection of valid division codes (the
    tenant tree); without it, division fields are checked for format only.
    ``today`` fixes the date used for ``"today"`` bounds and the CEL ``today``.
    """

    division_codes: DivisionLookup | Collection[str] | None = None
    today: dt.date | None = None

    @classmethod
    def of(cls, context: ValidationContext | Mapping[str, Any] | None) -> ValidationContext:
        if context is None:
            return cls()
        if isinstance(context, ValidationContext):
            return context
        return cls(division_codes=context.get("division_codes"), today=context.get("today"))

    def clean_env(self) -> CleanEnv:
        return CleanEnv(today=self.today or beijing_today(),
                        division_known=division_lookup(self.division_codes))


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """``cleaned`` holds canonical values of visible, filled fields only (hidden ones are
    dropped): int/float for numbers, Decimal("12.50") for money, ``datetime.date`` for dates."""

    cleaned: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_at(self, path: str) -> list[FieldError]:
        return [error for error in self.errors if error.path == path]

    def as_json(self) -> dict[str, Any]:
        """The cleaned data ready for JSON: money as "12.50", dates as "2024-05-01"."""
        return to_json(self.cleaned)


def validate_submission(schema: FormSchema | Mapping[str, Any], data: Any, *,
                        identity: Mapping[str, Any] | None = None,
                        context: ValidationContext | Mapping[str, Any] | None = None
                        ) -> ValidationResult:
    """Check and clean ``data`` against ``schema`` (parse the schema once and reuse it).

    Unknown keys are refused, hidden fields dropped, computed and locked prefilled
    fields set by the server, values coerced to canonical types.
    """
    evaluation = evaluate(schema, data, identity=identity, context=context)
    return ValidationResult(cleaned=evaluation.cleaned, errors=evaluation.errors)


def evaluate(schema: FormSchema | Mapping[str, Any], data: Any, *,
             identity: Mapping[str, Any] | None = None,
             context: ValidationContext | Mapping[str, Any] | None = None) -> Evaluation:
    """Like ``validate_submission`` but also reports visibility and requiredness per path."""
    form = schema if isinstance(schema, FormSchema) else FormSchema.parse(schema)
    env = ValidationContext.of(context).clean_env()
    return Evaluator(form.fields, form.order, form.rules, env, identity).run(data)
