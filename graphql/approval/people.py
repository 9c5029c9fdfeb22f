"""The caller as the approval engine needs them, read from identity's records: an applicant's real-name
record for a new application, a staff member's department for department steps."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from tongban.platform.approval.actors import Actor
from tongban.platform.identity.accounts import id_verified
from tongban.platform.identity.models import Account, Enterprise, Person, Staff
from tongban.platform.identity.web.common import identity_for


def applicant_record(context) -> dict:
    """{subject, kind, name, id_number | uscc, phone, email} of the token's person or acting enterprise."""
    principal = context.principal
    with identity_for(context.app).unit() as session:
        account = session.scalar(select(Account).where(Account.subject == principal.subject))
        person = session.get(Person, account.id) if account else None
        record = {"subject": principal.acting_subject, "kind": "person",
                  "name": person.name if person else (account.display_name if account else principal.subject),
                  "id_number": person.id_number if person else None,
                  "id_verified": id_verified(person),
                  "phone": account.phone if account else None, "email": account.email if account else None}
        if principal.acting is not None:
            enterprise = session.scalar(select(Enterprise).where(Enterprise.subject == principal.acting.subject))
            record.update(kind="enterprise", name=enterprise.name if enterprise else principal.acting.subject,
                          uscc=principal.acting.uscc, agent_name=record["name"])
    return record


def acting_staff(context, actor: Actor) -> Actor:
    """The staff actor with their department (access tokens carry roles, not the department)."""
    if actor.kind != "staff" or actor.department:
        return actor
    with identity_for(context.app).unit() as session:
        department = session.scalar(select(Staff.department).join(Account, Account.id == Staff.account_id)
                                    .where(Account.subject == actor.subject))
    return replace(actor, department=department or None)
