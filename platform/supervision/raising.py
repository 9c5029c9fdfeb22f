"""The tick's write path on PostgreSQL as one statement: claim the due timers, insert their alerts (at most one
per rule and subject), log each new alert, and add the new cards to both rollups, one row per group.

    WITH claimed AS (DELETE armed timers … RETURNING id)
       , new     AS (INSERT alerts SELECT … FROM payload JOIN claimed ON CONFLICT DO NOTHING RETURNING …)
       , logged  AS (INSERT events SELECT … FROM new)
       , fine    AS (INSERT rollups SELECT … FROM new GROUP BY tenant, department, item, channel, month
                     ON CONFLICT DO UPDATE SET cards = cards + excluded.cards)
       , coarse  AS (… the same per tenant and month)
    SELECT id, rule_code, subject_key FROM new

One round trip and one plan whatever the number of alerts; the alerts' unique key and the claim (a timer is
deleted once, by one transaction) keep it exactly-once with any number of workers. A fired timer is gone: the
alert is the record that its rule fired for that subject, and arming skips subjects that have one. SQLite
keeps the statement-per-step path (``alerts.raise_alerts``). The rollup arithmetic is
``facts.alert_contributions`` written as a GROUP BY.
"""
from __future__ import annotations

import json
from sqlalchemy import text
from sqlalchemy.orm import Session

from tongban.platform.supervision.bulk import _iso, int_array
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


# what differs from alert to alert; the rest comes from the rule (version, severity, state, its names) and the
# responsible place (level, supervising tenant), each sent once, or is the same for the whole batch
PER_ALERT = (("timer_id", "integer"), ("tenant_id", "text"), ("rule_code", "text"), ("subject_key", "text"),
             ("case_id", "integer"), ("task_id", "integer"), ("petition_id", "integer"), ("case_number", "text"),
             ("item_code", "text"), ("channel", "text"), ("department", "text"), ("person", "text"), ("point", "text"),
             ("fired_for", "timestamptz"), ("extra", "jsonb"))
PER_RULE = (("code", "text"), ("version", "integer"), ("severity", "text"), ("state", "text"), ("rule_zh", "text"),
            ("rule_en", "text"), ("threshold_days", "integer"))
PER_PLACE = (("code", "text"), ("level", "text"), ("supervisor_code", "text"))
FROM_SOURCES = {
    "tenant_id": "p.tenant_id", "rule_code": "p.rule_code", "rule_version": "r.version", "severity": "r.severity",
    "subject_key": "p.subject_key", "case_id": "p.case_id", "task_id": "p.task_id", "petition_id": "p.petition_id",
    "case_number": "p.case_number", "item_code": "p.item_code", "channel": "p.channel", "department": "p.department",
    "person": "p.person", "level": "w.level", "point": "p.point", "supervisor_code": "w.supervisor_code",
    "raised_at": "CAST(:raised_at AS timestamptz)", "fired_for": "p.fired_for", "state": "r.state", "escalations": "0",
    "details": "CAST(jsonb_build_object('rule_zh', r.rule_zh, 'rule_en', r.rule_en, 'threshold_days', r.threshold_days)"
               " || coalesce(p.extra, '{}') AS json)",
    "revision": "1"}


def _records(param: str, alias: str, fields) -> str:
    """The JSON array parameter ``param`` as a table ``alias`` with typed ``fields``."""
    return (f"json_to_recordset(CAST(:{param} AS JSON)) AS {alias}("
            + ", ".join(f"{name} {kind}" for name, kind in fields) + ")")


def _statement() -> str:
    columns = ", ".join(ALERT_COLUMNS)
    measures, sums = _sums("n")
    added = ", ".join(f"{m} = {{table}}.{m} + excluded.{m}" for m in CARD_MEASURE.values())
    counted = ", ".join(f"'{s}'" for s in sorted(COUNTED_STATES))
    month = "to_char(n.raised_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
    return f"""
WITH claimed AS (
    DELETE FROM supervision_timers t
    USING unnest(CAST(CAST(:timers AS TEXT) AS INTEGER[])) AS due(id)
    WHERE t.id = due.id AND t.state = 'armed' RETURNING t.id),
new AS (
    INSERT INTO supervision_alerts ({columns})
    SELECT {", ".join(FROM_SOURCES[c] for c in ALERT_COLUMNS)}
    FROM {_records("rows", "p", PER_ALERT)}
    JOIN claimed c ON c.id = p.timer_id
    JOIN {_records("rules", "r", PER_RULE)} ON r.code = p.rule_code
    JOIN {_records("places", "w", PER_PLACE)} ON w.code = p.tenant_id
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


def claim_and_raise(session: Session, timer_ids: list[int], raises: list[tuple[int, dict, dict]], rules: list,
                    raised_at) -> list:
    """Claim ``timer_ids`` and raise the alerts of those this transaction claimed: ``raises`` are (timer id, alert
    row as ``alerts.alert_rows`` builds it, the details of the finding itself); ``rules`` the rules they name.
    Returns (id, rule_code, subject_key) of the alerts created."""
    if not timer_ids:
        return []
    rows = [{"timer_id": timer_id, "tenant_id": row["tenant_id"], "rule_code": row["rule_code"],
             "subject_key": row["subject_key"], "case_id": row["case_id"], "task_id": row["task_id"],
             "petition_id": row["petition_id"], "case_number": row["case_number"], "item_code": row["item_code"],
             "channel": row["channel"], "department": row["department"], "person": row["person"],
             "point": row["point"], "fired_for": row["fired_for"] and row["fired_for"].isoformat(),
             "extra": extra} for timer_id, row, extra in raises]
    rule_rows = [{"code": r.code, "version": r.version, "severity": r.severity,
                  "state": "issued" if r.auto_issue else "pending", "rule_zh": r.name_zh, "rule_en": r.name_en,
                  "threshold_days": r.threshold_days} for r in rules]
    places = {row["tenant_id"]: (row["level"], row["supervisor_code"]) for _, row, _ in raises}
    place_rows = [{"code": code, "level": level, "supervisor_code": supervisor}
                  for code, (level, supervisor) in places.items()]
    return session.execute(_STATEMENT, {
        "timers": int_array(timer_ids), "rows": json.dumps(rows, ensure_ascii=False, default=_iso),
        "rules": json.dumps(rule_rows, ensure_ascii=False), "places": json.dumps(place_rows),
        "raised_at": raised_at}).all()
