"""The supervision room's hook (电子监察), run by the service inside each unit of work after an action, so a
case's timers and figures are exact at commit without waiting for the tick.

It does what ``supervision.sync.case_changed`` does, cheaply, from what the unit of work already holds:
- the case rows are in the session; open tasks are known without a query when the flow has no parallel
  section and the action loaded the case's task (or created the case); pauses are read only if any exist;
- timers: one upsert of the wanted set plus one delete of the armed timers no longer wanted (on PostgreSQL
  both in one statement) instead of reading the existing timers first;
- figures (facts and rollups) only when a case changed state (submit, accept, conclude, ...);
- nothing at all after actions that move no clock and no figure (forward, charge, pay, deliver).

The tick stays authoritative: it re-derives every case whose events it has not read yet, with the rules in
force, so a hook skipped or run on rules a few seconds old is corrected within one tick.
"""
from __future__ import annotations

import json
import threading
import time

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from tongban.platform.approval.flowcache import tasks_all_held
from tongban.platform.approval.models import Case, CasePause, Task
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
    rules = current_rules(session)
    by_case: dict[int, list] = {}
    for event in changed:
        by_case.setdefault(event.case_id, []).append(event)
    views = {}
    for case_id in by_case:
        case = session.get(Case, case_id)
        if case is None:
            continue
        view = CaseView(case, _open_tasks(session, case), _pauses(session, case))
        casedata._describe(session, view, None)
        views[case_id] = view
        arm(session, view, rules, env.calendar, env.now)
    moved = {cid: v for cid, v in views.items()
             if any(e.from_state != e.to_state or e.action in NEW_CASE_ACTIONS for e in by_case[cid])}
    context = session.info.get("tenant")
    counted = {cid: v for cid, v in moved.items()
               if getattr(context, "path", None) == "/" or v.case.received_tenant_id == v.case.tenant_id}
    created = session.info.get("new_cases", ())
    first = {cid: v for cid, v in counted.items() if cid in created}
    if first:
        _first_facts(session, first, env.calendar)
    later = {cid: v for cid, v in counted.items() if cid not in created}
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
# PostgreSQL: read the stored contributions and write the new ones in one statement. The row is locked first
# (the case row is too: a concurrent writer of the same facts waits), so no revision check is needed; the
# write is skipped when nothing changed. No row back: the case has no stored facts.
_SWAP_FACT = text(
    "WITH old AS (SELECT contributions, revision FROM supervision_case_facts WHERE case_id = :fact_case FOR UPDATE),"
    " written AS (UPDATE supervision_case_facts f SET contributions = CAST(:new_contributions AS JSON),"
    " revision = f.revision + 1 FROM old WHERE f.case_id = :fact_case"
    " AND CAST(old.contributions AS JSONB) IS DISTINCT FROM CAST(:new_contributions AS JSONB) RETURNING 1)"
    " SELECT old.contributions, EXISTS (SELECT 1 FROM written) AS written FROM old")


def _later_facts(session: Session, views: dict, calendar) -> None:
    """What ``facts.refresh_facts`` does for cases whose facts are stored, with one statement per case on PostgreSQL
    and two on SQLite; a case without stored facts (older than the hook) goes the general way."""
    from collections import Counter

    from tongban.platform.supervision.stats import facts, rollup
    from tongban.platform.supervision.stats.facts import case_contributions

    delta, unstored = Counter(), {}
    swap = session.get_bind().dialect.name == "postgresql"
    for case_id, view in views.items():
        if swap:
            new = case_contributions(view, calendar)
            swapped = session.execute(_SWAP_FACT, {"fact_case": case_id, "new_contributions": json.dumps(new)}).first()
            if swapped is None:
                unstored[case_id] = view
            elif swapped.written:
                delta.update(rollup.difference(swapped.contributions or {}, new))
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
        rollup.apply(session, delta)


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
    if rows:
        session.execute(insert(CaseFact.__table__), rows)
        rollup.apply(session, {k: v for k, v in delta.items() if v})


def current_rules(session: Session) -> dict:
    """The rules in force, read at most every ``RULES_TTL`` seconds per database and worker."""
    from tongban.platform.supervision.rules import current_rules as read

    key = str(session.get_bind().url)
    clock = time.monotonic()
    with _LOCK:
        hit = _RULES.get(key)
    if hit and clock - hit[0] < RULES_TTL:
        return hit[1]
    rules = read(session)
    with _LOCK:
        _RULES[key] = (clock, rules)
    return rules


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


def _open_tasks(session: Session, case: Case) -> list[Task]:
    """The case's open tasks: from memory when they are all there, else one query."""
    if tasks_all_held(session, case):
        held = [t for t in [*session.new, *session.identity_map.values()] if isinstance(t, Task) and t.case_id == case.id]
        return sorted((t for t in held if t.state == "open"), key=lambda t: t.id)
    return list(session.scalars(select(Task).where(Task.case_id == case.id, Task.state == "open").order_by(Task.id)))


def _pauses(session: Session, case: Case) -> list[CasePause]:
    if not case.pause_count:
        return []
    return list(session.scalars(select(CasePause).where(CasePause.case_id == case.id).order_by(CasePause.started_at)))


_COLUMNS = "tenant_id, rule_code, subject_key, case_id, task_id, petition_id, fire_at, state"
_ON_CONFLICT = (" ON CONFLICT (rule_code, subject_key) DO UPDATE SET fire_at = excluded.fire_at"
                " WHERE supervision_timers.state = 'armed' AND supervision_timers.fire_at <> excluded.fire_at")
_GONE = ("DELETE FROM supervision_timers WHERE case_id = :case_id AND state = 'armed'"
         " AND rule_code || ' ' || subject_key NOT IN :keys")
_ALL_GONE = text("DELETE FROM supervision_timers WHERE case_id = :case_id AND state = 'armed'")
# SQLite: the delete, then one executemany; PostgreSQL: one statement, the delete as a data-modifying CTE and the
# rows as one JSON parameter (the row-level security policy is planned once). Built once: no compiling per call.
_SQLITE_GONE = text(_GONE).bindparams(bindparam("keys", expanding=True))
# a timer that fired is gone and its alert stands for it: no subject with an alert is armed again
_NOT_RAISED = ("NOT EXISTS (SELECT 1 FROM supervision_alerts a WHERE a.rule_code = {0}rule_code"
               " AND a.subject_key = {0}subject_key)")
_SQLITE_UPSERT = text(f"INSERT INTO supervision_timers ({_COLUMNS}) SELECT :tenant_id, :rule_code, :subject_key,"
                      f" :case_id, :task_id, :petition_id, :fire_at, 'armed'"
                      f" WHERE {_NOT_RAISED.format(':')}{_ON_CONFLICT}"
                      ).bindparams(bindparam("fire_at", type_=UTCDateTime()))
_POSTGRES_UPSERT = text(f"WITH gone AS ({_GONE} RETURNING id) INSERT INTO supervision_timers ({_COLUMNS})"
                        f" SELECT {_COLUMNS} FROM json_populate_recordset(NULL::supervision_timers, CAST(:rows AS JSON)) x"
                        f" WHERE {_NOT_RAISED.format('x.')}{_ON_CONFLICT}").bindparams(bindparam("keys", expanding=True))


def arm(session: Session, view, rules: dict, calendar, now) -> None:
    """Set the case's armed timers to what the rules give now (a subject whose alert was raised stays without
    one): an upsert and a delete."""
    from tongban.platform.supervision.timing import case_timers

    case = view.case
    planned = case_timers(view, rules, calendar, now)
    if not planned:
        session.execute(_ALL_GONE, {"case_id": case.id})
        return
    keys = [f"{p.rule_code} {p.subject_key}" for p in planned]
    if session.get_bind().dialect.name == "postgresql":
        rows = [{"tenant_id": case.tenant_id, "rule_code": p.rule_code, "subject_key": p.subject_key,
                 "case_id": p.case_id, "task_id": p.task_id, "petition_id": p.petition_id,
                 "fire_at": p.fire_at.isoformat(), "state": "armed"} for p in planned]
        session.execute(_POSTGRES_UPSERT, {"case_id": case.id, "keys": keys, "rows": json.dumps(rows)})
        return
    session.execute(_SQLITE_GONE, {"case_id": case.id, "keys": keys})
    session.execute(_SQLITE_UPSERT, [{"tenant_id": case.tenant_id, "rule_code": p.rule_code,
                                      "subject_key": p.subject_key, "case_id": p.case_id, "task_id": p.task_id,
                                      "petition_id": p.petition_id, "fire_at": p.fire_at} for p in planned])
