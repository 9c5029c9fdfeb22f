"""Performance evaluation (绩效考核): a scoring model per period — start at 100, minus per yellow and red card
and per bad rating, plus for early conclusions (capped) — and the monthly ranking of tenants and departments."""
from __future__ import annotations

from sqlalchemy import select, update

from tongban.platform import audit
from tongban.platform.supervision.errors import SupervisionError
from tongban.platform.supervision.models import ScoreModel
from tongban.platform.supervision.rules import require_province_admin
from tongban.platform.supervision.stats import queries
from tongban.tenants.isolation import TenantContext

DEFAULT_WEIGHTS = {"base": 100.0, "warning": 0.0, "yellow": 2.0, "red": 5.0, "bad_rating": 1.0, "early": 0.1,
                   "early_cap": 10.0}


def score_model(database, period: str) -> dict:
    """The weights in force for ``period`` ("2026-03"): its own model, else the default ("*"), else built in."""
    with database.unit_of_work(TenantContext.system("score model")) as session:
        rows = {m.period: m.weights for m in session.scalars(
            select(ScoreModel).where(ScoreModel.current.is_(True), ScoreModel.period.in_([period, "*"])))}
    return {**DEFAULT_WEIGHTS, **rows.get("*", {}), **rows.get(period, {})}


def set_score_model(database, period: str, weights: dict, *, actor) -> dict:
    """A new version of the model for ``period`` ("*" for every period without its own). Audited."""
    require_province_admin(actor)
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    bad = [k for k, v in weights.items() if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0]
    if unknown or bad:
        field = (unknown or bad)[0]
        raise SupervisionError("bad_weight", f"评分项 {field} 无效", f"weight {field} is not a known non-negative number",
                               field=field)
    with database.unit_of_work(TenantContext.system("score model change")) as session:
        current = session.scalar(select(ScoreModel).where(ScoreModel.period == period, ScoreModel.current.is_(True)))
        version = current.version + 1 if current else 1
        if current:
            session.execute(update(ScoreModel).where(ScoreModel.id == current.id).values(current=False))
        session.add(ScoreModel(period=period, version=version, current=True, weights=dict(weights),
                               changed_by=actor.subject))
        audit.record(session, tenant_id="46", actor=actor.subject, action="set_score_model", entity="score_model",
                     entity_key=period, before=current.weights if current else None, after=dict(weights))
    return {"period": period, "version": version, "weights": dict(weights)}


def score(figures: dict, weights: dict) -> float:
    bonus = min(figures["early"] * weights["early"], weights["early_cap"])
    return round(weights["base"] - figures["warnings"] * weights["warning"] - figures["yellow_cards"] * weights["yellow"]
                 - figures["red_cards"] * weights["red"] - figures["ratings_bad"] * weights["bad_rating"] + bonus, 2)


def ranking(database, actor, tenant_code: str, period: str, *, by: str = "tenant", level: str | None = None) -> list[dict]:
    """Tenants (own figures, optionally one level) or departments of the subtree, best score first, ranked."""
    weights = score_model(database, period)
    if by == "tenant":
        rows = queries.breakdown(database, actor, tenant_code, "tenant", months=(period, period), reason=f"绩效排名 {period}")
        if level:
            levels = _levels(database, [r["tenant"] for r in rows])
            rows = [r for r in rows if levels.get(r["tenant"]) == level]
    elif by == "department":
        rows = queries.breakdown(database, actor, tenant_code, "department", months=(period, period),
                                 reason=f"绩效排名 {period}")
    else:
        raise SupervisionError("bad_dimension", "排名对象应为地区或部门", "rank tenants or departments", field="by")
    scored = sorted(({**r, "score": score(r, weights)} for r in rows), key=lambda r: (-r["score"], str(r[by])))
    for position, row in enumerate(scored, start=1):
        row["rank"] = position
    return scored


def _levels(database, codes) -> dict:
    from tongban.tenants.models import Tenant

    with database.unit_of_work(TenantContext.system("tenant levels")) as session:
        return dict(session.execute(select(Tenant.code, Tenant.level).where(Tenant.code.in_(codes))).all())
