"""Theme resolution and rendering: tenant → parent → … → the provincial base theme.

A page's template is looked up in the nearest layer that overrides it, else in the base theme's files.
Every theme renders in :class:`~tongban.themes.sandbox.ThemeSandbox`. When a tenant-authored template
fails at render time (an error the save-time checks could not foresee), the page is rendered again
without that override — so the parent's version (or the base's) is used — and the failure is returned
for the caller to log and record. A failing override stays disabled for that theme revision in this
worker, so a broken template costs one failed render, not one per request.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound

from tongban.themes.sandbox import ThemeSandbox
from tongban.themes.tokens import effective_tokens

THEMES = Path(__file__).resolve().parent
BASE_TEMPLATES = THEMES / "base" / "templates"
BASE_STATIC = THEMES / "base" / "static"
TENANT_PREFIX = "tenant:"
OVERRIDABLE = ("base.html", "home.html", "partials/", "portal/")  # the portal's pages; other rooms keep theirs
NOT_OVERRIDABLE = ("portal/admin",)  # the theme page itself must always work, to repair a broken theme
MAX_ATTEMPTS = 6


def overridable_templates(base: Path = BASE_TEMPLATES) -> frozenset[str]:
    """The base theme's portal templates a tenant may override (not sign-in pages, documents, other rooms')."""
    names = (p.relative_to(base).as_posix() for p in base.rglob("*.html"))
    return frozenset(n for n in names if n.startswith(OVERRIDABLE) and not n.startswith(NOT_OVERRIDABLE))


@dataclass(frozen=True)
class Layer:
    """One tenant's theme as a page uses it: published (or, in a preview, its draft)."""

    tenant_code: str
    revision: int
    tokens: Mapping[str, str] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    draft: bool = False
    row_id: int = 0  # with the revision, names this exact content (a re-created theme gets a new row)


@dataclass(frozen=True)
class ResolvedTheme:
    layers: tuple[Layer, ...]  # root first, nearest last
    logo: tuple[str, str] | None = None  # an uploaded logo on the path: (its tenant's code, its PNG's sha256)
    logo_draft: bool = False  # ``logo`` is the tenant's draft logo (a preview): served to the preview only

    @property
    def tokens(self) -> dict[str, str]:
        return effective_tokens([layer.tokens for layer in self.layers])

    @property
    def template_key(self) -> tuple:
        return tuple((l.tenant_code, l.row_id, l.revision, l.draft) for l in self.layers if l.templates)

    @property
    def owner_of(self) -> dict[str, str]:
        """Which tenant's override serves each overridden template name."""
        owners: dict[str, str] = {}
        for layer in self.layers:
            owners.update({name: layer.tenant_code for name in layer.templates})
        return owners


BASE_THEME = ResolvedTheme(())


class RenderFailure(NamedTuple):
    owner: str  # the tenant whose template failed
    name: str  # the template name
    error: str
    line: int | None


class LayeredLoader(BaseLoader):
    def __init__(self, layers: tuple[Layer, ...], disabled: frozenset[tuple[str, str]], base: FileSystemLoader):
        self.layers, self.disabled, self.base = layers, disabled, base

    def get_source(self, environment: Environment, template: str):
        for layer in reversed(self.layers):
            source = layer.templates.get(template)
            if source is not None and (layer.tenant_code, template) not in self.disabled:
                return source, f"{TENANT_PREFIX}{layer.tenant_code}/{template}", lambda: True
        return self.base.get_source(environment, template)


class ThemeRenderer:
    def __init__(self, configure: Callable[[Environment], None], *, base: Path = BASE_TEMPLATES,
                 max_envs: int = 256) -> None:
        self._configure, self._base = configure, FileSystemLoader(str(base))
        self._max = max_envs
        self._envs: OrderedDict[tuple, Environment] = OrderedDict()
        self._bad: dict[tuple, frozenset[tuple[str, str]]] = {}
        self._lock = threading.Lock()
        self.base_env = self._build((), frozenset())

    def render(self, theme: ResolvedTheme, name: str, context: dict) -> tuple[str, list[RenderFailure]]:
        """The page's HTML and any new failures of tenant templates (already worked around)."""
        key = theme.template_key
        if not key:
            return self.base_env.get_template(name).render(context), []
        failures: list[RenderFailure] = []
        disabled = self._bad.get(key, frozenset())
        for _ in range(MAX_ATTEMPTS):
            env = self._env(theme, key, disabled)
            try:
                html = env.get_template(name).render(context)
            except Exception as error:
                culprit = tenant_frame(error)
                if culprit is None or (culprit.owner, culprit.name) in disabled:
                    raise
                failures.append(culprit)
                disabled = disabled | {(culprit.owner, culprit.name)}
                with self._lock:
                    self._bad[key] = disabled
                continue
            return html, failures
        raise RuntimeError("theme fallback did not converge")

    def _env(self, theme: ResolvedTheme, key: tuple, disabled: frozenset) -> Environment:
        cache_key = (key, disabled)
        with self._lock:
            env = self._envs.get(cache_key)
            if env is not None:
                self._envs.move_to_end(cache_key)
                return env
        env = self._build(theme.layers, disabled)
        with self._lock:
            self._envs[cache_key] = env
            while len(self._envs) > self._max:
                self._envs.popitem(last=False)
        return env

    def _build(self, layers: tuple[Layer, ...], disabled: frozenset) -> Environment:
        loader = LayeredLoader(layers, disabled, self._base) if layers else self._base
        env = ThemeSandbox(loader=loader, cache_size=400)
        self._configure(env)
        return env


def tenant_frame(error: BaseException) -> RenderFailure | None:
    """The deepest tenant-authored template in the error's traceback (jinja2 names frames by template)."""
    found = None
    filename = getattr(error, "filename", None) or ""
    if filename.startswith(TENANT_PREFIX):  # a syntax error at compile time
        found = _failure(filename, getattr(error, "lineno", None), error)
    tb = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(TENANT_PREFIX):
            found = _failure(name, tb.tb_lineno, error)
        tb = tb.tb_next
    return found


def _failure(filename: str, line: int | None, error: BaseException) -> RenderFailure:
    owner, _, name = filename[len(TENANT_PREFIX):].partition("/")
    return RenderFailure(owner, name, f"{type(error).__name__}: {error}"[:500], line)


__all__ = ["BASE_STATIC", "BASE_TEMPLATES", "BASE_THEME", "Layer", "RenderFailure", "ResolvedTheme",
           "TemplateNotFound", "ThemeRenderer", "overridable_templates", "tenant_frame"]
