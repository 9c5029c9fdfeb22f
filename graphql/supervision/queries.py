"""Supervision queries for staff: alerts in the caller's subtree (supervisors) and statistics (supervisors and
statisticians), each one call to the supervision room — which decides who may read what and records the
subtree read with its reason. A tenant the caller does not supervise looks like one that does not exist."""
from __future__ import annotations

from enum import Enum

import strawberry

from tongban.graphql.core.auth import SUPERVISION_READ, requires
from tongban.graphql.core.errors import bad_input, tenant_not_found
from tongban.graphql.core.pagination import Connection, connection, decode_cursor, page_size
from tongban.graphql.core.tenancy import tenant_of
from tongban.graphql.supervision.types import (
    AlertNode,
    AlertSeverity,
    AlertState,
    FigureRow,
    Figures,
    alert_node,
    figures_node,
)
from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError
from tongban.platform.supervision.service import SupervisionService, supervision_for
from tongban.platform.supervision.stats import queries as stats

API_REASON = "开放接口查询 / API read"


def supervision_of(context) -> SupervisionService:
    return supervision_for(context.app)


def refused(error: SupervisionError, tenant_code: str):
    """Outside the caller's subtree (or unknown) → the tenant's "not found"; a bad argument → its field."""
    if isinstance(error, (Forbidden, NotFound)) and error.code in ("forbidden", "not_found"):
        return tenant_not_found(tenant_code)
    return bad_input(error.zh, error.en, field=error.field)


@strawberry.input(description="Alert filters / 预警筛选")
class AlertFilter:
    state: AlertState | None = None
    severity: AlertSeverity | None = None
    rule_code: str | None = None
    department: str | None = None


@strawberry.input(description="Statistics filters: a month range (YYYY-MM) and one department, item or channel")
class StatisticsFilter:
    from_month: str | None = None
    to_month: str | None = None
    department: str | None = None
    item_code: str | None = None
    channel: str | None = None


@strawberry.enum(description="Breakdown dimension / 统计维度")
class StatisticsDimension(Enum):
    DEPARTMENT = "department"
    ITEM = "item"
    CHANNEL = "channel"
    MONTH = "month"
    TENANT = "tenant"


def _months(f: StatisticsFilter | None) -> tuple[str, str] | None:
    if f is None:
        return None
    try:
        return stats.month_span(f.from_month, f.to_month, fields=("fromMonth", "toMonth"))
    except SupervisionError as error:
        raise bad_input(error.zh, error.en, field=error.field) from None


def _dimensions(f: StatisticsFilter | None) -> dict:
    if f is None:
        return {}
    return {"department": f.department, "item": f.item_code, "channel": f.channel}


@strawberry.type(description="Statistics of a tenant's subtree from the rollups / 统计分析")
class Statistics:
    tenant_code: str
    totals: Figures
    filter: strawberry.Private[StatisticsFilter | None]

    @strawberry.field(description="One row per department, item, channel, month or tenant, largest intake first")
    def breakdown(self, info: strawberry.Info, by: StatisticsDimension) -> list[FigureRow]:
        context = info.context
        try:
            rows = stats.breakdown(context.database, context.actor, self.tenant_code, by.value,
                                   months=_months(self.filter), reason=API_REASON, **_dimensions(self.filter))
        except SupervisionError as error:
            raise refused(error, self.tenant_code) from None
        names = context.snapshot.by_code
        return [FigureRow(key=str(r[by.value]), figures=figures_node(r),
                          name=names[r[by.value]].name if by is StatisticsDimension.TENANT and r[by.value] in names
                          else None) for r in rows]

    @strawberry.field(description="下钻: one row per child tenant with its whole subtree's figures")
    def drill_down(self, info: strawberry.Info) -> list[FigureRow]:
        context = info.context
        try:
            rows = stats.drill_down(context.database, context.actor, self.tenant_code, months=_months(self.filter),
                                    reason=API_REASON, **_dimensions(self.filter))
        except SupervisionError as error:
            raise refused(error, self.tenant_code) from None
        return [FigureRow(key=r["tenant"], name=r["name"], figures=figures_node(r)) for r in rows]


@strawberry.type
class SupervisionQueries:
    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="Alerts in the subtree of a tenant the caller supervises, newest first / 监察预警")
    def alerts(self, info: strawberry.Info, tenant: str | None = None, filter: AlertFilter | None = None,
               first: int | None = None, after: str | None = None) -> Connection[AlertNode]:
        context = info.context
        place = tenant_of(context, tenant)
        size, cursor = page_size(context, first), decode_cursor(after)
        start = int(cursor[0]) if cursor and str(cursor[0]).isdigit() else 0
        f = filter or AlertFilter()
        try:
            found = supervision_of(context).list_alerts(
                context.actor, place.code, reason=API_REASON, state=f.state.value if f.state else None,
                severity=f.severity.value if f.severity else None, rule_code=f.rule_code, department=f.department,
                limit=size, offset=start)
        except SupervisionError as error:
            raise refused(error, place.code) from None
        rows = found["alerts"]
        return connection(rows, [(start + i + 1,) for i in range(len(rows))], has_next=start + len(rows) < found["total"],
                          has_previous=start > 0, total=found["total"], node=alert_node)

    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="One alert with its disposition log; null when not in the caller's subtree")
    def alert(self, info: strawberry.Info, id: strawberry.ID, tenant: str | None = None) -> AlertNode | None:
        context = info.context
        place = tenant_of(context, tenant)
        if not str(id).isdigit() or len(str(id)) > 18:
            return None
        try:
            return alert_node(supervision_of(context).get_alert(context.actor, place.code, int(id), reason=API_REASON))
        except NotFound:
            return None
        except SupervisionError as error:
            raise refused(error, place.code) from None

    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="Statistics of a tenant's subtree (supervisors, statisticians) / 统计分析")
    def statistics(self, info: strawberry.Info, tenant: str | None = None,
                   filter: StatisticsFilter | None = None) -> Statistics:
        context = info.context
        place = tenant_of(context, tenant)
        try:
            totals = stats.dashboard(context.database, context.actor, place.code, months=_months(filter),
                                     reason=API_REASON, **_dimensions(filter))
        except SupervisionError as error:
            raise refused(error, place.code) from None
        return Statistics(tenant_code=place.code, totals=figures_node(totals), filter=filter)
