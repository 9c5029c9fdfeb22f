"""The engine's case unit shares the session's transaction: the ORM sees its changes, a savepoint begun after
them cannot take them away, and a row changed by someone else since it was read refuses the whole batch."""
import pytest
from sqlalchemy import text, update

from approval_fixtures import application, case_events, citizen, the_case
from tongban.platform.approval.errors import Conflict
from tongban.platform.approval.models import Case
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
