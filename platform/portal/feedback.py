"""Consultations and complaints (咨询投诉) and ratings (好差评) as an applicant sees them on the portal.

The rules live in the supervision room (platform/supervision/petitions.py, ratings/service.py); the portal
asks, rates and reads back the applicant's own entries. Imported lazily: the portal stands without them.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

KINDS = {"consultation": ("咨询", "Question"), "complaint": ("投诉", "Complaint")}


def levels() -> dict[int, tuple[str, str]]:
    from tongban.platform.supervision.ratings.models import LEVELS

    return dict(sorted(LEVELS.items(), reverse=True))


def ask(database, tenant_code: str, *, kind: str, subject: str, question: str, department: str = "",
        known_departments=(), case_number: str = "") -> dict:
    """Ask; ``known_departments``: the tenant's departments as its items name them (the form's choices);
    ``case_number``: one of the asker's cases here it is about."""
    from tongban.platform.supervision import petitions

    return petitions.ask(database, tenant_code, kind=kind, asker_subject=subject, question=question,
                         department=department, known_departments=set(known_departments), case_number=case_number)


def cases_to_ask_about(session: Session, subject: str, tenant_code: str, limit: int = 50) -> list[tuple[str, str]]:
    """The applicant's cases handled by ``tenant_code``, newest first: (number, item name) for the form's choice."""
    from tongban.platform.approval.models import Case

    return [(r.number, r.item_name) for r in session.execute(
        select(Case.number, Case.item_name).where(Case.applicant_subject == subject, Case.tenant_id == tenant_code)
        .order_by(Case.submitted_at.desc(), Case.id.desc()).limit(limit))]


def my_petitions(session: Session, subject: str, limit: int = 50) -> list[dict]:
    """The applicant's consultations and complaints in the unit of work's tenant, newest first; ``late``: not
    answered by its deadline (the supervision rules have carded it)."""
    from tongban.platform.approval.departments import DEPARTMENTS
    from tongban.platform.db import utcnow
    from tongban.platform.supervision.petitions import asked_by

    return [{**p, "kind": KINDS.get(p["kind"], (p["kind"], p["kind"])),
             "department": DEPARTMENTS.get(p["department"], (p["department"], p["department"]))}
            for p in asked_by(session, subject, utcnow(), limit)]


def rate(database, actor, case_id: int, *, level: int, reason: str) -> dict:
    from tongban.platform.supervision.ratings.service import rate_case

    return rate_case(database, actor, case_id, level=level, reason=reason)


def rating_of(session: Session, case_id: int) -> dict | None:
    """The case's rating, if any, with what the department did about a bad one (整改, 回访) and whether the rater
    is asked to confirm it (a unit of work that sees the handling tenant's rows)."""
    from tongban.platform.supervision.ratings.service import applicant_view

    view = applicant_view(session, case_id)
    if view is None:
        return None
    return {**view, "label": levels().get(view["level"], ("", ""))}


def rateable(state: str) -> bool:
    """Whether a case in ``state`` may be rated (the ratings' own rule)."""
    from tongban.platform.supervision.ratings.service import RATEABLE

    return state in RATEABLE


def confirm(database, actor, rating_id: int, *, satisfied: bool) -> dict:
    """The rater says whether the rectification satisfies them (not: the department rectifies again)."""
    from tongban.platform.supervision.ratings.service import applicant_confirms

    return applicant_confirms(database, actor, rating_id, satisfied=satisfied)
