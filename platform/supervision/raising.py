"""The tick's write path on PostgreSQL as one statement: claim the due timers, insert their alerts (at most one
per rule and subject), log each new alert, and add the new cards to both rollups, one row per group.

    WITH claimed AS (UPDATE timers … state 'armed' → 'fired' RETURNING id)
       , new     AS (INSERT alerts SELECT … FROM payload JOIN claimed ON CONFLICT DO NOTHING RETURNING …)
       , logged  AS (INSERT events SELECT … FROM new)
       , fine    AS (INSERT rollups SELECT … FROM new GROUP BY tenant, department, item, channel, month
                     ON CONFLICT DO UPDATE SET cards = cards + excluded.cards)
       , coarse  AS (… the same per tenant and month)
    SELECT id, rule_code, subject_key FROM new

One round trip and one plan whatever the number of alerts; the alerts' unique key and the timers' ``state =
'armed'`` condition keep it exactly-once with any number of workers. SQLite keeps the statement-per-step path
(``alerts.raise_alerts``). The rollup arithmetic is ``facts.alert_contributions`` written as a GROUP BY.
"""
from __future__ import annotations

import json
from sqlalchemy import text
from sqlalchemy.orm import Session

from tongban.platform.supervision.bulk import _iso
from tongban.platform.supervision.models import COUNTED_STATES, MEASURES
from tongban.platform.supervision.stats.facts import CARD_MEASURE

ALERT_COLUMNS = ("tenant_id", "rule_code", "rule_version", "severity", "subject_key", "case_id", "task_id",
                 "petition_id", "case_number", "item_code", "channel", "department", "person", "level", "point",
                 "supervisor_code", "raised_at", "fired_for", "state", "escalations", "details", "revision")
RETURNED = ("id", "tenant_id", "rule_code", "subject_key", "severity", "state", "department", "item_code",
            "channel", "raised_at", "details")


def _sums(alias: str) -> tuple[str, str]:
    """Column list and the SELECT expressions of every measure: the card counts by severity, zero elsewhere."""
    cards = {measure: severity for severity, measure in CARD_MEASURE.items()}
    exprs = [f"count(*) FILTER (WHERE {alias}.severity = '{cards[m]}')" if m in cards else "0" for m in MEASURES]
    return ", ".join(MEASURES), ", ".join(exprs)


def _statement() -> str:
    columns = ", ".join(ALERT_COLUMNS)
    measures, sums = _sums("n")
    added = ", ".join(f"{m} = {{table}}.{m} + excluded.{m}" for m in CARD_MEASURE.values())
    counted = ", ".join(f"'{s}'" for s in sorted(COUNTED_STATES))
    month = "to_char(n.raised_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    return f"""
WITH claimed AS (
    UPDATE supervision_timers SET state = 'fired'
    WHERE id = ANY(CAST(:timers AS INTEGER[])) AND state = 'armed' RETURNING id),
payload AS (
    SELECT r.*, CAST(e->>'timer_id' AS INTEGER) AS timer_id
    FROM json_array_elements(CAST(:rows AS JSON)) AS e, json_populate_record(NULL::supervision_alerts, e) AS r),
new AS (
    INSERT INTO supervision_alerts ({columns})
    SELECT {", ".join("p." + c for c in ALERT_COLUMNS)} FROM payload p JOIN claimed c ON c.id = p.timer_id
    ORDER BY p.timer_id
    ON CONFLICT (rule_code, subject_key) DO NOTHING
    RETURNING {", ".join(RETURNED)}),
logged AS (
    INSERT INTO supervision_events (tenant_id, subject, at, actor, action, to_state, comment, details)
    SELECT tenant_id, 'alert:' || id, raised_at, 'system', 'raise', state, '', details FROM new),
fine AS (
    INSERT INTO supervision_rollups (tenant_id, department, item_code, channel, month, tenant_path, {measures})
    SELECT n.tenant_id, n.department, n.item_code, n.channel, {month}, t.path, {sums}
    FROM new n JOIN tenants t ON t.code = n.tenant_id WHERE n.state IN ({counted})
    GROUP BY n.tenant_id, n.department, n.item_code, n.channel, {month}, t.path
    ON CONFLICT (tenant_id, department, item_code, channel, month)
    DO UPDATE SET {added.format(table="supervision_rollups")}),
coarse AS (
    INSERT INTO supervision_rollups_tenant (tenant_id, month, tenant_path, {measures}, online_received)
    SELECT n.tenant_id, {month}, t.path, {sums}, 0
    FROM new n JOIN tenants t ON t.code = n.tenant_id WHERE n.state IN ({counted})
    GROUP BY n.tenant_id, {month}, t.path
    ON CONFLICT (tenant_id, month) DO UPDATE SET {added.format(table="supervision_rollups_tenant")})
SELECT id, rule_code, subject_key FROM new"""


_STATEMENT = text(_statement())


def claim_and_raise(session: Session, timer_ids: list[int], rows: list[dict]) -> list:
    """Claim ``timer_ids`` and raise ``rows`` (alert rows, each with the ``timer_id`` it answers) of the timers
    this transaction claimed; returns (id, rule_code, subject_key) of the alerts it created."""
    if not timer_ids:
        return []
    payload = json.dumps(rows, ensure_ascii=False, default=_iso)
    return session.execute(_STATEMENT, {"timers": timer_ids, "rows": payload}).all()
