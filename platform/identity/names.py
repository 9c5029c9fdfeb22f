"""Who an OIDC subject is, for logs people read: a staff member's name and department (read only)."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.identity.models import Account, Staff


def staff_names(session: Session, subjects: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``{subject: (display name, department)}`` for the subjects that are accounts; others are left out."""
    wanted = {s for s in subjects if s}
    if not wanted:
        return {}
    rows = session.execute(select(Account.subject, Account.display_name, Staff.department)
                           .outerjoin(Staff, Staff.account_id == Account.id).where(Account.subject.in_(wanted)))
    return {subject: (name, department or "") for subject, name, department in rows}
