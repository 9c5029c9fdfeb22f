"""Two staff complete the same task at the same moment: exactly one succeeds, the other is told."""
import threading

from sqlalchemy import select

from approval_fixtures import CLERK, REVIEWER, application, case_events, citizen, open_tasks, staff, step
from tongban.platform.approval.errors import Conflict
from tongban.platform.approval.models import Task
from tongban.tenants.isolation import TenantContext


def race(engine, case_id, task_id, actors, action="approve"):
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def run(actor):
        barrier.wait()
        try:
            engine.act(case_id, action, actor, task_id=task_id)
            outcomes.append("ok")
        except Conflict as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=run, args=(a,)) for a in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(outcomes)


def test_concurrent_completion_of_one_task(engine, db):
    for _ in range(5):
        case_id = engine.submit("4601", "4601", citizen(), application())["id"]
        step(engine, db, case_id, "accept", CLERK)
        (task,) = open_tasks(db, case_id)
        second = staff("reviewer-2", "4601", "reviewer")
        outcomes = race(engine, case_id, task.id, [REVIEWER, second])
        assert outcomes.count("ok") == 1 and len(outcomes) == 2
        assert set(outcomes) - {"ok"} <= {"task_done", "concurrent_change"}
        assert case_events(db, case_id).count("approve") == 1
        with db.unit_of_work(TenantContext.system("t")) as s:
            decide = s.scalars(select(Task).where(Task.case_id == case_id, Task.node_id == "decide")).all()
        assert len(decide) == 1  # no double transition


def test_parallel_branches_completed_at_once_join_exactly_once(engine, db):
    case_id = engine.submit("4601", "4601", citizen(), application("JOINT"))["id"]
    step(engine, db, case_id, "accept", CLERK)
    tasks = open_tasks(db, case_id)
    barrier = threading.Barrier(len(tasks))
    errors = []

    def run(task):
        barrier.wait()
        handler = staff(f"h-{task.department}", "4601", "registrar", department=task.department)
        for _ in range(len(tasks) + 1):  # a department whose save lost the race tries again, as the page would
            try:
                engine.act(case_id, "approve", handler, task_id=task.id)
                return
            except Conflict as error:
                errors.append(error.code)

    threads = [threading.Thread(target=run, args=(t,)) for t in tasks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    remaining = open_tasks(db, case_id)
    assert [t.node_id for t in remaining] == ["license"]
    assert case_events(db, case_id).count("join") == 1
