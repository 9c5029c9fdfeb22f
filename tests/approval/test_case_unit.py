"""The engine's case unit shares the session's transaction: the ORM sees its changes, a savepoint begun after
them cannot take them away, and a row changed by someone else since it was read refuses the whole batch."""
import pytest
from sqlalchemy import func, select, text, update

from approval_fixtures import application, case_events, citizen, the_case
from tongban.platform.approval.errors import Conflict
from tongban.platform.approval.models import Case, CaseMaterial, Task
from tongban.platform.approval.unit import CaseUnit
from tongban.tenants.isolation import TenantContext


def _submitted(engine):
    return engine.submit("4601", "4601", citizen(), application())["id"]


def test_an_orm_read_sees_what_the_unit_holds(engine, db):
    case_id = _submitted(engine)
    with db.unit_of_work(TenantContext.system("test")) as session:
        CaseUnit.of(session).load_case(case_id).result_note = "unit"
        assert session.get(Case, case_id).result_note == "unit"
    assert the_case(db, case_id).result_note == "unit"


def test_a_savepoint_rolled_back_keeps_the_changes_the_unit_held_before_it(engine, db):
    case_id = _submitted(engine)
    with db.unit_of_work(TenantContext.system("test")) as session:
        CaseUnit.of(session).load_case(case_id).result_note = "before the savepoint"
        savepoint = session.begin_nested()
        session.connection()  # the SAVEPOINT is on the database before anything else runs in it
        session.execute(text("SELECT 1"))
        savepoint.rollback()
    assert the_case(db, case_id).result_note == "before the savepoint"


def test_a_row_changed_since_it_was_read_refuses_the_batch_and_nothing_is_written(engine, db):
    case_id = _submitted(engine)
    with pytest.raises(Conflict) as refused:
        with db.unit_of_work(TenantContext.system("test")) as session:
            unit = CaseUnit.of(session)
            case = unit.load_case(case_id, lock=False)
            case.result_note = "stale"
            with db.unit_of_work(TenantContext.system("other")) as other:  # another writer, committed first
                other.execute(update(Case).where(Case.id == case_id).values(revision=Case.revision + 1))
            unit.write()
    assert refused.value.code == "concurrent_change"
    assert the_case(db, case_id).result_note is None
    assert case_events(db, case_id) == ["submit"]


def test_a_conflict_on_one_row_refuses_every_other_row_of_the_batch(engine, db):
    """The case, its task and a new event go in one batch (on PostgreSQL one statement); the task was changed by
    someone else since it was read, so none of it is written."""
    submitted = engine.submit("4601", "4601", citizen(), application())
    case_id, task_id = submitted["id"], submitted["opened"][0]["id"]
    with pytest.raises(Conflict):
        with db.unit_of_work(TenantContext.system("test")) as session:
            unit = CaseUnit.of(session)
            case, task = unit.load_case(case_id, lock=False), unit.task(task_id)  # read without locks
            case.result_note, task.assignee = "stale", "someone"
            with db.unit_of_work(TenantContext.system("other")) as other:
                other.execute(update(Task).where(Task.id == task_id).values(revision=Task.revision + 1))
            unit.write()
    assert the_case(db, case_id).result_note is None
    with db.unit_of_work(TenantContext.system("test")) as session:
        assert session.get(Task, task_id).assignee is None


def test_two_changes_to_the_same_row_in_one_batch_both_count(engine, db):
    """Statements given to the batch that touch the same row are not run side by side (one would not see the
    other's change): both increments land."""
    case_id = _submitted(engine)
    before = the_case(db, case_id).event_count
    bump = "UPDATE cases SET event_count = event_count + 1 WHERE id = %(case)s"
    with db.unit_of_work(TenantContext.system("test")) as session:
        unit = CaseUnit.of(session)
        unit.add_statement(bump, {"case": case_id})
        unit.add_statement(bump, {"case": case_id})
        unit.write()
    assert the_case(db, case_id).event_count == before + 2


def test_more_rows_than_one_statement_can_carry_are_all_written(engine, db):
    """9,000 rows of eight columns are 72,000 parameters, more than one PostgreSQL statement takes (65,535)."""
    case_id = _submitted(engine)
    rows = [{"tenant_id": "4601", "case_id": case_id, "material_id": f"extra-{n}", "name": f"附件{n}",
             "status": "missing", "files": [], "license_ref": None, "supply_due_at": None} for n in range(9000)]
    with db.unit_of_work(TenantContext.system("test")) as session:
        unit = CaseUnit.of(session)
        unit.add_rows(CaseMaterial.__table__, rows)
        unit.write()
    with db.unit_of_work(TenantContext.system("test")) as session:
        extra = session.scalar(select(func.count()).select_from(CaseMaterial).where(
            CaseMaterial.case_id == case_id, CaseMaterial.material_id.like("extra-%")))
    assert extra == 9000


def test_statements_dropped_from_the_connection_are_prepared_again(engine, db, settings):
    """On PostgreSQL the unit prepares its statements once per connection. Someone else may drop them (a pooler,
    an administrator's DEALLOCATE ALL): the next action still goes through, and so do the ones after it."""
    if not db.is_postgres:
        pytest.skip("prepared statements are PostgreSQL's")
    from approval_fixtures import CLERK, REVIEWER, service
    from tongban.platform.db import Database

    one = Database(db.url, pool_size=1)  # one connection: the one whose statements are dropped
    try:
        handling = service(one, settings)
        submitted = handling.submit("4601", "4601", citizen(), application())
        case_id = submitted["id"]
        with one.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar() > 0
            connection.exec_driver_sql("DEALLOCATE ALL")
        accepted = handling.act(case_id, "accept", CLERK, task_id=submitted["opened"][0]["id"])
        handling.act(case_id, "approve", REVIEWER, task_id=accepted["opened"][0]["id"])
    finally:
        one.dispose()
    assert case_events(db, case_id) == ["submit", "accept", "approve"]
    assert the_case(db, case_id).state == "in_progress"


def test_a_rollback_on_the_connection_leaves_the_units_statements_in_place(engine, db, settings):
    """psycopg drops every prepared statement of a connection when a transaction on it rolls back; its own
    preparing is off, so the unit's statements stay prepared: an action refused with a rollback between two that
    succeed prepares nothing again."""
    if not db.is_postgres:
        pytest.skip("prepared statements are PostgreSQL's")
    from approval_fixtures import CLERK, service
    from tongban.platform.approval.errors import ApprovalError
    from tongban.platform.db import Database

    one = Database(db.url, pool_size=1)
    try:
        handling = service(one, settings)
        first = handling.submit("4601", "4601", citizen(), application())
        second = handling.submit("4601", "4601", citizen(), application())
        with one.engine.connect() as connection:
            for _ in range(6):  # what psycopg would prepare, were its preparing on (after five uses)
                connection.exec_driver_sql("SELECT name FROM pg_prepared_statements").all()
            before = set(connection.exec_driver_sql("SELECT name FROM pg_prepared_statements").scalars())
        with pytest.raises(ApprovalError):
            handling.act(first["id"], "refuse", CLERK, task_id=first["opened"][0]["id"], reason=" ")
        handling.act(second["id"], "accept", CLERK, task_id=second["opened"][0]["id"])
        with one.engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT name FROM pg_prepared_statements").scalars().all()
    finally:
        one.dispose()
    assert before and before <= set(names) and all(name.startswith("tb_") for name in names)
    assert case_events(db, second["id"]) == ["submit", "accept"]
