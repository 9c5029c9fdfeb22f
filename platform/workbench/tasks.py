"""我的待办 (my tasks) and 本窗口代收 (cases this window received for other tenants)."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from tongban.platform.approval import queries
from tongban.platform.approval.guards import STATE_LABELS
from tongban.platform.db import utcnow
from tongban.platform.workbench.common import Staff, call, page_number, render, signed_in_staff
from tongban.tenants.access import open_subtree

PER_PAGE = 20


async def my_tasks(request: Request) -> Response:
    staff = await signed_in_staff(request)
    if isinstance(staff, Response):
        return staff
    params = request.query_params
    filters = queries.TaskFilters(item=params.get("item") or None, state=params.get("state") or None,
                                  due=params.get("due") or None)
    subtree = params.get("scope") == "subtree" and may_see_below(staff)
    page = await call(_load_tasks, request, staff, filters, page_number(request), subtree)
    states = [(s, STATE_LABELS[s]) for s in queries.TASK_STATES]
    return render(request, "tasks.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base, "page": page,
                                          "filters": filters, "states": states, "subtree": subtree,
                                          "may_see_below": may_see_below(staff), "query": _query_without_page(request)})


def may_see_below(staff: Staff) -> bool:
    return any(g.subtree and g.covers(staff.tenant.path) for g in staff.actor.grants)


def _load_tasks(request: Request, staff: Staff, filters, page: int, subtree: bool) -> queries.TaskPage:
    database, approval = request.app.state.database, request.app.state.approval
    unit = (open_subtree(database, staff.tenant, actor=staff.actor.subject, reason="工作台待办（含下级）")
            if subtree else database.unit_of_work(staff.tenant.context()))
    with unit as session:
        return queries.my_tasks(session, staff.actor, staff.tenant.code, staff.tenant.path,
                                calendar=approval.calendars.calendar(session), now=utcnow(), filters=filters,
                                page=page, per_page=PER_PAGE, subtree=subtree)


def _query_without_page(request: Request) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v]
    return urlencode(kept)


async def received(request: Request) -> Response:
    staff = await signed_in_staff(request, "view_cases")
    if isinstance(staff, Response):
        return staff

    def load() -> queries.ReceivedPage:
        with request.app.state.database.unit_of_work(staff.tenant.context()) as session:
            return queries.received_for_others(session, staff.tenant.code, page=page_number(request),
                                               per_page=PER_PAGE)

    page = await call(load)
    names = {c.tenant_id: _tenant_name(request, c.tenant_id) for c in page.cases}
    return render(request, "received.html", {"staff": staff, "tenant": staff.tenant, "base": staff.base,
                                             "page": page, "names": names})


def _tenant_name(request: Request, code: str) -> str:
    info = request.app.state.directory.snapshot.by_code.get(code)
    return info.name if info else code
