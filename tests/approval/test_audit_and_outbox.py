"""The audit chain catches edits; the outbox sends after commit only and survives a crash."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from approval_fixtures import APPROVER, CERT, CLERK, REVIEWER, application, citizen, step
from tongban.platform.approval.events import verify_all
from tongban.platform.db import utcnow
from tongban.platform.notify import outbox
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext
from tests_support import tenant_row


def concluded_case(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    for action, actor in (("accept", CLERK), ("approve", REVIEWER), ("approve", APPROVER), ("approve", CERT)):
        step(engine, db, case_id, action, actor)
    return case_id


def verify(db):
    with db.unit_of_work(TenantContext.system("audit verify")) as s:
        return verify_all(s)


def test_an_untouched_trail_verifies(engine, db):
    concluded_case(engine, db)
    checked, problems = verify(db)
    assert checked == 1 and problems == []


def test_an_edited_event_is_caught(engine, db, admin_engine):
    case_id = concluded_case(engine, db)
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE case_events SET comment = '已核实' WHERE case_id = :c AND seq = 3"), {"c": case_id})
    _, problems = verify(db)
    assert [(p.seq, p.problem) for p in problems] == [(3, "event altered")]


def test_a_removed_last_event_is_caught(engine, db, admin_engine):
    case_id = concluded_case(engine, db)
    with admin_engine.begin() as conn:
        conn.execute(text("DELETE FROM case_events WHERE case_id = :c AND seq = (SELECT max(seq) FROM case_events "
                          "WHERE case_id = :c)"), {"c": case_id})
    _, problems = verify(db)
    assert len(problems) == 1 and "removed" in problems[0].problem


def test_audit_verify_command_reports_tampering(engine, db, admin_engine):
    from click.testing import CliRunner

    from tongban.platform.cli import main

    case_id = concluded_case(engine, db)
    ok = CliRunner().invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0 and "1" in ok.output
    with admin_engine.begin() as conn:
        conn.execute(text("UPDATE case_events SET actor = 'staff:someone-else' WHERE case_id = :c AND seq = 2"),
                     {"c": case_id})
    bad = CliRunner().invoke(main, ["audit", "verify"])
    assert bad.exit_code == 1 and "4601-" in bad.output


def _messages(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_step_notifies_the_applicant_after_commit(engine, db):
    from tongban.platform.tasks import worker_channels

    sms = worker_channels()["sms"]
    sms.sent.clear()
    who = citizen(phone="13900001111")
    case = engine.submit("4601", "4601", who, application(applicant=who))
    messages = _messages(db)
    assert {m.channel for m in messages} == {"sms", "email"} and all(m.sent_at for m in messages)
    assert any(case["number"] in body and case["query_code"] in body for _, _, body in sms.sent)


def test_a_relay_claims_its_messages_at_once_and_sends_each_once(engine, db, monkeypatch):
    """A relay job carries the messages of several commits (see notify/handoff.py): they are claimed with one
    statement, each is sent once and marked sent, and a second relay of the same ids sends nothing."""
    from sqlalchemy import event

    from tongban.platform.notify.outbox import relay
    from tongban.platform.tasks import worker_channels

    monkeypatch.setattr(outbox, "_after_commit", lambda session: session.info.pop("outbox_pending", None))
    for _ in range(3):
        engine.submit("4601", "4601", citizen(), application())
    ids = [m.id for m in _messages(db)]
    claims = []

    def count(_conn, _cursor, sql, *_args):
        if sql.startswith("UPDATE outbox") and "claimed_until" in sql:
            claims.append(sql)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert relay(db, ids, worker_channels()) == len(ids) == 6
        assert relay(db, ids, worker_channels()) == 0
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(claims) == 2  # one per relay, not one per message
    assert all(m.sent_at and m.attempts == 1 for m in _messages(db))


def test_a_rolled_back_action_sends_nothing(engine, db, monkeypatch):
    from tongban.platform.approval import notices

    original = notices.write

    def write_then_fail(session, items):
        original(session, items)
        raise RuntimeError("crash before commit")

    monkeypatch.setattr(notices, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        engine.submit("4601", "4601", citizen(), application())
    assert _messages(db) == []


def test_a_savepoint_inside_the_action_sends_nothing_before_the_outer_commit(db):
    """Releasing a SAVEPOINT is not the commit: a message written before it is sent only when the whole
    transaction commits, and not at all when the transaction then rolls back."""
    from tongban.platform.tasks import worker_channels

    sms = worker_channels()["sms"]
    sms.sent.clear()
    with pytest.raises(RuntimeError):
        with db.unit_of_work(TenantContext.of(tenant_row(db, "4601"))) as session:
            outbox.add(session, tenant_id="4601", channel="sms", recipient="13900002222", body="甲", topic="t")
            with session.begin_nested():
                pass
            assert sms.sent == []  # nothing relayed at the savepoint
            raise RuntimeError("fails after the savepoint")
    assert sms.sent == [] and _messages(db) == []
    with db.unit_of_work(TenantContext.of(tenant_row(db, "4601"))) as session:
        outbox.add(session, tenant_id="4601", channel="sms", recipient="13900002222", body="乙", topic="t")
        with session.begin_nested():
            pass
        assert sms.sent == []
    assert [body for _, _, body in sms.sent] == ["乙"]


def test_a_crash_between_commit_and_send_loses_nothing(engine, db, monkeypatch):
    from tongban.platform.notify.outbox import due_for_sweep, relay
    from tongban.platform.tasks import worker_channels

    monkeypatch.setattr(outbox, "_after_commit", lambda session: session.info.pop("outbox_pending", None))
    # the hand-off to huey never happens (the process died right after commit)
    engine.submit("4601", "4601", citizen(), application())
    assert _messages(db) and all(m.sent_at is None for m in _messages(db))
    later = utcnow() + timedelta(minutes=2)
    ids = due_for_sweep(db, now=later)
    assert relay(db, ids, worker_channels(), now=later) == len(ids) > 0
    assert all(m.sent_at for m in _messages(db))
    assert due_for_sweep(db, now=later + timedelta(minutes=5)) == []  # nothing is sent twice


def test_a_failing_channel_is_retried_with_backoff(engine, db, monkeypatch):
    from tongban.platform.notify.outbox import due_for_sweep, relay

    class Flaky:
        calls = 0

        def send(self, recipient, subject, body):
            Flaky.calls += 1
            if Flaky.calls <= 2:
                raise ConnectionError("gateway down")

    monkeypatch.setattr(outbox, "_after_commit", lambda session: session.info.pop("outbox_pending", None))
    who = citizen(email=None)
    engine.submit("4601", "4601", who, application(applicant=who))
    channels = {"sms": Flaky(), "email": Flaky()}
    (message,) = _messages(db)
    now = utcnow() + timedelta(minutes=1)
    for _ in range(3):
        relay(db, due_for_sweep(db, now=now), channels, now=now)
        now += timedelta(hours=2)
    (message,) = _messages(db)
    assert Flaky.calls == 3 and message.sent_at is not None and message.attempts == 3


def test_email_goes_out_over_real_smtp(engine, db, monkeypatch):
    from aiosmtpd.controller import Controller

    from tongban.platform.notify.channels import SmtpEmail
    from tongban.platform.notify.outbox import relay

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setattr(outbox, "_after_commit", lambda session: session.info.pop("outbox_pending", None))
        who = citizen(phone=None, email="li@example.cn")
        engine.submit("4601", "4601", who, application(applicant=who))
        (message,) = _messages(db)
        channels = {"email": SmtpEmail(f"smtp://127.0.0.1:{port}", "通办 <noreply@tongban.local>")}
        assert relay(db, [message.id], channels) == 1
    finally:
        controller.stop()
    assert received and received[0][0] == ["li@example.cn"]
    assert "Subject:" in received[0][1]


def test_an_actions_messages_wait_in_the_queue_for_one_relay_job(engine, db, monkeypatch):
    """Outside immediate mode (as deployed): three applications in a moment put their six messages (an SMS and an
    email each) into one relay job on huey's queue."""
    from tongban.platform.jobs import huey
    from tongban.platform.notify import handoff

    monkeypatch.setattr(handoff._HANDOFF, "linger", 2.0)
    huey.immediate = False
    try:
        huey.flush()
        for _ in range(3):
            engine.submit("4601", "4601", citizen(), application())
        deadline = time.monotonic() + 15
        while not huey.pending_count() and time.monotonic() < deadline:
            time.sleep(0.01)
        jobs = huey.pending()
    finally:
        huey.flush()
        huey.immediate = True
    with db.unit_of_work(TenantContext.system("t")) as s:
        written = list(s.scalars(select(OutboxMessage.id)))
    assert len(written) == 6
    assert [sorted(job.args[0]) for job in jobs] == [sorted(written)]
