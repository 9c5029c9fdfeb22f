"""Who may see a case: its applicant, or staff holding ``view_cases`` where it is handled or was received.
Everyone else gets the same answer as for a case that does not exist.

The lookup of where a case lives is a routing read across tenants (as the approval service's own
``_context_for``); the case itself is then read inside its handling tenant's unit of work.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case
from tongban.platform.identity.permissions import Permission
from tongban.tenants.isolation import TenantContext

VIEW = Permission.VIEW_CASES.value


@dataclass(frozen=True)
class CaseHome:
    id: int
    tenant_id: str
    received_tenant_id: str
    applicant_subject: str


def parse_case_id(value: str) -> int | None:
    value = str(value).strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def find_home(context, case_id: str) -> CaseHome | None:
    key = parse_case_id(case_id)
    if key is None:
        return None
    with context.database.unit_of_work(TenantContext.system("graphql: where does a case live")) as session:
        row = session.execute(select(Case.id, Case.tenant_id, Case.received_tenant_id, Case.applicant_subject)
                              .where(Case.id == key)).first()
    return CaseHome(*row) if row else None


def viewer_of(actor: Actor | None, home: CaseHome, snapshot) -> str | None:
    """"applicant", "staff" or None (not visible)."""
    if actor is None:
        return None
    if actor.kind == "applicant":
        return "applicant" if actor.subject == home.applicant_subject else None
    if actor.kind == "staff":
        for code in (home.tenant_id, home.received_tenant_id):
            tenant = snapshot.by_code.get(code)
            if tenant is not None and actor.may(VIEW, tenant.path):
                return "staff"
    return None


def load_case(context, home: CaseHome) -> Case | None:
    tenant = context.snapshot.by_code[home.tenant_id]
    with context.database.unit_of_work(tenant.context()) as session:
        return session.get(Case, home.id)
