"""Read models of cases for staff (the workbench): task lists, one case in full, cases received for others.

Read-only: every function takes a unit of work already bound to the request's tenant (or an explicit,
audited subtree scope) and changes nothing. Who may handle a task is asked of ``guards.require_staff``,
never re-implemented; the SQL filter below only narrows the list to the tasks whose role, department and
assignee fit the actor, so that paging counts the right rows.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from tongban.configurator.flows import Flow, NodeKind, UnknownNode
from tongban.platform.approval import documents
from tongban.platform.approval.actions import roll_back_targets
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import ApprovalError, CaseNotFound
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.guards import open_task, require_staff
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial, CasePause, Task
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.tenants.isolation import TenantContext

SOON_WORKING_DAYS = 2
TASK_STATES = ("submitted", "supplement", "in_progress")
DUE_FILTERS = ("overdue", "soon")


# --- due marks -------------------------------------------------------------------------------------------
def due_mark(calendar: WorkCalendar, due_at: datetime | None, now: datetime, *, paused: bool = False) -> str | None:
    """``red`` when overdue, ``yellow`` when due within two working days, else None; ``paused`` while the case's
    clock stands still (waiting for the applicant's supplement, an up-report, a hearing): its due time is
    provisional and moves on as long as the pause lasts, so it is neither late nor close."""
    if due_at is None:
        return None
    if paused:
        return "paused"
    if due_at <= now:
        return "red"
    if due_at <= calendar.add_working_days(now, SOON_WORKING_DAYS).due:
        return "yellow"
    return None


# --- my tasks ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskFilters:
    item: str | None = None
    state: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class TaskRow:
    task_id: int
    case_id: int
    tenant_code: str
    number: str
    item_code: str
    item_name: str
    applicant_name: str
    case_state: str
    node_id: str
    node_label: str
    role: str | None
    department: str | None
    started_at: datetime
    due_at: datetime | None
    mark: str | None


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    total: int
    page: int
    per_page: int
    items: list[tuple[str, str]] = field(default_factory=list)  # (code, name) among all my open tasks

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _role_condition(roles: set[str]):
    if "province_admin" in roles:
        return true()
    if not roles:
        return false()
    return or_(Task.role.in_(sorted(roles)), Task.role.is_(None))


def handled_by(actor: Actor, tenant_code: str, tenant_path: str, *, subtree: bool = False):
    """Open tasks whose role (and department, and assignee when forwarded to a person) fit ``actor`` —
    in this tenant, and with ``subtree`` also below it through the actor's subtree grants."""
    local = {g.role for g in actor.grants if g.covers(tenant_path)}
    roles = and_(Task.tenant_id == tenant_code, _role_condition(local))
    if subtree:
        below = {g.role for g in actor.grants if g.subtree and g.covers(tenant_path)}
        roles = or_(roles, _role_condition(below))
    return and_(Task.state == "open", roles,
                or_(Task.department.is_(None), Task.department == (actor.department or "")),
                or_(Task.assignee.is_(None), Task.assignee == actor.subject))


def my_tasks(session: Session, actor: Actor, tenant_code: str, tenant_path: str, *, calendar: WorkCalendar,
             now: datetime, filters: TaskFilters = TaskFilters(), page: int = 1, per_page: int = 20,
             subtree: bool = False) -> TaskPage:
    """The actor's open tasks, soonest due first (no due last), with yellow/red marks and paging."""
    mine = handled_by(actor, tenant_code, tenant_path, subtree=subtree)
    where = [mine, *_filter_conditions(filters, calendar, now)]
    base = select(Task, Case).join(Case, Case.id == Task.case_id).where(*where)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = session.execute(base.order_by(Task.due_at.is_(None), Task.due_at, Task.id)
                           .offset((page - 1) * per_page).limit(per_page)).all()
    items = session.execute(select(Case.item_code, Case.item_name).join(Task, Task.case_id == Case.id)
                            .where(mine).group_by(Case.item_code, Case.item_name).order_by(Case.item_code)).all()
    return TaskPage([_task_row(session, task, case, calendar, now) for task, case in rows], total, page, per_page,
                    [(code, name) for code, name in items])


def _filter_conditions(filters: TaskFilters, calendar: WorkCalendar, now: datetime) -> list:
    conditions = []
    if filters.item:
        conditions.append(Case.item_code == filters.item)
    if filters.state in TASK_STATES:
        conditions.append(Case.state == filters.state)
    if filters.due == "overdue":
        conditions.append(and_(Task.due_at <= now, Case.paused.is_(False)))
    elif filters.due == "soon":
        soon = calendar.add_working_days(now, SOON_WORKING_DAYS).due
        conditions.append(and_(Task.due_at > now, Task.due_at <= soon, Case.paused.is_(False)))
    return conditions


def _task_row(session: Session, task: Task, case: Case, calendar: WorkCalendar, now: datetime) -> TaskRow:
    flow = version_parts(session, case.version_id)[0]
    return TaskRow(task.id, case.id, case.tenant_id, case.number, case.item_code, case.item_name,
                   str((case.applicant or {}).get("name", "")), case.state, task.node_id,
                   _node_label(flow, task.node_id), task.role, task.department, task.started_at, task.due_at,
                   due_mark(calendar, task.due_at, now, paused=case.paused))


def _node_label(flow: Flow, node_id: str) -> str:
    try:
        return flow.node(node_id).label.zh
    except UnknownNode:  # a join marker or a node of an older flow
        return node_id


# --- one case ----------------------------------------------------------------------------------------------
@dataclass
class OpenTask:
    task: Task
    node_label: str
    node_kind: str
    actions: tuple[str, ...]  # the node's declared actions (flow), shown only when ``mine``
    mine: bool
    refusal: ApprovalError | None  # why not mine (role, department, assignee)
    earlier: list[tuple[str, str]]  # nodes a roll-back may go to: (id, label)
    mark: str | None
    previous: str | None = None  # the step a return to the previous step goes to (None: there is none)


@dataclass
class CaseDetail:
    case: Case
    handled_here: bool
    flow: Flow | None = None
    content: dict = field(default_factory=dict)
    materials: list[CaseMaterial] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    pauses: list[CasePause] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    open_tasks: list[OpenTask] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    case_mark: str | None = None
    permissions: frozenset[str] = frozenset()  # what the actor holds where the case is handled

    @property
    def current_nodes(self) -> list[str]:
        return [t.task.node_id for t in self.open_tasks]


def visible_case(session: Session, case_id: int) -> Case:
    """The case if the unit of work's tenant handles or received it; else the same CaseNotFound."""
    case = session.scalar(select(Case).where(Case.id == case_id))
    if case is None:
        raise CaseNotFound(str(case_id))
    return case


def case_detail(session: Session, case_id: int, actor: Actor, tenant_code: str, *, calendar: WorkCalendar,
                now: datetime) -> CaseDetail:
    """Everything staff see of one case. A case received here for another tenant shows only its own row
    (its tasks, materials and events belong to the handling tenant)."""
    case = visible_case(session, case_id)
    detail = CaseDetail(case, handled_here=case.tenant_id == tenant_code, documents=documents.available(case))
    if not detail.handled_here:
        return detail
    flow, _schema, content = version_parts(session, case.version_id)
    detail.flow, detail.content = flow, content
    detail.materials = list(session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                                            .order_by(CaseMaterial.id)))
    detail.events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
    detail.pauses = list(session.scalars(select(CasePause).where(CasePause.case_id == case.id).order_by(CasePause.id)))
    detail.tasks = list(session.scalars(select(Task).where(Task.case_id == case.id).order_by(Task.id)))
    detail.open_tasks = [_open_task(session, flow, case, t, actor, calendar, now)
                         for t in detail.tasks if t.state == "open"]
    detail.case_mark = (due_mark(calendar, case.promised_due_at, now, paused=case.paused)
                        if case.state == "in_progress" else None)
    detail.permissions = frozenset(p for p in ("accept_cases", "approve_cases") if _holds(session, actor, case, p))
    return detail


def _holds(session: Session, actor: Actor, case: Case, permission: str) -> bool:
    try:
        require_staff(session, actor, case, permission)
    except ApprovalError:
        return False
    return True


def _open_task(session: Session, flow: Flow, case: Case, task: Task, actor: Actor, calendar: WorkCalendar,
               now: datetime) -> OpenTask:
    permission = "accept_cases" if task.node_kind == NodeKind.START.value else "approve_cases"
    try:
        require_staff(session, actor, case, permission, task)
        refusal = None
    except ApprovalError as error:
        refusal = error
    node = flow.node(task.node_id)
    previous, earlier = roll_back_targets(flow, task)
    return OpenTask(task, node.label.zh, node.kind.value, tuple(a.value for a in node.actions), refusal is None,
                    refusal, [(n.id, n.label.zh) for n in earlier], due_mark(calendar, task.due_at, now, paused=case.paused),
                    previous)


def handled_case(session: Session, case_id: int, tenant_code: str, *, task_id: int | None = None,
                 expected_revision: int | None = None) -> tuple[Case, dict[str, str]]:
    """Before acting from this tenant: the case must be handled here (else CaseNotFound, as for a stranger's
    case) and the task still open at the revision the page showed (the engine's own check, ``open_task``).
    Returns the case and its materials' names by id."""
    case = visible_case(session, case_id)
    if case.tenant_id != tenant_code:
        raise CaseNotFound(str(case_id))
    if task_id is not None:
        open_task(session, case, task_id, expected_revision)
    names = {row.material_id: row.name for row in session.execute(
        select(CaseMaterial.material_id, CaseMaterial.name).where(CaseMaterial.case_id == case.id))}
    return case, names


def document_pdf(database, tenant, case_id: int, kind: str, *, public_url: str) -> tuple[str, bytes]:
    """A notice or certificate of a case handled or received here (全省通办: the receiving window prints and
    hands over what the handling tenant decided, read in an explicit system scope after the check)."""
    with database.unit_of_work(TenantContext.of(tenant)) as session:
        case = visible_case(session, case_id)
        context = (TenantContext.of(tenant) if case.tenant_id == tenant.code else
                   TenantContext.system(f"全省通办: {kind} of case {case.number} for the window of {tenant.code}"))
    with database.unit_of_work(context) as session:
        document = documents.render(session, visible_case(session, case_id), kind, public_url=public_url)
    return document.title_zh, document.pdf()


# --- cases received here for other tenants (全省通办) ----------------------------------------------------------
@dataclass(frozen=True)
class ReceivedPage:
    cases: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def received_for_others(session: Session, tenant_code: str, *, page: int = 1, per_page: int = 20) -> ReceivedPage:
    where = (Case.received_tenant_id == tenant_code, Case.tenant_id != tenant_code, Case.parent_case_id.is_(None))
    total = session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    cases = list(session.scalars(select(Case).where(*where).order_by(Case.submitted_at.desc(), Case.id.desc())
                                 .offset((page - 1) * per_page).limit(per_page)))
    return ReceivedPage(cases, total, page, per_page)


# --- the window: items and where they are handled (全省通办) -------------------------------------------------
def window_items(session: Session, cache, tenant, ancestors) -> list:
    """Items a clerk here may take in at the window: what this tenant and the tenants above it serve with
    the window channel (a township window also takes in city-level items for 全省通办)."""
    found: dict[str, object] = {}
    for place in (tenant, *reversed(list(ancestors))):
        for entry in cache.catalogue(session, place):
            if "window" in entry.channels and entry.code not in found:
                found[entry.code] = entry
    return sorted(found.values(), key=lambda e: e.code)


def handling_tenants(database, item_code: str, root_code: str) -> list[tuple[str, str, str]]:
    """(code, name, level) of every tenant that handles the item: published to it, enabled, at a level the
    item is handled at. Catalogue settings of the whole province, read in an explicit system scope."""
    from tongban.configurator.publishing.effective import tenant_matrix
    from tongban.configurator.publishing.models import Item, ItemVersion

    with database.unit_of_work(TenantContext.system(f"全省通办: where item {item_code} is handled")) as session:
        item = session.scalar(select(Item).where(Item.code == item_code))
        if item is None or item.retired:
            return []
        levels = {v.version_no: set((v.levels or "").split(","))
                  for v in session.scalars(select(ItemVersion).where(ItemVersion.item_id == item.id))}
        rows = tenant_matrix(session, item_code, root_code)
    return [(r.code, r.name, r.level) for r in rows
            if r.published and r.enabled and r.level in levels.get(r.version_no, set())]


# --- applicants at the window -------------------------------------------------------------------------------
def applicant_subject(session: Session, secret_key: str, kind: str, number: str, name: str = "") -> str:
    """The account subject of a window applicant, so the case also shows in their own online account: the
    enterprise registered under the USCC, or the person whose resident ID is verified (实名核验) — each only under
    the same name. A verified ID registered under another name is refused on the name (the card in hand and the
    record disagree: a typo, or someone else's card); an unverified account merely typed the ID and gets nothing.
    Otherwise a stable pseudonym of the number."""
    from tongban.platform.approval.errors import SubmissionInvalid
    from tongban.platform.identity.accounts import id_verified
    from tongban.platform.identity.models import Account, Enterprise, Person

    number, name = number.strip().upper(), "".join(name.split())
    if kind == "enterprise":
        found = session.execute(select(Enterprise.subject, Enterprise.name).where(Enterprise.uscc == number)).first()
        record_name, subject = (found.name, found.subject) if found else (None, None)
    else:
        person = session.scalar(select(Person).where(Person.id_number == number))
        verified = person is not None and id_verified(person)
        record_name = person.name if verified else None
        subject = session.scalar(select(Account.subject).where(Account.id == person.account_id)) if verified else None
    if subject and "".join(record_name.split()) == name:
        return subject
    if subject:
        raise SubmissionInvalid([{"path": "a.name", "code": "name_mismatch",
                                  "zh": "与该证件号码登记的名称不一致，请核对证件后重新填写",
                                  "en": "This is not the name registered under that ID number: check the card"}])
    digest = hmac.new(secret_key.encode(), f"window-applicant:{kind}:{number}".encode(), hashlib.sha256).hexdigest()
    return f"window:{digest[:32]}"


def masked_number(number: str | None) -> str:
    """A resident ID with its middle hidden (what notices print); other numbers as they are."""
    text = str(number or "")
    return f"{text[:6]}********{text[-4:]}" if len(text) == 18 and text[:17].isdigit() else text


__all__ = [
    "CaseDetail",
    "OpenTask",
    "ReceivedPage",
    "TaskFilters",
    "TaskPage",
    "TaskRow",
    "applicant_subject",
    "case_detail",
    "document_pdf",
    "due_mark",
    "handled_by",
    "handled_case",
    "handling_tenants",
    "masked_number",
    "my_tasks",
    "received_for_others",
    "visible_case",
    "window_items",
]
