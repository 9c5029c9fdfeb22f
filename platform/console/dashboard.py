"""统计分析 and 绩效考核: figures of the chosen area read from the rollups, drilled down province → city/county →
township, each chart (SVG) beside its table; Excel exports; the evaluation ranking as a page, Excel and PDF."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from tongban.platform.console import charts, common
from tongban.platform.console.common import Staff, render, signed_in_supervisor
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.stats import evaluation, export, queries, report
from tongban.platform.workbench.common import call

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BEIJING = ZoneInfo("Asia/Shanghai")


def months(request: Request) -> tuple[str, str] | None:
    """The page's month range; a malformed or reversed one shows all months."""
    try:
        return queries.month_span(request.query_params.get("from"), request.query_params.get("to"))
    except SupervisionError:
        return None


async def dashboard(request: Request) -> Response:
    staff = await signed_in_supervisor(request, "view_statistics")
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    span = months(request)
    totals, rows, trend = await call(_figures, request, staff, scope.code, span)
    labels = [(r["name"], r) for r in rows]
    svg = {
        "on_time": charts.bars([(n, r["on_time_rate"]) for n, r in labels], title="按时办结率 On-time rate", percent=True),
        "received": charts.bars([(n, r["received"]) for n, r in labels], title="收件量 Cases received"),
        "speed": charts.paired([(n, r["avg_days_used"], r["avg_legal_days"]) for n, r in labels],
                               title="平均用时与法定时限（工作日）Average working days used vs legal limit"),
        "cards": charts.bars([(n, r["yellow_cards"] + r["red_cards"]) for n, r in labels], title="亮牌 Cards",
                             color="#b3261e"),
        "online": charts.bars([(n, r["online_rate"]) for n, r in labels], title="网办率 Online share", percent=True,
                              color="#1e6b34"),
        "satisfaction": charts.bars([(n, r["satisfaction"]) for n, r in labels], title="满意率 Satisfaction",
                                    percent=True, color="#7a5a00"),
        "trend": charts.bars([(r["month"], r["received"]) for r in trend], title="各月收件 Received per month"),
    }
    return render(request, "dashboard.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "scope": scope, "totals": totals, "rows": rows,
        "trend": trend, "svg": svg, "span": span, "trail": common.trail(request, staff, scope),
        "has_children": bool(common.children(request, scope)),
        "query": f"tenant={scope.code}" + (f"&from={span[0]}&to={span[1]}" if span else "")})


def _figures(request: Request, staff: Staff, code: str, span) -> tuple[dict, list[dict], list[dict]]:
    database = request.app.state.database
    totals = queries.dashboard(database, staff.actor, code, months=span, reason="电子监察统计分析")
    rows = queries.drill_down(database, staff.actor, code, months=span, reason="电子监察统计下钻")
    trend = sorted(queries.breakdown(database, staff.actor, code, "month", months=span, reason="电子监察月度统计"),
                   key=lambda r: r["month"])
    return totals, rows, trend


async def dashboard_xlsx(request: Request) -> Response:
    staff = await signed_in_supervisor(request, "view_statistics")
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    by = request.query_params.get("by", "tenant")
    span = months(request)
    if by == "tenant":
        rows = await call(queries.drill_down, request.app.state.database, staff.actor, scope.code, months=span,
                          reason="电子监察统计导出")
        keys = ("tenant", "name")
    else:
        try:
            rows = await call(queries.breakdown, request.app.state.database, staff.actor, scope.code, by,
                              months=span, reason="电子监察统计导出")
        except SupervisionError as error:
            return common.message(request, staff, staff.tenant, staff.base, 400, error.zh, error.en)
        keys = (by,)
    data = export.to_xlsx(rows, keys=keys, title=f"{scope.name}统计")
    return _download(data, XLSX, f"statistics-{scope.code}-{by}.xlsx")


async def evaluation_page(request: Request) -> Response:
    staff = await signed_in_supervisor(request, "view_statistics")
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    period, by, level = _evaluation_args(request)
    rows, weights = await call(_ranking, request, staff, scope.code, period, by, level)
    svg = charts.bars([(r["name"], r["score"]) for r in rows[:30]], title=f"{period} 绩效得分 Scores")
    return render(request, "evaluation.html", {
        "staff": staff, "tenant": staff.tenant, "base": staff.base, "scope": scope, "rows": rows, "period": period,
        "by": by, "level": level, "weights": weights, "svg": svg, "trail": common.trail(request, staff, scope),
        "query": f"tenant={scope.code}&period={period}&by={by}" + (f"&level={level}" if level else "")})


async def evaluation_file(request: Request) -> Response:
    staff = await signed_in_supervisor(request, "view_statistics")
    if isinstance(staff, Response):
        return staff
    scope = common.scope_tenant(request, staff)
    period, by, level = _evaluation_args(request)
    rows, weights = await call(_ranking, request, staff, scope.code, period, by, level)
    name = f"evaluation-{scope.code}-{period}-{by}"
    if request.path_params["kind"] == "pdf":
        data = await call(report.evaluation_pdf, rows, period=period, area=scope.name, by=by, weights=weights)
        return _download(data, "application/pdf", f"{name}.pdf")
    columns = ("score", "received", "concluded", "on_time_rate", "early", "yellow_cards", "red_cards", "ratings_bad",
               "satisfaction")
    data = export.to_xlsx(rows, keys=("rank", "name"), title=f"{period}绩效考核", columns=columns)
    return _download(data, XLSX, f"{name}.xlsx")


def _evaluation_args(request: Request) -> tuple[str, str, str | None]:
    period = request.query_params.get("period", "")
    if not queries.MONTH.match(period):
        period = datetime.now(BEIJING).strftime("%Y-%m")
    by = request.query_params.get("by") if request.query_params.get("by") in ("tenant", "department") else "tenant"
    level = request.query_params.get("level") if request.query_params.get("level") in common.LEVELS else None
    return period, by, level


def _ranking(request: Request, staff: Staff, code: str, period: str, by: str, level: str | None):
    from tongban.platform.workbench.labels import department_label

    database = request.app.state.database
    rows = evaluation.ranking(database, staff.actor, code, period, by=by, level=level)
    for row in rows:
        row["name"] = common.tenant_name(request, row["tenant"]) if by == "tenant" else department_label(row["department"])[0]
    return rows, evaluation.score_model(database, period)


def _download(data: bytes, media_type: str, filename: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
