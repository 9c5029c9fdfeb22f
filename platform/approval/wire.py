"""The case unit's conversation with PostgreSQL: libpq's pipeline, driven directly through psycopg's connection.

A call of the engine talks to the database twice: it reads its case (with the transaction's tenant settings) and
writes its batch (with the COMMIT). psycopg's cursors and pipeline objects spent about four times the CPU of the
exchange itself on each of those (adapting maps, cursors, generators, result bookkeeping; see ``bench/approval.py``),
and the engine's CPU is what bounds its throughput. So the unit sends its statements itself, on the connection
psycopg opened and SQLAlchemy pooled:

- each exchange is one pipeline, flushed once and read once: BEGIN when no transaction is open, the statements,
  COMMIT when asked;
- a statement is prepared on its first use on a connection (``tb_N``; at most ``PREPARED_MAX`` per connection,
  later ones run unprepared); its parameters go as text, made by psycopg's own dumpers, typed by the server from
  the statement; its rows come back through psycopg's loaders (``Transformer``), as a cursor returns them;
- an error raises psycopg's own exception (``error_from_result``) once the pipeline has been read to its end, so
  the connection stays usable and its owner rolls the transaction back as after any failed statement.

psycopg's own preparing is off on these connections (``db.build_engine``): it deallocates every prepared
statement of the connection after any rollback, ours included. psycopg sees the transaction's state in libpq, so whatever SQLAlchemy runs afterwards on the same connection (an
ORM flush, the session's commit) continues the transaction begun here, or finds it committed.
"""
from __future__ import annotations

import itertools
import select

from psycopg import OperationalError, errors, pq
from psycopg.adapt import PyFormat, Transformer

PREPARED_MAX = 100  # as psycopg keeps at most: a batch's generic plan is large, and every connection keeps its own
KEY = "tongban_wire"
_IDLE = pq.TransactionStatus.IDLE
_SYNC = pq.ExecStatus.PIPELINE_SYNC
_TUPLES = pq.ExecStatus.TUPLES_OK
_FATAL = pq.ExecStatus.FATAL_ERROR
_TEXT = PyFormat.TEXT


class Wire:
    """One psycopg connection's pipeline, with the statements prepared on it."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.pgconn = connection.pgconn
        self.encoding = connection.info.encoding
        self.transformer = Transformer(connection)
        self.prepared: dict[str, bytes] = {}
        self._names = itertools.count(1)
        self._readable = select.poll()
        self._readable.register(self.pgconn.socket, select.POLLIN)
        self._either = select.poll()
        self._either.register(self.pgconn.socket, select.POLLIN | select.POLLOUT)

    @classmethod
    def of(cls, pooled) -> Wire:
        """The wire of a pooled connection (SQLAlchemy's), kept with it for as long as it lives."""
        wire = pooled.info.get(KEY)
        if wire is None or wire.connection is not pooled.driver_connection:
            wire = pooled.info[KEY] = cls(pooled.driver_connection)
        return wire

    def exchange(self, statements: list[tuple[str, list]], *, commit: bool = False) -> list[list[tuple] | None]:
        """Run ``statements`` (SQL with ``$n`` placeholders, positional parameters) in one round trip, in the open
        transaction or a new one, and COMMIT after them when ``commit``. Returns each statement's rows (None for a
        statement that returns none).

        Statements prepared on the connection can be dropped by someone else (``DEALLOCATE ALL``, ``DISCARD ALL``,
        a pooler): the wire forgets its names then, and an exchange that began the transaction itself is rolled
        back and run once more, preparing them again."""
        began = self.pgconn.transaction_status == _IDLE
        try:
            return self._exchange(statements, commit, began)
        except errors.InvalidSqlStatementName:
            self.prepared.clear()
            if not began:
                raise
            self._exchange([], False, False, rollback=True)
            return self._exchange(statements, commit, True)

    def _exchange(self, statements, commit: bool, begin: bool, *, rollback: bool = False):
        pg = self.pgconn
        if begin and not statements:
            return []
        dump = self.transformer.dump_sequence
        preparing: list[tuple[str, bytes]] = []
        kinds: list[bool] = []  # per result awaited: True for a statement of the caller's
        pg.enter_pipeline_mode()
        try:
            if begin:
                pg.send_query_params(b"BEGIN", None)
                kinds.append(False)
            for sql, params in statements:
                values = dump(params, [_TEXT] * len(params)) if params else None
                name = self.prepared.get(sql)
                if name is None and len(self.prepared) + len(preparing) < PREPARED_MAX:
                    name = b"tb_%d" % next(self._names)
                    pg.send_prepare(name, sql.encode(), None)
                    preparing.append((sql, name))
                    kinds.append(False)
                if name is None:
                    pg.send_query_params(sql.encode(), values)
                else:
                    pg.send_query_prepared(name, values)
                kinds.append(True)
            for command, wanted in ((b"COMMIT", commit), (b"ROLLBACK", rollback)):
                if wanted:
                    pg.send_query_params(command, None)
                    kinds.append(False)
            pg.pipeline_sync()
            results = self._read()
        finally:
            if pg.pipeline_status:
                try:
                    pg.exit_pipeline_mode()
                except OperationalError:  # the connection broke mid-pipeline: the error being raised says so
                    pass
        failed = next((r for r in results if r.status == _FATAL), None)
        if failed is not None or len(results) != len(kinds):
            # names prepared before the failure stay on the server unused: the next ones are new
            raise (errors.error_from_result(failed, encoding=self.encoding) if failed is not None
                   else OperationalError("the database answered fewer statements than were sent"))
        self.prepared.update(preparing)
        return [self._rows(result) for result, ours in zip(results, kinds) if ours]

    def _rows(self, result) -> list[tuple] | None:
        if result.status != _TUPLES:
            return None
        transformer = self.transformer
        transformer.set_pgresult(result)
        return transformer.load_rows(0, result.ntuples, tuple)

    def _read(self) -> list:
        """Every result up to the pipeline's sync (flushing what is still unsent first)."""
        pg = self.pgconn
        while pg.flush():  # the connection is non-blocking: the socket took only part of the pipeline
            if any(event & select.POLLIN for _fd, event in self._either.poll()):
                pg.consume_input()
        results = []
        while True:
            while pg.is_busy():
                self._readable.poll()  # waits without holding the GIL
                pg.consume_input()
            result = pg.get_result()
            if result is None:  # the end of one statement's results
                continue
            if result.status == _SYNC:
                return results
            results.append(result)


__all__ = ["Wire", "PREPARED_MAX"]
