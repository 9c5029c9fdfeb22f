"""Edge conditions: CEL expressions over the form data, compiled once and cached.

Conditions are evaluated with the ``cel`` package (common-expression-language);
they are never handed to Python's eval/exec. The only variable in scope is
``form`` (the submitted form data), e.g. ``form.amount > 100``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping

import cel

FORM_VARIABLE = "form"
_MAX_DETAIL = 160
_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"}
)
_OPERATORS = frozenset({
    "!_", "-_", "_&&_", "_||_", "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_+_", "_-_",
    "_*_", "_/_", "_%_", "_[_]", "_?_:_", "@in", "@not_strictly_false",
})
# Standard functions the installed CEL runtime can evaluate (others fail at run time).
SUPPORTED_FUNCTIONS = _OPERATORS | frozenset({
    "size", "contains", "startsWith", "endsWith", "matches", "int", "uint", "double", "string",
    "bytes", "timestamp", "duration", "dyn", "type", "getFullYear", "getMonth", "getDate",
    "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours", "getMinutes", "getSeconds",
    "getMilliseconds",
})
# Variables bound by comprehension macros, e.g. ``form.items.exists(item, item.price > 0)``.
_MACRO_VARIABLE = re.compile(
    r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,"
)


class ConditionCompileError(ValueError):
    """The expression does not compile, or refers to variables other than ``form``."""

    def __init__(self, code: str, **params: str) -> None:
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}")


@lru_cache(maxsize=2048)
def compile_condition(expression: str) -> Any:
    """Compile ``expression`` to a reusable CEL program (cached per expression text)."""
    if not expression.strip():
        raise ConditionCompileError("condition_invalid", detail="empty expression")
    try:
        program = cel.compile(expression)
    except (ValueError, TypeError, RuntimeError) as exc:
        raise ConditionCompileError("condition_invalid", detail=_short(exc)) from None
    _check_names(expression, program)
    return program


def _check_names(expression: str, program: Any) -> None:
    """Refuse free variables other than ``form`` and functions CEL cannot run here.

    A save-time lint only: conditions are run by CEL with nothing but the form
    data in scope, so they cannot reach any Python code either way.
    """
    bound = set(_MACRO_VARIABLE.findall(expression))
    foreign = sorted(set(program.variables()) - {FORM_VARIABLE} - _TYPE_NAMES - bound)
    if foreign:
        raise ConditionCompileError("condition_unknown_variable", names=", ".join(foreign))
    unsupported = sorted(set(program.functions()) - SUPPORTED_FUNCTIONS)
    if unsupported:
        raise ConditionCompileError("condition_unknown_function", names=", ".join(unsupported))


def evaluate_condition(expression: str, form_data: Mapping[str, Any]) -> bool:
    """Evaluate a condition; raises ValueError unless it yields a boolean."""
    program = compile_condition(expression)
    try:
        result = program.execute({FORM_VARIABLE: dict(form_data)})
    except Exception as exc:  # the CEL runtime raises KeyError/TypeError/RuntimeError/...
        raise ValueError(_short(exc)) from None
    if not isinstance(result, bool):
        raise ValueError(f"result is {type(result).__name__}, not a boolean")
    return result


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"
