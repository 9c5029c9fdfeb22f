"""Checking a schema on save: every fault is reported with a path pointing at it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tongban.configurator.forms import FormSchema, SchemaInvalid, check_schema

NAME = {"name": "operator_name", "type": "text", "label": {"zh": "经营者姓名", "en": "Name"}}


def with_field(field: dict, **schema) -> dict:
    """A schema whose second field (fields[1]) is the one under test."""
    return {"fields": [NAME, field], **schema}


def paths(schema: dict) -> list[str]:
    return [error.path for error in check_schema(schema)]


def messages(schema: dict) -> list[str]:
    return [error.message_en for error in check_schema(schema)]


@pytest.mark.parametrize("name", ["getihu_setup", "food_license"])
def test_real_service_item_schemas_are_fine(name):
    schema = json.loads((Path(__file__).parent / f"{name}.json").read_text("utf-8"))

    assert check_schema(schema) == []


@pytest.mark.parametrize(("schema", "path"), [
    ([], ""),
    ({}, "fields"),
    ({"fields": []}, "fields"),
    ({"fields": [NAME], "title": "x", "colour": "red"}, "colour"),
    (with_field("text"), "fields[1]"),
])
def test_malformed_schema_shapes(schema, path):
    assert paths(schema) == [path]


@pytest.mark.parametrize(("field", "path", "message"), [
    ({"name": "x", "type": "signature", "label": "签名"}, "fields[1].type", "Unknown field type"),
    ({"name": "x", "label": "签名"}, "fields[1]", "type is missing"),
    ({"type": "text", "label": "姓名"}, "fields[1]", "name is missing"),
    ({"name": "2nd", "type": "text", "label": "x"}, "fields[1].name", "is invalid"),
    ({"name": "form", "type": "text", "label": "x"}, "fields[1].name", "reserved"),
    ({"name": "x", "type": "text"}, "fields[1]", "label is missing"),
    ({"name": "x", "type": "text", "label": {"en": ""}}, "fields[1].label", "label is missing"),
    ({"name": "x", "type": "text", "label": "x", "requried": True}, "fields[1].requried",
     "Unknown property"),
    ({"name": "x", "type": "text", "label": "x", "options": ["a"]}, "fields[1].options",
     "cannot have 'options'"),
    ({"name": "x", "type": "text", "label": "x", "required": "yes"}, "fields[1].required",
     "true or false"),
    ({"name": "x", "type": "text", "label": "x", "pattern": "[0-9"}, "fields[1].pattern",
     "regular expression is invalid"),
    ({"name": "x", "type": "text", "label": "x", "pattern": "^(\\d+)+$"}, "fields[1].pattern",
     "backtracking"),
    ({"name": "x", "type": "text", "label": "x", "min_length": 10, "max_length": 2},
     "fields[1].min_length", "min_length cannot be greater than max_length"),
    ({"name": "x", "type": "money", "label": "x", "min": 100, "max": 1}, "fields[1].min",
     "min cannot be greater than max"),
    ({"name": "x", "type": "date", "label": "x", "min": "2025-13-01"}, "fields[1].min",
     "YYYY-MM-DD"),
    ({"name": "x", "type": "number", "label": "x", "max": "many"}, "fields[1].max",
     "must be a number"),
    ({"name": "x", "type": "select", "label": "x"}, "fields[1].options", "options list"),
    ({"name": "x", "type": "radio", "label": "x", "options": []}, "fields[1].options",
     "options list"),
    ({"name": "x", "type": "select", "label": "x", "options": ["a", "a"]},
     "fields[1].options[1]", "Duplicate option"),
    ({"name": "x", "type": "select", "label": "x", "options": [{"label": "无值"}]},
     "fields[1].options[0]", "An option must be"),
    ({"name": "x", "type": "group", "label": "x"}, "fields[1].fields", "non-empty fields"),
    ({"name": "x", "type": "group", "label": "x", "fields": [
        {"name": "y", "type": "group", "label": "y", "fields": [NAME]}]},
     "fields[1].fields[0].type", "cannot contain another group"),
    ({"name": "x", "type": "group", "label": "x", "fields": [NAME, NAME]},
     "fields[1].fields[1].name", "Duplicate field name"),
    ({"name": "x", "type": "group", "label": "x", "fields": [NAME], "compute": "1"},
     "fields[1].compute", "cannot have 'compute'"),
    ({"name": "x", "type": "number", "label": "x", "default": "many"}, "fields[1].default",
     "default value is invalid"),
    ({"name": "x", "type": "select", "label": "x", "options": ["a"], "default": "b"},
     "fields[1].default", "default value is invalid"),
    ({"name": "x", "type": "text", "label": "x", "prefill": "session.name"},
     "fields[1].prefill", "identity.name"),
    ({"name": "x", "type": "text", "label": "x", "locked": True}, "fields[1].locked",
     "locked needs prefill"),
    ({"name": "x", "type": "phone", "label": "x", "phone_kind": "fax"}, "fields[1].phone_kind",
     "phone_kind"),
    ({"name": "x", "type": "file", "label": "x", "accept": ["pdf", "*.exe"]},
     "fields[1].accept", "accept"),
    ({"name": "x", "type": "division", "label": "x", "within": "hainan"}, "fields[1].within",
     "division code"),
    ({"name": "x", "type": "file", "label": "x", "max_size": -1}, "fields[1].max_size",
     "non-negative integer"),
])
def test_field_faults_point_at_the_property(field, path, message):
    errors = check_schema(with_field(field))

    assert [error.path for error in errors] == [path]
    assert message in errors[0].message_en
    assert errors[0].message_zh


def test_duplicate_field_names():
    assert paths({"fields": [NAME, {"name": "phone", "type": "phone", "label": "电话"}, NAME]}) == [
        "fields[2].name"]


@pytest.mark.parametrize(("key", "expression", "message"), [
    ("show_if", "form.operator_name ==", "does not compile"),
    ("show_if", "", "non-empty text"),
    ("show_if", 42, "non-empty text"),
    ("required_if", "form.operater_name != ''", "unknown field 'operater_name'"),
    ("compute", "operater_name + '（个体）'", "unknown field 'operater_name'"),
    ("show_if", "row.relation == 'spouse'", "Only fields inside a group can use row"),
    ("show_if", "size(form) > 1", "Use 'form' as form.<field>"),
    ("show_if", "exec('rm -rf /')", "unknown function 'exec'"),
])
def test_expression_faults(key, expression, message):
    field = {"name": "x", "type": "text", "label": "x", key: expression}

    errors = check_schema(with_field(field))

    assert [error.path for error in errors] == [f"fields[1].{key}"]
    assert message in errors[0].message_en


def test_the_fourth_field_show_if_is_pointed_at():
    fields = [NAME, dict(NAME, name="a"), dict(NAME, name="b"),
              dict(NAME, name="c", show_if="form.nope == 1")]

    assert paths({"fields": fields}) == ["fields[3].show_if"]


def test_row_expression_faults():
    group = {"name": "members", "type": "group", "label": "家庭成员", "fields": [
        {"name": "relation", "type": "text", "label": "关系"},
        {"name": "certificate", "type": "file", "label": "结婚证",
         "show_if": "row.relaton == 'spouse'"},
        {"name": "share", "type": "money", "label": "出资",
         "compute": "form.members.size() * 1.0"}]}

    errors = check_schema(with_field(group))

    assert [error.path for error in errors] == ["fields[1].fields[1].show_if",
                                                "fields[1].fields[2].compute"]
    assert "row.relaton" in errors[0].message_en
    assert "own group" in errors[1].message_en


@pytest.mark.parametrize(("rules", "path", "message"), [
    ({"expr": "true"}, "rules", "must be a list"),
    ([{"message": "x"}], "rules[0].expr", "non-empty text"),
    ([{"expr": "operator_name != ''"}], "rules[0].message", "needs a message"),
    ([{"expr": "form.nope > 1", "message": "x"}], "rules[0].expr", "unknown field 'nope'"),
    ([{"expr": "1 < 2", "message": "x"}], "rules[0]", "refers to no field"),
    ([{"expr": "operator_name != ''", "field": "nope", "message": "x"}], "rules[0].field",
     "unknown field 'nope'"),
    ([{"expr": "operator_name != ''", "message": "x", "level": "warn"}], "rules[0].level",
     "Unknown property"),
])
def test_rule_faults(rules, path, message):
    errors = check_schema(with_field(dict(NAME, name="other"), rules=rules))

    assert [error.path for error in errors] == [path]
    assert message in errors[0].message_en


def test_circular_show_if_is_refused():
    fields = [{"name": "a", "type": "text", "label": "A", "show_if": "form.b != ''"},
              {"name": "b", "type": "text", "label": "B", "show_if": "form.a != ''"}]

    errors = check_schema({"fields": fields})

    assert [error.path for error in errors] == ["fields[0].show_if"]
    assert errors[0].message_zh == "存在循环依赖：a → b → a"
    assert errors[0].message_en == "Circular dependency: a → b → a"


def test_circular_computation_through_three_fields_is_refused():
    fields = [{"name": "net", "type": "money", "label": "净额", "compute": "gross - tax"},
              {"name": "gross", "type": "money", "label": "总额", "compute": "net + fee"},
              {"name": "fee", "type": "money", "label": "费用"},
              {"name": "tax", "type": "money", "label": "税额", "compute": "net * 0.1"}]

    assert [e.message_en for e in check_schema({"fields": fields})] == [
        "Circular dependency: net → gross → net", "Circular dependency: net → tax → net"]


def test_required_if_takes_part_in_cycles_and_self_reference_is_a_cycle():
    fields = [{"name": "a", "type": "text", "label": "A", "required_if": "b == ''"},
              {"name": "b", "type": "text", "label": "B", "show_if": "a != ''"},
              {"name": "c", "type": "number", "label": "C", "compute": "c + 1"}]

    assert paths({"fields": fields}) == ["fields[0].required_if", "fields[2].compute"]


def test_circular_dependency_inside_group_rows():
    group = {"name": "items", "type": "group", "label": "明细", "fields": [
        {"name": "price", "type": "money", "label": "单价", "compute": "row.amount / 2.0"},
        {"name": "amount", "type": "money", "label": "金额", "compute": "row.price * 2.0"}]}

    assert messages(with_field(group)) == ["Circular dependency: price → amount → price"]


def test_group_and_form_field_depending_on_each_other():
    fields = [{"name": "total", "type": "money", "label": "合计",
               "compute": "sum(form.items.map(i, i.amount))"},
              {"name": "items", "type": "group", "label": "明细", "fields": [
                  {"name": "amount", "type": "money", "label": "金额"},
                  {"name": "note", "type": "text", "label": "说明",
                   "show_if": "form.total > 100.0"}]}]

    assert messages({"fields": fields}) == ["Circular dependency: total → items → total"]


def test_parse_raises_with_every_error():
    schema = {"fields": [{"name": "x", "type": "select", "label": "x"},
                         {"name": "x", "type": "text", "label": "x"}]}

    with pytest.raises(SchemaInvalid) as raised:
        FormSchema.parse(schema)

    assert [error.path for error in raised.value.errors] == ["fields[0].options", "fields[1].name"]
    assert "fields[0].options" in str(raised.value)


def test_schema_errors_are_bilingual():
    errors = check_schema({"fields": [{"name": "x", "type": "signature"}]})

    assert errors
    for error in errors:
        assert error.message_zh and error.message_en and error.message_zh != error.message_en
