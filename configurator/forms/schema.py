"""The form schema: ``check_schema`` on save and ``FormSchema.parse`` to use it.

A schema is a dict loaded from JSON::

    {"id": "getihu_setup", "title": {"zh": "个体工商户设立登记", "en": "..."},
     "fields": [{"name": "operator_id", "type": "resident_id", "required": true,
                 "label": {"zh": "身份证号码", "en": "ID number"},
                 "prefill": "identity.resident_id", "locked": true}, ...],
     "rules": [{"id": "period_order", "expr": "valid_to >= valid_from", "field": "valid_to",
                "message": {"zh": "...", "en": "..."}}]}

Every field: ``name``, ``type``, ``label`` (text or {zh, en}), ``help``, ``placeholder``,
``required``, ``show_if``, ``required_if``; all but groups also ``default``, ``compute``,
``prefill`` ("identity.<key>") and ``locked``. Per type (see ``field_types``):

* text / textarea: ``min_length``, ``max_length``, ``pattern``, ``pattern_message``;
  text also ``enum``
* number: ``min``, ``max``, ``decimals`` (0 = whole numbers), ``enum``
* money: ``min``, ``max``, ``allow_negative``
* date / date_range: ``min``, ``max`` (YYYY-MM-DD or "today")
* select / radio: ``options``; multi_select also ``min_count``, ``max_count``
* phone: ``phone_kind`` (mobile / landline / any); email: ``max_length``
* division: ``within`` (a code prefix, e.g. "46" for Hainan)
* file: ``accept``, ``max_size`` (bytes), ``min_count``, ``max_count``
* group: ``fields`` (the row sub-schema), ``min_rows``, ``max_rows``, ``rules`` (row rules)

Parsing compiles every pattern and CEL expression once; the parsed schema keeps
them, so validating a submission never compiles anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .dependencies import check_references, settle_order
from .errors import SchemaError, SchemaInvalid
from .labels import Label
from .messages import schema_error
from .schema_builder import SchemaBuilder
from .spec import FieldSpec, RuleSpec

SCHEMA_KEYS = frozenset({"id", "title", "version", "description", "fields", "rules", "meta"})


@dataclass(frozen=True, slots=True)
class FormSchema:
    fields: tuple[FieldSpec, ...]
    rules: tuple[RuleSpec, ...] = ()
    order: tuple[str, ...] = ()  # top-level fields in evaluation order
    by_name: Mapping[str, FieldSpec] = field(default_factory=dict)
    id: str | None = None
    title: Label | None = None

    @classmethod
    def parse(cls, schema: Mapping[str, Any]) -> FormSchema:
        """Build the schema or raise ``SchemaInvalid`` carrying every SchemaError."""
        parsed, errors = _build(schema)
        if errors or parsed is None:
            raise SchemaInvalid(errors)
        return parsed


def check_schema(schema: Any) -> list[SchemaError]:
    """All faults of a schema about to be saved; an empty list when it is fine."""
    return _build(schema)[1]


def _build(schema: Any) -> tuple[FormSchema | None, list[SchemaError]]:
    if not isinstance(schema, Mapping):
        return None, [schema_error("", "not_an_object")]
    builder = SchemaBuilder()
    for key in schema.keys() - SCHEMA_KEYS:
        builder.fault(str(key), "unknown_property", key=key)
    fields = builder.fields(schema.get("fields"), "fields")
    rules = builder.rules(schema.get("rules"), "rules", row_scope=False)
    errors = builder.errors + check_references(fields, rules)
    fields, order, cycles = settle_order(fields)
    errors += cycles
    if errors:
        return None, errors
    parsed = FormSchema(fields=tuple(fields), rules=tuple(rules), order=tuple(order),
                        by_name={spec.name: spec for spec in fields},
                        id=schema.get("id") if isinstance(schema.get("id"), str) else None,
                        title=Label.from_raw(schema.get("title")))
    return parsed, []
