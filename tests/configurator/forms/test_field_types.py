"""Every field type: what an applicant may submit and what the server keeps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from stdnum.cn import ric, uscc

from tongban.configurator.forms import FormSchema, validate_submission

# 海口市 (460100), born 1988-06-12; the check digit is computed by stdnum
OPERATOR_ID = "46010019880612003" + ric.calc_check_digit("46010019880612003" + "0")
USCC = "91110000600037341L"
LABEL = {"zh": "字段", "en": "Field"}
CHOICES = [{"value": "retail", "label": {"zh": "零售", "en": "Retail"}},
           {"value": "catering", "label": {"zh": "餐饮", "en": "Catering"}},
           {"value": "tea", "label": {"zh": "茶饮", "en": "Tea"}}]
ID_CARD = {"id": "u1", "name": "身份证.JPG", "size": 2048, "content_type": "image/jpeg"}


def submit(field: dict, value, **kwargs):
    schema = FormSchema.parse({"fields": [{"name": "value", "label": LABEL, **field}]})
    return validate_submission(schema, {"value": value}, **kwargs)


def test_uscc_example_is_really_valid():
    assert uscc.is_valid(USCC)


@pytest.mark.parametrize(("field", "raw", "cleaned"), [
    ({"type": "text"}, "  海口市龙华区  ", "海口市龙华区"),
    ({"type": "textarea"}, "第一行\n第二行", "第一行\n第二行"),
    ({"type": "number"}, "42", 42),
    ({"type": "number"}, 7.0, 7),
    ({"type": "number", "decimals": 2}, "120.55", 120.55),
    ({"type": "number"}, -3, -3),
    ({"type": "money"}, "12.5", Decimal("12.50")),
    ({"type": "money"}, "1,250,000", Decimal("1250000.00")),
    ({"type": "money"}, 0.1, Decimal("0.10")),
    ({"type": "money"}, "¥99.90", Decimal("99.90")),
    ({"type": "date"}, "2025-03-01", dt.date(2025, 3, 1)),
    ({"type": "date"}, dt.date(2025, 3, 1), dt.date(2025, 3, 1)),
    ({"type": "date_range"}, {"start": "2025-01-01", "end": "2025-12-31"},
     {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}),
    ({"type": "date_range"}, ["2025-01-01", "2025-01-01"],
     {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 1, 1)}),
    ({"type": "select", "options": CHOICES}, "tea", "tea"),
    ({"type": "radio", "options": ["yes", "no"]}, "no", "no"),
    ({"type": "multi_select", "options": CHOICES}, ["tea", "retail"], ["retail", "tea"]),
    ({"type": "checkbox"}, True, True),
    ({"type": "checkbox"}, "false", False),
    ({"type": "phone"}, "138 9876 5432", "13898765432"),
    ({"type": "phone"}, "+86 13898765432", "13898765432"),
    ({"type": "phone"}, "0898-66668888", "0898-66668888"),
    ({"type": "phone"}, "089866668888", "0898-66668888"),
    ({"type": "phone"}, "(010)62345678-123", "010-62345678-123"),
    ({"type": "email"}, "Zhang.San@Hainan.GOV.cn", "Zhang.San@hainan.gov.cn"),
    ({"type": "resident_id"}, OPERATOR_ID.lower(), OPERATOR_ID),
    # born before their district's code existed: 海口 (4601) dates from 1988, 秀英区 (460105) from 2003 —
    # the code is where the number was issued, so these are real residents' numbers (stdnum's own rule refuses them)
    ({"type": "resident_id"}, "460100194001010024", "460100194001010024"),
    ({"type": "resident_id"}, "460105198808080015", "460105198808080015"),
    ({"type": "uscc"}, USCC.lower(), USCC),
    ({"type": "uscc"}, "9111 0000 6000 3734 1L", USCC),
    ({"type": "division"}, "460105", "460105"),
    ({"type": "division"}, ["46", "4601", "460105"], "460105"),
    ({"type": "file", "accept": [".pdf", ".jpg"]}, [ID_CARD | {"sha256": "ignored"}], [ID_CARD]),
    ({"type": "file", "accept": ["image/*"]}, [ID_CARD], [ID_CARD]),
])
def test_valid_values_are_kept_in_canonical_form(field, raw, cleaned):
    result = submit(field, raw)

    assert result.ok, result.errors
    assert result.cleaned == {"value": cleaned}


@pytest.mark.parametrize(("field", "raw", "code"), [
    ({"type": "text"}, {"x": 1}, "not_text"),
    ({"type": "text"}, "x" * 201, "too_long"),
    ({"type": "textarea"}, "经营范围" * 1251, "too_long"),
    ({"type": "textarea"}, ["多行", "文本"], "not_text"),
    ({"type": "number"}, "forty-two", "not_a_number"),
    ({"type": "number"}, True, "not_a_number"),
    ({"type": "number"}, "NaN", "not_a_number"),
    ({"type": "number"}, "1e20", "not_a_number"),
    ({"type": "number"}, "2.5", "not_integer"),
    ({"type": "number", "decimals": 1}, "2.55", "too_many_decimals"),
    ({"type": "money"}, "12.345", "too_many_decimals"),
    ({"type": "money"}, "-5", "negative"),
    ({"type": "money"}, "十元", "not_a_number"),
    ({"type": "date"}, "2025-02-30", "not_a_date"),
    ({"type": "date"}, "2025/03/01", "not_a_date"),
    ({"type": "date_range"}, {"start": "2025-12-31", "end": "2025-01-01"}, "range_reversed"),
    ({"type": "date_range"}, {"start": "2025-01-01", "end": ""}, "incomplete_range"),
    ({"type": "date_range"}, {"start": "2025-01-01", "end": "soon"}, "not_a_date"),
    ({"type": "select", "options": CHOICES}, "mining", "invalid_choice"),
    ({"type": "radio", "options": ["yes", "no"]}, True, "invalid_choice"),
    ({"type": "multi_select", "options": CHOICES}, "tea", "not_a_list"),
    ({"type": "multi_select", "options": CHOICES}, ["tea", "tea"], "duplicate_choice"),
    ({"type": "multi_select", "options": CHOICES}, ["tea", "mining"], "invalid_choice"),
    ({"type": "checkbox"}, "maybe", "not_a_boolean"),
    ({"type": "phone"}, "12345678901", "invalid_phone"),
    ({"type": "phone"}, "1389876543", "invalid_phone"),
    ({"type": "phone", "phone_kind": "mobile"}, "0898-66668888", "invalid_mobile"),
    ({"type": "phone", "phone_kind": "landline"}, "13898765432", "invalid_landline"),
    ({"type": "email"}, "zhangsan@", "invalid_email"),
    ({"type": "email"}, "zhang san@hainan.gov.cn", "invalid_email"),
    ({"type": "resident_id"}, OPERATOR_ID[:-1] + ("0" if OPERATOR_ID[-1] != "0" else "1"),
     "resident_id_checksum"),
    ({"type": "resident_id"}, "46010019880612", "invalid_resident_id"),
    ({"type": "resident_id"}, "990101198001010014", "invalid_resident_id"),  # no such address code, ever
    ({"type": "resident_id"}, "460100209901010010", "invalid_resident_id"),  # born in 2099
    ({"type": "resident_id"}, "460100198002300013", "invalid_resident_id"),  # 30 February
    ({"type": "uscc"}, USCC[:-1] + "A", "uscc_checksum"),
    ({"type": "uscc"}, "not-a-code", "invalid_uscc"),
    ({"type": "division"}, "46-01", "invalid_division"),
    ({"type": "division"}, ["46", "4402", "440203"], "invalid_division"),
    ({"type": "division", "within": "46"}, "440305", "division_out_of_scope"),
    ({"type": "file"}, [{"id": "u1", "name": "a.pdf"}], "invalid_file"),
    ({"type": "file"}, "u1", "not_a_list"),
    ({"type": "file"}, [ID_CARD, ID_CARD], "duplicate_file"),
])
def test_invalid_values_are_refused_with_a_code(field, raw, code):
    result = submit(field, raw)

    assert not result.ok
    assert [error.code for error in result.errors] == [code]
    assert "value" not in result.cleaned


def test_date_range_reports_the_bad_end():
    result = submit({"type": "date_range"}, {"start": "2025-01-01", "end": "2025-13-01"})

    assert [error.path for error in result.errors] == ["value.end"]


def test_division_checked_against_the_injected_tenant_tree():
    hainan = {"46", "4601", "460105", "460106"}

    assert submit({"type": "division"}, "460106", context={"division_codes": hainan}).ok
    unknown = submit({"type": "division"}, "460199", context={"division_codes": hainan})
    assert [error.code for error in unknown.errors] == ["unknown_division"]


def test_division_lookup_may_be_a_callable():
    def in_tree(code: str) -> bool:
        return code.startswith("4602")

    assert submit({"type": "division"}, "460202", context={"division_codes": in_tree}).ok
    assert not submit({"type": "division"}, "460105", context={"division_codes": in_tree}).ok


def test_file_of_a_refused_format_is_pointed_at():
    field = {"type": "file", "accept": [".pdf"]}
    files = [{"id": "u1", "name": "申请书.pdf", "size": 10, "content_type": "application/pdf"},
             {"id": "u2", "name": "营业执照.exe", "size": 10,
              "content_type": "application/x-msdownload"}]

    result = submit(field, files)

    assert [(e.path, e.code) for e in result.errors] == [("value[1]", "file_type")]
    assert "营业执照.exe" in result.errors[0].message_zh
    assert ".pdf" in result.errors[0].message_en


def test_file_too_large_names_the_limit():
    field = {"type": "file", "max_size": 5 * 1024 * 1024}
    big = {"id": "u1", "name": "平面图.pdf", "size": 6 * 1024 * 1024,
           "content_type": "application/pdf"}

    result = submit(field, [big])

    assert [(e.path, e.code) for e in result.errors] == [("value[0]", "file_too_large")]
    assert "5 MB" in result.errors[0].message_zh


@pytest.mark.parametrize(("count", "code"), [(1, "too_few_files"), (4, "too_many_files")])
def test_file_count_limits(count, code):
    files = [dict(ID_CARD, id=f"u{i}") for i in range(count)]

    result = submit({"type": "file", "min_count": 2, "max_count": 3}, files)

    assert [error.code for error in result.errors] == [code]


@pytest.mark.parametrize(("chosen", "code"), [([], None), (["tea"], "too_few_choices"),
                                              (["tea", "retail", "catering"], "too_many_choices")])
def test_multi_select_count_limits(chosen, code):
    result = submit({"type": "multi_select", "options": CHOICES, "min_count": 2, "max_count": 2},
                    chosen)

    assert [error.code for error in result.errors] == ([code] if code else [])
