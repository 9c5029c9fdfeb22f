"""Public lookups of a license by number (扫码查验): the typed number as the library may hold it, and limits per
client address.

Numbers are sequential (TYPE-tenant-date-sequence), so anyone could walk them. An address may *miss* — ask for a
number that verifies nothing: one the library does not hold, one that cannot be a number, a tampered one — only
``MISSES`` times in a window, and look up ``LOOKUPS`` numbers in all (generous: an inspector scanning a market's
licenses). Over either limit every lookup from the address is refused until its window has passed, so guessing
cannot go on in the background. The page, the JSON endpoint and GraphQL all go through :func:`check` and
:func:`record`. The counters are the portal's query-attempt counters (``portal.throttle``: one atomic upsert
each, shared by every worker) under keys of their own.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.db import as_utc
from tongban.platform.portal import throttle
from tongban.platform.portal.models import QueryAttempts
from tongban.platform.sharing.errors import RateLimited, problem

MISSES = 20
LOOKUPS = 300
WINDOW = throttle.WINDOW
MAX_LENGTH = 80
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/]{3,79}$")  # as departments may import them (importing.NUMBER)


def normalise(typed: str | None) -> str:
    """What someone typed, as a number: full-width characters made plain (ＧＡ－４６０１ → GA-4601), spaces removed."""
    text = unicodedata.normalize("NFKC", str(typed or ""))
    return "".join(text.split())


def candidates(number: str) -> list[str]:
    """The spellings one lookup tries, best first: as typed, upper case, lower case (letters in a number are
    case-insensitive to a reader; each spelling is one hit on the unique index)."""
    return list(dict.fromkeys((number, number.upper(), number.lower())))


def well_formed(number: str) -> bool:
    return 0 < len(number) <= MAX_LENGTH


def typed_problem(typed: str | None) -> dict | None:
    """A field-level refusal of a number typed into the lookup form, or None."""
    number = normalise(typed)
    if not number:
        return problem("number", "required", "请填写证照编号", "Enter the license number")
    if len(number) > MAX_LENGTH:
        return problem("number", "too_long", f"证照编号不超过 {MAX_LENGTH} 个字符",
                       f"A license number has at most {MAX_LENGTH} characters")
    if not NUMBER.match(number):
        return problem("number", "invalid", "证照编号只含字母、数字和 - _ /，至少 4 位，请对照证照核对",
                       "A license number has 4 or more letters, digits, - _ or /: check it against the license")
    return None


def _keys(address: str) -> dict[str, str]:
    where = (address or "unknown")[:64]
    return {"miss": f"verify-miss:{where}", "all": f"verify:{where}"}


def check(session: Session, address: str, now: datetime) -> None:
    """Refuse (``RateLimited``, with the seconds to wait) while the address is over either limit."""
    keys = _keys(address)
    limits = {keys["miss"]: MISSES, keys["all"]: LOOKUPS}
    rows = session.execute(select(QueryAttempts.key, QueryAttempts.failures, QueryAttempts.window_start)
                           .where(QueryAttempts.key.in_(limits), QueryAttempts.window_start > now - WINDOW)).all()
    over = [as_utc(r.window_start) + WINDOW for r in rows if r.failures >= limits[r.key]]
    if over:
        wait = max(1, math.ceil((max(over) - now).total_seconds()))
        raise RateLimited("rate_limited", f"查验过于频繁，请 {math.ceil(wait / 60)} 分钟后再试",
                          f"Too many lookups from your network: try again in {math.ceil(wait / 60)} minutes",
                          retry_after=wait)


def record(session: Session, address: str, now: datetime, *, miss: bool) -> None:
    keys = _keys(address)
    throttle.record_failure(session, [keys["all"], keys["miss"]] if miss else [keys["all"]], now)
