"""Every action takes the revision the user saw (optimistic concurrency): a stale one is a clear conflict."""
import pytest

from approval_fixtures import CLERK, application, case_events, citizen, open_tasks, the_case
from tongban.platform.approval.errors import Conflict
from tongban.platform.approval.service import ACTIONS, CASE_ACTIONS

TASK_ARGUMENTS = {
    "accept": {}, "refuse": {"reason": "不符合条件"}, "request_supplement": {"missing": [{"name": "身份证"}]},
    "supply": {}, "forward": {"department": "市场监管"}, "approve": {}, "reject": {"reason": "不符合条件"},
    "roll_back": {"comment": "重新审查"}, "withdraw": {}, "charge": {"amount": "10"}, "pay": {"reference": "P1"},
    "deliver": {"method": "window"}, "report_up": {}, "special_start": {"kind": "hearing", "approved_days": 5},
    "special_end": {},
}


def test_every_action_takes_an_expected_revision():
    import inspect

    assert set(TASK_ARGUMENTS) == set(ACTIONS)
    for name, handler in ACTIONS.items():
        assert "expected_revision" in inspect.signature(handler).parameters, name


@pytest.mark.parametrize("action", sorted(set(ACTIONS) - CASE_ACTIONS))
def test_a_stale_task_revision_is_refused_before_anything_changes(engine, db, action):
    case_id = engine.submit("4601", "4601", citizen(), application())["id"]
    (task,) = open_tasks(db, case_id)
    with pytest.raises(Conflict) as stale:
        engine.act(case_id, action, CLERK, task_id=task.id, expected_revision=task.revision + 1,
                   **TASK_ARGUMENTS[action])
    assert stale.value.code == "task_changed" and "刷新" in stale.value.zh and "reload" in stale.value.en
    assert stale.value.details["revision"] == task.revision
    assert case_events(db, case_id) == ["submit"] and the_case(db, case_id).state == "submitted"


def test_a_stale_case_revision_is_refused_for_actions_on_the_whole_case(engine, db):
    who = citizen()
    case_id = engine.submit("4601", "4601", who, application(applicant=who))["id"]
    seen = the_case(db, case_id).revision
    (task,) = open_tasks(db, case_id)
    engine.act(case_id, "accept", CLERK, task_id=task.id)  # the window accepted it meanwhile
    assert the_case(db, case_id).revision > seen
    with pytest.raises(Conflict) as stale:
        engine.act(case_id, "withdraw", who, reason="不办了", expected_revision=seen)
    assert stale.value.code == "case_changed" and "刷新" in stale.value.zh
    assert the_case(db, case_id).state == "in_progress"
    engine.act(case_id, "withdraw", who, reason="不办了", expected_revision=the_case(db, case_id).revision)
    assert the_case(db, case_id).state == "withdrawn"
