"""The demo catalogue: realistic Hainan service items as data, and the national theme codes they carry.

Themes are written ``<subject>:<code>`` (``自然人:005`` 生育收养, ``法人:005`` 设立变更) because the national
codes repeat across the two subjects of ``catalogue_data/theme_categories.csv``.
"""
from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from tongban.configurator.demo import items_building, items_market, items_people, items_social

THEMES_CSV = Path(__file__).resolve().parent.parent / "catalogue_data" / "theme_categories.csv"
SUBJECT_OF_AUDIENCE = {"individual": "自然人", "enterprise": "法人"}
BUILDERS = (*items_market.ITEMS, *items_people.ITEMS, *items_social.ITEMS, *items_building.ITEMS)


def demo_items() -> list[dict]:
    """Every demo item's full content (elements, form, materials, flow), freshly built on each call."""
    return [build() for build in BUILDERS]


@cache
def theme_names() -> dict[str, str]:
    """``{"自然人:005": "生育收养", "法人:005": "设立变更", ...}`` from the national theme list."""
    with THEMES_CSV.open(encoding="utf-8") as f:
        return {f"{row['subject']}:{row['theme_code']}": row["theme_name"] for row in csv.DictReader(f)}


def theme_name(tag: str) -> str | None:
    return theme_names().get(tag)
