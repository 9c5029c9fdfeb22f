"""Repeating groups (tables): rows validated one by one, errors pathed like members[2].name."""

from __future__ import annotations

from decimal import Decimal

from tongban.configurator.forms import FormSchema, validate_submission

CERTIFICATE = [{"id": "u9", "name": "结婚证.jpg", "size": 300000, "content_type": "image/jpeg"}]


def codes(result) -> list[tuple[str, str]]:
    return [(error.path, error.code) for error in result.errors]


def family_business(submission: dict, members: list) -> dict:
    return dict(submission, composition="family", family_members=members)


def test_family_rows_are_cleaned(getihu_schema, getihu_submission, operator, sample):
    members = [{"member_name": " 林小梅 ", "member_id": sample.spouse_id.lower(),
                "relation": "spouse", "marriage_certificate": CERTIFICATE}]

    result = validate_submission(getihu_schema, family_business(getihu_submission, members),
                                 identity=operator)

    assert result.ok, result.errors
    assert result.cleaned["family_members"] == [
        {"member_name": "林小梅", "member_id": sample.spouse_id, "relation": "spouse",
         "marriage_certificate": CERTIFICATE}]


def test_each_row_reports_its_own_errors(getihu_schema, getihu_submission, operator, sample):
    child_id = sample.resident_id("46020019950101002")
    members = [
        {"member_name": "王小海", "member_id": child_id, "relation": "child"},
        {"member_name": "王大海", "member_id": "460100", "relation": "parent"},
        {"member_name": "", "member_id": child_id, "relation": "cousin"},
    ]

    result = validate_submission(getihu_schema, family_business(getihu_submission, members),
                                 identity=operator)

    assert codes(result) == [
        ("family_members[1].member_id", "invalid_resident_id"),
        ("family_members[2].member_name", "required"),
        ("family_members[2].relation", "invalid_choice"),
    ]
    assert result.errors[1].message_zh == "请填写姓名"
    assert result.errors[1].message_en == "Name is required"


def test_row_condition_sees_only_its_own_row(getihu_schema, getihu_submission, operator, sample):
    child_id = sample.resident_id("46020019950101002")
    members = [
        {"member_name": "林小梅", "member_id": sample.spouse_id, "relation": "spouse"},
        {"member_name": "王小海", "member_id": child_id, "relation": "child",
         "marriage_certificate": CERTIFICATE},
    ]

    result = validate_submission(getihu_schema, family_business(getihu_submission, members),
                                 identity=operator)

    assert codes(result) == [("family_members[0].marriage_certificate", "required")]
    assert result.errors[0].message_zh == "请上传结婚证"
    assert "marriage_certificate" not in result.cleaned["family_members"][1]


def test_at_least_one_row_when_shown(getihu_schema, getihu_submission, operator):
    result = validate_submission(getihu_schema, family_business(getihu_submission, []),
                                 identity=operator)

    assert codes(result) == [("family_members", "too_few_rows")]
    assert result.errors[0].message_zh == "参加经营的家庭成员至少填写1行"


def test_too_many_rows(getihu_schema, getihu_submission, operator, sample):
    row = {"member_name": "王小海", "member_id": sample.spouse_id, "relation": "child"}

    result = validate_submission(getihu_schema, family_business(getihu_submission, [row] * 11),
                                 identity=operator)

    assert codes(result) == [("family_members", "too_many_rows")]


def test_required_group_without_rows(food_schema, food_submission):
    food_submission["safety_staff"] = []

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("safety_staff", "required")]
    assert result.errors[0].message_zh == "请填写食品安全管理人员"


def test_forged_key_inside_a_row_is_refused(food_schema, food_submission):
    food_submission["safety_staff"][0]["salary"] = 9000

    assert codes(validate_submission(food_schema, food_submission)) == [
        ("safety_staff[0].salary", "unknown_field")]


def test_row_that_is_not_an_object(food_schema, food_submission):
    food_submission["safety_staff"].append("林小梅")

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("safety_staff[1]", "invalid_row")]
    assert result.errors[0].message_zh == "食品安全管理人员的第2行数据无效"


def test_group_value_must_be_a_list(food_schema, food_submission):
    food_submission["safety_staff"] = {"staff_name": "林小梅"}

    assert codes(validate_submission(food_schema, food_submission)) == [
        ("safety_staff", "not_a_list")]


def test_row_rule_is_pathed_to_the_row(food_schema, food_submission, sample):
    food_submission["safety_staff"].append(
        {"staff_name": "陈椰风", "staff_id": sample.operator_id, "trained_on": "2025-03-01",
         "certificate_until": "2025-02-01"})

    result = validate_submission(food_schema, food_submission)

    assert codes(result) == [("safety_staff[1].certificate_until", "certificate_after_training")]
    assert result.errors[0].message_en == (
        "The health certificate cannot expire before the training")


def test_row_computations_and_form_totals():
    schema = FormSchema.parse({
        "fields": [
            {"name": "equipment", "type": "group", "label": {"zh": "主要设备", "en": "Equipment"},
             "fields": [
                 {"name": "item", "type": "text", "label": "设备名称", "required": True},
                 {"name": "quantity", "type": "number", "label": "数量", "min": 1},
                 {"name": "unit_price", "type": "money", "label": "单价"},
                 {"name": "amount", "type": "money", "label": "金额",
                  "compute": "double(row.quantity) * row.unit_price"},
                 {"name": "invoice", "type": "file", "label": "发票",
                  "required_if": "row.amount >= 10000.0 && form.audited"}]},
            {"name": "audited", "type": "checkbox", "label": "需要审计"},
            {"name": "total", "type": "money", "label": "设备总额",
             "compute": "sum(form.equipment.map(r, r.amount))"},
        ],
        "rules": [{"expr": "form.equipment.size() <= 3 || form.total >= 1000.0",
                   "field": "equipment", "message": {"zh": "设备过多而总额过低", "en": "Odd list"}}],
    })
    rows = [{"item": "冷藏柜", "quantity": 2, "unit_price": "6000"},
            {"item": "消毒柜", "quantity": "1", "unit_price": "1999.99"}]

    result = validate_submission(schema, {"equipment": rows, "audited": True})

    assert codes(result) == [("equipment[0].invoice", "required")]
    assert result.cleaned["total"] == Decimal("13999.99")
    assert [row["amount"] for row in result.cleaned["equipment"]] == [
        Decimal("12000.00"), Decimal("1999.99")]
