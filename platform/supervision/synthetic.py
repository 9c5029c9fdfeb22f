"""Synthetic load for the benchmark and the scale tests: open cases, their open steps and armed timers, written
by set-based SQL as the owner role (millions of rows in seconds), ``due`` of them with a yellow card due now.

Rows look like the engine's: every case is in progress, accepted, with one open review step; its warning
has fired (the tick deleted that timer), its yellow timer comes due one minute apart (the first ``due`` by ``now``, the others a
week later), its red and step timers much later. Not used by the application itself.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Connection

ITEMS = 20
CHANNELS = ("online", "window", "mobile")


def load(conn: Connection, *, cases: int, due: int, now: datetime, tenants: list[str], start_id: int = 1) -> None:
    """Insert ``cases`` open cases (ids from ``start_id``), their tasks and timers."""
    postgres = conn.dialect.name == "postgresql"
    base = (now - timedelta(minutes=due, seconds=-30)).astimezone(UTC)  # offsets 0 … due-1 are due
    series = (f"generate_series({start_id}, {start_id + cases - 1}) AS s(x)" if postgres else
              f"(WITH RECURSIVE s(x) AS (SELECT {start_id} UNION ALL SELECT x + 1 FROM s "
              f"WHERE x < {start_id + cases - 1}) SELECT x FROM s) AS s")
    tenant = _pick("x", tenants)
    channel = _pick("x", list(CHANNELS))
    at = _instant(postgres, base)

    def minutes(expr: str) -> str:
        return f"({at} + ({expr}) * interval '1 minute')" if postgres else \
            f"(strftime('%Y-%m-%d %H:%M:%S', {at}, printf('%+d minutes', {expr})) || '.000000')"

    conn.execute(text(f"""
        INSERT INTO cases (id, number, query_code_hash, received_tenant_id, tenant_id, parent_case_id, item_id, item_code,
            item_name, version_id, case_type, channel, applicant_subject, applicant, form_data, assignments, state,
            submitted_at, accepted_at, promised_due_at, legal_due_at, promised_limit_days, legal_limit_days, paused,
            pause_count, round, supplement_requests, fee_paid, last_event_hash, event_count, revision)
        SELECT x, 'SYN-' || x, '', {tenant}, {tenant}, NULL, 0, 'SYN-' || (x % {ITEMS}), '合成事项', 0, 'synthetic',
            {channel}, 'person:' || x, '{{}}', '{{}}', '{{}}', 'in_progress', {minutes('-20160 - x % 500000')},
            {minutes('-20160 - x % 500000')}, {minutes('x - ' + str(start_id) + ' - 1440')},
            {minutes('x + 525600')}, 10, 20, {_false(postgres)}, 0, 1, 0, {_false(postgres)}, '', 0, 1
        FROM {series}"""))
    conn.execute(text(f"""
        INSERT INTO tasks (id, tenant_id, case_id, node_id, node_kind, point, round, state, department, started_at,
            limit_days, due_at, revision)
        SELECT x, {tenant}, x, 'review', 'review', 'review', 1, 'open', 'dept-' || (x % 10),
            {minutes('-20160')}, 3, {minutes('x + 43200')}, 1
        FROM {series}"""))
    offset = f"x - {start_id}"
    for rule, state, when, key in (("case_yellow", "armed", minutes(f"{offset} + CASE WHEN {offset} >= {due} THEN 10080 ELSE 0 END"),
                                    "'case:' || x"),
                                   ("case_red", "armed", minutes(f"{offset} + 525600"), "'case:' || x"),
                                   ("node_overdue", "armed", minutes(f"{offset} + 43200"), "'case:' || x || ':task:' || x")):
        conn.execute(text(f"""
            INSERT INTO supervision_timers (tenant_id, rule_code, subject_key, case_id, task_id, fire_at, state)
            SELECT {tenant}, '{rule}', {key}, x, {'x' if rule == 'node_overdue' else 'NULL'}, {when}, '{state}'
            FROM {series}"""))
    if postgres:
        conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
        conn.execute(text("SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks))"))


def rollups_from_cases(conn: Connection) -> None:
    """The rollups the sync would have built for the synthetic cases (received and accepted by month)."""
    month = ("to_char(submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')" if conn.dialect.name == "postgresql"
             else "strftime('%Y-%m', submitted_at, '+8 hours')")
    zeros = ("concluded", "on_time", "early", "overdue", "timed", "used_minutes", "legal_days", "received_for_others",
             "warnings", "yellow_cards", "red_cards", "ratings", "ratings_good", "ratings_bad", "rating_points")
    online = "sum(CASE WHEN c.channel IN ('online', 'mobile', 'api') THEN 1 ELSE 0 END)"
    for table, dims, extra, extra_value in (
            ("supervision_rollups", ("department", "item_code", "channel"), "", ""),
            ("supervision_rollups_tenant", (), ", online_received", f", {online}")):
        select_dims = "".join(f", {'c.' + d if d != 'department' else chr(39) * 2}" for d in dims)
        group_dims = "".join(f", c.{d}" for d in dims if d != "department")
        conn.execute(text(f"""
            INSERT INTO {table} (tenant_id, tenant_path{''.join(', ' + d for d in dims)}, month, received, accepted,
                {', '.join(zeros)}{extra})
            SELECT c.tenant_id, t.path{select_dims}, {month}, count(*), count(c.accepted_at),
                {', '.join('0' for _ in zeros)}{extra_value}
            FROM cases c JOIN tenants t ON t.code = c.tenant_id WHERE c.case_type = 'synthetic'
            GROUP BY c.tenant_id, t.path{group_dims}, {month}"""))


def _pick(expr: str, values: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"(CASE ({expr}) % {len(values)} {whens} END)"


def _instant(postgres: bool, value: datetime) -> str:
    stamp = value.strftime("%Y-%m-%d %H:%M:%S")
    return f"TIMESTAMPTZ '{stamp}+00'" if postgres else f"'{stamp}'"


def _false(postgres: bool) -> str:
    return "false" if postgres else "0"
