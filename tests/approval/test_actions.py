"""Each action in the states that allow it, refused in the others, and refused to the wrong people."""
import pytest
from sqlalchemy import select

from approval_fixtures import (APPROVER, CERT, CLERK, REVIEWER, application, case_events, citizen, open_tasks, staff,
                               step, the_case)
from tongban.platform.approval.errors import ApprovalError, Conflict, Forbidden, NotAllowed, SubmissionInvalid
from tongban.platform.approval.models import CaseMaterial
from tongban.tenants.isolation import TenantContext

HAIKOU, SANYA = "4601", "4602"


def submitted(engine, **kw):
    return engine.submit(HAIKOU, HAIKOU, citizen(), application(**kw))["id"]


def accepted(engine, db):
    case_id = submitted(engine)
    step(engine, db, case_id, "accept", CLERK)
    return case_id


def test_refusing_needs_a_reason_and_ends_the_case(engine, db):
    case_id = submitted(engine)
    with pytest.raises(ApprovalError) as raised:
        step(engine, db, case_id, "refuse", CLERK, reason="  ")
    assert raised.value.code == "reason_required" and raised.value.field == "reason"
    assert the_case(db, case_id).state == "submitted"
    step(engine, db, case_id, "refuse", CLERK, reason="不属于本机关职权范围")
    case = the_case(db, case_id)
    assert case.state == "refused" and case.result_note == "不属于本机关职权范围"
    with pytest.raises(NotAllowed) as raised:
        engine.act(case_id, "withdraw", citizen())
    assert "不予受理" in raised.value.zh


def test_staff_of_haikou_cannot_act_on_sanyas_cases(engine, db):
    sanya_case = engine.submit(SANYA, SANYA, citizen(), application())["id"]
    (task,) = open_tasks(db, sanya_case)
    with pytest.raises(Forbidden):
        engine.act(sanya_case, "accept", CLERK, task_id=task.id)
    assert the_case(db, sanya_case).state == "submitted"
    province_admin = staff("prov", "46", "province_admin", subtree=True)
    engine.act(sanya_case, "accept", province_admin, task_id=task.id)
    assert the_case(db, sanya_case).state == "in_progress"


def test_a_node_is_done_by_its_role_and_department(engine, db):
    case_id = accepted(engine, db)
    with pytest.raises(Forbidden) as raised:
        step(engine, db, case_id, "approve", APPROVER)  # the review node wants a reviewer
    assert raised.value.code == "wrong_role"
    step(engine, db, case_id, "approve", REVIEWER)


def test_approving_before_acceptance_is_not_allowed(engine, db):
    case_id = submitted(engine)
    with pytest.raises(NotAllowed) as raised:
        step(engine, db, case_id, "approve", CLERK)
    assert raised.value.code == "wrong_state" and "待受理" in raised.value.zh


def test_supplements_pause_the_case_until_supplied(engine, db):
    case_id = submitted(engine)
    with pytest.raises(ApprovalError):
        step(engine, db, case_id, "request_supplement", CLERK, missing=[])
    step(engine, db, case_id, "request_supplement", CLERK, missing=[{"material_id": "m1", "name": "申请书（签字页）"}],
         comment="申请书缺少签字")
    case = the_case(db, case_id)
    assert case.state == "supplement" and case.paused and case.supplement_requests == 1
    with pytest.raises(NotAllowed):
        step(engine, db, case_id, "accept", CLERK)
    with pytest.raises(Forbidden):
        engine.act(case_id, "supply", citizen(subject="person:2"), files={})
    engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "u9", "name": "申请书-签字.pdf", "size": 1000}]})
    case = the_case(db, case_id)
    assert case.state == "submitted" and not case.paused
    step(engine, db, case_id, "accept", CLERK)


def test_missing_materials_are_refused_at_submission_field_by_field(engine, db):
    bad = application()
    bad.files = {"m1": [{"id": "x", "name": "申请书.exe", "size": 10}]}
    bad.form_data["id_number"] = "460100199001011231"
    with pytest.raises(SubmissionInvalid) as raised:
        engine.submit(HAIKOU, HAIKOU, citizen(), bad)
    paths = {(e["path"], e["code"]) for e in raised.value.errors}
    assert ("materials.m1", "format") in paths and ("materials.m2", "required") in paths
    assert any(path == "id_number" for path, _ in paths)
    assert all(e["zh"] and e["en"] for e in raised.value.errors)


def test_rongque_acceptance_sets_a_supply_deadline(engine, db):
    app = application(capital="2000000.00")
    case_id = engine.submit(HAIKOU, HAIKOU, citizen(), app)["id"]
    with pytest.raises(NotAllowed) as raised:
        step(engine, db, case_id, "accept", CLERK)
    assert raised.value.code == "materials_missing" and raised.value.details["materials"] == ["m3"]
    step(engine, db, case_id, "accept", CLERK, rongque=["m3"])
    with db.unit_of_work(TenantContext.system("t")) as s:
        m3 = s.scalar(select(CaseMaterial).where(CaseMaterial.case_id == case_id, CaseMaterial.material_id == "m3"))
    assert m3.status == "rongque" and m3.supply_due_at is not None
    engine.act(case_id, "supply", citizen(), files={"m3": [{"id": "v", "name": "验资报告.pdf", "size": 100}]})


def test_no_certificate_leaves_while_a_rongque_material_is_awaited(engine, db):
    """容缺受理: review and decision go on, but the certificate waits for the gap material; refused, nothing
    changes; once the applicant supplies it, the certificate is issued."""
    case_id = engine.submit(HAIKOU, HAIKOU, citizen(), application(capital="2000000.00"))["id"]
    step(engine, db, case_id, "accept", CLERK, rongque=["m3"])
    step(engine, db, case_id, "approve", REVIEWER)
    step(engine, db, case_id, "approve", APPROVER)
    before = the_case(db, case_id)
    with pytest.raises(NotAllowed) as raised:
        step(engine, db, case_id, "approve", CERT)
    assert raised.value.code == "rongque_outstanding" and "验资报告" in raised.value.zh and raised.value.en
    after = the_case(db, case_id)
    assert (after.state, after.revision, after.certificate_number) == ("in_progress", before.revision, None)
    assert [t.node_id for t in open_tasks(db, case_id)] == ["certificate"]
    engine.act(case_id, "supply", citizen(), files={"m3": [{"id": "v", "name": "验资报告.pdf", "size": 100}]})
    step(engine, db, case_id, "approve", CERT)
    done = the_case(db, case_id)
    assert done.state == "concluded" and done.result == "approved" and done.certificate_number


def test_forward_moves_the_task_to_another_department(engine, db):
    case_id = accepted(engine, db)
    step(engine, db, case_id, "forward", REVIEWER, department="法制科")
    (task,) = open_tasks(db, case_id)
    assert task.department == "法制科"
    with pytest.raises(Forbidden):
        engine.act(case_id, "approve", REVIEWER, task_id=task.id)
    engine.act(case_id, "approve", staff("legal", HAIKOU, "reviewer", department="法制科"), task_id=task.id)


def test_reject_needs_a_reason_and_concludes_as_rejected(engine, db):
    case_id = accepted(engine, db)
    step(engine, db, case_id, "approve", REVIEWER)
    step(engine, db, case_id, "reject", APPROVER, reason="经营场所不符合规定")
    case = the_case(db, case_id)
    assert case.state == "concluded" and case.result == "rejected" and case.certificate_number is None


def test_roll_back_returns_to_an_earlier_step(engine, db):
    case_id = accepted(engine, db)
    step(engine, db, case_id, "approve", REVIEWER)
    with pytest.raises(ApprovalError):
        step(engine, db, case_id, "roll_back", APPROVER, to_node="review", comment="")
    with pytest.raises(NotAllowed):
        step(engine, db, case_id, "roll_back", APPROVER, to_node="accept", comment="重新受理")
    step(engine, db, case_id, "roll_back", APPROVER, to_node="review", comment="审查意见不完整")
    (task,) = open_tasks(db, case_id)
    assert task.node_id == "review" and task.round == 2


def test_withdraw_before_a_decision_only(engine, db):
    case_id = accepted(engine, db)
    engine.act(case_id, "withdraw", citizen(), reason="不再需要")
    assert the_case(db, case_id).state == "withdrawn" and open_tasks(db, case_id) == []
    other = accepted(engine, db)
    step(engine, db, other, "approve", REVIEWER)
    step(engine, db, other, "approve", APPROVER)
    with pytest.raises(NotAllowed):
        engine.act(other, "withdraw", citizen())


def test_deliver_after_conclusion(engine, db):
    case_id = accepted(engine, db)
    with pytest.raises(NotAllowed):
        engine.act(case_id, "deliver", CLERK, method="window")
    for actor in (REVIEWER, APPROVER, CERT):
        step(engine, db, case_id, "approve", actor)
    engine.act(case_id, "deliver", CLERK, method="ems")
    assert the_case(db, case_id).delivered_at is not None
    assert case_events(db, case_id)[-1] == "deliver"


def test_a_stale_task_revision_is_a_conflict_and_changes_nothing(engine, db):
    case_id = submitted(engine)
    (task,) = open_tasks(db, case_id)
    with pytest.raises(Conflict):
        engine.act(case_id, "accept", CLERK, task_id=task.id, expected_revision=task.revision + 1)
    engine.act(case_id, "accept", CLERK, task_id=task.id, expected_revision=task.revision)
    with pytest.raises(Conflict) as raised:
        engine.act(case_id, "accept", CLERK, task_id=task.id)
    assert raised.value.code == "task_done" and "已处理" in raised.value.zh
    assert raised.value.details["completed_by"] == CLERK.subject  # who did it: here the same clerk, a second time
    assert the_case(db, case_id).state == "in_progress"


def test_received_in_one_tenant_handled_by_another(engine, db):
    sanya_clerk = staff("sanya-clerk", SANYA, "window_clerk")
    case = engine.submit(HAIKOU, SANYA, sanya_clerk, application(channel="window"))
    row = the_case(db, case["id"])
    assert row.tenant_id == HAIKOU and row.received_tenant_id == SANYA
    from tongban.platform.approval.models import Case, Task
    from tests_support import tenant_context
    with db.unit_of_work(tenant_context(db, SANYA)) as s:  # Sanya sees what it received, not Haikou's work
        assert [c.number for c in s.scalars(select(Case))] == [case["number"]]
        assert s.scalars(select(Task)).all() == []
    with db.unit_of_work(tenant_context(db, HAIKOU)) as s:
        assert len(s.scalars(select(Task).where(Task.case_id == case["id"])).all()) == 1
    step(engine, db, case["id"], "accept", CLERK)
    with pytest.raises(Forbidden):
        engine.submit(HAIKOU, SANYA, CLERK, application(channel="window"))  # Haikou's clerk is not at Sanya's window
