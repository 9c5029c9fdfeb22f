"""Case and task queries: one case (its applicant or staff), the caller's own cases, a tenant's cases and
tasks (staff with view_cases there), and the anonymous progress query by number + query code."""
from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import and_, func, or_, select

from tongban.graphql.approval.types import CaseNode, CaseProgress, TaskNode, case_node, event_node, task_node
from tongban.graphql.catalogue.vocabulary import CaseState
from tongban.graphql.core.auth import CASES_READ, requires
from tongban.graphql.core.pagination import Connection, connection, decode_cursor, page_size
from tongban.graphql.core.tenancy import staff_tenant
from tongban.platform.approval import reads
from tongban.platform.approval.models import Case, Task
from tongban.tenants.isolation import TenantContext


@strawberry.input(description="Case filters / 办件筛选")
class CaseFilter:
    state: CaseState | None = None
    item_code: str | None = None
    number: str | None = strawberry.field(default=None, description="Exact case number")


def _case_page(context, session, stmt, first: int, after: list | None, viewer: str) -> Connection[CaseNode]:
    """Newest first, keyset on (submitted_at, id)."""
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    if after is not None:
        at, last_id = datetime.fromisoformat(str(after[0])), int(after[1])
        stmt = stmt.where(or_(Case.submitted_at < at, and_(Case.submitted_at == at, Case.id < last_id)))
    rows = list(session.scalars(stmt.order_by(Case.submitted_at.desc(), Case.id.desc()).limit(first + 1)))
    page = rows[:first]
    loaders = context.loaders
    for loader in (loaders.case_materials, loaders.case_tasks, loaders.case_events):
        loader.expect((c.tenant_id, c.id) for c in page)
    for c in page:  # a task's case is one of these: no statement to read it back
        loaders.case.prime((c.tenant_id, c.id), c)
    return connection(page, [(c.submitted_at.isoformat(), c.id) for c in page], has_next=len(rows) > first,
                      has_previous=after is not None, total=total, node=lambda c: case_node(c, viewer))


def _filtered(stmt, f: CaseFilter | None):
    if f is None:
        return stmt
    if f.state is not None:
        stmt = stmt.where(Case.state == f.state.value)
    if f.item_code:
        stmt = stmt.where(Case.item_code == f.item_code)
    if f.number:
        stmt = stmt.where(Case.number == f.number.strip())
    return stmt


def _cursor(after: str | None) -> list | None:
    from tongban.graphql.core.errors import bad_input

    key = decode_cursor(after)
    if key is not None and (len(key) != 2 or not str(key[1]).isdigit()):
        raise bad_input("游标无效", "invalid cursor", field="after")
    return key


@strawberry.type
class ApprovalQueries:
    @strawberry.field(extensions=requires(CASES_READ, account=True),
                      description="One case, for its applicant or staff who may view it; null otherwise")
    def case(self, info: strawberry.Info, id: strawberry.ID) -> CaseNode | None:
        context = info.context
        found = reads.visible_home(context.database, context.actor, id, context.snapshot)
        if found is None:
            return None
        home, viewer = found
        row = reads.load_case(context.database, context.snapshot, home)
        return case_node(row, viewer) if row else None

    @strawberry.field(extensions=requires(CASES_READ, account=True),
                      description="The caller's own applications (as person or acting enterprise), newest first")
    def my_cases(self, info: strawberry.Info, filter: CaseFilter | None = None, first: int | None = None,
                 after: str | None = None) -> Connection[CaseNode]:
        context = info.context
        size, key = page_size(context, first), _cursor(after)
        actor = context.actor
        subject = actor.subject if actor is not None and actor.kind == "applicant" else None
        with context.database.unit_of_work(TenantContext.system("graphql: an applicant's own cases")) as session:
            stmt = _filtered(select(Case).where(Case.applicant_subject == subject), filter)
            return _case_page(context, session, stmt, size, key, "applicant")

    @strawberry.field(extensions=requires(CASES_READ, staff=True),
                      description="Cases handled or received in a tenant (staff with view_cases there)")
    def cases(self, info: strawberry.Info, tenant: str | None = None, filter: CaseFilter | None = None,
              first: int | None = None, after: str | None = None) -> Connection[CaseNode]:
        context = info.context
        place = staff_tenant(context, tenant, reads.VIEW)
        size, key = page_size(context, first), _cursor(after)
        with context.database.unit_of_work(place.context()) as session:
            return _case_page(context, session, _filtered(select(Case), filter), size, key, "staff")

    @strawberry.field(extensions=requires(CASES_READ, staff=True),
                      description="Steps of a tenant's cases, oldest first; `mine` keeps those for the caller's roles")
    def tasks(self, info: strawberry.Info, tenant: str | None = None, open_only: bool = True, mine: bool = False,
              first: int | None = None, after: str | None = None) -> Connection[TaskNode]:
        context = info.context
        place = staff_tenant(context, tenant, reads.VIEW)
        size, key = page_size(context, first), decode_cursor(after)
        stmt = select(Task)
        if open_only:
            stmt = stmt.where(Task.state == "open")
        if mine:
            roles = {g.role for g in context.actor.grants if g.covers(place.path)}
            stmt = stmt.where(or_(Task.role.in_(roles), Task.role.is_(None)))
        with context.database.unit_of_work(place.context()) as session:
            total = session.scalar(select(func.count()).select_from(stmt.subquery()))
            if key:
                stmt = stmt.where(Task.id > int(key[0]))
            rows = list(session.scalars(stmt.order_by(Task.id).limit(size + 1)))
        page = rows[:size]
        context.loaders.case.expect((t.tenant_id, t.case_id) for t in page)
        return connection(page, [(t.id,) for t in page], has_next=len(rows) > size, has_previous=key is not None,
                          total=total, node=task_node)

    @strawberry.field(extensions=requires(CASES_READ, anonymous=True),
                      description="Anyone with the case number and its six-digit query code: state and public steps")
    def case_progress(self, info: strawberry.Info, number: str, query_code: str) -> CaseProgress | None:
        context = info.context
        found = reads.progress(context.database, context.state.approval.secret_key, number, query_code)
        if found is None:
            return None
        case = found.case
        return CaseProgress(number=case.number, item_name=case.item_name, state=case.state, result=case.result,
                            submitted_at=case.submitted_at, promised_due_at=case.promised_due_at,
                            concluded_at=case.concluded_at,
                            handling_tenant_name=context.snapshot.by_code[case.tenant_id].name,
                            events=[event_node(e, with_actor=False, with_comment=False) for e in found.public_events])
