"""Approval loaders: a case's materials, tasks and events, and a task's case — each fetched for every
case on the page in one statement per handling tenant (keys are (handling tenant, case id))."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select

from tongban.graphql.core.loaders import BatchLoader
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial, Task

Key = tuple[str, int]


def _grouped(context, rows_for: Callable, many: bool) -> Callable[[list[Key]], dict]:
    def fetch(keys: list[Key]) -> dict:
        by_tenant: dict[str, list[int]] = defaultdict(list)
        for tenant_code, case_id in keys:
            by_tenant[tenant_code].append(case_id)
        found: dict = {key: [] for key in keys} if many else {}
        for tenant_code, ids in by_tenant.items():
            tenant = context.snapshot.by_code[tenant_code]
            with context.database.unit_of_work(tenant.context()) as session:
                for case_id, row in rows_for(session, ids):
                    if many:
                        found[(tenant_code, case_id)].append(row)
                    else:
                        found[(tenant_code, case_id)] = row
        return found

    return fetch


def _materials(session, ids):
    return ((m.case_id, m) for m in session.scalars(select(CaseMaterial).where(CaseMaterial.case_id.in_(ids))
                                                    .order_by(CaseMaterial.id)))


def _tasks(session, ids):
    return ((t.case_id, t) for t in session.scalars(select(Task).where(Task.case_id.in_(ids)).order_by(Task.id)))


def _events(session, ids):
    return ((e.case_id, e) for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids))
                                                    .order_by(CaseEvent.case_id, CaseEvent.seq)))


def _cases(session, ids):
    return ((c.id, c) for c in session.scalars(select(Case).where(Case.id.in_(ids))))


def build_loaders(context) -> dict[str, BatchLoader]:
    return {"case_materials": BatchLoader(_grouped(context, _materials, True), name="case_materials"),
            "case_tasks": BatchLoader(_grouped(context, _tasks, True), name="case_tasks"),
            "case_events": BatchLoader(_grouped(context, _events, True), name="case_events"),
            "case": BatchLoader(_grouped(context, _cases, False), name="case")}
