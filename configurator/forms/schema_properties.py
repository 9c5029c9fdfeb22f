"""Reading the properties of one field definition, recording a SchemaError for each fault."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .errors import Invalid, SchemaError
from .expressions import Expression, ExpressionInvalid, compile_expression
from .field_types import CHOICE_TYPES, DATE_TYPES, NUMERIC_TYPES
from .labels import Label
from .messages import schema_error
from .patterns import PatternRejected, compile_safe_pattern
from .rules import parse_decimal
from .spec import Option

PHONE_KINDS = frozenset({"mobile", "landline", "any"})
_ACCEPT_ENTRY = re.compile(r"^(?:\.[a-z0-9]{1,10}|[a-z]+/(?:\*|[a-z0-9.+-]+))$")
_PREFILL = re.compile(r"^identity\.([a-z_][a-z0-9_]*)$")
_DIVISION_PREFIX = re.compile(r"^\d{2}(?:\d{2}){0,2}(?:\d{3}){0,2}$")


class PropertyReader:
    """Typed access to ``raw[key]`` for one field; faults go to ``errors`` at ``path.key``."""

    def __init__(self, raw: dict[str, Any], path: str, field_type: str,
                 errors: list[SchemaError]) -> None:
        self.raw, self.path, self.field_type, self.errors = raw, path, field_type, errors

    def fault(self, prop: str, code: str, **params: Any) -> None:
        self.errors.append(schema_error(f"{self.path}.{prop}" if prop else self.path, code,
                                        **params))

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.fault(key, "not_boolean", key=key)
            return False
        return value

    def count(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fault(key, "not_count", key=key)
            return None
        return value

    def counts(self, low_key: str, high_key: str) -> tuple[int | None, int | None]:
        low, high = self.count(low_key), self.count(high_key)
        return self._ordered(low_key, low, high_key, high)

    def bounds(self) -> tuple[Any, Any]:
        """``min``/``max``: Decimal for number and money, a date or "today" for dates."""
        if self.field_type in NUMERIC_TYPES:
            low, high = self._number("min"), self._number("max")
        elif self.field_type in DATE_TYPES:
            low, high = self._date_bound("min"), self._date_bound("max")
        else:
            return None, None
        if "today" in (low, high):
            return low, high
        return self._ordered("min", low, high_key="max", high=high)

    def label(self, key: str) -> Label | None:
        if key not in self.raw:
            return None
        label = Label.from_raw(self.raw[key])
        if label is None:
            self.fault(key, "label_invalid")
        return label

    def expression(self, key: str) -> Expression | None:
        if key not in self.raw:
            return None
        try:
            return compile_expression(self.raw[key])
        except ExpressionInvalid as exc:
            self.fault(key, exc.code, **exc.params)
            return None
        except TypeError:  # an unhashable value reached the compile cache
            self.fault(key, "expression_not_text")
            return None

    def pattern(self) -> re.Pattern[str] | None:
        if "pattern" not in self.raw:
            return None
        try:
            return compile_safe_pattern(self.raw["pattern"])
        except PatternRejected as exc:
            self.fault("pattern", exc.code, detail=exc.detail)
            return None

    def options(self) -> tuple[Option, ...]:
        raw_options = self.raw.get("options")
        if self.field_type not in CHOICE_TYPES:
            return ()
        if not isinstance(raw_options, list) or not raw_options:
            self.fault("options", "options_missing", type=self.field_type)
            return ()
        options: list[Option] = []
        for index, raw_option in enumerate(raw_options):
            option = _option(raw_option)
            if option is None:
                self.fault(f"options[{index}]", "option_invalid")
            elif option.value in {known.value for known in options}:
                self.fault(f"options[{index}]", "duplicate_option", value=option.value)
            else:
                options.append(option)
        return tuple(options)

    def enum(self) -> frozenset[Any] | None:
        if "enum" not in self.raw:
            return None
        values = self.raw["enum"]
        scalar = (str,) if self.field_type == "text" else (int, float)
        if (not isinstance(values, list) or not values
                or not all(isinstance(v, scalar) and not isinstance(v, bool) for v in values)):
            self.fault("enum", "enum_invalid")
            return None
        return frozenset(values)

    def phone_kind(self) -> str:
        kind = self.raw.get("phone_kind", "any")
        if kind not in PHONE_KINDS:
            self.fault("phone_kind", "phone_kind_invalid")
            return "any"
        return kind

    def within(self) -> str | None:
        prefix = self.raw.get("within")
        if prefix is not None and not (isinstance(prefix, str) and _DIVISION_PREFIX.match(prefix)):
            self.fault("within", "within_invalid")
            return None
        return prefix

    def accept(self) -> tuple[str, ...]:
        """Extensions (".pdf", "pdf") and MIME types ("image/*"), lower-cased."""
        entries = self.raw.get("accept", [])
        if isinstance(entries, list) and all(isinstance(entry, str) for entry in entries):
            normal = [_accept_entry(entry) for entry in entries]
            if all(_ACCEPT_ENTRY.match(entry) for entry in normal):
                return tuple(normal)
        self.fault("accept", "accept_invalid")
        return ()

    def prefill(self) -> str | None:
        source = self.raw.get("prefill")
        if source is None:
            return None
        match = _PREFILL.match(source) if isinstance(source, str) else None
        if match is None:
            self.fault("prefill", "prefill_invalid")
            return None
        return match.group(1)

    def _number(self, key: str) -> Decimal | None:
        if key not in self.raw:
            return None
        try:
            return parse_decimal(self.raw[key])
        except Invalid:
            self.fault(key, "not_number", key=key)
            return None

    def _date_bound(self, key: str) -> dt.date | str | None:
        value = self.raw.get(key)
        if value is None or value == "today":
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fault(key, "not_date", key=key)
        return None

    def _ordered(self, low_key: str, low: Any, high_key: str, high: Any) -> tuple[Any, Any]:
        if low is not None and high is not None and low > high:
            self.fault(low_key, "min_over_max", low=low_key, high=high_key)
        return low, high


def _accept_entry(entry: str) -> str:
    entry = entry.strip().lower()
    return entry if "/" in entry or entry.startswith(".") else "." + entry


def _option(raw: Any) -> Option | None:
    if isinstance(raw, dict):
        value, label = raw.get("value"), Label.from_raw(raw.get("label", raw.get("value")))
    else:
        value, label = raw, Label.from_raw(str(raw)) if isinstance(raw, (str, int)) else None
    if isinstance(value, bool) or not isinstance(value, (str, int)) or label is None:
        return None
    text = str(value).strip()
    return Option(text, label) if text else None

