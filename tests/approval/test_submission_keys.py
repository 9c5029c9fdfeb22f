"""Submission keys in the engine: one key, one case — a repeat (or a concurrent twin) gets the first case and
writes nothing; the key is the applicant's own; a submission without a key costs what it always did."""
import dataclasses
import threading

from sqlalchemy import event, func, select

from approval_fixtures import application, case_events, citizen
from tests_support import ON_POSTGRES, postgres_only
from tongban.platform.approval import service as service_module, unit as case_unit
from tongban.platform.approval.models import Case, SubmissionKey
from tongban.tenants.isolation import TenantContext


def keyed(key, applicant=None):
    return dataclasses.replace(application(applicant=applicant), submission_key=key)


def counts(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return (s.scalar(select(func.count()).select_from(Case)),
                s.scalar(select(func.count()).select_from(SubmissionKey)))


def test_a_repeated_key_returns_the_first_case_and_writes_nothing(engine, db):
    first = engine.submit("4601", "4601", citizen(), keyed("form-key-0001"))
    again = engine.submit("4601", "4601", citizen(), keyed("form-key-0001"))
    assert first["repeated"] is False and len(first["query_code"]) == 6
    assert again == {"id": first["id"], "number": first["number"], "query_code": None, "state": "submitted",
                     "opened": [], "repeated": True}
    assert counts(db) == (1, 1) and case_events(db, first["id"]) == ["submit"]


def test_the_key_is_the_applicants_own(engine, db):
    mine = engine.submit("4601", "4601", citizen(), keyed("form-key-0002"))
    other = citizen("李四", subject="person:2")
    theirs = engine.submit("4601", "4601", other, keyed("form-key-0002", applicant=other))
    assert theirs["repeated"] is False and theirs["id"] != mine["id"] and counts(db) == (2, 2)


def test_a_key_costs_its_look_up_and_its_insert_and_nothing_else(engine, db):
    """Everything the database executes is counted: the ORM's statements and the case unit's (its reads, its batch).
    The look-up is one statement more; the key's row is one more row of the batch — on PostgreSQL a part of the
    batch's one statement, on SQLite a statement of its own."""
    seen, rows = [], []

    def count(*_args):
        seen.append(1)

    def unit_count(_sql, kind):
        if kind.startswith("part:"):
            rows.append(1)
        elif kind != "round_trip":
            seen.append(1)

    statements = {}
    event.listen(db.engine, "before_cursor_execute", count)
    case_unit.OBSERVERS.append(unit_count)
    try:
        for label, key in (("warm", None), ("without", None), ("with", "form-key-0003")):
            seen.clear()
            rows.clear()
            engine.submit("4601", "4601", citizen(), keyed(key))
            statements[label] = (len(seen), len(rows))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        case_unit.OBSERVERS.remove(unit_count)
    (without, without_rows), (with_key, with_rows) = statements["without"], statements["with"]
    assert with_rows == without_rows + 1
    assert with_key == without + (1 if ON_POSTGRES else 2)

@postgres_only
def test_two_concurrent_submissions_with_one_key_make_one_case(engine, db, monkeypatch):
    """Both look the key up before either writes (a barrier holds them there): the unique constraint lets one
    case through; the other transaction rolls back whole and answers with that case."""
    barrier = threading.Barrier(2, timeout=30)
    looked_up = service_module.earlier_submission

    def both_look_first(*args):
        found = looked_up(*args)
        if found is None:
            barrier.wait()
        return found

    monkeypatch.setattr(service_module, "earlier_submission", both_look_first)
    lost = []
    after_losing = engine._submitted_concurrently

    def loser(*args):
        lost.append(1)
        return after_losing(*args)

    monkeypatch.setattr(engine, "_submitted_concurrently", loser)
    answers, errors = [], []

    def run():
        try:
            answers.append(engine.submit("4601", "4601", citizen(), keyed("form-key-race")))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(answers) == 2
    assert answers[0]["id"] == answers[1]["id"] and sorted(a["repeated"] for a in answers) == [False, True]
    assert counts(db) == (1, 1) and case_events(db, answers[0]["id"]) == ["submit"]
    assert lost == [1]  # one of them did hit the constraint (the race was real)
