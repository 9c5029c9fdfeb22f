"""Rollup rows changed by differences: whatever changes a case, a card or a rating computes what it adds to
the statistics before and after, and only the difference is written, in the same transaction.

A contribution is ``{key: value}`` where a key joins tenant, department, item, channel, month and measure.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tongban.platform.supervision.models import MEASURES, Rollup

BEIJING = ZoneInfo("Asia/Shanghai")
SEP = "\x1f"
DIMENSIONS = ("tenant_id", "department", "item_code", "channel", "month")


def month_of(instant: datetime) -> str:
    return instant.astimezone(BEIJING).strftime("%Y-%m")


def key(tenant: str, department: str | None, item: str | None, channel: str | None, month: str, measure: str) -> str:
    return SEP.join((tenant, department or "", item or "", channel or "", month, measure))


def difference(before: dict | None, after: dict | None) -> dict[str, int]:
    out = Counter(after or {})
    out.subtract(before or {})
    return {k: v for k, v in out.items() if v}


def apply(session: Session, delta: dict[str, int]) -> int:
    """Add ``delta`` to the rollup rows (created on first use); one statement for every row touched."""
    rows: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for joined, value in delta.items():
        *dims, measure = joined.split(SEP)
        rows[tuple(dims)][measure] += value
    rows = {dims: measures for dims, measures in rows.items() if any(measures.values())}
    if not rows:
        return 0
    values = [{**dict(zip(DIMENSIONS, dims)), **measures} for dims, measures in sorted(rows.items())]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Rollup).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=list(DIMENSIONS),
        set_={m: getattr(Rollup.__table__.c, m) + getattr(statement.excluded, m) for m in MEASURES})
    session.execute(statement)
    return len(values)
