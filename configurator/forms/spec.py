"""The parsed, immutable form schema: fields, options and cross-field rules."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Mapping

from .expressions import Expression
from .labels import Label

DivisionLookup = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: Label


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A cross-field rule; a false result puts ``message`` on ``field``."""

    expression: Expression
    field: str
    code: str
    message: Label
    schema_path: str


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: str
    label: Label
    schema_path: str  # where the field sits in the schema, e.g. "fields[3]"
    required: bool = False
    show_if: Expression | None = None
    required_if: Expression | None = None
    compute: Expression | None = None
    default: Any = None  # already canonical
    prefill: str | None = None  # identity key, e.g. "resident_id"
    locked: bool = False  # a prefilled value the applicant cannot change
    help: Label | None = None
    placeholder: Label | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_value: Any = None  # Decimal for numbers/money; date or "today" for dates
    max_value: Any = None
    pattern: re.Pattern[str] | None = None
    pattern_message: Label | None = None
    enum: frozenset[Any] | None = None
    options: tuple[Option, ...] = ()
    option_values: tuple[str, ...] = ()
    decimals: int = 0
    allow_negative: bool = False
    phone_kind: str = "any"
    within: str | None = None
    accept: tuple[str, ...] = ()
    max_size: int | None = None
    min_count: int | None = None
    max_count: int | None = None
    fields: tuple[FieldSpec, ...] = ()  # the row sub-schema of a group
    children: Mapping[str, FieldSpec] = field(default_factory=dict)
    row_order: tuple[str, ...] = ()  # group children in evaluation order
    rules: tuple[RuleSpec, ...] = ()  # row-level rules of a group
    min_rows: int | None = None
    max_rows: int | None = None

    @property
    def expressions(self) -> dict[str, Expression]:
        """The field's own conditional/computed expressions, keyed by schema key."""
        pairs = (("show_if", self.show_if), ("required_if", self.required_if),
                 ("compute", self.compute))
        return {key: expression for key, expression in pairs if expression is not None}


def beijing_today() -> dt.date:
    """"Today" for forms is the applicant's day in Hainan, whatever the server's own time zone (UTC here): at 00:30
    in Haikou it is already the next day."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


@dataclass(frozen=True, slots=True)
class CleanEnv:
    """What cleaning needs from outside the schema."""

    today: dt.date
    division_known: DivisionLookup | None = None


def division_lookup(codes: DivisionLookup | Collection[str] | None) -> DivisionLookup | None:
    """Accept either a predicate or a collection of valid division codes."""
    if codes is None or callable(codes):
        return codes
    known = frozenset(codes)
    return known.__contains__
