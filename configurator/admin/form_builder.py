"""The form builder: a form schema as rows of field inputs (every type of ``FIELD_TYPES``), with options,
conditions (show_if, required_if), rules and repeating groups; add, remove and reorder are posted buttons."""

from __future__ import annotations

from tongban.configurator.admin.paths import Fault, append, apply_row_op, from_problems
from tongban.configurator.admin.posted import Posted, as_text, joined, label_parts
from tongban.configurator.forms import FIELD_TYPES, check_schema
from tongban.configurator.forms.field_types import COMMON_KEYS

TYPE_LABELS = {
    "text": ("单行文字", "Text"),
    "textarea": ("多行文字", "Long text"),
    "number": ("数字", "Number"),
    "money": ("金额", "Money"),
    "date": ("日期", "Date"),
    "date_range": ("日期区间", "Date range"),
    "select": ("下拉选择", "Drop-down"),
    "radio": ("单选", "Radio buttons"),
    "multi_select": ("多选", "Multiple choice"),
    "checkbox": ("勾选确认", "Checkbox"),
    "phone": ("电话号码", "Phone"),
    "email": ("电子邮箱", "Email"),
    "resident_id": ("公民身份号码", "Resident ID"),
    "uscc": ("统一社会信用代码", "USCC"),
    "division": ("行政区划", "Division"),
    "file": ("附件", "File upload"),
    "group": ("重复分组", "Repeating group"),
}
# (key, widget, 中文, English) of the properties after name/type/label/required, shown when the type has them
PROPERTIES = (
    ("help", "label", "提示文字", "Help text"),
    ("placeholder", "label", "占位提示", "Placeholder"),
    ("show_if", "expr", "显示条件（CEL）", "Show if (CEL)"),
    ("required_if", "expr", "必填条件（CEL）", "Required if (CEL)"),
    ("default", "text", "默认值", "Default value"),
    ("compute", "expr", "计算公式（CEL）", "Computed as (CEL)"),
    ("prefill", "text", "预填来源（如 identity.name）", "Prefill from (e.g. identity.name)"),
    ("locked", "check", "锁定预填值", "Lock the prefilled value"),
    ("min_length", "count", "最少字数", "Minimum length"),
    ("max_length", "count", "最多字数", "Maximum length"),
    ("pattern", "text", "格式（正则表达式）", "Pattern (regular expression)"),
    ("pattern_message", "label", "格式不符时的提示", "Message when the pattern fails"),
    ("enum", "words", "允许的值（逗号分隔）", "Allowed values (comma separated)"),
    ("min", "text", "最小值", "Minimum"),
    ("max", "text", "最大值", "Maximum"),
    ("decimals", "count", "小数位数", "Decimal places"),
    ("allow_negative", "check", "允许负数", "Allow negative amounts"),
    (
        "options",
        "options",
        "选项（每行：值 | 中文 | English）",
        "Options (one per line: value | 中文 | English)",
    ),
    ("min_count", "count", "最少数量", "Minimum count"),
    ("max_count", "count", "最多数量", "Maximum count"),
    ("phone_kind", "phone_kind", "电话类型", "Phone kind"),
    ("within", "text", "区划范围（代码前缀，如 46）", "Within division (code prefix, e.g. 46)"),
    ("accept", "words", "文件类型（如 .pdf, image/*）", "Accepted types (e.g. .pdf, image/*)"),
    ("max_size", "count", "单个文件大小上限（字节）", "Maximum file size (bytes)"),
    ("min_rows", "count", "最少行数", "Minimum rows"),
    ("max_rows", "count", "最多行数", "Maximum rows"),
)
PHONE_KINDS = {"any": ("不限", "Any"), "mobile": ("手机", "Mobile"), "landline": ("固定电话", "Landline")}
RULE_KEYS = ("id", "expr", "field")
MANAGED = {"id", "title", "fields", "rules"}


# ---------------------------------------------------------------- reading what was posted


def read(posted: Posted, saved: dict | None) -> dict:
    schema = {k: v for k, v in (saved or {}).items() if k not in MANAGED}
    if posted.text("id"):
        schema["id"] = posted.text("id")
    title = posted.label("title")
    if title:
        schema["title"] = title
    schema["fields"] = [read_field(posted, f"fields[{i}]") for i in posted.indices("fields")]
    rules = read_rules(posted, "rules")
    if rules:
        schema["rules"] = rules
    return schema


def read_field(posted: Posted, prefix: str) -> dict:
    kind = posted.text(f"{prefix}.type")
    raw: dict = {"name": posted.text(f"{prefix}.name"), "type": kind}
    label = posted.label(f"{prefix}.label")
    if label:
        raw["label"] = label
    if posted.checked(f"{prefix}.required"):
        raw["required"] = True
    allowed = FIELD_TYPES[kind].allowed_keys if kind in FIELD_TYPES else COMMON_KEYS
    for key, widget, *_ in PROPERTIES:
        if key in allowed:
            value = _READERS[widget](posted, f"{prefix}.{key}", kind)
            if value not in (None, "", [], False):
                raw[key] = value
    if kind == "group":
        raw["fields"] = [
            read_field(posted, f"{prefix}.fields[{j}]") for j in posted.indices(f"{prefix}.fields")
        ]
        rules = read_rules(posted, f"{prefix}.rules")
        if rules:
            raw["rules"] = rules
    return raw


def read_rules(posted: Posted, prefix: str) -> list[dict]:
    rules = []
    for k in posted.indices(prefix):
        row = f"{prefix}[{k}]"
        rule = {key: posted.text(f"{row}.{key}") for key in RULE_KEYS if posted.text(f"{row}.{key}")}
        message = posted.label(f"{row}.message")
        if message:
            rule["message"] = message
        rules.append(rule)
    return rules


def _options(posted: Posted, name: str, kind: str) -> list[dict]:
    options = []
    for line in posted.lines(name):
        value, _, rest = (part.strip() for part in line.partition("|"))
        zh, _, en = (part.strip() for part in rest.partition("|"))
        option: dict = {"value": value}
        if zh or en:
            option["label"] = {"zh": zh or en, "en": en} if en else {"zh": zh}
        options.append(option)
    return options


def _words(posted: Posted, name: str, kind: str) -> list:
    words = posted.words(name)
    if name.endswith(".enum") and kind == "number":
        return [Posted.of({"n": w}).number("n") for w in words]
    return words


def _default(posted: Posted, name: str, kind: str):
    return posted.words(name) if kind == "multi_select" and posted.text(name) else posted.text(name)


_READERS = {
    "label": lambda p, name, kind: p.label(name),
    "expr": lambda p, name, kind: p.text(name),
    "text": lambda p, name, kind: _default(p, name, kind) if name.endswith(".default") else p.text(name),
    "check": lambda p, name, kind: p.checked(name),
    "count": lambda p, name, kind: p.number(name),
    "words": _words,
    "options": _options,
    "phone_kind": lambda p, name, kind: "" if p.text(name) in ("", "any") else p.text(name),
}


# ---------------------------------------------------------------- structural operations


def apply(schema: dict, verb: str, path: str, posted: Posted) -> dict:
    if verb == "add" and (path == "fields" or path.endswith(".fields")):
        kind = posted.text(f"{path}.new_type") or "text"
        siblings = _count_fields(schema)
        append(schema, path, {"name": f"field_{siblings + 1}", "type": kind, "label": {"zh": ""}})
    elif verb == "add" and (path == "rules" or path.endswith(".rules")):
        append(schema, path, {"id": "", "expr": "", "message": {"zh": ""}})
    else:
        apply_row_op(schema, verb, path)
    return schema


def _count_fields(schema: dict) -> int:
    fields = schema.get("fields") or []
    return len(fields) + sum(len(f.get("fields") or []) for f in fields if isinstance(f, dict))


def check(schema: dict, content: dict | None = None) -> list[Fault]:
    return from_problems(check_schema(schema))


# ---------------------------------------------------------------- what the template shows


def field_view(raw: dict, path: str) -> dict:
    kind = raw.get("type", "")
    zh, en = label_parts(raw.get("label"))
    view = {"path": path, "name": as_text(raw.get("name")), "type": kind, "label_zh": zh, "label_en": en,
            "type_label": TYPE_LABELS.get(kind, (kind, kind)), "required": raw.get("required") is True,
            "properties": _properties_of(raw, path), "is_group": kind == "group", "children": [], "rules": []}
    if kind == "group":
        children = [child for child in raw.get("fields") or [] if isinstance(child, dict)]
        view["children"] = [field_view(child, f"{path}.fields[{j}]") for j, child in enumerate(children)]
        view["rules"] = rules_view(raw.get("rules"), f"{path}.rules")
    return view


def _properties_of(raw: dict, path: str) -> list[dict]:
    """The type's own properties, each with the input name and the value as the input shows it."""
    kind = raw.get("type", "")
    allowed = FIELD_TYPES[kind].allowed_keys if kind in FIELD_TYPES else COMMON_KEYS
    return [{"key": key, "widget": widget, "zh": zh, "en": en, "name": f"{path}.{key}",
             "value": _shown(widget, raw.get(key))}
            for key, widget, zh, en in PROPERTIES if key in allowed]


def rules_view(rules, prefix: str) -> list[dict]:
    rows = []
    for k, rule in enumerate(rules if isinstance(rules, list) else []):
        rule = rule if isinstance(rule, dict) else {}
        zh, en = label_parts(rule.get("message"))
        rows.append(
            {
                "path": f"{prefix}[{k}]",
                "id": as_text(rule.get("id")),
                "expr": as_text(rule.get("expr")),
                "field": as_text(rule.get("field")),
                "message_zh": zh,
                "message_en": en,
            }
        )
    return rows


def _shown(widget: str, value):
    if widget == "label":
        return label_parts(value)
    if widget == "check":
        return value is True
    if widget == "options":
        return "\n".join(_option_line(o) for o in value) if isinstance(value, list) else as_text(value)
    if widget == "words":
        return joined(value)
    return joined(value) if isinstance(value, list) else as_text(value)


def _option_line(option) -> str:
    if not isinstance(option, dict):
        return as_text(option)
    zh, en = label_parts(option.get("label"))
    parts = [as_text(option.get("value")), zh, en]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def view(schema: dict) -> dict:
    zh, en = label_parts(schema.get("title"))
    fields = [
        field_view(f, f"fields[{i}]") for i, f in enumerate(schema.get("fields") or []) if isinstance(f, dict)
    ]
    return {
        "form_id": as_text(schema.get("id")),
        "title_zh": zh,
        "title_en": en,
        "fields": fields,
        "rules": rules_view(schema.get("rules"), "rules"),
        "type_labels": TYPE_LABELS,
        "child_types": {k: v for k, v in TYPE_LABELS.items() if k != "group"},
        "phone_kinds": PHONE_KINDS,
    }
