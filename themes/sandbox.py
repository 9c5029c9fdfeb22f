"""Tenant-authored templates: the sandbox they render in and the checks they pass on save.

Two walls. On save, :func:`check_template` parses the source (syntax errors reported with their line) and
refuses constructs used to escape a template sandbox: attribute or item access to names starting with
``_`` or to known escape hatches (``mro``, ``__globals__``, ``gi_frame``...), the globals ``config``,
``self``, ``cycler``, ``joiner``, ``lipsum``, ``namespace``, ``range`` and friends, the ``attr`` filter,
string constants holding ``__``, and dynamic or unknown ``extends``/``include``/``import`` targets. At
render time every template runs in :class:`ThemeSandbox` (jinja2's immutable sandbox, autoescaped), which
refuses the same attributes again, bounds ``*`` and ``**``, and has none of those globals to reach.
"""
from __future__ import annotations

import operator
from collections.abc import Iterable

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tongban.themes.tokens import ThemeProblem

MAX_SOURCE = 64 * 1024
MAX_SEQUENCE = 10_000
MAX_EXPONENT = 64
DENIED_ATTRIBUTES = frozenset({
    "mro", "func_globals", "func_code", "f_globals", "f_locals", "f_back", "f_builtins", "gi_frame", "gi_code",
    "cr_frame", "cr_code", "ag_frame", "ag_code", "tb_frame", "tb_next", "im_func", "im_self", "co_code",
    "format", "format_map", "environment", "globals", "app", "settings", "database",
    "engine", "secret_key", "module", "modules", "builtins", "subclasses", "translations",
})
DENIED_NAMES = frozenset({
    "config", "self", "cycler", "joiner", "lipsum", "namespace", "range", "request", "session", "g",
    "url_for", "get_flashed_messages", "app", "settings", "environment", "context", "os", "sys",
    "builtins", "import", "eval", "exec", "open", "getattr", "setattr", "type", "object", "super",
    "globals", "locals", "vars", "dir", "loop_controls",
})
DENIED_FILTERS = frozenset({"attr", "xmlattr", "safe", "indent", "wordwrap", "center"})
BLOCKED_GLOBALS = ("range", "lipsum", "cycler", "joiner", "namespace")


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox with the escape hatches above refused and sizes bounded."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *, plain_types: frozenset[type] = frozenset(), **options) -> None:
        super().__init__(autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False, **options)
        self.plain_types = plain_types  # frozen data records: any public attribute is data, nothing mutates
        for name in BLOCKED_GLOBALS:
            self.globals.pop(name, None)

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if attr.startswith("_") or attr in DENIED_ATTRIBUTES:
            return False
        if type(obj) in self.plain_types:
            return True
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator_name: str, left, right):
        if operator_name == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_SEQUENCE:
                    raise SecurityError("sequence too large")
            return operator.mul(left, right)
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        return super().call_binop(context, operator_name, left, right)


def check_template(name: str, source: object, known: Iterable[str]) -> list[ThemeProblem]:
    """Problems of a tenant's override of template ``name`` (empty when it may be saved)."""
    path = f"templates.{name}"
    known = set(known)
    if name not in known:
        return [ThemeProblem(path, "unknown_template", f"不能覆盖模板“{name}”（只能覆盖基础主题中的页面模板）",
                             f"{name!r} cannot be overridden (only the base theme's page templates can)")]
    if not isinstance(source, str):
        return [ThemeProblem(path, "type", "模板内容应为文字", "a template must be text")]
    if len(source.encode()) > MAX_SOURCE:
        return [ThemeProblem(path, "too_large", "模板不能超过 64 KB", "a template has at most 64 KB")]
    try:
        tree = ThemeSandbox().parse(source, name=name)
    except TemplateSyntaxError as error:
        return [ThemeProblem(path, "syntax", f"第 {error.lineno} 行语法错误：{error.message}",
                             f"syntax error on line {error.lineno}: {error.message}", error.lineno)]
    return [ThemeProblem(path, code, zh, en, line) for code, zh, en, line in _unsafe(tree, known)]


def _unsafe(tree: nodes.Template, known: set[str]):
    for node in tree.find_all(nodes.Node):
        refusal = _refusal(node, known)
        if refusal:
            code, what = refusal
            line = getattr(node, "lineno", None)
            yield (code, f"第 {line} 行不允许使用 {what}（模板沙箱安全规则）",
                   f"line {line}: {what} is not allowed (template sandbox rules)", line)


def _refusal(node: nodes.Node, known: set[str]) -> tuple[str, str] | None:
    if isinstance(node, nodes.Getattr) and _denied_attribute(node.attr):
        return "unsafe_attribute", f"属性 .{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) \
            and _denied_attribute(node.arg.value):
        return "unsafe_attribute", f"下标 [{node.arg.value!r}]"
    if isinstance(node, (nodes.Name, nodes.NSRef)) and _denied_name(getattr(node, "name", "")):
        return "unsafe_name", f"名称 {node.name}"
    if isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
        return "unsafe_constant", f"含双下划线的字符串 {node.value!r}"
    if isinstance(node, (nodes.Filter, nodes.Test)) and node.name in DENIED_FILTERS:
        return "unsafe_filter", f"过滤器 {node.name}"
    if isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if not isinstance(target, nodes.Const) or target.value not in known:
            return "unsafe_template_reference", "动态或未知的模板引用"
    return None


def _denied_attribute(attr: str) -> bool:
    return attr.startswith("_") or attr in DENIED_ATTRIBUTES


def _denied_name(name: str) -> bool:
    return name in DENIED_NAMES or (name.startswith("_") and name != "_")
