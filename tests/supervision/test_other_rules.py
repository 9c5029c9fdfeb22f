"""Special procedures, late report-up, 一次性告知, fees and online-only items."""
from datetime import timedelta

from approval_fixtures import CLERK, REVIEWER, application, citizen, open_tasks, publish, staff, step
from catalogue_fixtures import content
from supervision_helpers import (
    accepted,
    alerts,
    armed,
    bj,
    end_special_procedure,
    rules_fired,
    special_procedure,
    tick,
)

from tongban.platform.supervision.tick import calendars_for

US = timedelta(microseconds=1)
TOWNSHIP = "460105100"


def test_a_hearing_over_its_approved_days_is_carded_once(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    special_procedure(db, case_id, "hearing", 5, bj(2026, 3, 3))
    tick(db, bj(2026, 3, 3, 11))
    # the start day does not count: 4, 5, 6, 9, 10 March → due 11 March 00:00
    tick(db, bj(2026, 3, 11, 0) - US)
    assert "special_overrun" not in rules_fired(db, case_id)
    assert not [k for k in armed(db, case_id) if k[0] == "case_yellow"]  # the case clock stands still meanwhile
    tick(db, bj(2026, 3, 11, 0))
    (alert,) = alerts(db, case_id, "special_overrun")
    assert alert.state == "pending" and alert.subject_key.startswith(f"case:{case_id}:pause:")


def test_a_hearing_ended_in_time_raises_nothing_and_the_case_clock_resumes(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    pause = special_procedure(db, case_id, "expert_review", 5, bj(2026, 3, 3))
    tick(db, bj(2026, 3, 3, 11))
    end_special_procedure(db, case_id, pause, bj(2026, 3, 6), calendars_for(db))
    tick(db, bj(2026, 3, 20))
    assert "special_overrun" not in rules_fired(db, case_id)
    # 3 working days paused (3 March 10:00 → 6 March 10:00): the yellow moment (11 used) moves from the end of
    # Tuesday 17 March to the end of Friday 20 March
    assert [at for (rule, _), at in armed(db, case_id).items() if rule == "case_yellow"] == [bj(2026, 3, 21, 0)]


def _township_case(engine, db, at):
    clerk = staff("t-clerk", TOWNSHIP, "window_clerk")
    case_id = engine.submit(TOWNSHIP, TOWNSHIP, citizen(), application("REPORT"), now=at)["id"]
    step(engine, db, case_id, "accept", clerk, now=at)
    step(engine, db, case_id, "approve", staff("t-officer", TOWNSHIP, "social_assistance_officer",
                                               department="civil_affairs"), now=at)
    return case_id


def test_a_first_review_sent_up_late_is_carded(engine, db):
    case_id = _township_case(engine, db, bj(2026, 3, 2))
    tick(db, bj(2026, 3, 2, 12))
    # 20 working days from Monday 2 March: 3 March … 30 March → 31 March 00:00
    tick(db, bj(2026, 3, 31, 0) - US)
    assert "report_up_late" not in rules_fired(db, case_id)
    tick(db, bj(2026, 3, 31, 0))
    (alert,) = alerts(db, case_id, "report_up_late")
    assert (alert.tenant_id, alert.level, alert.point, alert.supervisor_code) == (TOWNSHIP, "township", "handling", "4601")
    step(engine, db, case_id, "report_up", staff("t-lead", TOWNSHIP, "township_leader"), now=bj(2026, 4, 1))
    tick(db, bj(2026, 4, 2))
    assert len(alerts(db, case_id, "report_up_late")) == 1


def test_a_first_review_sent_up_in_time_raises_nothing(engine, db):
    case_id = _township_case(engine, db, bj(2026, 3, 2))
    step(engine, db, case_id, "report_up", staff("t-lead", TOWNSHIP, "township_leader"), now=bj(2026, 3, 20))
    tick(db, bj(2026, 4, 30))
    assert "report_up_late" not in rules_fired(db, case_id)


def test_asking_for_supplements_twice_breaks_the_one_time_notice(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))
    missing = [{"material_id": "m1", "name": "申请书原件"}]
    step(engine, db, case_id, "request_supplement", REVIEWER, now=bj(2026, 3, 3), missing=missing)
    engine.act(case_id, "supply", citizen(), files={"m1": [{"id": "s", "name": "a.pdf", "size": 9}]}, now=bj(2026, 3, 4))
    tick(db, bj(2026, 3, 4, 12))
    assert "supplement_repeated" not in rules_fired(db, case_id)
    step(engine, db, case_id, "request_supplement", REVIEWER, now=bj(2026, 3, 5), missing=missing)
    tick(db, bj(2026, 3, 5, 12))
    tick(db, bj(2026, 3, 5, 13))
    (alert,) = alerts(db, case_id, "supplement_repeated")
    assert (alert.person, alert.point, alert.state) == (REVIEWER.subject, "review", "pending")


def test_a_fee_that_differs_from_the_standard(engine, db):
    from tongban.configurator.flows.examples import _accept, _conclude, _edge, _node

    body = content("FEE", "道路运输经营许可")
    body["flow"] = {"name": {"zh": "收费事项", "en": "Fee item"}, "nodes": [
        _accept(), _node("fee", "pay_fee", "缴费", "Pay fee", time_limit_days=2, assignment={"role": "cashier"}),
        _node("certificate", "issue_certificate", "发证", "Certificate", time_limit_days=1,
              assignment={"role": "certificate_clerk"}), _conclude()],
        "edges": [_edge("accept", "fee"), _edge("fee", "certificate"), _edge("certificate", "conclude")]}
    publish(db, "FEE", body)
    case_id = accepted(engine, db, bj(2026, 3, 2), item="FEE")
    cashier = staff("cashier", "4601", "cashier")
    step(engine, db, case_id, "charge", cashier, now=bj(2026, 3, 2, 11), amount="10.00")
    tick(db, bj(2026, 3, 2, 12))
    assert "fee_differs" not in rules_fired(db, case_id)
    step(engine, db, case_id, "charge", cashier, now=bj(2026, 3, 2, 13), amount="50")
    tick(db, bj(2026, 3, 2, 14))
    (alert,) = alerts(db, case_id, "fee_differs")
    assert alert.person == cashier.subject and alert.severity == "yellow"


def test_an_online_only_item_applied_for_at_a_window(engine, db):
    publish(db, "NET", content("NET", "网上专办事项", must_handle_online=True))
    online = accepted(engine, db, bj(2026, 3, 2), item="NET", channel="online")
    window = accepted(engine, db, bj(2026, 3, 2), item="NET", channel="window")
    tick(db, bj(2026, 3, 2, 12))
    assert "offline_for_online_item" not in rules_fired(db, online)
    (alert,) = alerts(db, window, "offline_for_online_item")
    assert alert.point == "acceptance" and alert.person == CLERK.subject
    assert open_tasks(db, window)
