"""Each case type end to end, from intake to conclusion."""
from sqlalchemy import select

from approval_fixtures import (APPROVER, CERT, CLERK, HAIKOU, REVIEWER, application, case_events, citizen, open_tasks,
                               staff, step, the_case)
from tongban.platform.approval.models import Case
from tongban.tenants.isolation import TenantContext


def test_a_promised_case_from_online_application_to_certificate(engine, db):
    applicant = citizen()
    submitted = engine.submit(HAIKOU, HAIKOU, applicant, application())
    assert submitted["number"].startswith("4601-") and len(submitted["query_code"]) == 6
    case_id = submitted["id"]
    assert [t.node_id for t in open_tasks(db, case_id)] == ["accept"]
    step(engine, db, case_id, "accept", CLERK)
    assert the_case(db, case_id).state == "in_progress" and the_case(db, case_id).promised_due_at is not None
    step(engine, db, case_id, "approve", REVIEWER)
    step(engine, db, case_id, "approve", APPROVER)
    step(engine, db, case_id, "approve", CERT)
    case = the_case(db, case_id)
    assert case.state == "concluded" and case.result == "approved"
    assert case.certificate_number.startswith("CERT-") or case.certificate_number
    assert open_tasks(db, case_id) == []
    assert case_events(db, case_id) == ["submit", "accept", "approve", "approve", "approve", "conclude"]


def test_an_immediate_case_concludes_at_acceptance(engine, db):
    case = engine.submit(HAIKOU, HAIKOU, citizen(), application("NOW"))
    step(engine, db, case["id"], "accept", CLERK)
    assert the_case(db, case["id"]).state == "concluded"


def test_a_joint_case_fans_out_to_four_departments_and_issues_one_license(engine, db):
    case = engine.submit(HAIKOU, HAIKOU, citizen(), application("JOINT"))
    step(engine, db, case["id"], "accept", CLERK)
    tasks = open_tasks(db, case["id"])
    assert sorted(t.department for t in tasks) == ["human_resources_social_security", "market_regulation",
                                                    "public_security", "taxation"]
    for task in tasks:
        handler = staff(f"h-{task.department}", HAIKOU, "registrar", department=task.department)
        engine.act(case["id"], "approve", handler, task_id=task.id)
    (license_task,) = open_tasks(db, case["id"])
    assert license_task.node_id == "license"
    engine.act(case["id"], "approve", staff("lic", HAIKOU, "certificate_clerk", department="market_regulation"),
               task_id=license_task.id)
    done = the_case(db, case["id"])
    assert done.state == "concluded" and done.certificate_number.startswith("BUSINESSLICENSE-")


def test_a_report_up_case_is_decided_by_the_city(engine, db):
    township = "460105100"
    clerk = staff("t-clerk", township, "window_clerk")
    case = engine.submit(township, township, citizen(), application("REPORT"))
    step(engine, db, case["id"], "accept", clerk)
    step(engine, db, case["id"], "approve", staff("t-officer", township, "social_assistance_officer",
                                                   department="civil_affairs"))
    step(engine, db, case["id"], "report_up", staff("t-lead", township, "township_leader"))
    lower = the_case(db, case["id"])
    assert lower.state == "reported" and lower.paused
    with db.unit_of_work(TenantContext.system("test")) as s:
        upper = s.scalar(select(Case).where(Case.parent_case_id == case["id"]))
    assert upper.tenant_id == HAIKOU and upper.received_tenant_id == township
    step(engine, db, upper.id, "approve", staff("c-approver", HAIKOU, "approver", department="civil_affairs"))
    lower, upper = the_case(db, case["id"]), the_case(db, upper.id)
    assert upper.state == lower.state == "concluded" and lower.result == "approved" and not lower.paused
