"""Loading what supervision needs of many cases at once: a handful of queries per batch, never one per case."""
from __future__ import annotations

import threading
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.departments import normalised
from tongban.platform.approval.flowcache import version_parts
from tongban.platform.approval.models import Case, CasePause, Task
from tongban.platform.supervision.timing import CaseView
from tongban.tenants.models import Tenant

_TENANTS: dict[str, tuple[str, str]] = {}  # code → (level, path): a division's place never changes
_LOCK = threading.Lock()


def load_views(session: Session, case_ids) -> dict[int, CaseView]:
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    tasks, pauses = defaultdict(list), defaultdict(list)
    # sorted here, not by SQL: with an ORDER BY SQLite may walk a whole table in that order instead of the case index
    for task in sorted(session.scalars(select(Task).where(Task.case_id.in_(ids), Task.state == "open")),
                       key=lambda t: t.id):
        tasks[task.case_id].append(task)
    for pause in sorted(session.scalars(select(CasePause).where(CasePause.case_id.in_(ids))),
                        key=lambda p: (p.started_at, p.id)):
        pauses[pause.case_id].append(pause)
    links = vertical_links(session, [c.id for c in cases.values() if c.case_type == "vertical"])
    views = {}
    for case_id, case in cases.items():
        view = CaseView(case, tasks[case_id], pauses[case_id])
        _describe(session, view, links.get(case_id))
        views[case_id] = view
    return views


def _describe(session: Session, view: CaseView, link) -> None:
    case = view.case
    if link is not None:
        view.department, view.license_required = normalised(link.department), bool(link.license_required)
        return
    if not case.version_id:
        return
    flow, _schema, content = version_parts(session, case.version_id)
    elements = content.get("elements") or {}
    view.node_kinds = frozenset(node.kind.value for node in flow.nodes)
    view.department = normalised(elements.get("department"))
    view.must_handle_online = bool(elements.get("must_handle_online"))


def departments(session: Session, cases) -> dict[int, str]:
    """The responsible department of each case row (the item's lead department, or the vertical system's)."""
    cases = list(cases)
    links = vertical_links(session, [c.id for c in cases if c.case_type == "vertical"])
    out = {}
    for case in cases:
        if case.id in links:
            out[case.id] = normalised(links[case.id].department)
        elif case.version_id:
            out[case.id] = normalised((version_parts(session, case.version_id)[2].get("elements") or {}).get("department"))
    return out


def vertical_links(session: Session, case_ids) -> dict:
    if not case_ids:
        return {}
    from tongban.platform.supervision.vertical.models import VerticalLink

    return {link.case_id: link for link in session.scalars(select(VerticalLink).where(VerticalLink.case_id.in_(case_ids)))}


def tenant_info(session: Session, codes) -> dict[str, tuple[str, str]]:
    """Level and path of each code, from a per-process cache (one query for the codes not yet seen)."""
    codes = set(codes)
    with _LOCK:
        missing = [c for c in codes if c not in _TENANTS]
    if missing:
        rows = session.execute(select(Tenant.code, Tenant.level, Tenant.path).where(Tenant.code.in_(missing))).all()
        with _LOCK:
            _TENANTS.update({r.code: (r.level, r.path) for r in rows})
    with _LOCK:
        return {c: _TENANTS[c] for c in codes if c in _TENANTS}


_SUPERVISORS: dict[str, str] = {}  # code → supervising tenant: follows from the (unchanging) division tree


def supervisor_of(session: Session, code: str) -> str:
    """Two-level supervision: the city or county above (or at) ``code`` supervises it; else the province."""
    known = _SUPERVISORS.get(code)
    if known is not None:
        return known
    level_path = tenant_info(session, [code]).get(code)
    if level_path is None:
        return code
    chain = [c for c in level_path[1].strip("/").split("/")]
    info = tenant_info(session, chain)
    supervisor = next((a for a in reversed(chain) if info.get(a, ("",))[0] == "city_county"), chain[0])
    with _LOCK:
        _SUPERVISORS[code] = supervisor
    return supervisor


def parent_supervisor(session: Session, code: str) -> str | None:
    """The supervising level above ``code`` (a city/county → the province); None at the top."""
    _level, path = tenant_info(session, [code]).get(code, ("", ""))
    chain = path.strip("/").split("/")[:-1]
    if not chain:
        return None
    return supervisor_of(session, chain[-1])
