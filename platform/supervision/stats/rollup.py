"""Rollup rows changed by differences: whatever changes a case, a card or a rating computes what it adds to
the statistics before and after, and only the difference is written, in the same transaction.

A contribution is ``{key: value}`` where a key joins tenant, department, item, channel, month and measure.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from tongban.platform.supervision import bulk
from tongban.platform.supervision.models import MEASURES, Rollup, TenantRollup

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


def apply(session: Session, delta: dict[str, int], *, run=None) -> int:
    """Add ``delta`` to both rollups (rows created on first use): one statement on PostgreSQL, one per table on
    SQLite. ``run(sql, params)``: who executes the PostgreSQL statement instead of the session (the approval
    engine's case unit, which writes it with its batch)."""
    from tongban.platform.supervision.casedata import tenant_info
    from tongban.platform.supervision.event_rules import ONLINE_CHANNELS

    fine: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    coarse: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*MEASURES, "online_received"), 0))
    for joined, value in delta.items():
        *dims, measure = joined.split(SEP)
        fine[tuple(dims)][measure] += value
        coarse[(dims[0], dims[4])][measure] += value
        if measure == "received" and dims[3] in ONLINE_CHANNELS:
            coarse[(dims[0], dims[4])]["online_received"] += value
    fine = {dims: m for dims, m in fine.items() if any(m.values())}
    if not fine:
        return 0
    paths = {code: info[1] for code, info in tenant_info(session, {dims[0] for dims in fine}).items()}
    bulk.insert_all(session, [
        (Rollup.__table__, [{**dict(zip(DIMENSIONS, dims)), "tenant_path": paths[dims[0]], **m}
                            for dims, m in sorted(fine.items())], DIMENSIONS, MEASURES),
        (TenantRollup.__table__, [{"tenant_id": t, "month": month, "tenant_path": paths[t], **m}
                                  for (t, month), m in sorted(coarse.items()) if any(m.values())],
         ("tenant_id", "month"), (*MEASURES, "online_received"))], run=run)
    return len(fine)
