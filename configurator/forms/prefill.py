"""Initial values of a form: prefilled from the signed-in identity, else the schema defaults."""

from __future__ import annotations

from typing import Any, Mapping

from .errors import Invalid
from .field_types import FIELD_TYPES
from .schema import FormSchema
from .spec import CleanEnv, FieldSpec, beijing_today
from .values import is_blank

DEFAULT_SOURCE = "default"


def prefill(schema: FormSchema | Mapping[str, Any],
            identity: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``{field: {"value": canonical value, "source": "identity.name" | "default"}}``.

    An identity value that is not valid for the field (e.g. a malformed phone) is
    not offered; the field falls back to its default, if any.
    """
    form = schema if isinstance(schema, FormSchema) else FormSchema.parse(schema)
    env = CleanEnv(today=beijing_today())
    values: dict[str, dict[str, Any]] = {}
    for spec in form.fields:
        if spec.compute is not None:
            continue
        value = _from_identity(spec, identity or {}, env)
        if value is not None:
            values[spec.name] = {"value": value, "source": f"identity.{spec.prefill}"}
        elif spec.default is not None:
            values[spec.name] = {"value": spec.default, "source": DEFAULT_SOURCE}
    return values


def _from_identity(spec: FieldSpec, identity: Mapping[str, Any], env: CleanEnv) -> Any:
    cleaner = FIELD_TYPES[spec.type].clean
    raw = identity.get(spec.prefill) if spec.prefill else None
    if cleaner is None or is_blank(raw):
        return None
    try:
        return cleaner(spec, raw, env)
    except Invalid:
        return None
