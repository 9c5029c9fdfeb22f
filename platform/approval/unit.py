"""The engine's unit of work on cases, tasks and their events: loaded once, changed in memory, written as one batch.

An action reads its case and task with one statement (on PostgreSQL: locked, with the id its next task will
take and supervision's stored figures of the case), the rules change the records (``records.py``), and the unit
writes what changed in one batch at the end: updates carry the revision that was read (a row changed meanwhile
refuses the whole batch as a conflict), new tasks and the call's events are inserted, and the statements
supervision's hook adds (timers, figures) go with them. On PostgreSQL the batch is one statement sent with the
transaction's COMMIT — one round trip — through libpq's pipeline directly (``wire.py``: statements prepared on
first use, rows read by psycopg's loaders); SQLite runs the same statements one by one (they cost no round trip).

It shares the session's connection and transaction: whatever the session executes (a look-up of materials,
pauses, licenses or projects, an ORM flush) first writes what the unit holds, so reads through the ORM always
see the engine's changes. Cases and tasks themselves are read and written only here while a unit is open.
"""
from __future__ import annotations

import json
import re
import threading
from datetime import timezone
from typing import NamedTuple

from sqlalchemy import JSON, event
from sqlalchemy.exc import DBAPIError

from tongban.platform.approval.errors import CaseNotFound, Conflict
from tongban.platform.approval.records import CaseRecord, EventRecord, TaskRecord
from tongban.platform.db import UTCDateTime
from tongban.tenants.isolation import DEFER_TENANT, TENANT_SQL

KEY = "case_unit"
_EVENT_NAMES = tuple(n for n in EventRecord.COLUMNS if n != "id")
_PARAM = re.compile(r"%\((\w+)\)s")
_COLON_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class CaseUnit:
    def __init__(self, session) -> None:
        self.session = session
        dialect = session.get_bind().dialect
        self.postgres = dialect.name == "postgresql"
        self.dialect = dialect
        self.codecs = {cls: _codec(cls.TABLE, dialect) for cls in (CaseRecord, TaskRecord, EventRecord)}
        self.cases: dict[int, CaseRecord] = {}
        self.tasks: dict[int, TaskRecord] = {}
        self.acted: set[int] = set()  # cases whose task this unit loaded
        self.created: set[int] = set()  # cases this unit created (every task of theirs is here)
        self.complete: set[int] = set()  # cases all of whose tasks are held
        self.events: list[EventRecord] = []  # appended, not written yet
        self.appended: list[EventRecord] = []  # every event appended in this unit (written or not)
        self.later: list[_Part] = []  # statements written with the batch (supervision's hook, materials)
        self.spare_task_ids: list[int] = []
        self.writing = False
        self._driver = None
        self._wire = None  # PostgreSQL: the connection's pipeline (wire.py)
        self._tenant = None  # settings the unit still has to send (it began the transaction)
        self._driver_error = dialect.dbapi.Error
        session.info[KEY] = self

    @classmethod
    def of(cls, session) -> CaseUnit:
        return session.info.get(KEY) or cls(session)

    # -- the connection ------------------------------------------------------------------------------------------

    @property
    def driver(self):
        """The driver's connection of the session's transaction (psycopg or sqlite3)."""
        if self._driver is None:
            self._connect()
        return self._driver

    def _connect(self) -> None:
        """Take the session's connection (on PostgreSQL with its wire). When the unit begins the transaction, the
        tenant's settings are sent with its first statement (``isolation.DEFER_TENANT``)."""
        self.session.info[DEFER_TENANT] = True
        try:
            pooled = self.session.connection().connection
        finally:
            deferred = self.session.info.pop(DEFER_TENANT, None)
        if isinstance(deferred, dict):
            self._tenant = deferred
        self._driver = pooled.driver_connection
        if self.postgres:
            from tongban.platform.approval.wire import Wire

            self._wire = Wire.of(pooled)

    def _run(self, sql: str, params: dict | None = None):
        """One statement (``%(name)s`` parameters), with the tenant's settings before it when the unit began the
        transaction: one round trip. Returns its rows (``fetchone``/``fetchall``; on SQLite, the cursor)."""
        _observe(None, "round_trip")
        if not self.postgres:
            sql = _sqlite_sql(sql)
            _observe(sql, "engine")
            try:
                cursor = self.driver.cursor()
                cursor.execute(sql, params or {})
            except self._driver_error as error:
                raise DBAPIError.instance(sql, params, error, self._driver_error) from error
            return cursor
        if self._wire is None:
            self._connect()
        _observe(sql, "engine")
        text, values, _ = _statement([_Part(sql, params or {}, False, None, "engine")])  # ``$n``, as a batch
        statements = self._tenant_first([(text, values)])
        try:
            return _Rows(self._wire.exchange(statements)[-1])
        except self._driver_error as error:
            raise DBAPIError.instance(sql, params, error, self._driver_error) from error

    def _tenant_first(self, statements: list) -> list:
        """``statements`` after the tenant's settings, when the unit still has to send them."""
        if self._tenant is None:
            return statements
        _observe(TENANT_SQL, "engine")
        text, settings, _ = _statement([_Part(TENANT_SQL, self._tenant, False, None, "engine")])
        self._tenant = None
        return [(text, settings), *statements]

    def require_visible(self, case: CaseRecord) -> CaseRecord:
        """What the ORM's tenant criteria (and row-level security on PostgreSQL) let the unit's tenant see: the case
        of its own, received at its window, or below it in a subtree scope; otherwise CaseNotFound."""
        from tongban.platform.approval.guards import tenant_path

        context = self.session.info.get("tenant")
        codes = (case.tenant_id, case.received_tenant_id)
        if context is None or context.code is None:
            visible = False
        elif context.scope == "subtree":
            visible = context.path == "/" or any(
                (tenant_path(self.session, code) or "").startswith(context.path) for code in codes if code)
        else:
            visible = context.code in codes
        if not visible:
            self.cases.pop(case.id, None)
            raise CaseNotFound(str(case.id))
        return case

    # -- reading ---------------------------------------------------------------------------------------------------

    def load_case(self, case_id: int, *, lock: bool = True) -> CaseRecord:
        """The case (held, or read and locked on PostgreSQL), or CaseNotFound."""
        held = self.cases.get(case_id)
        if held is not None:
            return held
        row = self._run(_case_sql(self.postgres, with_task=False, lock=lock), {"case": case_id}).fetchone()
        if row is None:
            raise CaseNotFound(str(case_id))
        return self.require_visible(self._hold_case(row, 0))

    def load_case_and_task(self, case_id: int, task_id: int) -> tuple[CaseRecord, TaskRecord | None]:
        """The case and one of its tasks in one statement (both locked on PostgreSQL, so a task finished by a
        concurrent action is seen finished); the task is None when the case has no such task."""
        if case_id in self.cases and task_id in self.tasks:
            return self.cases[case_id], self.tasks[task_id]
        if case_id in self.cases:
            return self.cases[case_id], self.task(task_id)
        row = self._run(_case_sql(self.postgres, with_task=True, lock=True),
                        {"case": case_id, "task": task_id}).fetchone()
        if row is None:  # no such task on the case (or no such case)
            return self.load_case(case_id), None
        case = self.require_visible(self._hold_case(row, 0))
        task = self._hold_task(row, len(self.codecs[CaseRecord].names) + (2 if self.postgres else 0))
        if self.postgres and row[-1] is not None:
            self.spare_task_ids.append(row[-1])
        if task is not None and task.case_id == case.id:
            self.acted.add(case.id)
        return case, task

    def task(self, task_id: int) -> TaskRecord | None:
        held = self.tasks.get(task_id)
        if held is not None:
            return held
        codec = self.codecs[TaskRecord]
        row = self._run(f"SELECT {codec.select('t')} FROM tasks t WHERE t.id = %(task)s", {"task": task_id}).fetchone()
        return None if row is None else self._hold_task(row, 0)

    def held_case(self, case_id: int) -> CaseRecord | None:
        return self.cases.get(case_id)

    def all_tasks(self, case: CaseRecord) -> list[TaskRecord]:
        """Every task of the case (read once per unit; the ones held stay as they are here), oldest first."""
        if case.id not in self.complete and case.id not in self.created:
            codec = self.codecs[TaskRecord]
            for row in self._run(f"SELECT {codec.select('t')} FROM tasks t WHERE t.case_id = %(case)s ORDER BY t.id",
                                 {"case": case.id}).fetchall():
                self._hold_task(row, 0)
            self.complete.add(case.id)
        return sorted((t for t in self.tasks.values() if t.case_id == case.id), key=_task_order)

    def open_tasks(self, case: CaseRecord, *, single_path: bool) -> list[TaskRecord]:
        """The case's open tasks. ``single_path``: its flow has no parallel section, so at most one task is open at
        a time and, when this unit loaded the case's task (or created the case), it holds them all: no query."""
        if single_path and (case.id in self.acted or case.id in self.created):
            held = (t for t in self.tasks.values() if t.case_id == case.id and t.state == "open")
            return sorted(held, key=_task_order)
        return [t for t in self.all_tasks(case) if t.state == "open"]

    def _hold_case(self, row, start: int) -> CaseRecord:
        codec = self.codecs[CaseRecord]
        values = codec.decode(row, start)
        if self.postgres:
            at = start + len(codec.names)
            values["stored_facts"] = None if row[at + 1] is None else (row[at], row[at + 1])
        case = CaseRecord.stored(values)
        self.cases[case.id] = case
        return case

    def _hold_task(self, row, start: int) -> TaskRecord | None:
        if row[start] is None:
            return None
        values = self.codecs[TaskRecord].decode(row, start)
        held = self.tasks.get(values["id"])
        if held is not None:
            return held
        task = TaskRecord.stored(values)
        self.tasks[task.id] = task
        return task

    # -- creating --------------------------------------------------------------------------------------------------

    def add_case(self, case: CaseRecord) -> CaseRecord:
        """A new case. With its id taken beforehand from the sequence (PostgreSQL's intake reads one with its first
        statement), it is written with the batch; otherwise it is inserted now (its id is needed by everything
        written with it)."""
        if case.id is not None:
            self.cases[case.id] = case
            self.created.add(case.id)
            return case
        values = {k: v for k, v in case.values().items() if k != "id"}
        sql, params = _insert_sql("cases", tuple(values)), self.codecs[CaseRecord].encode(values)
        if self.postgres:
            case.id, spare = self._run(sql + " RETURNING id, nextval('tasks_id_seq')", params).fetchone()
            self.spare_task_ids.append(spare)
        else:
            case.id = self._run(sql, params).lastrowid
        case.mark_stored()
        self.cases[case.id] = case
        self.created.add(case.id)
        return case

    def add_task(self, task: TaskRecord) -> TaskRecord:
        """A new task: written with the batch on PostgreSQL (its id taken from the sequence beforehand), at once on
        SQLite (the row id is the id)."""
        if self.postgres:
            if not self.spare_task_ids:
                self.spare_task_ids = [r[0] for r in self._run(
                    "SELECT nextval('tasks_id_seq') FROM generate_series(1, 4)").fetchall()]
            task.id = self.spare_task_ids.pop(0)
        else:
            values = {k: v for k, v in task.values().items() if k != "id"}
            task.id = self._run(_insert_sql("tasks", tuple(values)), self.codecs[TaskRecord].encode(values)).lastrowid
            task.mark_stored()
        self.tasks[task.id] = task
        return task

    def add_event(self, record: EventRecord) -> None:
        self.events.append(record)
        self.appended.append(record)

    def add_statement(self, sql: str, params: dict, *, rows_key=...) -> None:
        """One INSERT, UPDATE or DELETE (``%(name)s`` parameters, no WITH, no RETURNING) written with the batch, after
        the unit's own rows. On PostgreSQL the batch is one statement whose parts run side by side on one snapshot
        (see ``_compose``): ``rows_key`` names the rows the statement updates or deletes, and parts with the same
        key go into statements of their own, one after the other. The default, the SQL itself, keeps a statement
        given twice in one batch apart from itself; ``None`` says it only inserts new rows. Cases and tasks the
        unit holds are changed on their records, never by a statement given here."""
        self.later.append(_Part(sql, params, False, sql if rows_key is ... else rows_key, "added"))

    def add_rows(self, table, rows: list[dict], *, on_ids=None) -> None:
        """Rows of another table (the case's materials, its submission key, messages to the outbox) inserted with
        the batch, stored as the ORM stores them. ``on_ids(ids)`` is given the new rows' ids (in no particular
        order) once they are written."""
        if not rows:
            return
        codec = _codec(table, self.dialect)
        names = tuple(rows[0])
        self.later.append(_Part(_insert_sql(table.name, names), [codec.encode(row) for row in rows], False, None,
                                "added", on_ids))

    def add_text(self, sql: str, params: dict) -> None:
        """``add_statement`` for SQL written with ``:name`` parameters (as for SQLAlchemy's ``text``)."""
        self.add_statement(_cached(("text", sql), lambda: _COLON_PARAM.sub(r"%(\1)s", sql)), params)

    def read_first(self, sql: str, params: dict):
        """One row of a statement that opens the call (``%(name)s`` parameters); when the unit begins the transaction
        the tenant's settings go in the same round trip."""
        return self._run(sql, params).fetchone()

    # -- writing ---------------------------------------------------------------------------------------------------

    @property
    def has_pending(self) -> bool:
        if self.events or self.later:
            return True
        return any(r.is_new or r.changes() for held in (self.tasks, self.cases) for r in held.values())

    def write(self, *, commit: bool = False) -> None:
        """Write what changed (and COMMIT with it on PostgreSQL when ``commit``); a row changed by someone else
        since it was read refuses everything (Conflict) and the transaction is rolled back by its owner."""
        statements = self._statements()
        if not statements and not commit:
            return
        self.writing = True
        try:
            if self.postgres:
                self._write_postgres(statements, commit)
            else:
                self._write_sqlite(statements)
        finally:
            self.writing = False

    def _statements(self) -> list[_Part]:
        """What the batch writes, in order: new and changed cases, then tasks, then the events, then the statements
        given with ``add_statement``/``add_rows``."""
        out = []
        for kind, table, held in (("case", "cases", self.cases), ("task", "tasks", self.tasks)):
            codec = self.codecs[CaseRecord if kind == "case" else TaskRecord]
            for record in held.values():
                if record.is_new:
                    values = record.values()
                    out.append(_Part(_insert_sql(table, tuple(values)), codec.encode(values), False, None, "engine"))
                    continue
                changed = record.changes()
                if not changed:
                    continue
                changed.pop("revision", None)
                params = codec.encode(changed)
                params["_id"], params["_revision"] = record.id, record.revision
                out.append(_Part(_update_sql(table, tuple(changed)), params, True, (table, record.id), "engine"))
        if self.events:
            codec = self.codecs[EventRecord]
            names = _EVENT_NAMES
            out.append(_Part(_insert_sql("case_events", names),
                             [codec.encode({n: getattr(e, n) for n in names}) for e in self.events], False, None,
                             "engine"))
        return out + self.later

    def _written(self) -> None:
        for held in (self.cases, self.tasks):
            for record in held.values():
                if record.is_new or record.changes():
                    if not record.is_new:
                        record.revision += 1
                    record.mark_stored()
        self.events = []
        self.later = []

    def _write_postgres(self, parts: list[_Part], commit: bool) -> None:
        import psycopg

        if self._wire is None:
            self._connect()
        statements, returning = self._tenant_first([]), []
        for sql, params, group in _compose(parts):
            _observe(sql, "engine" if any(p.origin == "engine" for p in group) else "added")
            for part in group:
                _observe(part.sql, "part:" + part.origin)
            if any(p.on_ids for p in group):
                returning.append((len(statements), [p for p in group if p.on_ids]))
            statements.append((sql, params))
        try:
            results = self._wire.exchange(statements, commit=commit)
        except psycopg.errors.DivisionByZero as error:  # a checked update found the row changed: see _compose
            raise _conflict() from error
        except psycopg.Error as error:
            raise DBAPIError.instance("(the case unit's batch)", None, error, psycopg.Error) from error
        _observe(None, "round_trip")
        for index, wanting in returning:
            for part, ids in zip(wanting, results[index][0][1:]):
                part.on_ids(list(ids))
        self._written()

    def _write_sqlite(self, parts: list[_Part]) -> None:
        import sqlite3

        cursor = self.driver.cursor()
        try:
            for part in parts:
                sql = _sqlite_sql(part.sql)
                _observe(sql, part.origin)
                _observe(sql, "part:" + part.origin)
                if isinstance(part.params, list) and part.on_ids:
                    ids = []
                    for row in part.params:
                        cursor.execute(sql, row)
                        ids.append(cursor.lastrowid)
                    part.on_ids(ids)
                    continue
                if isinstance(part.params, list):
                    cursor.executemany(sql, part.params)
                    continue
                cursor.execute(sql, part.params)
                if part.checked and cursor.rowcount != 1:
                    raise _conflict()
        except sqlite3.Error as error:
            raise DBAPIError.instance("(the case unit's batch)", None, error, sqlite3.Error) from error
        self._written()


OBSERVERS: list = []  # callables given (sql, "engine" | "added") for each statement the unit sends, (sql,
# "part:engine" | "part:added") for each row change a written statement is made of, and (None, "round_trip") for
# each time it waits on the database (the benchmark counts them)


def _observe(sql: str | None, kind: str) -> None:
    for observer in OBSERVERS:
        observer(sql, kind)


def _conflict() -> Conflict:
    return Conflict("concurrent_change", "办件已被他人处理，请刷新后重试", "someone else changed this case first; reload it")


def _task_order(task: TaskRecord):
    return task.id or 0


# -- SQL ------------------------------------------------------------------------------------------------------------

_SQL_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 5_000  # statements of every shape a batch takes (row counts vary by item): emptied when this full


def _cached(key, build):
    sql = _SQL_CACHE.get(key)
    if sql is None:
        sql = build()
        with _CACHE_LOCK:
            if len(_SQL_CACHE) >= _CACHE_MAX:
                _SQL_CACHE.clear()
            _SQL_CACHE[key] = sql
    return sql


def _sqlite_sql(sql: str) -> str:
    return _cached(("sqlite", sql), lambda: _PARAM.sub(r":\1", sql))


def _case_sql(postgres: bool, *, with_task: bool, lock: bool) -> str:
    def build():
        parts = [", ".join(f"c.{n}" for n in CaseRecord.COLUMNS)]
        head, joins = "", ""
        if postgres:  # supervision's stored figures of the case, locked with it (its hook rewrites them)
            head = ("WITH f AS MATERIALIZED (SELECT contributions, revision FROM supervision_case_facts"
                    " WHERE case_id = %(case)s" + (" FOR UPDATE" if lock else "") + ") ")
            parts.append("f.contributions, f.revision")
            joins = " LEFT JOIN f ON true"
        if with_task:
            parts.append(", ".join(f"t.{n}" for n in TaskRecord.COLUMNS))
            joins = " JOIN tasks t ON t.case_id = c.id AND t.id = %(task)s" + joins
            if postgres:
                parts.append("nextval('tasks_id_seq')")  # the id the action's next task will take, if it opens one
        sql = f"{head}SELECT {', '.join(parts)} FROM cases c{joins} WHERE c.id = %(case)s"
        if postgres and lock:
            sql += " FOR UPDATE OF c" + (", t" if with_task else "")
        return sql

    return _cached(("case", postgres, with_task, lock), build)


def _insert_sql(table: str, names: tuple[str, ...]) -> str:
    return _cached(("insert", table, names), lambda: (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(f'%({n})s' for n in names)})"))


def _update_sql(table: str, names: tuple[str, ...]) -> str:
    """An update of the changed columns, matching only the revision that was read (a conflict otherwise)."""
    return _cached(("update", table, names), lambda: (
        f"UPDATE {table} SET {', '.join(f'{n} = %({n})s' for n in names)}, revision = revision + 1"
        f" WHERE id = %(_id)s AND revision = %(_revision)s"))


class _Part(NamedTuple):
    """One INSERT, UPDATE or DELETE of a batch (``%(name)s`` parameters)."""
    sql: str
    params: dict | list  # a list: rows of an ``_insert_sql`` insert
    checked: bool  # an update that must match its row (the revision read): none matched is a conflict
    rows_key: object  # what it updates or deletes (parts with one key never share a statement); None: inserts only
    origin: str  # "engine" (cases, tasks, events) or "added"
    on_ids: object = None  # given the ids of the rows an insert wrote


_MAX_PARAMETERS = 30_000  # a statement carries at most 65,535


def _compose(parts: list[_Part]) -> list[tuple[str, list, list[_Part]]]:
    """PostgreSQL: the batch as few statements as it can be, each part a data-modifying CTE of one statement
    (they all run to completion, on the statement's snapshot, and foreign keys are checked at its end, so a task
    and the events naming it may go together). Parts that touch the same rows (``rows_key``) go into the next
    statement instead: side by side, one would not see the other's change. Checked updates return their row and
    the statement divides by the smallest count, so a row changed since it was read fails the statement — and the
    transaction — with a division by zero, which the unit reports as a conflict; inserts whose ids are asked for
    return them as arrays after the check. Returns (sql, positional parameters, parts) per statement."""
    groups, current, keys, size = [], [], set(), 0
    for part in _chunked(parts):
        count = _parameter_count(part)
        if current and (part.rows_key is not None and part.rows_key in keys or size + count > _MAX_PARAMETERS):
            groups.append(current)
            current, keys, size = [], set(), 0
        current.append(part)
        size += count
        if part.rows_key is not None:
            keys.add(part.rows_key)
    if current:
        groups.append(current)
    return [_statement(group) for group in groups]


def _chunked(parts: list[_Part]):
    """Parts, a part of rows too many for one statement cut into parts that fit."""
    for part in parts:
        if not isinstance(part.params, list) or _parameter_count(part) <= _MAX_PARAMETERS:
            yield part
            continue
        step = max(1, _MAX_PARAMETERS // len(part.params[0]))
        for start in range(0, len(part.params), step):
            yield part._replace(params=part.params[start:start + step])


def _parameter_count(part: _Part) -> int:
    if isinstance(part.params, list):
        return len(part.params) * len(part.params[0]) if part.params else 0
    return len(part.params)


def _statement(group: list[_Part]) -> tuple[str, list, list[_Part]]:
    shape = tuple((p.sql, len(p.params) if isinstance(p.params, list) else -1, p.checked, p.on_ids is not None)
                  for p in group)
    sql = _cached(("composed", shape), lambda: _composed_sql(shape))
    params = []
    for part in group:
        names = _parameter_names(part.sql)
        if isinstance(part.params, list):
            for row in part.params:
                params += [row[n] for n in names]
        else:
            params += [part.params[n] for n in names]
    return sql, params, group


def _composed_sql(shape) -> str:
    """The statement of one group's shape, with PostgreSQL's own ``$n`` placeholders (the unit sends it through
    libpq as it is: see ``wire.py``)."""
    pieces, checks, wanted, numbers = [], [], [], iter(range(1, 1 << 16))
    for n, (sql, rows, checked, returns_ids) in enumerate(shape):
        if rows >= 0:  # one row's VALUES (…) repeated for each row
            head, _, values = sql.partition(" VALUES ")
            sql = f"{head} VALUES {', '.join([values] * rows)}"
        if "%%" in sql:
            raise ValueError("a part of the batch cannot carry a literal % (it is sent without the driver's parsing)")
        piece = _PARAM.sub(lambda _match: f"${next(numbers)}", sql)
        if checked:
            piece += " RETURNING 1"
            checks.append(f"(SELECT count(*) FROM p{n})")
        elif returns_ids:
            piece += " RETURNING id"
            wanted.append(f"ARRAY(SELECT id FROM p{n})")
        pieces.append(piece)
    if checks or wanted:  # a SELECT over the parts: the check first, then the ids asked for
        check = "1" if not checks else f"1 / {checks[0]}" if len(checks) == 1 else f"1 / least({', '.join(checks)})"
        ctes, main = pieces, f"SELECT {', '.join([check, *wanted])}"
    else:
        ctes, main = pieces[:-1], pieces[-1]
    if not ctes:
        return main
    return "WITH " + ", ".join(f"p{n} AS ({sql})" for n, sql in enumerate(ctes)) + " " + main


class _Rows:
    """A statement's rows, as a cursor gives them."""

    __slots__ = ("rows",)

    def __init__(self, rows) -> None:
        self.rows = rows or []

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return self.rows


def _parameter_names(sql: str) -> tuple[str, ...]:
    """The ``%(name)s`` parameters of a part, in order."""
    return _cached(("names", sql), lambda: tuple(_PARAM.findall(sql)))


_CODECS: dict = {}


def _codec(table, dialect) -> _Codec:
    key = (table.name, dialect.name)
    codec = _CODECS.get(key)
    if codec is None:
        codec = _CODECS[key] = _Codec(table, dialect)
    return codec


class _Codec:
    """Values between records and one driver: timestamps, JSON and booleans stored exactly as the ORM stores them
    (SQLite through the column types' own processors; psycopg adapts timestamps and booleans itself)."""

    def __init__(self, table, dialect) -> None:
        self.names = tuple(c.key for c in table.columns)
        self.postgres = dialect.name == "postgresql"
        self.writers, self.readers = {}, {}
        for column in table.columns:
            if self.postgres:  # psycopg reads JSON into Python and adapts timestamps; JSON is sent as its text
                if isinstance(column.type, JSON):
                    self.writers[column.key] = _json_text
                elif isinstance(column.type, UTCDateTime):
                    self.readers[column.key] = _utc
                continue
            own = column.type.dialect_impl(dialect)
            bind = own.bind_processor(dialect)
            result = own.result_processor(dialect, None)
            if bind is not None:
                self.writers[column.key] = bind
            if result is not None:
                self.readers[column.key] = result
        self._select = {}

    def select(self, alias: str) -> str:
        if alias not in self._select:
            self._select[alias] = ", ".join(f"{alias}.{n}" for n in self.names)
        return self._select[alias]

    def decode(self, row, start: int) -> dict:
        values = dict(zip(self.names, row[start:start + len(self.names)]))
        for name, reader in self.readers.items():
            value = values[name]
            if value is not None:
                values[name] = reader(value)
        return values

    def encode(self, values: dict) -> dict:
        out = dict(values)
        for name, writer in self.writers.items():
            if name in out and out[name] is not None:
                out[name] = writer(out[name])
        return out


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _utc(value):
    return value.astimezone(timezone.utc) if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def open_tasks_of(session, case: CaseRecord) -> list[TaskRecord]:
    """The open tasks of a case record, through the session's case unit."""
    from tongban.configurator.flows import NodeKind
    from tongban.platform.approval.flowcache import version_parts

    single = bool(case.version_id) and not any(
        n.kind is NodeKind.PARALLEL_SPLIT for n in version_parts(session, case.version_id)[0].nodes)
    return CaseUnit.of(session).open_tasks(case, single_path=single)


# -- the session's side ---------------------------------------------------------------------------------------------

def install_session_hooks(factory) -> None:
    """Whatever the session executes, flushes or commits sees the unit's changes first (and a savepoint begins after
    them); a unit ends with its transaction."""
    event.listen(factory, "do_orm_execute", _write_first)
    event.listen(factory, "before_flush", lambda session, _context, _instances: _write_pending(session))
    event.listen(factory, "before_commit", _write_pending)
    event.listen(factory, "after_transaction_create", _before_savepoint)
    event.listen(factory, "after_transaction_end", _forget)


def _before_savepoint(session, transaction) -> None:
    """A savepoint begins: what the unit already holds is written before it, so rolling it back cannot undo it."""
    if transaction.nested:
        _write_pending(session)


def _write_first(state) -> None:
    _write_pending(state.session)


def _write_pending(session) -> None:
    unit = session.info.get(KEY)
    if unit is not None and not unit.writing and unit.has_pending:
        unit.write()


def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(KEY, None)


__all__ = ["CaseUnit", "KEY", "install_session_hooks", "open_tasks_of"]
