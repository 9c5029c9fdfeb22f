"""Whatever arrives from outside, the engine answers with errors instead of crashing."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tongban.configurator.forms import FormSchema, check_schema, validate_submission

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text(max_size=12))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
FIELD_KEYS = st.sampled_from(["name", "type", "label", "required", "options", "fields", "min",
                              "max", "pattern", "show_if", "compute", "default", "accept"])
FIELD_TYPES = st.sampled_from(["text", "number", "money", "date", "date_range", "select",
                               "multi_select", "checkbox", "phone", "file", "group", "division"])
NAMED_FIELDS = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "c"]), "type": FIELD_TYPES, "label": st.just("字段")},
    optional={key: JSON_VALUES for key in ["required", "options", "fields", "min", "max",
                                           "pattern", "default", "accept", "min_rows"]}
    | {"show_if": st.sampled_from(["a", "form.b > 1", "row.c", "form.a == form.c", "x("])})
FOOD = FormSchema.parse(
    json.loads((Path(__file__).parent / "food_license.json").read_text("utf-8")))
FIELD_NAMES = st.sampled_from(list(FOOD.by_name) + ["forged"])


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(NAMED_FIELDS | st.dictionaries(FIELD_KEYS, JSON_VALUES | FIELD_TYPES, max_size=6),
                max_size=4))
def test_check_schema_never_crashes(fields):
    errors = check_schema({"fields": fields})

    assert all(error.message_zh and error.message_en for error in errors)


@settings(max_examples=200, deadline=None, database=None)
@given(st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=8))
def test_validate_submission_never_crashes(data):
    result = validate_submission(FOOD, data)

    assert result.ok == (not result.errors)
    assert set(result.cleaned) <= set(FOOD.by_name)
