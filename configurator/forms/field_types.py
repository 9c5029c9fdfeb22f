"""The field types: how each cleans a value and which schema properties it accepts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import cleaners_basic as basic
from . import cleaners_file as files
from . import cleaners_identity as identity
from .spec import CleanEnv, FieldSpec

Cleaner = Callable[[FieldSpec, Any, CleanEnv], Any]

COMMON_KEYS = frozenset({"name", "type", "label", "help", "placeholder", "required",
                         "show_if", "required_if"})
VALUE_KEYS = frozenset({"default", "compute", "prefill", "locked"})  # all types but group
_TEXT_KEYS = frozenset({"min_length", "max_length", "pattern", "pattern_message"})


@dataclass(frozen=True, slots=True)
class FieldType:
    clean: Cleaner | None  # None for group, which the engine validates row by row
    keys: frozenset[str]  # type-specific schema properties
    required_message: str = "required"

    @property
    def allowed_keys(self) -> frozenset[str]:
        return COMMON_KEYS | self.keys | (VALUE_KEYS if self.clean else frozenset())


FIELD_TYPES: dict[str, FieldType] = {
    "text": FieldType(basic.clean_text, _TEXT_KEYS | {"enum"}),
    "textarea": FieldType(basic.clean_text, _TEXT_KEYS),
    "number": FieldType(basic.clean_number, frozenset({"min", "max", "decimals", "enum"})),
    "money": FieldType(basic.clean_money, frozenset({"min", "max", "allow_negative"})),
    "date": FieldType(basic.clean_date, frozenset({"min", "max"})),
    "date_range": FieldType(basic.clean_date_range, frozenset({"min", "max"})),
    "select": FieldType(basic.clean_choice, frozenset({"options"}), "required.select"),
    "radio": FieldType(basic.clean_choice, frozenset({"options"}), "required.select"),
    "multi_select": FieldType(basic.clean_multi_choice,
                              frozenset({"options", "min_count", "max_count"}), "required.select"),
    "checkbox": FieldType(basic.clean_checkbox, frozenset(), "required.checkbox"),
    "phone": FieldType(identity.clean_phone, frozenset({"phone_kind"})),
    "email": FieldType(identity.clean_email, frozenset({"max_length"})),
    "resident_id": FieldType(identity.clean_resident_id, frozenset()),
    "uscc": FieldType(identity.clean_uscc, frozenset()),
    "division": FieldType(identity.clean_division, frozenset({"within"}), "required.select"),
    "file": FieldType(files.clean_files,
                      frozenset({"accept", "max_size", "min_count", "max_count"}),
                      "required.file"),
    "group": FieldType(None, frozenset({"fields", "min_rows", "max_rows", "rules"})),
}

ALL_KEYS = frozenset().union(*(kind.allowed_keys for kind in FIELD_TYPES.values()))
NUMERIC_TYPES = frozenset({"number", "money"})
DATE_TYPES = frozenset({"date", "date_range"})
CHOICE_TYPES = frozenset({"select", "radio", "multi_select"})
