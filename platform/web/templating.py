"""The jinja2 environment for pages: the base theme's templates, autoescaped.

Per-tenant themes (tenant → parent → base) build on this loader in the portal issue.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

THEMES = Path(__file__).resolve().parent.parent.parent / "themes"
BASE_TEMPLATES = THEMES / "base" / "templates"
BASE_STATIC = THEMES / "base" / "static"

LEVEL_LABELS = {
    "province": ("省", "Province"),
    "city_county": ("市县", "City/County"),
    "district": ("区", "District"),
    "township": ("乡镇街道", "Township"),
    "village": ("村社区", "Village"),
}


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(BASE_TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"], default=True),
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["level_labels"] = LEVEL_LABELS
    return Jinja2Templates(env=env)
