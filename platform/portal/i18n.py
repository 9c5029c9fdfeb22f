"""Chinese first, English on request: a small Babel message catalogue keyed by the Chinese text.

The catalogue lives in ``themes/base/translations/en/LC_MESSAGES/messages.po`` (msgid = 中文, msgstr =
English); it is compiled in memory with Babel at first use. A page's language comes from ``?lang=`` (which
the web layer also keeps in a cookie), then the cookie, else Chinese.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from tongban.themes.loader import THEMES

LANGUAGES = ("zh", "en")
LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}
CATALOGUE = THEMES / "base" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
BEIJING = ZoneInfo("Asia/Shanghai")


def choose_language(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return "zh"


@cache
def translations(lang: str, path: Path = CATALOGUE) -> NullTranslations:
    if lang == "zh" or not path.exists():
        return NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@cache
def gettext_for(lang: str) -> Callable[..., str]:
    """``_("中文 %(n)s", n=3)``: the translation (or the Chinese), with named values filled in."""
    lookup = translations(lang).gettext

    def _(message: str, **values) -> str:
        text = lookup(message)
        return text % values if values else text

    return _


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """A domain message in the page's language (domain errors carry both)."""
    return (en or zh or "") if lang == "en" else (zh or en or "")


def show_date(value: date | datetime | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BEIJING).date()
    return format_date(value, format="long" if lang == "en" else "yyyy-MM-dd", locale=LOCALES[lang])


def show_datetime(value: datetime | None, lang: str) -> str:
    if value is None:
        return ""
    local = value.astimezone(BEIJING)
    return format_datetime(local, format="d MMM yyyy HH:mm" if lang == "en" else "yyyy-MM-dd HH:mm",
                           locale=LOCALES[lang], tzinfo=BEIJING)
