"""The jinja2 environments for pages.

- ``build_templates()``: the base theme's templates, autoescaped, for the foundation's error pages and the
  identity pages (no tenant theme applies there: a broken theme can never lock anyone out of signing in).
- ``configure_portal_env(env)``: filters and globals of the portal's themed environments (tenant → parent →
  base, sandboxed; see themes/loader.py), which render every public page of a tenant.
"""
from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.templating import Jinja2Templates

from tongban.configurator.items.elements import AUDIENCES, CASE_TYPES, CHANNELS, KINDS
from tongban.platform.approval.guards import STATE_LABELS
from tongban.platform.calendar.working_days import last_day
from tongban.platform.portal import i18n
from tongban.themes.loader import BASE_STATIC, BASE_TEMPLATES, THEMES
from tongban.themes.tokens import BASE_TOKENS

LEVEL_LABELS = {
    "province": ("省", "Province"),
    "city_county": ("市县", "City/County"),
    "district": ("区", "District"),
    "township": ("乡镇街道", "Township"),
    "village": ("村社区", "Village"),
}
NAV = (("/", "首页"), ("/items?audience=individual", "个人办事"), ("/items?audience=enterprise", "法人办事"),
       ("/items", "全部事项"), ("/progress", "办件查询"), ("/appointments", "预约办理"), ("/results", "结果公示"),
       ("/powers", "权责清单"), ("/notices", "通知公告"), ("/cases", "我的办件"))


def nav_links(base: str, path: str, lang: str) -> list[dict]:
    here = path[len(base):] if base and path.startswith(base) else path
    return [{"href": f"{base}{href}", "label": label, "current": here == href} for href, label in NAV]


def _label(lang: str, value) -> str:
    if isinstance(value, dict):
        return i18n.pick(value.get("zh"), value.get("en"), lang)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return i18n.pick(value[0], value[1], lang)
    return "" if value is None else str(value)


@pass_context
def label_filter(context, value) -> str:
    """A (zh, en) pair or {zh, en} label in the page's language."""
    return _label(context.get("lang", "zh"), value)


@pass_context
def date_filter(context, value) -> str:
    return i18n.show_date(value, context.get("lang", "zh"))


@pass_context
def due_filter(context, value) -> str:
    """A stored due instant as the day it runs out on (``calendar.last_day``: due instants are exclusive)."""
    return i18n.show_date(last_day(value), context.get("lang", "zh")) if value else ""


@pass_context
def datetime_filter(context, value) -> str:
    return i18n.show_datetime(value, context.get("lang", "zh"))


@pass_context
def days_filter(context, value) -> str:
    if value is None:
        return ""
    if context.get("lang") == "en":
        return "handled on the spot" if value == 0 else f"{value} working day{'s' if value != 1 else ''}"
    return "即办" if value == 0 else f"{value} 个工作日"


def money_filter(value) -> str:
    try:
        return f"¥{float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


@pass_context
def weekday_filter(context, value) -> str:
    """周一 … 周日 (Mon … Sun) of a date."""
    return _label(context.get("lang", "zh"), WEEKDAYS[value.weekday()]) if value else ""


FILTERS = {"label": label_filter, "date": date_filter, "weekday": weekday_filter, "due": due_filter, "datetime": datetime_filter,
           "days": days_filter, "money": money_filter}


def plain_types() -> frozenset[type]:
    """The portal's frozen data records, whose public attributes templates may read without further checks."""
    from tongban.platform.portal.appointments import Booking
    from tongban.platform.portal.cases import CaseView
    from tongban.platform.portal.catalogue import Facts, PortalItem
    from tongban.platform.portal.guide import Guide
    from tongban.tenants.directory import TenantInfo

    return frozenset({PortalItem, Facts, Guide, CaseView, Booking, TenantInfo})


def configure_portal_env(env: Environment) -> None:
    env.filters.update(FILTERS)
    env.globals.update(_defaults())
    env.plain_types = plain_types()


def _defaults() -> dict:
    """What base.html reads, for pages rendered without a portal context (sign-in, error pages)."""
    return {"level_labels": LEVEL_LABELS, "kind_labels": KINDS, "audience_labels": AUDIENCES,
            "case_type_labels": CASE_TYPES, "channel_labels": CHANNELS, "state_labels": STATE_LABELS, "theme": dict(BASE_TOKENS), "lang": "zh", "_": i18n.gettext_for("zh"),
            "nav": [], "user": None, "base": "", "lang_links": None, "elder": False, "preview": False}


WEEKDAYS = (("周一", "Mon"), ("周二", "Tue"), ("周三", "Wed"), ("周四", "Thu"), ("周五", "Fri"), ("周六", "Sat"),
            ("周日", "Sun"))


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(BASE_TEMPLATES)),
        autoescape=select_autoescape(["html", "xml"], default=True),
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(_defaults())
    return Jinja2Templates(env=env)


__all__ = [
    "BASE_STATIC",
    "BASE_TEMPLATES",
    "LEVEL_LABELS",
    "THEMES",
    "build_templates",
    "configure_portal_env",
    "nav_links",
]
