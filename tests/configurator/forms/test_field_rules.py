"""Per-field rules: required, lengths, ranges, patterns, allowed values and defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tongban.configurator.forms import FormSchema, validate_submission


def one_field(**field) -> FormSchema:
    label = field.pop("label", {"zh": "经营场所详细地址", "en": "Premises address"})
    return FormSchema.parse({"fields": [{"name": "value", "label": label, **field}]})


def errors_of(schema: FormSchema, data: dict, **kwargs) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in validate_submission(schema, data, **kwargs).errors]


@pytest.mark.parametrize("missing", [{}, {"value": None}, {"value": ""}, {"value": "   "}])
def test_required_field_left_empty(missing):
    result = validate_submission(one_field(type="text", required=True), missing)

    assert [(e.path, e.code) for e in result.errors] == [("value", "required")]
    assert result.errors[0].message_zh == "请填写经营场所详细地址"
    assert result.errors[0].message_en == "Premises address is required"


def test_required_message_uses_a_plain_string_label_in_both_languages():
    result = validate_submission(one_field(type="resident_id", required=True, label="身份证号码"),
                                 {})

    assert result.errors[0].message_zh == "请填写身份证号码"
    assert result.errors[0].message_en == "身份证号码 is required"


@pytest.mark.parametrize(("field", "zh", "en"), [
    ({"type": "select", "options": ["a", "b"]}, "请选择经营场所详细地址", "Please choose"),
    ({"type": "file"}, "请上传经营场所详细地址", "Please upload"),
    ({"type": "checkbox"}, "请勾选经营场所详细地址", "Please tick"),
])
def test_required_message_fits_the_kind_of_field(field, zh, en):
    result = validate_submission(one_field(required=True, **field), {})

    assert result.errors[0].code == "required"
    assert result.errors[0].message_zh == zh
    assert result.errors[0].message_en.startswith(en)


def test_required_checkbox_must_be_ticked():
    schema = one_field(type="checkbox", required=True)

    assert errors_of(schema, {"value": False}) == [("value", "required")]
    assert errors_of(schema, {"value": True}) == []


def test_optional_field_may_stay_empty_and_is_not_kept():
    result = validate_submission(one_field(type="email"), {"value": ""})

    assert result.ok
    assert result.cleaned == {}


@pytest.mark.parametrize(("text", "code"), [("短", "too_short"), ("海口市秀英区长滨路", None),
                                            ("海" * 21, "too_long")])
def test_min_and_max_length_count_characters(text, code):
    schema = one_field(type="text", min_length=2, max_length=20)

    assert errors_of(schema, {"value": text}) == ([("value", code)] if code else [])


def test_length_message_names_the_limit():
    result = validate_submission(one_field(type="textarea", max_length=5), {"value": "超过五个字的内容"})

    assert result.errors[0].message_zh == "经营场所详细地址最多5个字"
    assert result.errors[0].message_en == "Premises address must be at most 5 characters"


@pytest.mark.parametrize(("value", "code"), [(0, "too_small"), (1, None), (9999, None),
                                             (10000, "too_large")])
def test_number_range(value, code):
    schema = one_field(type="number", min=1, max=9999, label="从业人数")

    assert errors_of(schema, {"value": value}) == ([("value", code)] if code else [])


def test_money_range_and_message():
    schema = one_field(type="money", min=100, max=10000000, label={"zh": "资金数额", "en": "Capital"})

    result = validate_submission(schema, {"value": "99.99"})

    assert result.errors[0].code == "too_small"
    assert result.errors[0].message_zh == "资金数额不能小于100"
    assert validate_submission(schema, {"value": "10000000.00"}).cleaned == {
        "value": Decimal("10000000.00")}


def test_money_may_be_negative_when_allowed():
    schema = one_field(type="money", allow_negative=True, label="退补差额")

    assert validate_submission(schema, {"value": "-20.5"}).cleaned == {"value": Decimal("-20.50")}


def test_date_bounds_relative_to_today():
    schema = one_field(type="date", min="today", max="2030-12-31", label="开业日期")
    today = {"today": dt.date(2025, 6, 1)}

    assert errors_of(schema, {"value": "2025-05-31"}, context=today) == [
        ("value", "date_too_early")]
    assert errors_of(schema, {"value": "2025-06-01"}, context=today) == []
    assert errors_of(schema, {"value": "2031-01-01"}, context=today) == [("value", "date_too_late")]


def test_date_range_bounds_apply_to_both_ends():
    schema = one_field(type="date_range", min="2025-01-01", max="2025-12-31", label="经营期限")

    result = validate_submission(schema, {"value": {"start": "2025-03-01", "end": "2026-02-28"}})

    assert [(e.path, e.code) for e in result.errors] == [("value.end", "date_too_late")]


def test_pattern_with_its_own_message():
    schema = one_field(type="text", pattern="^[\\u4e00-\\u9fa5（）()]{2,50}$",
                       pattern_message={"zh": "名称只能包含汉字和括号", "en": "Chinese characters only"},
                       label={"zh": "个体工商户名称", "en": "Business name"})

    assert errors_of(schema, {"value": "海口王记茶饮店（秀英）"}) == []
    result = validate_submission(schema, {"value": "Wang's Tea"})
    assert result.errors[0].code == "pattern"
    assert result.errors[0].message_zh == "名称只能包含汉字和括号"
    assert result.errors[0].message_en == "Chinese characters only"


def test_pattern_must_match_the_whole_value():
    schema = one_field(type="text", pattern="\\d{6}", label="邮政编码")

    assert errors_of(schema, {"value": "570100"}) == []
    assert errors_of(schema, {"value": "5701001"}) == [("value", "pattern")]


def test_pattern_default_message_is_bilingual():
    result = validate_submission(one_field(type="text", pattern="\\d{6}", label="邮政编码"),
                                 {"value": "abc"})

    assert result.errors[0].message_zh == "邮政编码格式不正确"
    assert result.errors[0].message_en == "邮政编码 is not in the expected format"


def test_enum_limits_text_and_number_values():
    text = one_field(type="text", enum=["海口市", "三亚市"], label="所在城市")
    number = one_field(type="number", enum=[1, 3, 5], label="申请年限")

    assert errors_of(text, {"value": "三亚市"}) == []
    assert errors_of(text, {"value": "广州市"}) == [("value", "not_allowed")]
    assert errors_of(number, {"value": "3"}) == []
    assert errors_of(number, {"value": 2}) == [("value", "not_allowed")]


def test_default_used_when_the_key_is_absent():
    schema = one_field(type="radio", options=["individual", "family"], default="individual",
                       required=True, label="组成形式")

    assert validate_submission(schema, {}).cleaned == {"value": "individual"}
    assert validate_submission(schema, {"value": "family"}).cleaned == {"value": "family"}


def test_default_is_canonical():
    schema = one_field(type="money", default="500", label="保证金")

    assert validate_submission(schema, {}).cleaned == {"value": Decimal("500.00")}
