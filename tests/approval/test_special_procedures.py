"""Hearings (听证), testing (检验检测) and expert reviews (专家评审): the clock stands still while they run."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from approval_fixtures import CLERK, REVIEWER, application, case_events, citizen, open_tasks, step, the_case
from tongban.platform.approval.errors import ApprovalError, NotAllowed
from tongban.platform.approval.models import CaseEvent, CasePause
from tongban.tenants.isolation import TenantContext

BEIJING = timezone(timedelta(hours=8))


def bj(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=BEIJING)


def accepted_on(engine, db, at):
    case_id = engine.submit("4601", "4601", citizen(), application(), now=at)["id"]
    step(engine, db, case_id, "accept", CLERK, now=at)
    return case_id


def pauses(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return list(s.scalars(select(CasePause).where(CasePause.case_id == case_id).order_by(CasePause.id)))


def last_event(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq.desc())).first()


@pytest.mark.parametrize("kind", ["hearing", "testing", "expert_review"])
def test_a_special_procedure_pauses_the_clock_and_moves_every_due_when_it_ends(engine, db, kind):
    case_id = accepted_on(engine, db, bj(2026, 3, 2))
    before = the_case(db, case_id)
    (review,) = open_tasks(db, case_id)
    step(engine, db, case_id, "special_start", REVIEWER, now=bj(2026, 3, 3), kind=kind, approved_days=5,
         reason="申请人要求听证")
    (pause,) = pauses(db, case_id)
    assert (pause.kind, pause.approved_days, pause.ended_at) == (kind, 5, None)
    assert the_case(db, case_id).paused
    started = last_event(db, case_id)
    assert started.action == "special_procedure" and started.details["kind"] == kind
    assert started.details["approved_days"] == 5 and started.comment == "申请人要求听证"

    with pytest.raises(NotAllowed) as refused:  # nothing moves on while it runs
        step(engine, db, case_id, "approve", REVIEWER, now=bj(2026, 3, 4))
    assert refused.value.code == "special_running"

    step(engine, db, case_id, "special_end", REVIEWER, now=bj(2026, 3, 6), comment="听证结束")
    after = the_case(db, case_id)
    (pause,) = pauses(db, case_id)
    assert pause.ended_at == bj(2026, 3, 6) and not after.paused
    # 3 working days paused (Tue 3 March 10:00 → Fri 6 March 10:00): every due moves by three working days
    assert before.promised_due_at == bj(2026, 3, 17, 0) and after.promised_due_at == bj(2026, 3, 20, 0)
    assert after.legal_due_at == bj(2026, 4, 3, 0)
    (still,) = open_tasks(db, case_id)
    assert review.due_at == bj(2026, 3, 6, 0)  # 3 working days from Monday: 3, 4 and 5 March
    assert still.id == review.id and still.due_at == bj(2026, 3, 11, 0)  # + 6, 9 and 10 March
    ended = last_event(db, case_id)
    assert ended.action == "special_procedure_end" and ended.details["kind"] == kind and not ended.details["overran"]
    step(engine, db, case_id, "approve", REVIEWER, now=bj(2026, 3, 9))
    assert case_events(db, case_id)[-1] == "approve"


def test_special_procedure_input_is_checked_field_by_field_and_nothing_changes(engine, db):
    case_id = accepted_on(engine, db, bj(2026, 3, 2))
    events_before = case_events(db, case_id)
    with pytest.raises(ApprovalError) as bad_kind:
        step(engine, db, case_id, "special_start", REVIEWER, kind="picnic", approved_days=5)
    assert bad_kind.value.field == "kind" and "听证" in bad_kind.value.zh
    for days in ("", "abc", 0, -3, 400):
        with pytest.raises(ApprovalError) as bad_days:
            step(engine, db, case_id, "special_start", REVIEWER, kind="hearing", approved_days=days)
        assert bad_days.value.field == "approved_days" and "工作日" in bad_days.value.zh
    with pytest.raises(NotAllowed) as nothing_running:
        step(engine, db, case_id, "special_end", REVIEWER)
    assert nothing_running.value.code == "no_special"
    assert case_events(db, case_id) == events_before and pauses(db, case_id) == []
    assert not the_case(db, case_id).paused


def test_one_special_procedure_at_a_time_and_only_while_in_progress(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    with pytest.raises(NotAllowed) as early:
        step(engine, db, case_id, "special_start", CLERK, kind="testing", approved_days=10)
    assert early.value.code == "wrong_state"
    step(engine, db, case_id, "accept", CLERK)
    step(engine, db, case_id, "special_start", REVIEWER, kind="testing", approved_days=10)
    with pytest.raises(NotAllowed) as twice:
        step(engine, db, case_id, "special_start", REVIEWER, kind="expert_review", approved_days=3)
    assert twice.value.code == "special_running"
    assert [p.kind for p in pauses(db, case_id)] == ["testing"]


def test_an_applicant_is_told_when_a_special_procedure_starts(engine, db):
    from tongban.platform.notify.outbox import OutboxMessage

    case_id = accepted_on(engine, db, bj(2026, 3, 2))
    step(engine, db, case_id, "special_start", REVIEWER, now=bj(2026, 3, 3), kind="expert_review", approved_days=7)
    with db.unit_of_work(TenantContext.system("t")) as s:
        bodies = [m.body for m in s.scalars(select(OutboxMessage).where(OutboxMessage.topic == "special_started"))]
    assert bodies and all("专家评审" in b and "7" in b for b in bodies)
