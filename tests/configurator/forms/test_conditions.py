"""Conditional visibility and requiredness, computed values and cross-field rules (CEL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tongban.configurator.forms import FormSchema, validate_submission


def codes(result) -> list[tuple[str, str]]:
    return [(error.path, error.code) for error in result.errors]


def test_hidden_field_value_is_dropped_not_stored(food_schema, food_submission):
    food_submission["online"] = False
    food_submission["website"] = "https://shop.example.cn/yefeng"

    result = validate_submission(food_schema, food_submission)

    assert result.ok
    assert "website" not in result.cleaned


def test_hidden_field_is_not_validated(food_schema, food_submission):
    food_submission["website"] = "not a url"

    assert validate_submission(food_schema, food_submission).ok


def test_shown_field_is_validated_and_kept(food_schema, food_submission):
    food_submission["online"] = True
    food_submission["website"] = "https://shop.example.cn/yefeng"

    result = validate_submission(food_schema, food_submission)

    assert result.ok
    assert result.cleaned["website"] == "https://shop.example.cn/yefeng"


def test_required_if_applies_only_when_its_condition_holds(food_schema, food_submission):
    food_submission["online"] = True

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("website", "required")]
    assert result.errors[0].message_zh == "请填写网站或网店地址"


def test_hidden_group_drops_its_rows(getihu_schema, getihu_submission, operator, sample):
    getihu_submission["family_members"] = [
        {"member_name": "林小梅", "member_id": sample.spouse_id, "relation": "spouse"}]

    result = validate_submission(getihu_schema, getihu_submission, identity=operator)

    assert result.ok, result.errors
    assert "family_members" not in result.cleaned


def test_condition_chain_hides_dependants():
    schema = FormSchema.parse({"fields": [
        {"name": "has_branch", "type": "checkbox", "label": "是否设立分支机构"},
        {"name": "branch_count", "type": "number", "label": "分支机构数量",
         "show_if": "has_branch", "required_if": "has_branch"},
        {"name": "branch_list", "type": "textarea", "label": "分支机构名单",
         "show_if": "form.branch_count > 3"},
    ]})

    kept = validate_submission(schema, {"has_branch": True, "branch_count": 5, "branch_list": "…"})
    dropped = validate_submission(schema, {"has_branch": False, "branch_count": 5,
                                           "branch_list": "…"})

    assert kept.cleaned == {"has_branch": True, "branch_count": 5, "branch_list": "…"}
    assert dropped.ok
    assert dropped.cleaned == {"has_branch": False}


def test_condition_on_an_empty_field_hides_instead_of_failing():
    schema = FormSchema.parse({"fields": [
        {"name": "area", "type": "number", "label": "经营面积"},
        {"name": "fire_check", "type": "file", "label": "消防验收意见书",
         "show_if": "form.area > 300", "required_if": "form.area > 300"},
    ]})

    assert validate_submission(schema, {}).ok
    assert codes(validate_submission(schema, {"area": 500})) == [("fire_check", "required")]


def test_computed_value_is_set_by_the_server(food_schema, food_submission):
    food_submission["total_investment"] = "1.00"  # forged total, ignored

    result = validate_submission(food_schema, food_submission)

    assert result.cleaned["total_investment"] == Decimal("50000.00")


def test_computed_money_is_rounded_to_cents():
    schema = FormSchema.parse({"fields": [
        {"name": "area", "type": "number", "decimals": 2, "label": "面积"},
        {"name": "fee", "type": "money", "label": "收费", "compute": "form.area * 3.333"},
    ]})

    assert validate_submission(schema, {"area": "10.5"}).cleaned["fee"] == Decimal("35.00")


def test_cross_field_rule_with_bare_field_names(food_schema, food_submission):
    food_submission["valid_to"] = "2024-12-31"

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("valid_to", "period_order")]
    assert result.errors[0].message_zh == "许可有效期至不能早于有效期起"
    assert result.errors[0].message_en == "The licence cannot end before it starts"


def test_cross_field_rule_error_goes_to_the_first_referenced_field(food_schema, food_submission):
    food_submission["storage_area"] = 200

    assert codes(validate_submission(food_schema, food_submission)) == [
        ("storage_area", "storage_within_premises")]


def test_rule_is_skipped_while_its_inputs_are_wrong(food_schema, food_submission):
    food_submission["valid_to"] = "someday"

    assert codes(validate_submission(food_schema, food_submission)) == [("valid_to", "not_a_date")]


def test_rule_over_totals():
    schema = FormSchema.parse({
        "fields": [
            {"name": "capital", "type": "money", "label": "注册资本", "required": True},
            {"name": "cash", "type": "money", "label": "货币出资"},
            {"name": "in_kind", "type": "money", "label": "实物出资"},
        ],
        "rules": [{"expr": "form.cash + form.in_kind == form.capital", "field": "capital",
                   "message": {"zh": "出资合计应等于注册资本", "en": "Contributions must add up"}}],
    })

    assert validate_submission(schema, {"capital": "500000", "cash": "300000.00",
                                        "in_kind": 200000}).ok
    wrong = validate_submission(schema, {"capital": "500000", "cash": 1, "in_kind": 2})
    assert codes(wrong) == [("capital", "rule")]


def test_expressions_see_the_identity_and_today():
    schema = FormSchema.parse({"fields": [
        {"name": "agent_letter", "type": "file", "label": "授权委托书",
         "required_if": "identity.uscc == null"},
        {"name": "start", "type": "date", "label": "开业日期"},
    ], "rules": [{"expr": "start >= today", "message": {"zh": "开业日期不能早于今天",
                                                        "en": "Opening cannot be in the past"}}]})
    context = {"today": dt.date(2025, 6, 1)}

    person = validate_submission(schema, {"start": "2025-05-01"}, identity={"name": "王海生"},
                                 context=context)
    company = validate_submission(schema, {"start": "2025-06-02"}, identity={"uscc": "x"},
                                  context=context)

    assert codes(person) == [("agent_letter", "required"), ("start", "rule")]
    assert company.ok
