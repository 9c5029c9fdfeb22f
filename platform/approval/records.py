"""Cases, tasks and events as plain records: what the engine's write path reads, changes and writes.

The ORM models (``models.py``) stay the schema and serve every read of the platform; the engine's actions work
on these records instead, which the case unit (``unit.py``) loads with one statement per call and writes as
one batch. A record has the model's columns as attributes (the rules read and set ``case.state``,
``task.due_at``... exactly as on the models) and remembers what it was loaded or last written with, so only the
columns that changed are written, with the revision the unit saw.
"""
from __future__ import annotations

from operator import attrgetter

from tongban.platform.approval.models import Case, CaseEvent, Task


def _defaults(table) -> dict:
    """Each column's Python-side default, as the ORM would apply it on insert."""
    out = {}
    for column in table.columns:
        default = column.default
        out[column.key] = None if default is None or not (default.is_scalar or default.is_callable) else default
    return out


class Record:
    """A row of ``TABLE``: its columns as attributes; ``changes()`` is what differs from the stored row."""

    __slots__ = ("_stored",)
    TABLE = None
    COLUMNS: tuple[str, ...] = ()
    _columns = staticmethod(lambda record: ())  # the columns' values as one tuple (an ``attrgetter``)
    EXTRA: tuple[str, ...] = ()  # attributes kept beside the columns, never written
    DEFAULTS: dict = {}

    def __init__(self, **values) -> None:
        unknown = set(values) - set(self.COLUMNS)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no column {sorted(unknown)[0]!r}")
        for name in self.COLUMNS:
            if name in values:
                value = values[name]
            else:
                default = self.DEFAULTS[name]
                value = None if default is None else default.arg(None) if default.is_callable else default.arg
            setattr(self, name, value)
        for name in self.EXTRA:
            setattr(self, name, None)
        self._stored = None  # not in the database yet

    @classmethod
    def stored(cls, values: dict):
        """A record as read from the database."""
        record = cls.__new__(cls)
        for name in cls.COLUMNS:
            setattr(record, name, values[name])
        for name in cls.EXTRA:
            setattr(record, name, values.get(name))
        record.mark_stored()
        return record

    def mark_stored(self) -> None:
        self._stored = self._columns(self)

    @property
    def is_new(self) -> bool:
        return self._stored is None

    def changes(self) -> dict:
        """The columns whose value differs from the stored row's (a value replaced, not changed in place)."""
        now, stored = self._columns(self), self._stored
        if now == stored:
            return {}
        return {name: value for name, value, old in zip(self.COLUMNS, now, stored) if value is not old and value != old}

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.COLUMNS}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', None)}>"


def _record_class(name: str, model, extra: tuple[str, ...] = (), doc: str = ""):
    table = model.__table__
    columns = tuple(c.key for c in table.columns)
    return type(name, (Record,), {"__slots__": columns + extra, "TABLE": table, "COLUMNS": columns,
                                  "_columns": staticmethod(attrgetter(*columns)),
                                  "EXTRA": extra, "DEFAULTS": _defaults(table), "__doc__": doc, "__module__": __name__})


CaseRecord = _record_class(
    "CaseRecord", Case, ("stored_facts",),
    "A case (办件). ``stored_facts`` is supervision's stored (contributions, revision) read with it on PostgreSQL, "
    "or None when the unit did not read them.")
TaskRecord = _record_class("TaskRecord", Task, doc="A task: one node of a case's flow, open or finished.")
EventRecord = _record_class("EventRecord", CaseEvent, doc="An audit event, appended once and never changed.")

__all__ = ["Record", "CaseRecord", "TaskRecord", "EventRecord"]
