"""How long sent messages stay in the outbox: 30 days after sending, then they go (unsent ones never do:
the sweeper still owes them a delivery). One guarded ``DELETE``, safe to run twice or in two workers."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from tongban.platform.notify.outbox import OutboxMessage

SENT_RETENTION = timedelta(days=30)


def purge_sent(session: Session, now: datetime, *, keep: timedelta = SENT_RETENTION) -> int:
    sent_long_ago = (OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < now - keep)
    statement = delete(OutboxMessage).where(*sent_long_ago)
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def huey_purge_sent() -> int:
    from tongban.platform.db import utcnow
    from tongban.platform.jobs import worker_database
    from tongban.tenants.isolation import TenantContext

    with worker_database().unit_of_work(TenantContext.system("outbox: purge sent")) as session:
        return purge_sent(session, utcnow())
