"""The rollups equal a brute-force recount of the raw tables, whatever happened to the cases (property test),
at every level of the drill-down and along every dimension; and a table exports to Excel."""
from collections import Counter, defaultdict
from datetime import timedelta
from io import BytesIO

import pytest
from approval_fixtures import application, citizen, staff
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from supervision_helpers import PROVINCE_SUPERVISOR, alerts, bj, tick

from tongban.configurator.publishing.models import ItemVersion
from tongban.platform.approval.departments import normalised
from tongban.platform.approval.errors import ApprovalError
from tongban.platform.approval.models import Case, CasePause
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.models import COUNTED_STATES, MEASURES, Alert
from tongban.platform.supervision.ratings import service as ratings
from tongban.platform.supervision.ratings.models import Rating
from tongban.platform.supervision.service import SupervisionService
from tongban.platform.supervision.stats.queries import month_span
from tongban.platform.supervision.stats import queries
from tongban.platform.supervision.stats.export import to_xlsx
from tongban.platform.supervision.tick import calendars_for
from tongban.tenants.isolation import TenantContext
from tongban.tenants.models import Tenant

TENANTS = ("4601", "4602", "460105100")
CARD = {"warning": "warnings", "yellow": "yellow_cards", "red": "red_cards"}

case_plans = st.fixed_dictionaries({
    "item": st.sampled_from(["PROMISED", "PROMISED", "NOW", "REPORT"]),
    "tenant": st.sampled_from(TENANTS), "received": st.sampled_from(TENANTS),
    "channel": st.sampled_from(["online", "window"]), "day": st.integers(0, 110),
    "gaps": st.lists(st.integers(1, 240), min_size=6, max_size=6),
    "stage": st.integers(0, 4), "ending": st.sampled_from(["normal", "refuse", "withdraw", "supplement"]),
    "rating": st.one_of(st.none(), st.integers(1, 5)),
})


def play(engine, db, plan) -> None:
    """Drive one case as far as the plan says; refusals by the engine (wrong state…) just stop it."""
    tenant = "460105100" if plan["item"] == "REPORT" else plan["tenant"]
    received = plan["received"] if plan["channel"] == "window" else tenant
    at = bj(2026, 1, 5) + timedelta(days=plan["day"])
    times = iter(at + timedelta(hours=sum(plan["gaps"][:i + 1])) for i in range(6))
    clerk = staff("clerk", received, "window_clerk")
    actor = clerk if plan["channel"] == "window" else citizen()
    case_id = engine.submit(tenant, received, actor, application(plan["item"], channel=plan["channel"]), now=at)["id"]
    steps = {"PROMISED": [("accept", "window_clerk", None), ("approve", "reviewer", None), ("approve", "approver", None),
                          ("approve", "certificate_clerk", None)],
             "NOW": [("accept", "window_clerk", None)],
             "REPORT": [("accept", "window_clerk", None), ("approve", "social_assistance_officer", "civil_affairs"),
                        ("report_up", "township_leader", None)]}[plan["item"]]
    try:
        if plan["ending"] == "refuse":
            return _act(engine, db, case_id, "refuse", staff("c", tenant, "window_clerk"), next(times), reason="材料不全")
        for n, (action, role, department) in enumerate(steps[:plan["stage"]]):
            if plan["ending"] == "supplement" and n == 1:
                _act(engine, db, case_id, "request_supplement", staff("r", tenant, role, department=department),
                     next(times), missing=[{"material_id": "m1", "name": "申请书"}])
                engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "f", "name": "a.pdf", "size": 1}]},
                           now=next(times))
            _act(engine, db, case_id, action, staff(role, tenant, role, department=department), next(times))
        if plan["item"] == "REPORT" and plan["stage"] >= 4:
            upper = _upper(db, case_id)
            _act(engine, db, upper, "approve", staff("a", "4601", "approver", department="civil_affairs"), next(times))
        if plan["ending"] == "withdraw":
            engine.act(case_id, "withdraw", citizen(), now=next(times))
    except (ApprovalError, StopIteration):
        pass
    if plan["rating"]:
        try:
            ratings.rate_case(db, citizen(), case_id, level=plan["rating"], reason="原因", now=at + timedelta(days=30))
        except SupervisionError:
            pass


def _act(engine, db, case_id, action, actor, now, **kw):
    from approval_fixtures import open_tasks

    task = open_tasks(db, case_id)[0]
    return engine.act(case_id, action, actor, task_id=task.id, now=now, **kw)


def _upper(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalar(select(Case.id).where(Case.parent_case_id == case_id))


def recount(db) -> dict[tuple, Counter]:
    """Every measure from the raw tables, by (tenant, department, item, channel, month)."""
    from tongban.platform.supervision.stats.rollup import month_of

    calendar = calendars_for(db).calendar()
    rows: dict[tuple, Counter] = defaultdict(Counter)
    with db.unit_of_work(TenantContext.system("recount")) as s:
        departments = {v.id: normalised(v.content["elements"].get("department", "")) for v in s.scalars(select(ItemVersion))}
        pauses = defaultdict(list)
        for p in s.scalars(select(CasePause)):
            pauses[p.case_id].append(p)
        for c in s.scalars(select(Case).where(Case.parent_case_id.is_(None))):
            dims = (departments.get(c.version_id, ""), c.item_code, c.channel)
            rows[(c.tenant_id, *dims, month_of(c.submitted_at))]["received"] += 1
            if c.received_tenant_id != c.tenant_id:
                rows[(c.received_tenant_id, *dims, month_of(c.submitted_at))]["received_for_others"] += 1
            if c.accepted_at:
                rows[(c.tenant_id, *dims, month_of(c.accepted_at))]["accepted"] += 1
            if c.state != "concluded":
                continue
            row = rows[(c.tenant_id, *dims, month_of(c.concluded_at))]
            on_time = c.promised_due_at is None or c.concluded_at < c.promised_due_at
            row["concluded"] += 1
            row["on_time" if on_time else "overdue"] += 1
            used = calendar.working_days_elapsed(c.accepted_at, c.concluded_at, [
                (p.started_at, p.ended_at or c.concluded_at) for p in pauses[c.id]]).working_time // timedelta(minutes=1)
            if c.legal_limit_days:
                row["timed"] += 1
                row["used_minutes"] += used
                row["legal_days"] += c.legal_limit_days
            if on_time and c.promised_limit_days and used <= (c.promised_limit_days - 1) * 1440:
                row["early"] += 1
        for a in s.scalars(select(Alert).where(Alert.state.in_(COUNTED_STATES))):
            rows[(a.tenant_id, a.department, a.item_code, a.channel, month_of(a.raised_at))][CARD[a.severity]] += 1
        for r in s.scalars(select(Rating).where(Rating.state != "excluded")):
            row = rows[(r.tenant_id, r.department, r.item_code, r.channel, month_of(r.rated_at))]
            row["ratings"] += 1
            row["rating_points"] += r.level
            row["ratings_good"] += r.level >= 4
            row["ratings_bad"] += r.level <= 2
        paths = dict(s.execute(select(Tenant.code, Tenant.path)).all())
    return rows, paths


def expected(rows, paths, under: str, pick) -> dict:
    out: dict = defaultdict(Counter)
    for key, measures in rows.items():
        path = paths[key[0]]
        if f"/{under}/" in path:
            out[pick(key, path)].update(measures)
            out[pick(key, path)]["online_received"] += measures["received"] if key[3] == "online" else 0
    return out


def same(actual: dict, wanted: Counter) -> None:
    for measure in (*MEASURES, "online_received"):
        assert actual[measure] == wanted[measure], (measure, actual, dict(wanted))


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # no shrinking: the
# database keeps every example's cases, so a shrunk example would not replay alone anyway
@given(plans=st.lists(case_plans, min_size=1, max_size=5), tick_day=st.integers(20, 140),
       decisions=st.lists(st.sampled_from(["confirm", "withdraw", "cancel", "keep"]), max_size=6))
def test_the_rollups_equal_a_brute_force_recount(engine, db, plans, tick_day, decisions):
    for plan in plans:
        play(engine, db, plan)
    tick(db, bj(2026, 1, 5) + timedelta(days=tick_day))
    supervision = SupervisionService(db)
    open_alerts = [a for a in alerts(db) if a.state in ("pending", "issued")]
    for alert, decision in zip(open_alerts, decisions):
        try:
            if decision == "confirm":
                supervision.confirm(PROVINCE_SUPERVISOR, "46", alert.id)
            elif decision in ("withdraw", "cancel"):
                getattr(supervision, decision)(PROVINCE_SUPERVISOR, "46", alert.id, reason="复核")
        except SupervisionError:
            pass
    tick(db, bj(2026, 1, 5) + timedelta(days=tick_day, hours=1))  # the sync catches up with the last changes
    rows, paths = recount(db)
    totals = expected(rows, paths, "46", lambda key, path: "all")
    same(queries.dashboard(db, PROVINCE_SUPERVISOR, "46"), totals["all"])
    for parent in ("46", "4601", "460105"):
        depth = paths[parent].count("/") - 1
        wanted = expected(rows, paths, parent, lambda key, path, depth=depth: path.strip("/").split("/")[depth]
                          if len(path.strip("/").split("/")) > depth else None)
        for row in queries.drill_down(db, PROVINCE_SUPERVISOR, parent):
            same(row, wanted[row["tenant"]])
    for by, index in (("department", 1), ("item", 2), ("channel", 3), ("month", 4), ("tenant", 0)):
        wanted = expected(rows, paths, "46", lambda key, path, index=index: key[index])
        got = queries.breakdown(db, PROVINCE_SUPERVISOR, "46", by)
        assert {r[by] for r in got} == {k for k, v in wanted.items() if any(v.values())}
        for row in got:
            same(row, wanted[row[by]])


def test_a_drill_down_table_exports_to_excel(engine, db):
    from openpyxl import load_workbook

    for plan_day in (0, 3):
        play(engine, db, {"item": "PROMISED", "tenant": "4601", "received": "4601", "channel": "online", "day": plan_day,
                          "gaps": [2, 2, 2, 2, 2, 2], "stage": 4, "ending": "normal", "rating": 5})
    tick(db, bj(2026, 3, 1))
    rows = queries.drill_down(db, PROVINCE_SUPERVISOR, "46")
    workbook = load_workbook(BytesIO(to_xlsx(rows, keys=("tenant", "name"), title="全省")))
    sheet = workbook["全省"]
    assert [c.value for c in sheet[1]][:5] == ["地区代码", "地区", "收件", "受理", "办结"]
    haikou = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "4601")
    assert haikou[1] == "海口市" and haikou[2:5] == (2, 2, 2) and haikou[5] == 1.0
    assert sheet["F3"].number_format == "0.0%"


def test_a_month_range_is_checked_once_for_the_console_and_the_api():
    assert month_span(None, None) is None
    assert month_span("2026-01", None) == ("2026-01", "9999-12")
    assert month_span("2026-01", "2026-03") == ("2026-01", "2026-03")
    with pytest.raises(SupervisionError) as bad:
        month_span("2026-13", None, fields=("fromMonth", "toMonth"))
    assert bad.value.field == "fromMonth" and "YYYY-MM" in bad.value.en
    with pytest.raises(SupervisionError) as reversed_:
        month_span("2026-05", "2026-03")
    assert reversed_.value.field == "to_month" and reversed_.value.zh == "结束月份不能早于开始月份"
