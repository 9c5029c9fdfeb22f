"""Turning field and rule definitions (dicts from JSON) into specs, collecting every fault."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .errors import Invalid, SchemaError
from .expressions import RESERVED_NAMES
from .field_types import ALL_KEYS, FIELD_TYPES, FieldType
from .labels import Label
from .messages import FIELD_MESSAGES, schema_error
from .schema_properties import PropertyReader
from .spec import CleanEnv, FieldSpec, RuleSpec, beijing_today

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
RULE_KEYS = frozenset({"id", "expr", "message", "field"})
MAX_FIELDS = 500
_CEL_KEYWORDS = frozenset({"true", "false", "null", "in", "as", "break", "const", "continue",
                           "else", "for", "function", "if", "import", "let", "loop", "package",
                           "namespace", "return", "var", "void", "while", "has", "size", "int",
                           "uint", "double", "string", "bytes", "bool", "list", "map", "type",
                           "dyn", "timestamp", "duration"})


class SchemaBuilder:
    def __init__(self) -> None:
        self.errors: list[SchemaError] = []

    def fault(self, path: str, code: str, **params: Any) -> None:
        self.errors.append(schema_error(path, code, **params))

    def fields(self, raw: Any, path: str, in_group: bool = False) -> list[FieldSpec]:
        if not isinstance(raw, list) or not raw or len(raw) > MAX_FIELDS:
            self.fault(path, "group_fields_missing" if in_group else "fields_missing")
            return []
        specs, seen = [], set()
        for index, raw_field in enumerate(raw):
            field_path = f"{path}[{index}]"
            spec = self.field(raw_field, field_path, in_group)
            name = raw_field.get("name") if isinstance(raw_field, dict) else None
            if isinstance(name, str) and name in seen:
                self.fault(f"{field_path}.name", "duplicate_name", name=name)
            elif spec is not None:
                specs.append(spec)
            if isinstance(name, str):
                seen.add(name)
        return specs

    def field(self, raw: Any, path: str, in_group: bool) -> FieldSpec | None:
        if not isinstance(raw, dict):
            self.fault(path, "field_not_object")
            return None
        name = self._name(raw, path)
        kind = self._kind(raw, path, in_group)
        label = Label.from_raw(raw.get("label"))
        if label is None:
            self.fault(f"{path}.label" if "label" in raw else path, "label_missing")
        self._check_keys(raw, path, kind)
        if name is None or kind is None:
            return None
        # a missing label is already reported; build on so the other faults show up too
        spec = FieldSpec(name=name, type=raw["type"], label=label or Label(name, name),
                         schema_path=path, **self._properties(raw, path, in_group))
        return self._with_default(spec, raw, path)

    def rules(self, raw: Any, path: str, row_scope: bool) -> list[RuleSpec]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fault(path, "rules_invalid")
            return []
        built = (self._rule(item, f"{path}[{index}]", row_scope) for index, item in enumerate(raw))
        return [rule for rule in built if rule is not None]

    def _properties(self, raw: dict[str, Any], path: str, in_group: bool) -> dict[str, Any]:
        read = PropertyReader(raw, path, raw["type"], self.errors)
        min_length, max_length = read.counts("min_length", "max_length")
        min_count, max_count = read.counts("min_count", "max_count")
        min_value, max_value = read.bounds()
        options = read.options()
        properties = dict(
            required=read.flag("required"), locked=read.flag("locked"),
            allow_negative=read.flag("allow_negative"), help=read.label("help"),
            placeholder=read.label("placeholder"), show_if=read.expression("show_if"),
            required_if=read.expression("required_if"), compute=read.expression("compute"),
            min_length=min_length, max_length=max_length, min_count=min_count,
            max_count=max_count, min_value=min_value, max_value=max_value,
            pattern=read.pattern(), pattern_message=read.label("pattern_message"),
            enum=read.enum(), options=options, option_values=tuple(o.value for o in options),
            decimals=read.count("decimals") or 0, phone_kind=read.phone_kind(),
            within=read.within(), accept=read.accept(), max_size=read.count("max_size"),
            prefill=self._prefill(read, in_group))
        if raw["type"] == "group":
            properties.update(self._group(raw, path, read))
        return properties

    def _group(self, raw: dict[str, Any], path: str, read: PropertyReader) -> dict[str, Any]:
        children = self.fields(raw.get("fields"), f"{path}.fields", in_group=True)
        min_rows, max_rows = read.counts("min_rows", "max_rows")
        return dict(fields=tuple(children), children={c.name: c for c in children},
                    row_order=tuple(c.name for c in children), min_rows=min_rows,
                    max_rows=max_rows, rules=tuple(self.rules(raw.get("rules"),
                                                              f"{path}.rules", True)))

    def _prefill(self, read: PropertyReader, in_group: bool) -> str | None:
        source = read.prefill()
        if source is not None and in_group:
            read.fault("prefill", "prefill_in_group")
            return None
        if read.raw.get("locked") and "prefill" not in read.raw:
            read.fault("locked", "locked_without_prefill")
        return source

    def _name(self, raw: dict[str, Any], path: str) -> str | None:
        name = raw.get("name")
        if name is None or name == "":
            self.fault(path, "name_missing")
        elif not isinstance(name, str) or not NAME.match(name):
            self.fault(f"{path}.name", "name_invalid", name=name)
        elif name in RESERVED_NAMES or name in _CEL_KEYWORDS:
            self.fault(f"{path}.name", "name_reserved", name=name)
        else:
            return name
        return None

    def _kind(self, raw: dict[str, Any], path: str, in_group: bool) -> FieldType | None:
        type_name = raw.get("type")
        if type_name is None:
            self.fault(path, "type_missing")
            return None
        kind = FIELD_TYPES.get(type_name) if isinstance(type_name, str) else None
        if kind is None:
            self.fault(f"{path}.type", "unknown_type", type=type_name)
        elif type_name == "group" and in_group:
            self.fault(f"{path}.type", "nested_group")
            return None
        return kind

    def _check_keys(self, raw: dict[str, Any], path: str, kind: FieldType | None) -> None:
        for key in raw:
            if key not in ALL_KEYS:
                self.fault(f"{path}.{key}", "unknown_property", key=key)
            elif kind is not None and key not in kind.allowed_keys:
                self.fault(f"{path}.{key}", "property_not_allowed", type=raw["type"], key=key)

    def _with_default(self, spec: FieldSpec, raw: dict[str, Any], path: str) -> FieldSpec:
        if raw.get("default") is None or FIELD_TYPES[spec.type].clean is None:
            return spec
        try:
            env = CleanEnv(today=beijing_today())
            default = FIELD_TYPES[spec.type].clean(spec, raw["default"], env)
        except Invalid as exc:
            detail = FIELD_MESSAGES[exc.code][1].format(label=spec.label.en, **exc.params)
            self.fault(f"{path}.default", "bad_default", detail=detail)
            return spec
        return dataclasses.replace(spec, default=default)

    def _rule(self, raw: Any, path: str, row_scope: bool) -> RuleSpec | None:
        if not isinstance(raw, dict):
            self.fault(path, "rule_not_object")
            return None
        for key in raw.keys() - RULE_KEYS:
            self.fault(f"{path}.{key}", "unknown_property", key=key)
        read = PropertyReader(raw, path, "rule", self.errors)
        expression = read.expression("expr") if "expr" in raw else None
        if "expr" not in raw:
            self.fault(f"{path}.expr", "expression_not_text")
        message = Label.from_raw(raw.get("message"))
        if message is None:
            self.fault(f"{path}.message", "rule_message_missing")
        if expression is None or message is None:
            return None
        refs = expression.row_refs if row_scope else expression.form_refs
        target = raw.get("field") or (refs[0] if refs else "")
        if not target:
            self.fault(path, "rule_field_missing")
            return None
        code = raw["id"] if isinstance(raw.get("id"), str) and raw["id"] else "rule"
        return RuleSpec(expression, str(target), code, message, path)

