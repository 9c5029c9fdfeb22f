"""Prefill from the signed-in identity, and the per-field description a portal renders."""

from __future__ import annotations

import json

from tongban.configurator.forms import prefill, render_spec, validate_submission


def test_prefill_from_identity_with_its_source(getihu_schema, operator, sample):
    values = prefill(getihu_schema, operator)

    assert values["operator_name"] == {"value": "王海生", "source": "identity.name"}
    assert values["operator_id"] == {"value": sample.operator_id,
                                     "source": "identity.resident_id"}
    assert values["phone"] == {"value": "13876543210", "source": "identity.phone"}


def test_prefill_falls_back_to_defaults(getihu_schema):
    values = prefill(getihu_schema, {})

    assert values == {"composition": {"value": "individual", "source": "default"}}


def test_prefill_skips_identity_values_that_do_not_fit(food_schema):
    values = prefill(food_schema, {"uscc": "not-a-code"})

    assert "operator_uscc" not in values
    assert values["online"] == {"value": False, "source": "default"}


def test_prefill_for_a_company(food_schema, sample):
    values = prefill(food_schema, {"uscc": sample.uscc.lower()})

    assert values["operator_uscc"] == {"value": sample.uscc, "source": "identity.uscc"}


def test_render_blank_form_shows_prefill(getihu_schema, operator):
    fields = {field["name"]: field for field in render_spec(getihu_schema, identity=operator)}

    assert list(fields)[:3] == ["operator_name", "operator_id", "phone"]
    name = fields["operator_name"]
    assert name["label"] == {"zh": "经营者姓名", "en": "Operator name"}
    assert name["value"] == "王海生"
    assert name["required"] is True and name["visible"] is True and name["readonly"] is True
    assert name["constraints"] == {"max_length": 30}
    assert fields["composition"]["options"][1] == {
        "value": "family", "label": {"zh": "家庭经营", "en": "Run by a family"}}
    assert fields["family_members"]["visible"] is False
    assert fields["capital"]["constraints"] == {"max": "10000000"}


def test_render_after_a_failed_submission(getihu_schema, getihu_submission, operator, sample):
    getihu_submission.update(composition="family", capital="abc", family_members=[
        {"member_name": "林小梅", "member_id": sample.spouse_id, "relation": "spouse"}])
    result = validate_submission(getihu_schema, getihu_submission, identity=operator)

    fields = {field["name"]: field
              for field in render_spec(getihu_schema, getihu_submission, result.errors,
                                       identity=operator)}

    assert fields["capital"]["value"] == "abc"
    assert fields["capital"]["errors"] == [
        {"code": "not_a_number", "zh": "资金数额（元）必须是数字", "en": "Capital (CNY) must be a number"}]
    members = fields["family_members"]
    assert members["visible"] is True
    assert [child["name"] for child in members["template"]] == [
        "member_name", "member_id", "relation", "marriage_certificate"]
    assert members["rows"][0][1]["value"] == sample.spouse_id
    certificate = members["rows"][0][3]
    assert certificate["path"] == "family_members[0].marriage_certificate"
    assert certificate["visible"] is True and certificate["required"] is True
    assert certificate["errors"][0]["zh"] == "请上传结婚证"
    assert certificate["constraints"] == {"max_count": 1, "max_size": 5242880,
                                          "accept": [".pdf", ".jpg", ".png"]}


def test_render_shows_canonical_values_and_computed_fields(food_schema, food_submission):
    fields = {field["name"]: field for field in render_spec(food_schema, food_submission)}

    assert fields["equipment_investment"]["value"] == "30000.50"
    assert fields["total_investment"]["value"] == "50000.00"
    assert fields["total_investment"]["readonly"] is True
    assert fields["website"]["visible"] is False
    assert fields["website"]["required"] is False


def test_render_spec_is_plain_data(food_schema, food_submission):
    json.dumps(render_spec(food_schema, food_submission), ensure_ascii=False)
