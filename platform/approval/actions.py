"""What window staff, approvers and applicants do to a case. Each action checks the state, the task and
the actor first, and changes nothing when refused; each appends an audit event and collects notices."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from tongban.configurator.flows import NodeKind
from tongban.platform.approval import clock, events
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import ApprovalError, NotAllowed
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.guards import (load_case, load_case_and_task, require_applicant, require_clock_running,
                                              require_gaps_supplied, require_node_action, require_staff,
                                              require_state)
from tongban.platform.approval.models import Case, CaseMaterial, CasePause, Task
from tongban.platform.approval.routing import Env, advance, cancel_open_tasks, conclude, enter


OUTCOME_OF = {"accept": "accepted", "refuse": "refused", "approve": "approved", "reject": "rejected",
              "roll_back": "rolled_back"}  # what a task records of the action that finished it


def _done(env: Env, task: Task, actor: Actor, outcome: str) -> None:
    task.state, task.completed_at, task.completed_by, task.outcome = "done", env.now, actor.subject, outcome


def _reason(text: str | None, zh: str, en: str) -> str:
    if not text or not text.strip():
        raise ApprovalError("reason_required", zh, en, field="reason")
    return text.strip()


def accept(env: Env, case_id: int, task_id: int, actor: Actor, *, rongque: list[str] = (), comment: str = "",
           expected_revision: int | None = None) -> Case:
    """受理 (accept). ``rongque`` names missing materials accepted now and supplied by their deadline."""
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "submitted", action_zh="受理", action_en="accepted")
    role = require_staff(env.session, actor, case, "accept_cases", task)
    flow, _, content = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "accept")
    _mark_rongque(env, case, content, set(rongque))
    case.state, case.accepted_at = "in_progress", env.now
    clock.set_case_dues(env.calendar, case, clock.pauses_of(env.session, case), env.now)
    _done(env, task, actor, OUTCOME_OF["accept"])
    events.append(env.session, case, actor, "accept", from_state="submitted", to_state="in_progress",
                  node_id=task.node_id, comment=comment, role=role, tenant=case.tenant_id,
                  details={"rongque": sorted(rongque), "promised_due_at": _iso(case.promised_due_at),
                           "calendar_warnings": clock.calendar_warnings(env.calendar, env.now, case.legal_due_at)})
    env.notices.append((case, "accepted", {}))
    advance(env, case, task, actor)
    return case


def _mark_rongque(env: Env, case: Case, content: dict, rongque: set[str]) -> None:
    specs = {m["id"]: m for m in content.get("materials") or []}
    if not rongque and (case.gaps_at_intake == 0 or not any(m.get("rongque_allowed") for m in specs.values())):
        return  # intake found no gap (or the item allows none): nothing to look up
    rows = {m.material_id: m for m in env.session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))}
    missing = {mid for mid, row in rows.items() if row.status == "rongque"}
    unknown = rongque - missing
    if unknown:
        raise NotAllowed("not_rongque", "只有申请时缺少且允许容缺的材料可以容缺受理",
                         "only missing materials that allow it can be accepted with a gap", details={"materials": sorted(unknown)})
    if missing - rongque:
        raise NotAllowed("materials_missing", "尚有材料未提交，请一次性告知补正或容缺受理",
                         "materials are missing: request them all at once or accept them with a gap",
                         details={"materials": sorted(missing - rongque)})
    for mid in rongque:
        days = int(specs[mid].get("rongque_supply_days") or 5)
        rows[mid].supply_due_at = env.calendar.add_working_days(env.now, days).due


def refuse(env: Env, case_id: int, task_id: int, actor: Actor, *, reason: str,
           expected_revision: int | None = None) -> Case:
    """不予受理: a reason is required; the case ends."""
    reason = _reason(reason, "不予受理必须说明理由", "a refusal needs a reason")
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "submitted", action_zh="不予受理", action_en="refused")
    role = require_staff(env.session, actor, case, "accept_cases", task)
    _done(env, task, actor, OUTCOME_OF["refuse"])
    cancel_open_tasks(env.session, case, env.now, "refused")
    case.state, case.result, case.result_note, case.concluded_at = "refused", "refused", reason, env.now
    events.append(env.session, case, actor, "refuse", from_state="submitted", to_state="refused", node_id=task.node_id,
                  comment=reason, role=role, tenant=case.tenant_id)
    env.notices.append((case, "refused", {"reason": reason}))
    return case


def request_supplement(env: Env, case_id: int, task_id: int, actor: Actor, *, missing: list[dict], comment: str = "",
                       expected_revision: int | None = None) -> Case:
    """一次性告知: everything missing, listed at once; the clock stops until the applicant supplies it."""
    if not missing or not all(str(m.get("name") or m.get("material_id") or "").strip() for m in missing):
        raise ApprovalError("missing_required", "请一次性列明需要补正的全部内容", "list everything that must be supplied",
                            field="missing")
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "submitted", "in_progress", action_zh="要求补正", action_en="returned for supplements")
    require_clock_running(case)
    role = require_staff(env.session, actor, case, "accept_cases" if case.state == "submitted" else "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "return_for_supplement")
    case.supplement_requests += 1
    before = case.state
    clock.open_pause(env.session, case, "supplement", env.now, comment)
    case.state = "supplement"
    events.append(env.session, case, actor, "request_supplement", from_state=before, to_state="supplement",
                  node_id=task.node_id, comment=comment, role=role, tenant=case.tenant_id,
                  details={"missing": missing, "resume_state": before, "repeated": case.supplement_requests > 1})
    env.notices.append((case, "supplement_requested", {"missing": missing}))
    return case


def supply(env: Env, case_id: int, actor: Actor, *, files: dict[str, list[dict]] | None = None,
           form_data: dict | None = None, comment: str = "", upload_ids: tuple[str, ...] = (),
           expected_revision: int | None = None) -> Case:
    """The applicant hands in what was asked; the clock runs again and every due moves by the pause.
    ``upload_ids``: the applicant's stored uploads behind ``files`` (the case holds them from now on)."""
    from tongban.platform.approval import materials as rules
    from tongban.platform.files.store import attach_to_case

    case = load_case(env.session, case_id, expected_revision=expected_revision)
    require_applicant(actor, case)
    if upload_ids:
        attach_to_case(env.session, actor.subject, upload_ids, case.number)
    if case.state == "in_progress" and files:
        return _supply_rongque(env, case, actor, files)
    require_state(case, "supplement", action_zh="补正", action_en="supplemented")
    _, _, content = version_parts(env.session, case.version_id)
    specs = {m["id"]: m for m in content.get("materials") or []}
    rows = {m.material_id: m for m in env.session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))}
    for mid, given in (files or {}).items():
        if mid not in specs:
            raise NotAllowed("unknown_material", "没有这项材料", f"no material {mid!r}")
        problems = rules.check_files(specs[mid], given)
        if problems:
            raise ApprovalError(problems[0][0], problems[0][1], problems[0][2], field=f"materials.{mid}")
        rows[mid].files, rows[mid].status = given, "supplied"
    if form_data:
        case.form_data = {**case.form_data, **form_data}
    pause = env.session.scalar(select(CasePause).where(CasePause.case_id == case.id, CasePause.kind == "supplement",
                                                       CasePause.ended_at.is_(None)))
    pause.ended_at = env.now
    resume = "in_progress" if case.accepted_at else "submitted"
    case.state, case.paused = resume, False
    clock.refresh_dues(env.session, env.calendar, case, env.now)
    events.append(env.session, case, actor, "supply", from_state="supplement", to_state=resume, comment=comment,
                  details={"materials": sorted((files or {}).keys())})
    env.notices.append((case, "supplied", {}))
    return case


def _supply_rongque(env: Env, case: Case, actor: Actor, files: dict) -> Case:
    rows = {m.material_id: m for m in env.session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))}
    for mid, given in files.items():
        row = rows.get(mid)
        if row is None or row.status != "rongque":
            raise NotAllowed("not_rongque", "该材料无需补交", f"material {mid!r} is not awaited")
        row.files, row.status = given, "supplied"
    events.append(env.session, case, actor, "supply_rongque", details={"materials": sorted(files)})
    return case


def forward(env: Env, case_id: int, task_id: int, actor: Actor, *, department: str | None = None,
            assignee: str | None = None, comment: str = "",
            expected_revision: int | None = None) -> Task:
    """转发 to another department or staff member of the handling tenant."""
    if not department and not assignee:
        raise ApprovalError("target_required", "请选择转交的部门或人员", "choose a department or a person", field="department")
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="转发", action_en="forwarded")
    role = require_staff(env.session, actor, case, "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "forward")
    before = {"department": task.department, "assignee": task.assignee}
    task.department = department or task.department
    task.assignee = assignee
    events.append(env.session, case, actor, "forward", node_id=task.node_id, comment=comment, role=role,
                  tenant=case.tenant_id, public=False, details={"from": before, "to": {"department": task.department,
                                                                                       "assignee": assignee}})
    node = flow.node(task.node_id)
    env.notices.append((case, "task_opened", {"role": task.role, "department": task.department, "node": task.node_id,
                                              "step": node.label.zh, "step_en": node.label.text("en"),
                                              "due_at": task.due_at}))
    return task


def approve(env: Env, case_id: int, task_id: int, actor: Actor, *, comment: str = "",
            expected_revision: int | None = None) -> Case:
    """Approve at a node (审查、决定、部门办理、缴费确认、发证): the case moves on along the flow."""
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="办理", action_en="handled")
    require_clock_running(case)
    role = require_staff(env.session, actor, case, "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "approve")
    node = flow.node(task.node_id)
    if node.kind is NodeKind.PAY_FEE and case.fee_due and not case.fee_paid:
        raise NotAllowed("fee_unpaid", "尚未缴费", "the fee has not been paid")
    if node.kind is NodeKind.ISSUE_CERTIFICATE:
        require_gaps_supplied(env.session, case, action_zh="发证", action_en="issue the certificate")
        _issue_certificate(env, case, node)
    if node.kind is NodeKind.DECIDE:
        case.decided_at = env.now
    _done(env, task, actor, OUTCOME_OF["approve"])
    events.append(env.session, case, actor, "approve", node_id=task.node_id, comment=comment, role=role,
                  tenant=case.tenant_id, details={"label": node.label.zh})
    advance(env, case, task, actor)
    return case


def reject(env: Env, case_id: int, task_id: int, actor: Actor, *, reason: str,
           expected_revision: int | None = None) -> Case:
    """不予许可 at a node: the reason is required; the case concludes as rejected."""
    reason = _reason(reason, "不予许可必须说明理由", "a rejection needs a reason")
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="作出决定", action_en="decided")
    require_clock_running(case)
    role = require_staff(env.session, actor, case, "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "reject")
    _done(env, task, actor, OUTCOME_OF["reject"])
    case.decided_at, case.result, case.result_note = env.now, "rejected", reason
    events.append(env.session, case, actor, "reject", node_id=task.node_id, comment=reason, role=role,
                  tenant=case.tenant_id)
    conclude(env, case, actor, result="rejected")
    return case


def roll_back(env: Env, case_id: int, task_id: int, actor: Actor, *, to_node: str | None = None, comment: str,
              expected_revision: int | None = None) -> Case:
    """回退 to the previous step (``to_node`` None) or to a chosen earlier step outside parallel sections."""
    comment = _reason(comment, "回退必须说明理由", "a roll-back needs a reason")
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="回退", action_en="rolled back")
    require_clock_running(case)
    role = require_staff(env.session, actor, case, "approve_cases", task)
    flow, _, _ = version_parts(env.session, case.version_id)
    require_node_action(flow, task, "return_previous" if to_node is None else "roll_back")
    if task.branch:
        raise NotAllowed("parallel_roll_back", "并联环节内不能回退，请在汇总后回退",
                         "steps inside a parallel section cannot be rolled back; roll back after they join")
    previous, earlier = roll_back_targets(flow, task)
    target = previous if to_node is None else to_node
    if to_node is not None and _inside_parallel(flow, to_node):
        raise NotAllowed("parallel_roll_back", "并联环节内不能回退，请在汇总后回退",
                         "steps inside a parallel section cannot be rolled back; roll back after they join")
    if target is None or target not in {n.id for n in earlier}:
        raise NotAllowed("bad_target", "不能回退到该环节", f"cannot roll back to {target or to_node!r}")
    _done(env, task, actor, OUTCOME_OF["roll_back"])
    cancel_open_tasks(env.session, case, env.now, "rolled_back")
    case.round += 1
    events.append(env.session, case, actor, "roll_back", node_id=task.node_id, comment=comment, role=role,
                  tenant=case.tenant_id, details={"to": target})
    enter(env, case, flow, target, None, actor)
    return case


def roll_back_targets(flow, task) -> tuple[str | None, list]:
    """Where a roll-back from ``task`` may go: (the previous step, or None when there is none to return to; the
    earlier steps one may choose). Never the application itself (START), a split, join or conclusion, nor a step
    inside a parallel section; from inside one, nowhere (roll back after the branches join)."""
    if task.branch:
        return None, []
    earlier = [n for n in flow.earlier_nodes(task.node_id)
               if n.kind not in (NodeKind.START, NodeKind.PARALLEL_SPLIT, NodeKind.JOIN, NodeKind.CONCLUDE)
               and not _inside_parallel(flow, n.id)]
    previous = flow.previous_nodes(task.node_id)
    allowed = {n.id for n in earlier}
    return (previous[-1].id if previous and previous[-1].id in allowed else None), earlier


def _inside_parallel(flow, node_id: str) -> bool:
    for split in (n for n in flow.nodes if n.kind is NodeKind.PARALLEL_SPLIT):
        join = flow.join_of(split.id).id
        inside = {n.id for n in flow.earlier_nodes(join)} - {n.id for n in flow.earlier_nodes(split.id)} - {split.id}
        if node_id in inside:
            return True
    return False


def withdraw(env: Env, case_id: int, actor: Actor, *, reason: str = "",
             expected_revision: int | None = None) -> Case:
    """The applicant withdraws before a decision."""
    case = load_case(env.session, case_id, expected_revision=expected_revision)
    require_applicant(actor, case)
    require_state(case, "submitted", "supplement", "in_progress", action_zh="撤回", action_en="withdrawn")
    if case.decided_at is not None:
        raise NotAllowed("decided", "已作出决定，不能撤回", "a decision was made; the case cannot be withdrawn")
    before = case.state
    cancel_open_tasks(env.session, case, env.now, "withdrawn")
    for pause in env.session.scalars(select(CasePause).where(CasePause.case_id == case.id, CasePause.ended_at.is_(None))):
        pause.ended_at = env.now
    case.state, case.result, case.paused, case.concluded_at = "withdrawn", "withdrawn", False, env.now
    events.append(env.session, case, actor, "withdraw", from_state=before, to_state="withdrawn", comment=reason)
    env.notices.append((case, "withdrawn", {}))
    return case


def charge(env: Env, case_id: int, task_id: int, actor: Actor, *, amount: str,
           expected_revision: int | None = None) -> Case:
    """Set the fee to pay at a pay-fee step (defaults come from the item; a different amount is recorded)."""
    case, task = load_case_and_task(env.session, case_id, task_id, expected_revision)
    require_state(case, "in_progress", action_zh="收费", action_en="charged")
    role = require_staff(env.session, actor, case, "approve_cases", task)
    if task.node_kind != NodeKind.PAY_FEE.value:
        raise NotAllowed("not_fee_step", "当前环节不是缴费环节", "this step takes no fee")
    value = _fee(amount)
    standard = case.fee_due
    case.fee_due = value
    events.append(env.session, case, actor, "charge", node_id=task.node_id, role=role, tenant=case.tenant_id,
                  details={"amount": value, "standard": standard, "differs": standard is not None and standard != value})
    env.notices.append((case, "fee_charged", {"amount": value}))
    return case


MAX_FEE = Decimal("100000000")  # ¥100 million: above any administrative fee; a typo beyond it is refused


def _fee(amount) -> str:
    """A fee in yuan with at most two decimals, more than 0 and below MAX_FEE (never NaN, infinite or negative)."""
    try:
        value = Decimal(str(amount).strip().replace(",", "").lstrip("¥￥"))
    except InvalidOperation:
        raise ApprovalError("invalid_amount", "金额格式不正确，请填写数字，如 120.00", "the amount is not a number, e.g. 120.00",
                            field="amount") from None
    if not value.is_finite() or value <= 0 or value >= MAX_FEE or value != value.quantize(Decimal("0.01")):
        raise ApprovalError("invalid_amount", "金额须大于 0、不超过两位小数且低于 1 亿元",
                            "the amount must be above 0, with at most two decimals, and below 100 million",
                            field="amount")
    return f"{value:.2f}"


def pay(env: Env, case_id: int, actor: Actor, *, reference: str,
        expected_revision: int | None = None) -> Case:
    case = load_case(env.session, case_id, expected_revision=expected_revision)
    if actor.kind == "staff":
        require_staff(env.session, actor, case, "approve_cases")
    else:
        require_applicant(actor, case)
    require_state(case, "in_progress", action_zh="缴费", action_en="paid")
    if not case.fee_due or case.fee_paid:
        raise NotAllowed("nothing_to_pay", "没有待缴费用", "there is nothing to pay")
    case.fee_paid = True
    events.append(env.session, case, actor, "pay", details={"amount": case.fee_due, "reference": reference})
    return case


def deliver(env: Env, case_id: int, actor: Actor, *, method: str, comment: str = "",
            expected_revision: int | None = None) -> Case:
    """送达: the result reached the applicant (window, post, electronic)."""
    case = load_case(env.session, case_id, expected_revision=expected_revision)
    require_state(case, "concluded", "refused", action_zh="送达", action_en="delivered")
    role = require_staff(env.session, actor, case, "accept_cases")
    if case.delivered_at:
        raise NotAllowed("delivered", "已送达", "already delivered")
    case.delivered_at = env.now
    events.append(env.session, case, actor, "deliver", role=role, tenant=case.tenant_id, comment=comment,
                  details={"method": method})
    return case


def _issue_certificate(env: Env, case: Case, node) -> None:
    from tongban.platform.approval.certificates import issue

    case.certificate_number = issue(env, case, node.license_type)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


__all__ = ["accept", "refuse", "request_supplement", "supply", "forward", "approve", "reject", "roll_back",
           "withdraw", "charge", "pay", "deliver"]
