"""The supervision room's hook (电子监察), run by the service inside each unit of work after an action, so a
case's timers and figures are exact at commit without waiting for the tick.

It does what ``supervision.sync.case_changed`` does, cheaply, from what the engine's case unit already holds:
- the case records are in the unit (on PostgreSQL with their stored figures, read and locked with the case);
  open tasks are known without a query when the flow has no parallel section and the action loaded the case's
  task (or created the case); pauses are read only if any exist;
- timers: one upsert of the wanted set plus one delete of the armed timers no longer wanted (on PostgreSQL
  both in one statement, sent with the unit's batch) instead of reading the existing timers first;
- figures (facts and rollups) only when a case changed state (submit, accept, conclude, ...);
- nothing at all after actions that move no clock and no figure (forward, charge, pay, deliver).

The tick stays authoritative: it re-derives every case whose events it has not read yet, with the rules in
force, so a hook skipped or run on rules a few seconds old is corrected within one tick.
"""
from __future__ import annotations

import json
import threading
import time
import weakref

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from tongban.platform.approval.models import CasePause
from tongban.platform.approval.unit import CaseUnit, open_tasks_of
from tongban.platform.db import UTCDateTime

QUIET_ACTIONS = frozenset({"forward", "charge", "pay", "deliver", "supply_rongque"})  # no clock, no figure moves
NEW_CASE_ACTIONS = frozenset({"submit", "received_report"})
RULES_TTL = 10.0  # seconds a worker reuses the supervision rules it read

_LOCK = threading.Lock()
_RULES: dict[str, tuple[float, dict]] = {}


def after_action(env, changed: list) -> int:
    """``changed``: this call's case events. Returns the cases re-derived (0 when nothing relevant moved)."""
    if not changed or {e.action for e in changed} <= QUIET_ACTIONS:
        return 0
    from tongban.platform.supervision import casedata
    from tongban.platform.supervision.timing import CaseView

    session = env.session
    unit = CaseUnit.of(session)
    rules = current_rules(session)
    by_case: dict[int, list] = {}
    for event in changed:
        by_case.setdefault(event.case_id, []).append(event)
    views = {}
    for case_id in by_case:
        case = unit.held_case(case_id)
        if case is None:
            continue
        view = CaseView(case, open_tasks_of(session, case), _pauses(session, case))
        casedata._describe(session, view, None)
        views[case_id] = view
        arm(session, view, rules, env.calendar, env.now)
    moved = {cid: v for cid, v in views.items()
             if any(e.from_state != e.to_state or e.action in NEW_CASE_ACTIONS for e in by_case[cid])}
    context = session.info.get("tenant")
    counted = {cid: v for cid, v in moved.items()
               if getattr(context, "path", None) == "/" or v.case.received_tenant_id == v.case.tenant_id}
    first = {cid: v for cid, v in counted.items() if cid in unit.created}
    if first:
        _first_facts(session, first, env.calendar)
    later = {cid: v for cid, v in counted.items() if cid not in unit.created}
    if later:
        _later_facts(session, later, env.calendar)
    return len(views)


def _fact_statements():
    from sqlalchemy import update

    from tongban.platform.supervision.models import CaseFact

    table = CaseFact.__table__
    read = select(table.c.contributions, table.c.revision).where(table.c.case_id == bindparam("fact_case"))
    write = (update(table).where(table.c.case_id == bindparam("fact_case"), table.c.revision == bindparam("seen"))
             .values(contributions=bindparam("new_contributions"), revision=table.c.revision + 1))
    return read, write


_READ_FACT, _WRITE_FACT = _fact_statements()
_UPDATE_FACT = ("UPDATE supervision_case_facts SET contributions = CAST(%(contributions)s AS JSON),"
                " revision = revision + 1 WHERE case_id = %(case)s")


def _later_facts(session: Session, views: dict, calendar) -> None:
    """What ``facts.refresh_facts`` does, for cases whose facts are stored. PostgreSQL: the case unit read them
    with the case, locked (``CaseRecord.stored_facts``), and the new ones go with its batch; SQLite: a read and a
    write checked against the revision read. A case without stored facts (older than the hook) goes the general way."""
    from collections import Counter

    from tongban.platform.supervision.stats import facts, rollup
    from tongban.platform.supervision.stats.facts import case_contributions

    delta, unstored = Counter(), {}
    unit = CaseUnit.of(session)
    for case_id, view in views.items():
        if unit.postgres:
            if view.case.stored_facts is None:
                unstored[case_id] = view
                continue
            old, revision = view.case.stored_facts
            new = case_contributions(view, calendar)
            if new != (old or {}):
                unit.add_statement(_UPDATE_FACT, {"case": case_id, "contributions": json.dumps(new)},
                                   rows_key=("facts", case_id))
                view.case.stored_facts = (new, revision + 1)
                delta.update(rollup.difference(old or {}, new))
            continue
        stored = session.execute(_READ_FACT, {"fact_case": case_id}).first()
        if stored is None:
            unstored[case_id] = view
            continue
        new = case_contributions(view, calendar)
        old = stored.contributions or {}
        if new == old:
            continue
        if session.execute(_WRITE_FACT, {"fact_case": case_id, "seen": stored.revision,
                                         "new_contributions": new}).rowcount:
            delta.update(rollup.difference(old, new))  # else someone else stored them and applied the difference
    if unstored:
        facts.refresh_facts(session, unstored, calendar)
    delta = {k: v for k, v in delta.items() if v}
    if delta:
        rollup.apply(session, delta, run=unit.add_text if unit.postgres else None)


def _first_facts(session: Session, views: dict, calendar) -> None:
    """A case created by this unit of work has no facts anywhere yet (no one else can see it): store them and
    add them to the rollups, without reading first."""
    from collections import Counter

    from sqlalchemy import insert

    from tongban.platform.supervision.models import CaseFact
    from tongban.platform.supervision.stats import rollup
    from tongban.platform.supervision.stats.facts import case_contributions

    rows, delta = [], Counter()
    for case_id, view in views.items():
        new = case_contributions(view, calendar)
        if new:
            rows.append({"tenant_id": view.case.tenant_id, "case_id": case_id, "contributions": new, "revision": 1})
            delta.update(new)
    if not rows:
        return
    unit = CaseUnit.of(session)
    if unit.postgres:
        for row in rows:
            unit.add_statement(_INSERT_FACT, {**row, "contributions": json.dumps(row["contributions"])}, rows_key=None)
    else:
        session.execute(insert(CaseFact.__table__), rows)
    rollup.apply(session, {k: v for k, v in delta.items() if v}, run=unit.add_text if unit.postgres else None)


_INSERT_FACT = ("INSERT INTO supervision_case_facts (tenant_id, case_id, contributions, revision)"
                " VALUES (%(tenant_id)s, %(case_id)s, CAST(%(contributions)s AS JSON), %(revision)s)")


def current_rules(session: Session) -> dict:
    """The rules in force, read at most every ``RULES_TTL`` seconds per database and worker."""
    from tongban.platform.supervision.rules import current_rules as read

    key = _database_key(session.get_bind())
    clock = time.monotonic()
    with _LOCK:
        hit = _RULES.get(key)
    if hit and clock - hit[0] < RULES_TTL:
        return hit[1]
    rules = read(session)
    with _LOCK:
        _RULES[key] = (clock, rules)
    return rules


_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _database_key(engine) -> str:
    """The engine's database as a string, rendered once per engine (rendering a URL costs more than the rules'
    cache lookup it keys)."""
    key = _KEYS.get(engine)
    if key is None:
        key = _KEYS[engine] = str(engine.url)
    return key


def forget_rules(*_args) -> None:
    """Drop the cached rules (also called when this worker writes a new rule version)."""
    with _LOCK:
        _RULES.clear()


def _watch_rule_edits() -> None:
    from sqlalchemy import event

    from tongban.platform.supervision.models import SupervisionRule

    event.listen(SupervisionRule, "after_insert", forget_rules)
    event.listen(SupervisionRule, "after_update", forget_rules)


_watch_rule_edits()


def _pauses(session: Session, case) -> list[CasePause]:
    if not case.pause_count:
        return []
    return list(session.scalars(select(CasePause).where(CasePause.case_id == case.id).order_by(CasePause.started_at)))


_COLUMNS = "tenant_id, rule_code, subject_key, case_id, task_id, petition_id, fire_at, state"
_ON_CONFLICT = (" ON CONFLICT (rule_code, subject_key) DO UPDATE SET fire_at = excluded.fire_at"
                " WHERE supervision_timers.state = 'armed' AND supervision_timers.fire_at <> excluded.fire_at")
_GONE = ("DELETE FROM supervision_timers WHERE case_id = :case_id AND state = 'armed'"
         " AND rule_code || ' ' || subject_key NOT IN :keys")
_ALL_GONE = "DELETE FROM supervision_timers WHERE case_id = %(case_id)s AND state = 'armed'"
# SQLite: the delete, then one executemany; PostgreSQL: the delete and one upsert whose rows are one JSON parameter
# (the row-level security policy is planned once), both parts of the case unit's batch statement.
_SQLITE_GONE = text(_GONE).bindparams(bindparam("keys", expanding=True))
_SQLITE_ALL_GONE = text("DELETE FROM supervision_timers WHERE case_id = :case_id AND state = 'armed'")
# a timer that fired is gone and its alert stands for it: no subject with an alert is armed again
_NOT_RAISED = ("NOT EXISTS (SELECT 1 FROM supervision_alerts a WHERE a.rule_code = {0}rule_code"
               " AND a.subject_key = {0}subject_key)")
_SQLITE_UPSERT = text(f"INSERT INTO supervision_timers ({_COLUMNS}) SELECT :tenant_id, :rule_code, :subject_key,"
                      f" :case_id, :task_id, :petition_id, :fire_at, 'armed'"
                      f" WHERE {_NOT_RAISED.format(':')}{_ON_CONFLICT}"
                      ).bindparams(bindparam("fire_at", type_=UTCDateTime()))
_POSTGRES_GONE = ("DELETE FROM supervision_timers WHERE case_id = %(case_id)s AND state = 'armed'"
                  " AND NOT (rule_code || ' ' || subject_key = ANY(%(keys)s))")
_POSTGRES_UPSERT = (f"INSERT INTO supervision_timers ({_COLUMNS}) SELECT {_COLUMNS}"
                    f" FROM json_populate_recordset(NULL::supervision_timers, CAST(%(rows)s AS JSON)) x"
                    f" WHERE {_NOT_RAISED.format('x.')}{_ON_CONFLICT}")


def arm(session: Session, view, rules: dict, calendar, now) -> None:
    """Set the case's armed timers to what the rules give now (a subject whose alert was raised stays without
    one): a delete and an upsert, written with the case unit's batch on PostgreSQL."""
    from tongban.platform.supervision.timing import case_timers

    case = view.case
    planned = case_timers(view, rules, calendar, now)
    unit = CaseUnit.of(session)
    if not planned:
        if unit.postgres:
            unit.add_statement(_ALL_GONE, {"case_id": case.id}, rows_key=("timers", case.id))
        else:
            session.execute(_SQLITE_ALL_GONE, {"case_id": case.id})
        return
    keys = [f"{p.rule_code} {p.subject_key}" for p in planned]
    if unit.postgres:
        rows = [{"tenant_id": case.tenant_id, "rule_code": p.rule_code, "subject_key": p.subject_key,
                 "case_id": p.case_id, "task_id": p.task_id, "petition_id": p.petition_id,
                 "fire_at": p.fire_at.isoformat(), "state": "armed"} for p in planned]
        # the delete and the upsert touch different timers (unwanted and wanted ones): they may go side by side;
        # a case created in this unit has no timers to delete
        if case.id not in unit.created:
            unit.add_statement(_POSTGRES_GONE, {"case_id": case.id, "keys": keys}, rows_key=("timers", case.id))
        unit.add_statement(_POSTGRES_UPSERT, {"rows": json.dumps(rows)}, rows_key=("armed timers", case.id))
        return
    session.execute(_SQLITE_GONE, {"case_id": case.id, "keys": keys})
    session.execute(_SQLITE_UPSERT, [{"tenant_id": case.tenant_id, "rule_code": p.rule_code,
                                      "subject_key": p.subject_key, "case_id": p.case_id, "task_id": p.task_id,
                                      "petition_id": p.petition_id, "fire_at": p.fire_at} for p in planned])
