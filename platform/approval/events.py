"""The case audit trail (阳光审批): append-only events chained by SHA-256, and their verification."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case, CaseEvent
from tongban.platform.approval.records import EventRecord
from tongban.platform.approval.unit import KEY as UNIT_KEY, CaseUnit
from tongban.platform.db import utcnow


def _canonical(case_number: str, event: CaseEvent) -> bytes:
    body = {
        "case": case_number, "seq": event.seq, "at": event.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "actor": event.actor, "actor_name": event.actor_name, "role": event.actor_role, "tenant": event.actor_tenant,
        "action": event.action, "from": event.from_state, "to": event.to_state, "node": event.node_id,
        "comment": event.comment, "details": event.details, "public": event.public,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(prev_hash: str, case_number: str, event: CaseEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + _canonical(case_number, event)).hexdigest()


def append(session: Session, case, actor: Actor, action: str, *, to_state: str | None = None,
           from_state: str | None = None, node_id: str | None = None, comment: str = "", details: dict | None = None,
           public: bool = True, role: str | None = None, tenant: str | None = None, add: bool = True):
    """Chain the next event onto ``case`` (a record of the session's case unit; its last hash is kept on the case
    row: no read of the previous event). The event goes with the case unit's batch. ``add=False`` leaves adding to
    the caller (a new case whose id is not known yet: ``keep``)."""
    event = EventRecord(
        tenant_id=case.tenant_id, case_id=case.id, seq=case.event_count + 1, at=session.info.get(AT_KEY) or utcnow(),
        actor=actor.subject, actor_name=actor.name, actor_role=role, actor_tenant=tenant, action=action,
        from_state=from_state if from_state is not None else case.state,
        to_state=to_state if to_state is not None else case.state, node_id=node_id, comment=comment or "",
        details=details or {}, public=public, prev_hash=case.last_event_hash)
    event.hash = event_hash(event.prev_hash, case.number, event)
    case.event_count = event.seq
    case.last_event_hash = event.hash
    if add:
        keep(session, event)
    return event


def keep(session: Session, event: EventRecord) -> None:
    """Write ``event`` with the session's case unit."""
    if event.case_id is None or event.tenant_id is None:
        raise AssertionError("an event must belong to a written case")
    CaseUnit.of(session).add_event(event)


AT_KEY = "case_event_time"


def set_call_time(session: Session, at=None) -> None:
    """The call's time, which its events carry (the moment the engine acts on; now, except for the demo's and
    simulations' past cases)."""
    if at is not None:
        session.info[AT_KEY] = at


def pending(session: Session) -> list:
    """The events appended with the session's case unit (what the current call did, written or not)."""
    unit = session.info.get(UNIT_KEY)
    return list(unit.appended) if unit is not None else []


@dataclass(frozen=True)
class Tampering:
    case_number: str
    seq: int | None
    problem: str


def verify_case(case: Case, events: list[CaseEvent]) -> list[Tampering]:
    problems = []
    prev = ""
    for expected_seq, event in enumerate(sorted(events, key=lambda e: e.seq), start=1):
        if event.seq != expected_seq:
            problems.append(Tampering(case.number, expected_seq, "missing event"))
            break
        if event.prev_hash != prev or event_hash(prev, case.number, event) != event.hash:
            problems.append(Tampering(case.number, event.seq, "event altered"))
        prev = event.hash
    if not problems and (len(events) != case.event_count or prev != case.last_event_hash):
        problems.append(Tampering(case.number, case.event_count, "events removed after the last one checked"))
    return problems


def verify_all(session: Session, *, batch: int = 500) -> tuple[int, list[Tampering]]:
    """Check every case's chain visible to the session; returns (cases checked, problems)."""
    checked, problems, last_id = 0, [], 0
    while True:
        cases = list(session.scalars(select(Case).where(Case.id > last_id).order_by(Case.id).limit(batch)))
        if not cases:
            return checked, problems
        ids = [c.id for c in cases]
        by_case: dict[int, list[CaseEvent]] = {i: [] for i in ids}
        for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids))):
            by_case[event.case_id].append(event)
        for case in cases:
            problems += verify_case(case, by_case[case.id])
        checked += len(cases)
        last_id = ids[-1]
