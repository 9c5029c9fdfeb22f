"""Sent outbox messages go 30 days after sending; unsent ones (still owed a delivery) and recent ones stay.
Twice, or by two workers at once, each row goes once."""
from datetime import timedelta

import pytest
from housekeeping_support import NOW, run_together
from sqlalchemy import select, update

from tongban.platform.notify.outbox import OutboxMessage, add
from tongban.platform.notify.retention import purge_sent
from tongban.tenants.isolation import TenantContext

MESSAGES = {  # topic: (created days ago, sent days ago or None)
    "sent-31-days-ago": (40, 31),
    "sent-90-days-ago": (95, 90),
    "sent-29-days-ago": (35, 29),
    "never-sent-old": (60, None),
    "sent-today": (0, 0),
}


def _system(db):
    return db.unit_of_work(TenantContext.system("test"))


@pytest.fixture
def outbox(db, monkeypatch):
    monkeypatch.setattr("tongban.platform.tasks.relay_outbox", lambda ids: None)  # nothing is sent here
    with _system(db) as s:
        for topic in MESSAGES:
            add(s, tenant_id="4601", channel="sms", recipient="13800000001", body="您的办件已受理", topic=topic)
    with _system(db) as s:
        for topic, (created, sent) in MESSAGES.items():
            s.execute(update(OutboxMessage).where(OutboxMessage.topic == topic).values(
                created_at=NOW - timedelta(days=created),
                sent_at=None if sent is None else NOW - timedelta(days=sent)))
    return db


def _left(db) -> set[str]:
    with _system(db) as s:
        return set(s.scalars(select(OutboxMessage.topic)))


KEPT = {"sent-29-days-ago", "never-sent-old", "sent-today"}


def test_messages_sent_more_than_30_days_ago_go_and_nothing_else(outbox):
    with _system(outbox) as s:
        assert purge_sent(s, NOW) == 2
    assert _left(outbox) == KEPT
    with _system(outbox) as s:
        assert purge_sent(s, NOW) == 0, "a second run finds nothing"
    assert _left(outbox) == KEPT


def test_two_workers_at_once_remove_each_message_once(outbox):
    def worker():
        with _system(outbox) as s:
            return purge_sent(s, NOW)

    assert sum(run_together(worker)) == 2 and _left(outbox) == KEPT


def test_the_periodic_task_purges_the_outbox(outbox, monkeypatch):
    from tongban.platform import tasks

    monkeypatch.setattr("tongban.platform.db.utcnow", lambda: NOW)
    tasks.purge_sent_outbox()
    assert _left(outbox) == KEPT
