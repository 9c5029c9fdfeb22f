"""Moving a case through its flow: entering nodes, parallel branches and joins, concluding.

Branches are recorded on tasks as a path of ``split:head`` segments, so nested parallel sections join
in the right place; ``round`` moves on each roll-back so that earlier arrivals at a join no longer count.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tongban.configurator.flows import Flow, NodeKind
from tongban.configurator.forms import validate_submission
from tongban.configurator.forms.values import to_cel
from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.models import Case, Task
from tongban.platform.approval.records import TaskRecord
from tongban.platform.approval.unit import CaseUnit, open_tasks_of
from tongban.platform.calendar.working_days import WorkCalendar

WORK_KINDS = {NodeKind.START, NodeKind.REVIEW, NodeKind.DECIDE, NodeKind.DEPT_TASK, NodeKind.REPORT_UP,
              NodeKind.PAY_FEE, NodeKind.ISSUE_CERTIFICATE}


@dataclass
class Env:
    """What an action needs besides its arguments: the unit of work, the calendar and the time."""

    session: Session
    calendar: WorkCalendar
    now: datetime
    secret_key: str = ""
    notices: list = field(default_factory=list)  # (case, kind, audience) collected for the outbox
    opened: list = field(default_factory=list)  # tasks this call opened (returned to the caller)


def routing_values(session: Session, case: Case) -> dict:
    """The form data as CEL values for edge conditions (cleaned once per case and unit of work)."""
    cache = session.info.setdefault("routing_values", {})
    key = (case.id, id(case.form_data))
    if key not in cache:
        _flow, schema, _content = version_parts(session, case.version_id)
        cache[key] = to_cel(validate_submission(schema, case.form_data).cleaned)
    return cache[key]


def _values_for(session: Session, case: Case, flow: Flow, node_id: str) -> dict | None:
    """The routing values when an edge leaving ``node_id`` has a condition; None (nothing to clean) otherwise."""
    if any(edge.condition is not None for edge in flow.outgoing_edges(node_id)):
        return routing_values(session, case)
    return None


def enter(env: Env, case: Case, flow: Flow, node_id: str, branch: str | None, actor: Actor) -> None:
    node = flow.node(node_id)
    if node.kind is NodeKind.PARALLEL_SPLIT:
        for head in flow.branch_heads(node_id):
            enter(env, case, flow, head.id, _child(branch, node_id, head.id), actor)
    elif node.kind is NodeKind.JOIN:
        raise AssertionError("joins are reached through arrive()")
    elif node.kind is NodeKind.CONCLUDE:
        conclude(env, case, actor, node_id=node_id)
    else:
        open_task(env, case, flow, node_id, branch)


def open_task(env: Env, case: Case, flow: Flow, node_id: str, branch: str | None) -> Task:
    node = flow.node(node_id)
    assignment = (case.assignments or {}).get(node_id) or (node.assignment.to_dict() if node.assignment else {})
    pauses = clock.pauses_of(env.session, case)
    task = TaskRecord(tenant_id=case.tenant_id, case_id=case.id, node_id=node_id, node_kind=node.kind.value,
                      point=node.point.value, round=case.round, branch=branch, state="open",
                      role=assignment.get("role"), department=assignment.get("department"),
                      started_at=env.now, limit_days=node.time_limit_days,
                      due_at=clock.due(env.calendar, env.now, node.time_limit_days, pauses, env.now))
    CaseUnit.of(env.session).add_task(task)
    env.opened.append(task)
    env.notices.append((case, "task_opened", {"role": task.role, "department": task.department, "node": node_id,
                                              "step": node.label.zh, "step_en": node.label.text("en"),
                                              "due_at": task.due_at}))
    return task


def advance(env: Env, case: Case, task: Task, actor: Actor) -> None:
    """``task`` is done (approved): move on along the flow."""
    flow, _schema, _content = version_parts(env.session, case.version_id)
    for nxt in flow.next_nodes(task.node_id, _values_for(env.session, case, flow, task.node_id)):
        if nxt.kind is NodeKind.JOIN:
            task.reached_join = nxt.id
            arrive(env, case, flow, nxt.id, task.branch, actor)
        else:
            enter(env, case, flow, nxt.id, task.branch, actor)


def arrive(env: Env, case: Case, flow: Flow, join_id: str, branch: str | None, actor: Actor) -> None:
    split = flow.split_of(join_id)
    prefix = _parent(branch, split.id)
    tasks = CaseUnit.of(env.session).all_tasks(case)
    arrived = [t.branch for t in tasks if t.round == case.round and t.reached_join == join_id and t.state == "done"]
    heads = {b.rsplit("/", 1)[-1] for b in arrived if b and _parent(b, split.id) == prefix}
    if not flow.is_join_satisfied(join_id, len(heads)):
        return
    marker = f"{split.id}:"
    for open_task_ in (t for t in tasks if t.state == "open"):
        if open_task_.branch and marker in open_task_.branch:  # "any"/"n of": the others are no longer needed
            open_task_.state, open_task_.completed_at, open_task_.outcome = "cancelled", env.now, "join_satisfied"
    events.append(env.session, case, actor, "join", node_id=join_id, public=False,
                  details={"branches": sorted(heads)})
    for nxt in flow.next_nodes(join_id, _values_for(env.session, case, flow, join_id)):
        if nxt.kind is NodeKind.JOIN:
            arrive_parent(env, case, flow, join_id, nxt.id, prefix, actor)
        else:
            enter(env, case, flow, nxt.id, prefix, actor)


def arrive_parent(env, case, flow, inner_join: str, outer_join: str, branch, actor) -> None:
    """A join that leads straight into an outer join counts as that branch's arrival."""
    marker = TaskRecord(tenant_id=case.tenant_id, case_id=case.id, node_id=inner_join, node_kind="join",
                        point="handling", round=case.round, branch=branch, state="done", reached_join=outer_join,
                        started_at=env.now, completed_at=env.now, outcome="joined")
    CaseUnit.of(env.session).add_task(marker)
    arrive(env, case, flow, outer_join, branch, actor)


def cancel_open_tasks(session: Session, case, now: datetime, reason: str) -> None:
    """Cancel the case's open tasks (through the session's case unit)."""
    for task in open_tasks_of(session, case):
        task.state, task.completed_at, task.outcome = "cancelled", now, reason


def conclude(env: Env, case: Case, actor: Actor, *, node_id: str | None = None, result: str | None = None) -> None:
    if (result or case.result or "approved") == "approved":
        from tongban.platform.approval.guards import require_gaps_supplied

        require_gaps_supplied(env.session, case, action_zh="办结", action_en="conclude the case")
    cancel_open_tasks(env.session, case, env.now, "concluded")
    before = case.state
    case.state = "concluded"
    case.result = result or case.result or "approved"
    case.concluded_at = env.now
    events.append(env.session, case, actor, "conclude", from_state=before, to_state="concluded", node_id=node_id,
                  details={"result": case.result})
    env.notices.append((case, "concluded", {"result": case.result}))
    if case.parent_case_id:
        from tongban.platform.approval.reporting import upper_concluded

        upper_concluded(env, case, actor)


def _child(branch: str | None, split_id: str, head_id: str) -> str:
    segment = f"{split_id}:{head_id}"
    return f"{branch}/{segment}" if branch else segment


def _parent(branch: str | None, split_id: str) -> str | None:
    if not branch:
        return None
    segments = branch.split("/")
    for i in range(len(segments) - 1, -1, -1):
        if segments[i].startswith(f"{split_id}:"):
            return "/".join(segments[:i]) or None
    return branch
