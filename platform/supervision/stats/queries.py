"""Statistics for a tenant's subtree read from the rollups: totals, a breakdown by one dimension, and the
drill-down (province → cities and counties → districts → townships). One grouped query each, whatever
the number of cases; supervisors and statisticians read through an audited subtree scope.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError
from tongban.platform.supervision.event_rules import ONLINE_CHANNELS
from tongban.platform.supervision.models import MEASURES, Rollup, TenantRollup
from tongban.tenants.access import open_subtree
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

READERS = ("view_statistics", "supervise")
BY = {"department": Rollup.department, "item": Rollup.item_code, "channel": Rollup.channel, "month": Rollup.month,
      "tenant": Rollup.tenant_id}
MINUTES_PER_DAY = 24 * 60
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_span(first: str | None, last: str | None, *,
               fields: tuple[str, str] = ("from_month", "to_month")) -> tuple[str, str] | None:
    """The months figures cover, 'YYYY-MM' to 'YYYY-MM' (either end may be open); None for all of them.
    A malformed month or an end before the start is refused, naming the field (``fields``: the caller's names)."""
    if not first and not last:
        return None
    for name, value in zip(fields, (first, last)):
        if value and not MONTH.match(value):
            raise SupervisionError("bad_month", f"{name} 应为 YYYY-MM（收到 {value}）",
                                   f"{name} must be YYYY-MM (got {value})", field=name)
    span = (first or "0000-01", last or "9999-12")
    if span[0] > span[1]:
        raise SupervisionError("months_reversed", "结束月份不能早于开始月份", "the last month is before the first",
                               field=fields[1])
    return span


def dashboard(database, actor, tenant_code: str, *, months: tuple[str, str] | None = None, reason: str = "统计查询",
              **filters) -> dict:
    """Totals and rates over the subtree of ``tenant_code`` (filters: department, item, channel)."""
    rows = _grouped(database, actor, tenant_code, None, months, reason, filters)
    return figures(rows.get((), _zero()))


def breakdown(database, actor, tenant_code: str, by: str, *, months: tuple[str, str] | None = None,
              reason: str = "统计查询", **filters) -> list[dict]:
    """One row per department, item, channel, month or tenant (own figures), largest intake first."""
    if by not in BY:
        raise SupervisionError("bad_dimension", "统计维度应为部门、事项、渠道、月份或地区",
                               "by is department, item, channel, month or tenant", field="by")
    rows = _grouped(database, actor, tenant_code, by, months, reason, filters)
    out = [{by: key[0], **figures(sums)} for key, sums in rows.items() if any(sums.values())]
    return sorted(out, key=lambda r: (-r["received"], str(r[by])))


def drill_down(database, actor, tenant_code: str, *, months: tuple[str, str] | None = None,
               reason: str = "统计下钻", **filters) -> list[dict]:
    """One row per child of ``tenant_code`` with the figures of that child's whole subtree."""
    rows = _grouped(database, actor, tenant_code, "tenant", months, reason, filters)
    with database.unit_of_work(TenantContext.system("tenant tree")) as session:
        parent = session.get(Tenant, tenant_code)
        children = {t.code: t for t in session.scalars(select(Tenant).where(Tenant.parent_code == tenant_code))}
        paths = dict(session.execute(select(Tenant.code, Tenant.path).where(
            Tenant.code.in_([k[0] for k in rows]))).all())
    totals: dict[str, dict] = {code: _zero() for code in children}
    depth = parent.path.count("/") - 1
    for (code,), sums in rows.items():
        segments = paths.get(code, "").strip("/").split("/")
        child = segments[depth] if len(segments) > depth else None
        if child in totals:
            for measure, value in sums.items():
                totals[child][measure] += value
    return [{"tenant": code, "name": children[code].name, "level": children[code].level, **figures(sums)}
            for code, sums in sorted(totals.items())]


def figures(sums: dict) -> dict:
    """Counts plus the rates a dashboard shows (None where there is nothing to divide by)."""
    out = dict(sums)
    out["on_time_rate"] = _ratio(sums["on_time"], sums["concluded"])
    out["avg_days_used"] = _ratio(sums["used_minutes"], sums["timed"] * MINUTES_PER_DAY)
    out["avg_legal_days"] = _ratio(sums["legal_days"], sums["timed"])
    used = _ratio(sums["used_minutes"], sums["legal_days"] * MINUTES_PER_DAY)
    out["speed_up"] = None if used is None else round(1 - used, 4)
    out["satisfaction"] = _ratio(sums["ratings_good"], sums["ratings"])
    out["cards"] = sums["yellow_cards"] + sums["red_cards"]
    online = sums.get("online_received")
    out["online_rate"] = None if online is None else _ratio(online, sums["received"])
    return out


def _grouped(database, actor, tenant_code, by, months, reason, filters) -> dict[tuple, dict]:
    """Sums by ``by`` over the subtree: the per-tenant rollup unless a department, item or channel is involved."""
    coarse = by in (None, "tenant", "month") and not any(v is not None for v in filters.values())
    table = TenantRollup if coarse else Rollup
    with _reading(database, actor, tenant_code, reason) as session:
        keys = [getattr(table, BY[by].key)] if by else []
        online = (func.sum(TenantRollup.online_received) if coarse else
                  func.sum(Rollup.received).filter(Rollup.channel.in_(sorted(ONLINE_CHANNELS))))
        query = select(*keys, *(func.sum(getattr(table, m)) for m in MEASURES), online)
        if by:
            query = query.group_by(*keys)
        if months:
            query = query.where(table.month >= months[0], table.month <= months[1])
        for name, value in filters.items():
            if value is not None:
                query = query.where(BY[name] == value)
        out = {}
        for row in session.execute(query):
            values = list(row)
            key, sums = tuple(values[:len(keys)]), values[len(keys):]
            if by is None and sums[0] is None:
                continue
            out[key] = {**dict(zip(MEASURES, (int(v or 0) for v in sums[:-1]))), "online_received": int(sums[-1] or 0)}
        return out


def _reading(database, actor, tenant_code: str, reason: str):
    with database.unit_of_work(TenantContext.system("tenant lookup")) as session:
        tenant = session.get(Tenant, tenant_code)
    if tenant is None:
        raise NotFound("地区", tenant_code)
    if actor.kind != "system" and not any(
            g.subtree and tenant.path.startswith(g.tenant_path) and any(g.allows(p) for p in READERS) for g in actor.grants):
        raise Forbidden("forbidden", "您没有该地区的统计查询权限", "you cannot read this area's statistics")
    return open_subtree(database, tenant, actor=actor.subject, reason=reason)


def _zero() -> dict:
    return {**dict.fromkeys(MEASURES, 0), "online_received": 0}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None
