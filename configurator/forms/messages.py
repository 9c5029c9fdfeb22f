"""Bilingual message catalogues (Chinese first, English second) and error builders.

Field messages are formatted with the field label in each language (``{label}``)
plus the error's own parameters; schema messages only with their parameters.
"""

from __future__ import annotations

from typing import Any

from .errors import FieldError, SchemaError
from .labels import Label

FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("请填写{label}", "{label} is required"),
    "required.select": ("请选择{label}", "Please choose {label}"),
    "required.file": ("请上传{label}", "Please upload {label}"),
    "required.checkbox": ("请勾选{label}", "Please tick {label}"),
    "invalid_submission": ("提交的数据必须是 JSON 对象", "The submission must be a JSON object"),
    "unknown_field": ("提交的数据包含表单中未定义的字段“{name}”",
                      "The submission contains the unknown field '{name}'"),
    "not_text": ("{label}必须是文本", "{label} must be text"),
    "too_short": ("{label}至少需要{min}个字", "{label} must be at least {min} characters"),
    "too_long": ("{label}最多{max}个字", "{label} must be at most {max} characters"),
    "pattern": ("{label}格式不正确", "{label} is not in the expected format"),
    "not_allowed": ("{label}的取值不在允许范围内", "{label} is not one of the allowed values"),
    "not_a_number": ("{label}必须是数字", "{label} must be a number"),
    "not_integer": ("{label}必须是整数", "{label} must be a whole number"),
    "too_many_decimals": ("{label}最多保留{decimals}位小数",
                          "{label} allows at most {decimals} decimal places"),
    "negative": ("{label}不能为负数", "{label} cannot be negative"),
    "too_small": ("{label}不能小于{min}", "{label} must be at least {min}"),
    "too_large": ("{label}不能大于{max}", "{label} must be at most {max}"),
    "not_a_date": ("{label}不是有效日期（格式：YYYY-MM-DD）",
                   "{label} is not a valid date (YYYY-MM-DD)"),
    "date_too_early": ("{label}不能早于{min}", "{label} cannot be before {min}"),
    "date_too_late": ("{label}不能晚于{max}", "{label} cannot be after {max}"),
    "incomplete_range": ("请填写{label}的开始日期和结束日期",
                         "{label} needs both a start and an end date"),
    "range_reversed": ("{label}的开始日期不能晚于结束日期",
                       "The start of {label} cannot be after its end"),
    "not_a_boolean": ("{label}只能是“是”或“否”", "{label} must be yes or no"),
    "invalid_choice": ("{label}的选项“{value}”无效", "'{value}' is not an option of {label}"),
    "not_a_list": ("{label}必须是列表", "{label} must be a list"),
    "duplicate_choice": ("{label}的选项“{value}”重复", "{label} lists '{value}' twice"),
    "too_few_choices": ("{label}至少选择{min}项", "Choose at least {min} options for {label}"),
    "too_many_choices": ("{label}最多选择{max}项", "Choose at most {max} options for {label}"),
    "invalid_phone": ("{label}不是有效的手机号码或固定电话",
                      "{label} is not a valid mobile or landline number"),
    "invalid_mobile": ("{label}不是有效的手机号码", "{label} is not a valid mobile number"),
    "invalid_landline": ("{label}不是有效的固定电话号码（如 0898-66668888）",
                         "{label} is not a valid landline number (e.g. 0898-66668888)"),
    "invalid_email": ("{label}不是有效的电子邮箱地址", "{label} is not a valid email address"),
    "invalid_resident_id": ("{label}不是有效的居民身份证号码",
                            "{label} is not a valid resident ID number"),
    "resident_id_checksum": ("{label}的校验位不正确，请核对",
                             "The check digit of {label} is wrong, please check it"),
    "invalid_uscc": ("{label}不是有效的统一社会信用代码",
                     "{label} is not a valid unified social credit code"),
    "uscc_checksum": ("{label}的校验位不正确，请核对",
                      "The check digit of {label} is wrong, please check it"),
    "invalid_division": ("{label}不是有效的行政区划代码", "{label} is not a valid division code"),
    "division_out_of_scope": ("{label}不在可选的地区范围内",
                              "{label} is outside the area this service covers"),
    "unknown_division": ("{label}不是已登记的行政区划", "{label} is not a known division"),
    "invalid_file": ("{label}的文件信息不完整", "A file record of {label} is incomplete"),
    "duplicate_file": ("{label}重复上传了同一文件", "{label} lists the same file twice"),
    "file_type": ("{label}的文件“{name}”格式不支持，允许的格式：{accept}",
                  "The file '{name}' of {label} has an unsupported format; allowed: {accept}"),
    "file_too_large": ("{label}的文件“{name}”超过 {max_size} 的大小限制",
                       "The file '{name}' of {label} is larger than {max_size}"),
    "too_few_files": ("{label}至少上传{min}个文件", "Upload at least {min} files for {label}"),
    "too_many_files": ("{label}最多上传{max}个文件", "Upload at most {max} files for {label}"),
    "invalid_row": ("{label}的第{row}行数据无效", "Row {row} of {label} is not valid"),
    "too_few_rows": ("{label}至少填写{min}行", "{label} needs at least {min} rows"),
    "too_many_rows": ("{label}最多填写{max}行", "{label} allows at most {max} rows"),
}

SCHEMA_MESSAGES: dict[str, tuple[str, str]] = {
    "not_an_object": ("表单定义必须是 JSON 对象", "The form schema must be a JSON object"),
    "fields_missing": ("fields 必须是非空列表", "fields must be a non-empty list"),
    "field_not_object": ("字段定义必须是 JSON 对象", "A field definition must be a JSON object"),
    "unknown_property": ("未知的属性“{key}”", "Unknown property '{key}'"),
    "property_not_allowed": ("“{type}”类型的字段不能设置“{key}”",
                             "A '{type}' field cannot have '{key}'"),
    "name_missing": ("缺少字段名称 name", "The field name is missing"),
    "name_invalid": ("字段名“{name}”无效：须以字母开头，仅含字母、数字和下划线，最长 64 位",
                     "Field name '{name}' is invalid: start with a letter, use letters, "
                     "digits and '_' only, at most 64"),
    "name_reserved": ("字段名“{name}”是保留字", "Field name '{name}' is reserved"),
    "duplicate_name": ("字段名“{name}”重复", "Duplicate field name '{name}'"),
    "label_missing": ("缺少字段标签 label", "The field label is missing"),
    "label_invalid": ("标签须为文本或 {{zh, en}} 对象", "A label must be text or a {{zh, en}} object"),
    "type_missing": ("缺少字段类型 type", "The field type is missing"),
    "unknown_type": ("未知的字段类型“{type}”", "Unknown field type '{type}'"),
    "not_boolean": ("{key} 必须是 true 或 false", "{key} must be true or false"),
    "not_count": ("{key} 必须是非负整数", "{key} must be a non-negative integer"),
    "not_number": ("{key} 必须是数字", "{key} must be a number"),
    "not_date": ("{key} 必须是 YYYY-MM-DD 格式的日期或 today",
                 "{key} must be a YYYY-MM-DD date or today"),
    "min_over_max": ("{low} 不能大于 {high}", "{low} cannot be greater than {high}"),
    "bad_regex": ("正则表达式无效：{detail}", "The regular expression is invalid: {detail}"),
    "unsafe_regex": ("正则表达式存在回溯过多的风险：{detail}",
                     "The regular expression risks runaway backtracking: {detail}"),
    "options_missing": ("“{type}”类型的字段必须设置非空的 options",
                        "A '{type}' field needs a non-empty options list"),
    "option_invalid": ("选项须为 {{value, label}} 对象、文本或数字",
                       "An option must be a {{value, label}} object, text or a number"),
    "duplicate_option": ("选项值“{value}”重复", "Duplicate option value '{value}'"),
    "enum_invalid": ("enum 必须是非空的取值列表", "enum must be a non-empty list of values"),
    "group_fields_missing": ("重复组必须包含非空的 fields", "A group needs a non-empty fields list"),
    "nested_group": ("重复组内不能再嵌套重复组", "A group cannot contain another group"),
    "bad_default": ("默认值无效：{detail}", "The default value is invalid: {detail}"),
    "prefill_invalid": ("prefill 须形如 identity.name", "prefill must look like identity.name"),
    "prefill_in_group": ("重复组内的字段不支持 prefill", "Fields inside a group cannot be prefilled"),
    "locked_without_prefill": ("locked 只能与 prefill 一起使用", "locked needs prefill"),
    "phone_kind_invalid": ("phone_kind 须为 mobile、landline 或 any",
                           "phone_kind must be mobile, landline or any"),
    "accept_invalid": ("accept 须为扩展名（如 .pdf）或 MIME 类型（如 image/*）的列表",
                       "accept must list extensions (.pdf) or MIME types (image/*)"),
    "within_invalid": ("within 须为行政区划代码", "within must be a division code"),
    "expression_not_text": ("表达式必须是非空文本", "An expression must be non-empty text"),
    "expression_syntax": ("表达式无法编译：{detail}", "The expression does not compile: {detail}"),
    "unknown_function": ("表达式使用了未知函数“{name}”",
                         "The expression calls the unknown function '{name}'"),
    "unknown_reference": ("表达式引用了未知字段“{name}”",
                          "The expression refers to the unknown field '{name}'"),
    "row_outside_group": ("只有重复组内的字段才能使用 row",
                          "Only fields inside a group can use row"),
    "bare_scope": ("“{scope}”须以 {scope}.字段名 的形式使用",
                   "Use '{scope}' as {scope}.<field>"),
    "own_group_reference": ("组内表达式不能引用所在的重复组 form.{name}，请改用 row.字段名",
                            "An expression inside a group cannot use its own group form.{name}; "
                            "use row.<field>"),
    "circular_dependency": ("存在循环依赖：{cycle}", "Circular dependency: {cycle}"),
    "rules_invalid": ("rules 必须是列表", "rules must be a list"),
    "rule_not_object": ("规则必须是 JSON 对象", "A rule must be a JSON object"),
    "rule_message_missing": ("规则必须设置提示信息 message（中文和英文）",
                             "A rule needs a message (Chinese and English)"),
    "rule_field_unknown": ("规则指向的字段“{name}”不存在", "The rule points at the unknown field '{name}'"),
    "rule_field_missing": ("规则没有引用任何字段，请设置 field",
                           "The rule refers to no field; set field"),
}


def field_error(path: str, code: str, label: Label, message_key: str | None = None,
                **params: Any) -> FieldError:
    """Build a FieldError for ``code``, formatting the label of each language in."""
    zh, en = FIELD_MESSAGES[message_key or code]
    return FieldError(path, code, zh.format(label=label.zh, **params),
                      en.format(label=label.en, **params))


def schema_error(path: str, code: str, **params: Any) -> SchemaError:
    zh, en = SCHEMA_MESSAGES[code]
    return SchemaError(path, zh.format(**params), en.format(**params))


def human_size(size: int) -> str:
    """Format a byte count the way a person writes it: 512 KB, 10 MB."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            amount = size / factor
            return f"{amount:g} {unit}" if amount == int(amount) else f"{amount:.1f} {unit}"
    return f"{size} B"
