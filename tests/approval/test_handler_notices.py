"""The next handlers hear of a new task from the staff directory: the active staff holding the task's role in the
handling tenant, by email through the outbox; a grant or a revocation counts from the next task on."""
from sqlalchemy import select

from approval_fixtures import CLERK, application, citizen
from tongban.platform.identity import accounts, directory
from tongban.platform.identity.grants import grant_role, revoke_role
from tongban.platform.identity.models import Account
from tongban.platform.identity.passwords import Passwords, fast_hasher
from tongban.platform.identity.permissions import Role
from tongban.platform.notify.outbox import OutboxMessage
from tongban.tenants.isolation import TenantContext

PASSWORDS = Passwords(fast_hasher())


def _staff(db, username, tenant, roles, *, department="", subtree=False, status="active", email=True):
    with db.unit_of_work(TenantContext.system("test staff")) as session:
        account = accounts.register_staff(
            session, PASSWORDS, username=username, password="Tongban@2026", name=username, home_tenant_code=tenant,
            department=department, contact=accounts.Contact(f"{username}@gov.test" if email else None))
        account.status = status
        for role in roles:
            grant_role(session, account=account, role=Role(role), tenant_code=tenant, extends_to_subtree=subtree,
                       granter=None, actor="test")


def _told(db, number):
    with db.unit_of_work(TenantContext.system("read outbox")) as session:
        return sorted(m.recipient for m in session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "task_opened"))
                      if m.reference.get("case") == number)


def _accepted(engine):
    applicant = citizen()
    case = engine.submit("4601", "4601", applicant, application(applicant=applicant))
    (task,) = case["opened"]
    engine.act(case["id"], "accept", CLERK, task_id=task["id"])
    return case["number"]


def test_a_new_task_is_mailed_to_the_staff_holding_its_role_in_the_handling_tenant(engine, db):
    _staff(db, "hk.reviewer", "4601", ["reviewer"])
    _staff(db, "hk.reviewer.two", "4601", ["reviewer", "approver"])
    _staff(db, "hk.reviewer.left", "4601", ["reviewer"], status="disabled")
    _staff(db, "hk.reviewer.nomail", "4601", ["reviewer"], email=False)
    _staff(db, "hk.approver", "4601", ["approver"])
    _staff(db, "sy.reviewer", "4602", ["reviewer"])
    _staff(db, "province.reviewer", "46", ["reviewer"], subtree=True)  # may act in 海口, is not its mailbox

    number = _accepted(engine)

    assert _told(db, number) == ["hk.reviewer.two@gov.test", "hk.reviewer@gov.test"]
    with db.unit_of_work(TenantContext.system("read outbox")) as session:
        mail = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "task_opened")).first()
    assert mail.channel == "email" and number in mail.subject and "个体工商户设立登记" in mail.subject
    assert mail.subject.endswith("（审查）") and "环节：审查" in mail.body and "办理期限 2" in mail.body
    assert "我的待办" in mail.body and "New task" in mail.body


def test_the_window_clerks_hear_of_a_new_application(engine, db):
    _staff(db, "hk.window", "4601", ["window_clerk"])
    applicant = citizen()
    case = engine.submit("4601", "4601", applicant, application(applicant=applicant))
    assert _told(db, case["number"]) == ["hk.window@gov.test"]


def test_a_grant_or_revocation_counts_from_the_next_task(engine, db):
    _staff(db, "hk.reviewer", "4601", ["reviewer"])
    assert _told(db, _accepted(engine)) == ["hk.reviewer@gov.test"]

    _staff(db, "hk.newcomer", "4601", ["reviewer"])
    assert _told(db, _accepted(engine)) == ["hk.newcomer@gov.test", "hk.reviewer@gov.test"]

    with db.unit_of_work(TenantContext.system("revoke")) as session:
        leaver = session.scalar(select(Account).where(Account.username == "hk.reviewer"))
        revoke_role(session, account=leaver, role=Role("reviewer"), tenant_code="4601", granter=None, actor="test")
    assert _told(db, _accepted(engine)) == ["hk.newcomer@gov.test"]


def test_a_department_is_matched_by_its_code_whatever_name_the_account_was_given(db):
    _staff(db, "hk.market", "4601", ["approver"], department="海口市市场监督管理局")
    _staff(db, "hk.tax", "4601", ["approver"], department="taxation")
    with db.unit_of_work(TenantContext.system("lookup")) as session:
        by_code = directory.handler_contacts(session, "4601", "approver", "market_regulation")
        by_name = directory.handler_contacts(session, "4601", None, "市场监督管理局")
        everyone = directory.handler_contacts(session, "4601", "approver", None)
    assert [c["email"] for c in by_code] == [c["email"] for c in by_name] == ["hk.market@gov.test"]
    assert sorted(c["email"] for c in everyone) == ["hk.market@gov.test", "hk.tax@gov.test"]


def test_the_lists_are_kept_so_a_task_costs_no_directory_statement(engine, db):
    from sqlalchemy import event

    _staff(db, "hk.reviewer", "4601", ["reviewer"])
    _accepted(engine)  # the reviewers of 海口 are read once
    seen = []

    def listener(_conn, _cursor, sql, *_args):
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        number = _accepted(engine)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert _told(db, number) == ["hk.reviewer@gov.test"]
    assert not [s for s in seen if "identity_role_grants" in s]
