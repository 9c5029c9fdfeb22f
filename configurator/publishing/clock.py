"""The catalogue clock: publication order, and the generation that invalidates cached catalogues."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tongban.configurator.publishing.models import CatalogueClock


def next_publish_seq(session: Session) -> int:
    """The next publication number; also moves the generation (one statement)."""
    return _bump(session, publish=True)


def bump_generation(session: Session) -> int:
    """Something a tenant serves changed (enable, pin, override, retire): caches must recompute."""
    return _bump(session, publish=False)


def _bump(session: Session, *, publish: bool) -> int:
    values = {"generation": CatalogueClock.generation + 1}
    if publish:
        values["publish_seq"] = CatalogueClock.publish_seq + 1
    column = CatalogueClock.publish_seq if publish else CatalogueClock.generation
    value = session.execute(update(CatalogueClock).where(CatalogueClock.id == 1).values(**values)
                            .returning(column)).scalar()
    if value is None:  # a database created without the migration's row
        session.add(CatalogueClock(id=1, publish_seq=1 if publish else 0, generation=1))
        session.flush()
        value = 1
    return value


def current_generation(session: Session) -> int:
    return session.scalar(select(CatalogueClock.generation).where(CatalogueClock.id == 1)) or 0
