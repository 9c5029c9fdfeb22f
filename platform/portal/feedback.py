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


def ask(database, tenant_code: str, *, kind: str, subject: str, question: str, department: str = "") -> dict:
    from tongban.platform.supervision import petitions

    return petitions.ask(database, tenant_code, kind=kind, asker_subject=subject, question=question[:2000],
                         department=department[:100])


def my_petitions(session: Session, subject: str, limit: int = 50) -> list[dict]:
    """The applicant's consultations and complaints in the unit of work's tenant, newest first."""
    from tongban.platform.supervision.models import Petition

    rows = session.scalars(select(Petition).where(Petition.asker_subject == subject)
                           .order_by(Petition.asked_at.desc()).limit(limit))
    return [{"kind": KINDS.get(p.kind, (p.kind, p.kind)), "department": p.department, "question": p.question,
             "answer": p.answer, "asked_at": p.asked_at, "answered_at": p.answered_at, "due_at": p.due_at}
            for p in rows]


def rate(database, actor, case_id: int, *, level: int, reason: str) -> dict:
    from tongban.platform.supervision.ratings.service import rate_case

    return rate_case(database, actor, case_id, level=level, reason=reason[:1000])


def rating_of(session: Session, case_id: int) -> dict | None:
    """The case's rating, if any (a unit of work that sees the handling tenant's rows)."""
    from tongban.platform.supervision.ratings.models import Rating

    rating = session.scalar(select(Rating).where(Rating.case_id == case_id))
    if rating is None:
        return None
    return {"level": rating.level, "label": levels().get(rating.level, ("", "")), "reason": rating.reason,
            "rated_at": rating.rated_at}
