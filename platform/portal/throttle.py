"""Rate limits on wrong query codes, in a 15-minute window, under three keys:

- a case number *from one client address*: 5 wrong codes;
- a client address, whatever the numbers: 30 wrong codes;
- a case number from all addresses together (the backstop): 50 wrong codes.

While any key of a query is over its limit even the right code is refused, so guessing cannot go on in the
background. A case number is printed on notices and shown on 结果公示, so a stranger can hold one: with the low
limit counted per (number, address), a stranger's wrong codes block only the stranger's own address, and the
owner asking from another address still gets an answer. The owner is blocked by someone else only when the
number's backstop is reached (50 wrong codes in 15 minutes: at most 5 per address, so from at least 10 addresses)
or when the owner shares an address (a NAT) that made 5 wrong codes for this number or 30 in all; the signed-in
owner is never blocked — 我的办件 and the case page do not go through here.

The arithmetic, honestly: six digits are 10⁶ codes. A guesser who keeps the number at its backstop — 50 codes per
15 minutes, 4,800 a day, from many addresses — covers 0.48 % of the codes a day: about 14 % within a month, half
within 104 days, all within about 208 days. One address alone gets 5 codes per 15 minutes on a number (480 a day:
about 2,080 days for all of them). An IPv6 address counts by its /64 network, the block one subscriber is given,
so changing the last 64 bits does not make new addresses. The counters are one atomic upsert each, so concurrent
guesses are all counted; the (number, address) key is hashed to a fixed length to fit the key column (the hash
hides nothing: it is not keyed).
"""
from __future__ import annotations

import hashlib
import ipaddress
from datetime import datetime, timedelta

from sqlalchemy import case, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tongban.platform.portal.models import QueryAttempts

WINDOW = timedelta(minutes=15)
LIMITS = {"case-ip": 5, "ip": 30, "case": 50}


class TooManyAttempts(Exception):
    zh = "查询码错误次数过多，请 15 分钟后再试。申请人本人可登录后在“我的办件”中查看。"
    en = "Too many wrong query codes; try again in 15 minutes. The applicant can sign in and see the case under My cases."


def guarded(session: Session, number: str, address: str, now: datetime, lookup):
    """``lookup()`` under the limits of ``keys_for(number, address)``: refused (``TooManyAttempts``) while any is
    over; a lookup that finds nothing (None) counts as a wrong code. The portal's page and the API both ask so."""
    keys = keys_for(number, address)
    if blocked(session, keys, now):
        raise TooManyAttempts()
    found = lookup()
    if found is None:
        record_failure(session, keys, now)
    return found


def keys_for(number: str, address: str) -> list[str]:
    """The (number, address) key, the address key and the number's backstop key."""
    number, client = number.strip()[:40], client_of(address)
    pair = hashlib.sha256(f"{number}\n{client}".encode()).hexdigest()
    return [f"case-ip:{pair}", f"ip:{client}", f"case:{number}"]


def client_of(address: str) -> str:
    """The address a limit counts: an IPv6 address by its /64 network, anything else as given."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is the IPv4 address
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def _limit(key: str) -> int:
    return LIMITS[key.split(":", 1)[0]]


def blocked(session: Session, keys: list[str], now: datetime) -> bool:
    rows = session.execute(select(QueryAttempts.key, QueryAttempts.failures)
                           .where(QueryAttempts.key.in_(keys), QueryAttempts.window_start > now - WINDOW)).all()
    return any(r.failures >= _limit(r.key) for r in rows)


def record_failure(session: Session, keys: list[str], now: datetime) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    cutoff = now - WINDOW
    for key in keys:
        stmt = insert(QueryAttempts).values(key=key, window_start=now, failures=1)
        expired = QueryAttempts.window_start <= cutoff
        session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={
            "failures": case((expired, 1), else_=QueryAttempts.failures + 1),
            "window_start": case((expired, literal(now, QueryAttempts.window_start.type)),
                                 else_=QueryAttempts.window_start)}))
