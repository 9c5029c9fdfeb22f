"""Who may read which case, for readers outside the workbench (the public API): the applicant, or staff holding
``view_cases`` where the case is handled or was received. Everyone else gets the same answer as for a case
that does not exist. Also the anonymous progress query (number + six-digit query code), and the lists: an
applicant's own cases, a tenant's cases and tasks.

The lookup of where a case lives is a routing read across tenants (as ``ApprovalService._context_for``);
the case itself is then read inside its handling tenant's unit of work.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case, CaseEvent, Task
from tongban.platform.approval.numbers import query_code_matches
from tongban.platform.identity.permissions import Permission
from tongban.tenants.isolation import TenantContext

VIEW = Permission.VIEW_CASES.value
APPLICANT, STAFF = "applicant", "staff"


@dataclass(frozen=True)
class CaseHome:
    id: int
    tenant_id: str
    received_tenant_id: str
    applicant_subject: str
    item_code: str


def parse_case_id(value: object) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def find_home(database, case_id: object) -> CaseHome | None:
    key = parse_case_id(case_id)
    if key is None:
        return None
    with database.unit_of_work(TenantContext.system("api: where does a case live")) as session:
        row = session.execute(select(Case.id, Case.tenant_id, Case.received_tenant_id, Case.applicant_subject,
                                     Case.item_code).where(Case.id == key)).first()
    return CaseHome(*row) if row else None


def viewer_of(actor: Actor | None, home: CaseHome, snapshot) -> str | None:
    """"applicant", "staff" or None (not visible)."""
    if actor is None:
        return None
    if actor.kind == "applicant":
        return APPLICANT if actor.subject == home.applicant_subject else None
    if actor.kind == "staff":
        for code in (home.tenant_id, home.received_tenant_id):
            tenant = snapshot.by_code.get(code)
            if tenant is not None and actor.may(VIEW, tenant.path):
                return STAFF
    return None


def visible_home(database, actor: Actor | None, case_id: object, snapshot) -> tuple[CaseHome, str] | None:
    """(where the case lives, as whom the actor sees it) — or None, for "no such case" and "not yours" alike."""
    home = find_home(database, case_id)
    viewer = viewer_of(actor, home, snapshot) if home is not None else None
    return (home, viewer) if viewer is not None else None


def load_case(database, snapshot, home: CaseHome) -> Case | None:
    tenant = snapshot.by_code[home.tenant_id]
    with database.unit_of_work(tenant.context()) as session:
        return session.get(Case, home.id)


@dataclass(frozen=True)
class Progress:
    case: Case
    public_events: list[CaseEvent]


def progress(database, secret_key: str, number: str, query_code: str, *, address: str,
             now: datetime) -> Progress | None:
    """The public progress query: the case and its public events, when the query code matches; else None. Wrong
    codes count as on the portal's page (``portal.throttle``: per case number and address, per address, and per
    case number from all addresses): over a limit even the right code is refused
    (``portal.throttle.TooManyAttempts``), so codes cannot be guessed through the API either."""
    from tongban.platform.portal import throttle

    def matching():
        found = session.scalar(select(Case).where(Case.number == (number or "").strip()))
        ok = found is not None and query_code_matches(secret_key, found.number, query_code or "", found.query_code_hash)
        return found if ok else None

    with database.unit_of_work(TenantContext.system("api: progress query")) as session:
        case = throttle.guarded(session, number or "", address, now, matching)
        if case is None:
            return None
        events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.public)
                                      .order_by(CaseEvent.seq)))
    return Progress(case, events)


# --- lists: an applicant's own cases, a tenant's cases and tasks ------------------------------------------------
@dataclass(frozen=True)
class CaseFilters:
    state: str | None = None
    item_code: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    has_next: bool


def own_cases(database, actor: Actor | None, filters: CaseFilters, first: int, after: tuple | None) -> Page:
    """The applicant's cases (as person or acting enterprise) wherever they were received, newest first; staff
    and anonymous callers have none."""
    subject = actor.subject if actor is not None and actor.kind == "applicant" else None
    with database.unit_of_work(TenantContext.system("api: an applicant's own cases")) as session:
        return _case_page(session, _filtered(select(Case).where(Case.applicant_subject == subject), filters),
                          first, after)


def tenant_cases(database, tenant, filters: CaseFilters, first: int, after: tuple | None) -> Page:
    """Cases handled or received in ``tenant`` (the caller's ``view_cases`` there is checked before), newest first."""
    with database.unit_of_work(tenant.context()) as session:
        return _case_page(session, _filtered(select(Case), filters), first, after)


def tenant_tasks(database, actor: Actor, tenant, *, open_only: bool, mine: bool, first: int,
                 after_id: int | None) -> Page:
    """Steps of ``tenant``'s cases, oldest first; ``mine``: those for a role the actor holds there (or none)."""
    stmt = select(Task)
    if open_only:
        stmt = stmt.where(Task.state == "open")
    if mine:
        roles = {g.role for g in actor.grants if g.covers(tenant.path)}
        stmt = stmt.where(or_(Task.role.in_(roles), Task.role.is_(None)))
    with database.unit_of_work(tenant.context()) as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery()))
        if after_id is not None:
            stmt = stmt.where(Task.id > after_id)
        rows = list(session.scalars(stmt.order_by(Task.id).limit(first + 1)))
    return Page(rows[:first], total, len(rows) > first)


def _filtered(stmt, f: CaseFilters):
    if f.state is not None:
        stmt = stmt.where(Case.state == f.state)
    if f.item_code:
        stmt = stmt.where(Case.item_code == f.item_code)
    if f.number:
        stmt = stmt.where(Case.number == f.number.strip())
    return stmt


def _case_page(session, stmt, first: int, after: tuple | None) -> Page:
    """Newest first, keyset on (submitted_at, id): ``after`` is the last (submitted_at, id) seen."""
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    if after is not None:
        at, last_id = after
        stmt = stmt.where(or_(Case.submitted_at < at, and_(Case.submitted_at == at, Case.id < last_id)))
    rows = list(session.scalars(stmt.order_by(Case.submitted_at.desc(), Case.id.desc()).limit(first + 1)))
    return Page(rows[:first], total, len(rows) > first)
