"""Writing many rows in few statements, the fast way for each database.

PostgreSQL: one ``INSERT … SELECT … FROM json_populate_recordset(:rows)`` — one statement and one parameter
whatever the row count, so the row-level security policy is planned once (an ``executemany`` re-plans it for
every row) and the driver adapts one string instead of every value. SQLite: the
driver's ``executemany``, or multi-row VALUES when rows must come back. Values go through each column's
own bind processing, so timestamps and JSON are stored exactly as the ORM stores them.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from sqlalchemy import ARRAY, Integer, Table, any_, bindparam, text
from sqlalchemy.orm import Session

SQLITE_VARIABLES = 32_000


def insert(session: Session, table: Table, rows: list[dict], *, conflict: tuple[str, ...] = (),
           add: tuple[str, ...] = (), returning: tuple[str, ...] = ()) -> list:
    """Insert ``rows`` (same keys each); on a ``conflict`` key do nothing, or add the ``add`` columns to the
    existing row. Returns the ``returning`` columns of the rows actually inserted (or updated)."""
    if not rows:
        return []
    columns = list(rows[0])
    tail = _conflict_clause(table, conflict, add) + (f" RETURNING {', '.join(returning)}" if returning else "")
    if session.get_bind().dialect.name == "postgresql":
        return _postgres(session, table, columns, rows, tail, bool(returning))
    return _sqlite(session, table, columns, rows, tail, bool(returning))


def insert_all(session: Session, writes: list[tuple[Table, list[dict], tuple[str, ...], tuple[str, ...]]], *,
               run=None) -> None:
    """Several ``insert`` calls (table, rows, conflict, add) into different tables. PostgreSQL: given ``run(sql,
    params)`` (``:name`` parameters), each insert is handed to it (the approval engine's case unit, which sends
    them as parts of its batch statement); otherwise they run as one statement, each insert a data-modifying CTE
    (all run to completion whether read or not). SQLite: one by one."""
    writes = [w for w in writes if w[1]]
    if session.get_bind().dialect.name != "postgresql" or len(writes) < 2 and run is None:
        for table, rows, conflict, add in writes:
            insert(session, table, rows, conflict=conflict, add=add)
        return
    parts, params = [], {}
    for n, (table, rows, conflict, add) in enumerate(writes):
        columns = list(rows[0])
        part = _upsert_sql(table, tuple(columns), f"rows{n}", conflict, add)
        if run is not None:
            run(part, {f"rows{n}": _payload(columns, rows)})
            continue
        parts.append(part)
        params[f"rows{n}"] = _payload(columns, rows)
    if run is not None:
        return
    head = ", ".join(f"w{n} AS ({part})" for n, part in enumerate(parts[:-1]))
    sql = f"WITH {head} {parts[-1]}" if head else parts[-1]
    session.execute(text(sql), params)


def among(session: Session, column, ids):
    """``column IN ids`` as one array parameter on PostgreSQL (a thousand ids are one bind, not a thousand)."""
    ids = list(ids)
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(f"ids_{column.key}", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def int_array(ids) -> str:
    """Integers as one PostgreSQL array literal (``{1,2,3}``), sent as a string instead of adapting each element.
    Only where the plan cannot depend on the array (``unnest`` joined by primary key): an opaque string hides the
    array's size from the planner."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _conflict_clause(table: Table, conflict, add) -> str:
    if not conflict:
        return ""
    target = f" ON CONFLICT ({', '.join(conflict)})"
    if not add:
        return target + " DO NOTHING"
    return target + " DO UPDATE SET " + ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in add)


def _postgres(session, table, columns, rows, tail, returning) -> list:
    """One JSON parameter read back by ``json_populate_recordset``: no per-element adaptation in the driver."""
    statement = text(_postgres_insert(table, columns, "rows", tail))
    result = session.execute(statement, {"rows": _payload(columns, rows)})
    return result.all() if returning else []


@lru_cache(maxsize=256)
def _upsert_sql(table: Table, columns: tuple[str, ...], parameter: str, conflict, add) -> str:
    """``_postgres_insert`` with its conflict clause, built once per shape (the rollups write the same few)."""
    return _postgres_insert(table, list(columns), parameter, _conflict_clause(table, conflict, add))


def _postgres_insert(table: Table, columns: list[str], parameter: str, tail: str) -> str:
    names = ", ".join(columns)
    return (f"INSERT INTO {table.name} ({names}) SELECT {names} FROM "
            f"json_populate_recordset(NULL::{table.name}, CAST(:{parameter} AS JSON)){tail}")


def _payload(columns: list[str], rows: list[dict]) -> str:
    return json.dumps([{c: row[c] for c in columns} for row in rows], ensure_ascii=False, default=_iso)


def _iso(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a bulk insert")


def _sqlite(session, table, columns, rows, tail, returning) -> list:
    dialect = session.get_bind().dialect
    pairs = [(n, table.c[n].type.bind_processor(dialect)) for n in columns]  # most columns need no processing
    values = [tuple([row[n] if p is None else p(row[n]) for n, p in pairs]) for row in rows]
    one = "(" + ", ".join("?" for _ in columns) + ")"
    head = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES "
    connection = session.connection()
    if not returning:
        connection.exec_driver_sql(head + one + tail, values)
        return []
    out, size = [], max(1, SQLITE_VARIABLES // len(columns))
    for start in range(0, len(values), size):
        chunk = values[start:start + size]
        flat = tuple(v for row in chunk for v in row)
        out += connection.exec_driver_sql(head + ", ".join(one for _ in chunk) + tail, flat).all()
    return out
