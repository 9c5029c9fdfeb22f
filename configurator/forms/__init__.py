"""Form schema and validation engine (pure domain: no database, no web framework).

Public API::

    check_schema(schema_dict) -> list[SchemaError]          # on save
    FormSchema.parse(schema_dict) -> FormSchema              # raises SchemaInvalid(errors)
    validate_submission(schema, data, *, identity=None, context=None) -> ValidationResult
    prefill(schema, identity) -> {field: {"value": ..., "source": "identity.name"}}
    render_spec(schema, values=None, errors=(), *, identity=None, context=None) -> list[dict]

Field types: text, textarea, number, money, date, date_range, select, multi_select,
checkbox, radio, phone, email, resident_id, uscc, division, file, group.
Expressions (show_if, required_if, compute, rules[].expr) are CEL, see ``expressions``.
"""

from .errors import FieldError, SchemaError, SchemaInvalid
from .evaluation import Evaluation
from .field_types import FIELD_TYPES
from .labels import Label
from .prefill import prefill
from .render import render_spec
from .schema import FormSchema, check_schema
from .spec import FieldSpec, Option, RuleSpec
from .validation import ValidationContext, ValidationResult, evaluate, validate_submission

__all__ = [
    "FIELD_TYPES", "Evaluation", "FieldError", "FieldSpec", "FormSchema", "Label", "Option",
    "RuleSpec", "SchemaError", "SchemaInvalid", "ValidationContext", "ValidationResult",
    "check_schema", "evaluate", "prefill", "render_spec", "validate_submission",
]
