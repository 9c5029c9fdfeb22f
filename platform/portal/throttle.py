"""Rate limits on wrong query codes: per case number and per client address, in a sliding window.

Six digits are 10⁶ codes; at 5 wrong codes per number per 15 minutes a guess takes years. While a key
is over its limit even the right code is refused, so guessing cannot continue in the background. The
counters are one atomic upsert each, so concurrent guesses are all counted.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tongban.platform.portal.models import QueryAttempts

WINDOW = timedelta(minutes=15)
LIMITS = {"case": 5, "ip": 30}


class TooManyAttempts(Exception):
    zh, en = "查询过于频繁，请 15 分钟后再试。", "Too many attempts; try again in 15 minutes."


def guarded(session: Session, number: str, address: str, now: datetime, lookup):
    """``lookup()`` under the limits of a case number and an address: refused (``TooManyAttempts``) while either is
    over; a lookup that finds nothing (None) counts as a wrong code. The portal's page and the API both ask so."""
    keys = keys_for(number, address)
    if blocked(session, keys, now):
        raise TooManyAttempts()
    found = lookup()
    if found is None:
        record_failure(session, keys, now)
    return found


def keys_for(number: str, address: str) -> list[str]:
    return [f"case:{number.strip()[:40]}", f"ip:{address[:64]}"]


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
