"""Case and task queries: one case (its applicant or staff), the caller's own cases, a tenant's cases and
tasks (staff with view_cases there), and the anonymous progress query by number + query code."""
from __future__ import annotations

from datetime import datetime

import strawberry

from tongban.graphql.approval.types import CaseNode, CaseProgress, TaskNode, case_node, event_node, task_node
from tongban.graphql.catalogue.vocabulary import CaseState
from tongban.graphql.core.auth import CASES_READ, requires
from tongban.graphql.core.errors import ApiError
from tongban.graphql.core.pagination import Connection, connection, decode_cursor, page_size
from tongban.graphql.core.tenancy import staff_tenant
from tongban.platform.approval import reads
from tongban.platform.portal import throttle
from tongban.platform.db import utcnow


@strawberry.input(description="Case filters / 办件筛选")
class CaseFilter:
    state: CaseState | None = None
    item_code: str | None = None
    number: str | None = strawberry.field(default=None, description="Exact case number")


def _case_page(context, page: reads.Page, after: tuple | None, viewer: str) -> Connection[CaseNode]:
    loaders = context.loaders
    for loader in (loaders.case_materials, loaders.case_tasks, loaders.case_events):
        loader.expect((c.tenant_id, c.id) for c in page.rows)
    for c in page.rows:  # a task's case is one of these: no statement to read it back
        loaders.case.prime((c.tenant_id, c.id), c)
    return connection(page.rows, [(c.submitted_at.isoformat(), c.id) for c in page.rows], has_next=page.has_next,
                      has_previous=after is not None, total=page.total, node=lambda c: case_node(c, viewer))


def _filters(f: CaseFilter | None) -> reads.CaseFilters:
    if f is None:
        return reads.CaseFilters()
    return reads.CaseFilters(state=f.state.value if f.state is not None else None, item_code=f.item_code,
                             number=f.number)


def _cursor(after: str | None) -> tuple | None:
    """(submitted_at, id) of the last case seen."""
    from tongban.graphql.core.errors import bad_input

    key = decode_cursor(after)
    if key is None:
        return None
    try:
        if len(key) != 2 or not str(key[1]).isdigit():
            raise ValueError(key)
        return datetime.fromisoformat(str(key[0])), int(key[1])
    except ValueError:
        raise bad_input("游标无效", "invalid cursor", field="after") from None


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
        page = reads.own_cases(context.database, context.actor, _filters(filter), size, key)
        return _case_page(context, page, key, reads.APPLICANT)

    @strawberry.field(extensions=requires(CASES_READ, staff=True),
                      description="Cases handled or received in a tenant (staff with view_cases there)")
    def cases(self, info: strawberry.Info, tenant: str | None = None, filter: CaseFilter | None = None,
              first: int | None = None, after: str | None = None) -> Connection[CaseNode]:
        context = info.context
        place = staff_tenant(context, tenant, reads.VIEW)
        size, key = page_size(context, first), _cursor(after)
        return _case_page(context, reads.tenant_cases(context.database, place, _filters(filter), size, key), key,
                          reads.STAFF)

    @strawberry.field(extensions=requires(CASES_READ, staff=True),
                      description="Steps of a tenant's cases, oldest first; `mine` keeps those for the caller's roles")
    def tasks(self, info: strawberry.Info, tenant: str | None = None, open_only: bool = True, mine: bool = False,
              first: int | None = None, after: str | None = None) -> Connection[TaskNode]:
        context = info.context
        place = staff_tenant(context, tenant, reads.VIEW)
        size, key = page_size(context, first), decode_cursor(after)
        after_id = int(key[0]) if key and str(key[0]).isdigit() else None
        page = reads.tenant_tasks(context.database, context.actor, place, open_only=open_only, mine=mine, first=size,
                                  after_id=after_id)
        context.loaders.case.expect((t.tenant_id, t.case_id) for t in page.rows)
        return connection(page.rows, [(t.id,) for t in page.rows], has_next=page.has_next,
                          has_previous=after_id is not None, total=page.total, node=task_node)

    @strawberry.field(extensions=requires(CASES_READ, anonymous=True),
                      description="Anyone with the case number and its six-digit query code: state and public steps")
    def case_progress(self, info: strawberry.Info, number: str, query_code: str) -> CaseProgress | None:
        context = info.context
        try:
            found = reads.progress(context.database, context.state.approval.secret_key, number, query_code,
                                   address=context.address, now=utcnow())
        except throttle.TooManyAttempts as locked:
            raise ApiError("RATE_LIMITED", locked.zh, locked.en) from None
        if found is None:
            return None
        case = found.case
        return CaseProgress(number=case.number, item_name=case.item_name, state=case.state, result=case.result,
                            submitted_at=case.submitted_at, promised_due_at=case.promised_due_at,
                            concluded_at=case.concluded_at,
                            handling_tenant_name=context.snapshot.by_code[case.tenant_id].name,
                            events=[event_node(e, with_actor=False, with_comment=False) for e in found.public_events])
