"""The workbench's read models (platform/approval/queries.py): constant statements per page, no rows of
another tenant, due marks on working days, applicants recognised at the window, where an item is handled."""
from datetime import UTC, datetime, timedelta

import pytest
from approval_fixtures import CLERK, application, citizen, open_tasks, staff
from sqlalchemy import event
from tests_support import tenant_context

from tongban.platform.approval import queries
from tongban.platform.approval.errors import CaseNotFound
from tongban.platform.calendar.store import CalendarProvider
from tongban.platform.db import utcnow
from tongban.tenants.isolation import TenantContext

BOTH = staff("both", "4601", "window_clerk")
BOTH = type(BOTH)(BOTH.subject, BOTH.name, "staff", grants=BOTH.grants + staff("x", "4602", "window_clerk").grants)


def _submit(app, tenant="4601", received=None, now=None):
    return app.state.approval.submit(tenant, received or tenant, citizen(), application(), now=now)["id"]


def _calendar(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        return CalendarProvider(db).calendar(s)


def _tasks(db, actor, code="4601", calendar=None, context=None, **kwargs):
    context, calendar = context or tenant_context(db, code), calendar or _calendar(db)
    with db.unit_of_work(context) as s:
        return queries.my_tasks(s, actor, code, context.path, calendar=calendar, now=utcnow(), **kwargs)


def _statements(db, function):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_a_page_of_tasks_costs_the_same_statements_for_three_rows_or_twenty(app, db, items):
    for _ in range(3):
        _submit(app)
    calendar, context = _calendar(db), tenant_context(db, "4601")
    _tasks(db, BOTH, calendar=calendar)  # warm the flow cache
    few = _statements(db, lambda: _tasks(db, BOTH, calendar=calendar, context=context))
    for _ in range(22):
        _submit(app)
    many = _statements(db, lambda: _tasks(db, BOTH, calendar=calendar, context=context))
    assert few == many <= 4  # count, one page of rows with their cases, the item filter (+ PostgreSQL's set_config)
    assert _tasks(db, BOTH).total == 25 and len(_tasks(db, BOTH).rows) == 20


def test_no_task_or_case_of_another_tenant(app, db, items):
    haikou, sanya = _submit(app), _submit(app, tenant="4602")
    assert [r.case_id for r in _tasks(db, BOTH).rows] == [haikou]
    assert [r.case_id for r in _tasks(db, BOTH, code="4602").rows] == [sanya]
    calendar = CalendarProvider(db).calendar
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        with pytest.raises(CaseNotFound):
            queries.case_detail(s, sanya, BOTH, "4601", calendar=calendar(s), now=utcnow())
        with pytest.raises(CaseNotFound):
            queries.handled_case(s, sanya, "4601")


def test_a_case_received_here_for_another_tenant_is_listed_but_not_actionable(app, db, items):
    case_id = app.state.approval.submit("4602", "4601", CLERK, application(channel="window"))["id"]
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        page = queries.received_for_others(s, "4601")
        assert [c.id for c in page.cases] == [case_id] and page.total == 1
        detail = queries.case_detail(s, case_id, BOTH, "4601", calendar=CalendarProvider(db).calendar(s), now=utcnow())
        assert not detail.handled_here and detail.events == [] and detail.open_tasks == []
        with pytest.raises(CaseNotFound):
            queries.handled_case(s, case_id, "4601")
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        assert queries.received_for_others(s, "4602").total == 0


def test_open_tasks_say_whether_the_actor_may_handle_them(app, db, items):
    case_id = _submit(app)
    app.state.approval.act(case_id, "accept", CLERK, task_id=open_tasks(db, case_id)[0].id)
    calendar = CalendarProvider(db).calendar
    with db.unit_of_work(tenant_context(db, "4601")) as s:
        mine = queries.case_detail(s, case_id, staff("r", "4601", "reviewer"), "4601", calendar=calendar(s), now=utcnow())
        other = queries.case_detail(s, case_id, CLERK, "4601", calendar=calendar(s), now=utcnow())
    assert mine.open_tasks[0].mine and mine.open_tasks[0].node_label == "审查"
    assert not other.open_tasks[0].mine and other.open_tasks[0].refusal.code in ("forbidden", "wrong_role")
    assert mine.current_nodes == ["review"] and mine.permissions == {"approve_cases"}


def test_due_marks_count_working_days(db):
    with db.unit_of_work(TenantContext.system("t")) as s:
        calendar = CalendarProvider(db).calendar(s)
    monday = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 10:00 in Beijing
    assert queries.due_mark(calendar, monday - timedelta(minutes=1), monday) == "red"
    assert queries.due_mark(calendar, calendar.add_working_days(monday, 2).due, monday) == "yellow"
    assert queries.due_mark(calendar, calendar.add_working_days(monday, 3).due, monday) is None
    friday = datetime(2026, 11, 27, 2, tzinfo=UTC)
    assert queries.due_mark(calendar, datetime(2026, 12, 1, 16, tzinfo=UTC), friday) == "yellow"  # Mon, Tue
    assert queries.due_mark(calendar, None, friday) is None


def test_a_registered_applicant_is_recognised_at_the_window(app, db, settings, identity):
    from tongban.platform.identity.accounts import by_username
    from tongban.platform.identity.seed import demo_enterprise

    with db.unit_of_work(TenantContext.none()) as s:
        person = queries.applicant_subject(s, settings.secret_key, "person", "460100199003070015", "王 小明")
        assert person == by_username(s, "citizen").subject
        enterprise = demo_enterprise(s)
        assert queries.applicant_subject(s, settings.secret_key, "enterprise", enterprise.uscc.lower(),
                                         enterprise.name) == enterprise.subject
        walk_in = queries.applicant_subject(s, settings.secret_key, "person", "460100199001011230")
        assert walk_in.startswith("window:") and "460100199001011230" not in walk_in
        assert walk_in == queries.applicant_subject(s, settings.secret_key, "person", "460100199001011230")


def test_where_an_item_is_handled(db, items):
    from tongban.configurator.publishing import local

    handlers = {code: level for code, _name, level in queries.handling_tenants(db, "PROMISED", "46")}
    assert {"46", "4601", "4602", "460105100"} <= set(handlers) and handlers["460105100"] == "township"
    with db.unit_of_work(tenant_context(db, "4602")) as s:
        local.set_enabled(s, "4602", ["PROMISED"], False, actor="admin")
    after = {code for code, _name, _level in queries.handling_tenants(db, "PROMISED", "46")}
    assert "4602" not in after and not any(code.startswith("4602") for code in after)
    assert queries.handling_tenants(db, "NO-SUCH-ITEM", "46") == []
    assert queries.masked_number("460100199001011230") == "460100********1230"
    assert queries.masked_number("91460100MA5T0YF0PN") == "91460100MA5T0YF0PN"


def test_a_division_on_the_read_only_form_reads_as_its_names(db):
    from tongban.configurator.forms import FormSchema
    from tongban.platform.workbench import formview
    from tongban.tenants.directory import load_snapshot

    schema = FormSchema.parse({"fields": [
        {"name": "premises_division", "type": "division", "label": {"zh": "经营场所（行政区划）", "en": "Premises"}}]})
    with db.unit_of_work(TenantContext.none()) as s:
        snapshot = load_snapshot(s)
    (shown,) = formview.read_only(schema, {"premises_division": "460105100"}, snapshot)
    assert shown["text"] == "海口市 秀英区 长流镇"
    (unknown,) = formview.read_only(schema, {"premises_division": "460199999"}, snapshot)
    assert unknown["text"] == "460199999"  # a code the directory does not know stays as typed
