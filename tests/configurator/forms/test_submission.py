"""Whole submissions: the happy path, forged keys, canonical output, messages, speed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tongban.configurator.forms import (FormSchema, ValidationContext, check_schema,
                                        validate_submission)


def codes(result) -> list[tuple[str, str]]:
    return [(error.path, error.code) for error in result.errors]


def test_individual_business_registration_passes(getihu_schema, getihu_submission, operator,
                                                 sample):
    result = validate_submission(getihu_schema, getihu_submission, identity=operator,
                                 context={"division_codes": sample.divisions})

    assert result.ok, result.errors
    assert result.cleaned == {
        "operator_name": "王海生",
        "operator_id": sample.operator_id,
        "phone": "13876543210",
        "email": "wanghs@example.cn",
        "business_name": "海口秀英王记茶饮店",
        "composition": "individual",
        "business_scope": ["retail", "tea"],
        "premises_division": "460105",
        "premises_address": "海口市秀英区长滨路 18 号",
        "capital": Decimal("50000.00"),
        "employees": 3,
        "id_copy": [{"id": "up-1", "name": "身份证.pdf", "size": 204800,
                     "content_type": "application/pdf"}],
        "promise": True,
    }


def test_food_licence_cleaned_data_is_json_ready(food_schema, food_submission, sample):
    result = validate_submission(food_schema, food_submission)

    assert result.ok, result.errors
    assert result.cleaned["valid_from"] == dt.date(2025, 1, 1)
    document = result.as_json()
    assert document["equipment_investment"] == "30000.50"
    assert document["facility_investment"] == "19999.50"
    assert document["total_investment"] == "50000.00"
    assert document["premises_area"] == 120.5
    assert document["valid_to"] == "2029-12-31"
    assert document["safety_staff"][0]["staff_id"] == sample.spouse_id
    json.dumps(document, ensure_ascii=False)


def test_forged_keys_are_refused(food_schema, food_submission):
    food_submission["approved"] = True
    food_submission["fee_waived"] = "yes"

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("approved", "unknown_field"), ("fee_waived", "unknown_field")]
    assert "approved" not in result.cleaned
    assert result.errors[0].message_zh == "提交的数据包含表单中未定义的字段“approved”"
    assert result.errors[0].message_en == "The submission contains the unknown field 'approved'"


def test_submission_must_be_an_object(food_schema):
    result = validate_submission(food_schema, ["not", "a", "form"])

    assert codes(result) == [("", "invalid_submission")]


def test_locked_prefill_cannot_be_changed_by_the_applicant(getihu_schema, getihu_submission,
                                                           operator, sample):
    getihu_submission["operator_name"] = "李冒名"
    getihu_submission["operator_id"] = sample.spouse_id

    result = validate_submission(getihu_schema, getihu_submission, identity=operator)

    assert result.cleaned["operator_name"] == "王海生"
    assert result.cleaned["operator_id"] == sample.operator_id


def test_unlocked_prefill_may_be_changed(getihu_schema, getihu_submission, operator):
    getihu_submission["phone"] = "0898-65201234"

    result = validate_submission(getihu_schema, getihu_submission, identity=operator)

    assert result.cleaned["phone"] == "0898-65201234"


def test_division_outside_the_tenant_tree(getihu_schema, getihu_submission, operator, sample):
    getihu_submission["premises_division"] = "460199"
    context = ValidationContext(division_codes=sample.divisions)

    result = validate_submission(getihu_schema, getihu_submission, identity=operator,
                                 context=context)

    assert codes(result) == [("premises_division", "unknown_division")]


def test_every_error_message_is_bilingual(getihu_schema, operator):
    messy = {"email": "x@", "business_name": "Tea", "composition": "clan",
             "business_scope": ["mining"], "premises_division": "广东", "capital": "-1",
             "employees": "0", "id_copy": [{"id": "1"}], "promise": "perhaps", "hacker": 1}

    result = validate_submission(getihu_schema, messy)

    assert len(result.errors) >= 10
    for error in result.errors:
        assert error.message_zh and error.message_en
        assert error.message_zh != error.message_en
        assert any("\u4e00" <= char <= "\u9fff" for char in error.message_zh)


def test_schema_dict_is_accepted_directly(sample):
    schema = {"fields": [{"name": "uscc", "type": "uscc", "label": "统一社会信用代码"}]}

    assert validate_submission(schema, {"uscc": sample.uscc}).ok


def test_expressions_are_cel_not_python():
    schema = {"fields": [{"name": "x", "type": "text", "label": "X",
                          "show_if": "__import__('os').system('echo hacked')"}]}

    assert check_schema(schema)


def test_a_thirty_field_form_with_conditions_and_a_rule_validates(sample):
    fields, data = [], {}
    kinds = [("text", "海口市秀英区", {}), ("number", "12", {"min": 0}),
             ("money", "1234.50", {}), ("date", "2025-05-01", {}),
             ("select", "b", {"options": ["a", "b"]}), ("phone", "13812345678", {}),
             ("resident_id", sample.operator_id, {}), ("uscc", sample.uscc, {}),
             ("checkbox", True, {}), ("email", "a@hainan.gov.cn", {})]
    for index in range(30):
        kind, value, extra = kinds[index % len(kinds)]
        name = f"f{index}"
        fields.append({"name": name, "type": kind, "label": name, "required": True, **extra})
        data[name] = value
    for index in range(0, 30, 5):
        fields[index]["show_if"] = "form.f8 == true"
    schema = FormSchema.parse({"fields": fields, "rules": [
        {"expr": "form.f1 >= 0", "message": {"zh": "数量有误", "en": "Wrong count"}}]})
    result = validate_submission(schema, data)
    assert result.ok and len(result.cleaned) == 30  # its speed is measured by bench/forms.py, not asserted here


