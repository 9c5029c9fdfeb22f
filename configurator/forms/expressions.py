"""CEL expressions of a form: compiled once, references found statically, evaluated safely.

Expressions are run by the ``cel`` package (common-expression-language), never by
Python's eval/exec. In scope are:

* ``form.<field>`` or the bare ``<field>`` – a top-level field of the form;
* ``row.<field>`` – a field of the current row (only inside a repeating group);
* ``identity.<key>`` – the signed-in identity (``identity.name``, ...);
* ``today`` – today's date as an ISO string (dates are ISO strings in CEL,
  so ``form.end_date >= form.start_date`` compares them correctly);
* the extended functions of ``cel.stdlib`` (``sum``, ``math.greatest``, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping

import cel
from cel.stdlib import STDLIB_FUNCTIONS

FORM, ROW, IDENTITY, TODAY = "form", "row", "identity", "today"
SCOPES = frozenset({FORM, ROW, IDENTITY})
RESERVED_NAMES = SCOPES | {TODAY, "math", "sets", "base64", "strings", "lists", "cel"}
MAX_EXPRESSION_LENGTH = 2000
_NAMESPACES = frozenset({"math", "sets", "base64", "strings", "lists"})
_STRING_LITERAL = re.compile(
    r"""[rRbB]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"""
    r"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')""")
_ROOT_IDENTIFIER = re.compile(r"(?<![\w.])([A-Za-z_]\w*)(?:\s*\.\s*([A-Za-z_]\w*))?")
_BUILTIN_FUNCTIONS = frozenset({
    "size", "contains", "startsWith", "endsWith", "matches", "int", "uint", "double", "string",
    "bytes", "bool", "type", "dyn", "timestamp", "duration", "max", "min", "getFullYear",
    "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
    "getMinutes", "getSeconds", "getMilliseconds"})
KNOWN_FUNCTIONS = _BUILTIN_FUNCTIONS | {name.rsplit(".", 1)[-1] for name in STDLIB_FUNCTIONS}
_MACRO_VARIABLE = re.compile(
    r"\.\s*(?:all|exists|exists_one|existsOne|map|filter|transformList|transformMap)"
    r"\s*\(\s*([A-Za-z_]\w*)\s*,")


class ExpressionInvalid(ValueError):
    """The expression does not compile or uses a scope the wrong way."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code, self.params = code, params


class ExpressionFailed(RuntimeError):
    """The expression raised while running (missing value, wrong types, ...)."""


@dataclass(frozen=True, slots=True)
class Expression:
    source: str
    program: Any = field(repr=False, compare=False)
    form_refs: tuple[str, ...]        # top-level fields (form.x or bare x), in order of use
    dotted_form_refs: frozenset[str]  # the subset written as form.x
    bare_refs: frozenset[str]         # the subset written as bare x
    row_refs: tuple[str, ...]
    identity_refs: tuple[str, ...]
    uses_today: bool
    functions: Mapping[str, Callable[..., Any]] = field(repr=False, compare=False)

    def evaluate(self, form: Mapping[str, Any], row: Mapping[str, Any] | None = None,
                 identity: Mapping[str, Any] | None = None, today: str = "") -> Any:
        """Run the program over CEL-ready values; only referenced values are passed in."""
        try:
            return self.program.execute(self._context(form, row or {}, identity or {}, today))
        except Exception as exc:  # the CEL runtime raises KeyError/TypeError/RuntimeError/...
            raise ExpressionFailed(_first_line(exc)) from None

    def _context(self, form: Mapping[str, Any], row: Mapping[str, Any],
                 identity: Mapping[str, Any], today: str) -> dict[str, Any]:
        context: dict[str, Any] = dict(self.functions)
        if self.dotted_form_refs:
            context[FORM] = {name: form.get(name) for name in self.dotted_form_refs}
        for name in self.bare_refs:
            context[name] = form.get(name)
        if self.row_refs:
            context[ROW] = {name: row.get(name) for name in self.row_refs}
        if self.identity_refs:
            context[IDENTITY] = {key: identity.get(key) for key in self.identity_refs}
        if self.uses_today:
            context[TODAY] = today
        return context


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> Expression:
    """Compile ``source`` once (cached per text) and find what it refers to."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionInvalid("expression_not_text")
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionInvalid("expression_syntax", detail=f"longer than {MAX_EXPRESSION_LENGTH}")
    try:
        program = cel.compile(source)
    except Exception as exc:  # ValueError for syntax errors; be safe with anything else
        raise ExpressionInvalid("expression_syntax", detail=_first_line(exc)) from None
    called = set(program.functions())
    for name in sorted(called):
        if not _is_operator(name) and name not in KNOWN_FUNCTIONS:
            raise ExpressionInvalid("unknown_function", name=name)
    code = _STRING_LITERAL.sub('""', source)
    refs = _References.scan(code, set(program.variables()))
    return Expression(
        source=source, program=program, form_refs=tuple(refs.form),
        dotted_form_refs=frozenset(refs.dotted_form), bare_refs=frozenset(refs.bare),
        row_refs=tuple(refs.row), identity_refs=tuple(refs.identity), uses_today=refs.today,
        functions=_stdlib_functions(code, called))


@dataclass
class _References:
    form: list[str] = field(default_factory=list)
    dotted_form: set[str] = field(default_factory=set)
    bare: set[str] = field(default_factory=set)
    row: list[str] = field(default_factory=list)
    identity: list[str] = field(default_factory=list)
    today: bool = False

    @classmethod
    def scan(cls, code: str, variables: set[str]) -> _References:
        refs = cls()
        bound = set(_MACRO_VARIABLE.findall(code))
        for match in _ROOT_IDENTIFIER.finditer(code):
            root, attribute = match.group(1), match.group(2)
            if root in SCOPES:
                refs._add_scoped(root, attribute)
            elif root == TODAY:
                refs.today = True
            elif root in variables and root not in bound and root not in _NAMESPACES:
                refs.bare.add(root)
                _append_once(refs.form, root)
        return refs

    def _add_scoped(self, scope: str, attribute: str | None) -> None:
        if attribute is None:
            raise ExpressionInvalid("bare_scope", scope=scope)
        if scope == FORM:
            self.dotted_form.add(attribute)
            _append_once(self.form, attribute)
        elif scope == ROW:
            _append_once(self.row, attribute)
        else:
            _append_once(self.identity, attribute)


def _append_once(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _is_operator(name: str) -> bool:
    """CEL reports operators as e.g. "_+_", "_[_]", "!_", "@in"."""
    return name.startswith("@") or not any(char.isalpha() for char in name)


def _stdlib_functions(code: str, called: set[str]) -> dict[str, Callable[..., Any]]:
    """The extended-stdlib functions this expression calls (plain or namespaced)."""
    return {name: function for name, function in STDLIB_FUNCTIONS.items()
            if name in called or ("." in name and name in code)}


def _first_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text if len(text) <= 160 else text[:159] + "…"
