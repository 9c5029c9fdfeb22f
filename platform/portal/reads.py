"""The few reads every portal page makes, as statements built once (a page only binds its values)."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tongban.configurator.publishing.models import CatalogueClock
from tongban.platform.content.notices import Notice

GENERATION = select(CatalogueClock.generation).where(CatalogueClock.id == 1)
LATEST_NOTICES = (select(Notice.id, Notice.title, Notice.published_at)
                  .order_by(Notice.published_at.desc(), Notice.id.desc()).limit(bindparam("limit")))


def catalogue_generation(session: Session) -> int:
    """The catalogue clock's generation (see configurator.publishing.clock): moves on every change served."""
    return session.scalar(GENERATION) or 0


def latest_notices(session: Session, limit: int = 5) -> list[dict]:
    return [{"id": r.id, "title": r.title, "published_at": r.published_at}
            for r in session.execute(LATEST_NOTICES, {"limit": limit})]
