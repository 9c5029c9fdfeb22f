"""Field ``pattern`` rules: regular expressions compiled once and screened for runaway backtracking.

Python's ``re`` has no timeout, so instead of timing matches out, risky patterns are
refused when the schema is saved (a simple structural check):

* a variable repeat nested inside another variable repeat, e.g. ``(a+)+``;
* an alternation inside a variable repeat, e.g. ``(a|ab)*``;
* back-references, e.g. ``(a)\\1``;
* patterns longer than ``MAX_PATTERN_LENGTH``.

Values are matched in full (``fullmatch``) and only up to ``MAX_MATCHED_LENGTH``
characters, which bounds the work of what remains.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

MAX_PATTERN_LENGTH = 300
MAX_MATCHED_LENGTH = 2000
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_BACKREFERENCES = {sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS}


class PatternRejected(ValueError):
    """The pattern is not a valid regular expression (``code="bad_regex"``) or is risky
    (``code="unsafe_regex"``)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def compile_safe_pattern(pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise PatternRejected("bad_regex", "pattern must be non-empty text")
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternRejected("bad_regex", f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        compiled = re.compile(pattern)
        parsed = sre_parser.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise PatternRejected("bad_regex", str(exc)) from None
    problem = _backtracking_risk(list(parsed), inside_repeat=False)
    if problem:
        raise PatternRejected("unsafe_regex", problem)
    return compiled


def matches_in_full(pattern: re.Pattern[str], value: str) -> bool:
    return len(value) <= MAX_MATCHED_LENGTH and pattern.fullmatch(value) is not None


def _backtracking_risk(items: list[tuple[Any, Any]], inside_repeat: bool) -> str | None:
    for op, argument in items:
        if op in _BACKREFERENCES:
            return "back-references are not allowed"
        if op is sre_constants.BRANCH and inside_repeat:
            return "alternation (|) inside a repeat, e.g. (a|ab)*"
        if op in _REPEATS:
            low, high, body = argument
            variable = high != low and high > 1
            if variable and inside_repeat:
                return "a repeat inside a repeat, e.g. (a+)+"
            problem = _backtracking_risk(list(body), inside_repeat or variable)
        else:
            problem = _scan_children(argument, inside_repeat)
        if problem:
            return problem
    return None


def _scan_children(argument: Any, inside_repeat: bool) -> str | None:
    """Descend into groups, branches and look-arounds (whatever holds sub-patterns)."""
    parts = argument if isinstance(argument, (tuple, list)) else (argument,)
    for part in parts:
        if isinstance(part, sre_parser.SubPattern):
            problem = _backtracking_risk(list(part), inside_repeat)
        elif isinstance(part, list) and part and isinstance(part[0], sre_parser.SubPattern):
            problem = _scan_children(part, inside_repeat)
        else:
            problem = None
        if problem:
            return problem
    return None
