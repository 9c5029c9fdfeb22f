"""Two workers ticking at the same moment raise each alert once, on SQLite and on PostgreSQL."""
import threading
from collections import Counter

from sqlalchemy import func, select
from supervision_helpers import accepted, alerts, bj, tick

from tongban.platform.supervision.alerts import Raise, raise_alerts
from tongban.platform.supervision.models import Rollup, SupervisionEvent
from tongban.platform.supervision.rules import current_rules
from tongban.tenants.isolation import TenantContext


def together(n, work):
    barrier, errors, results = threading.Barrier(n), [], []

    def run(i):
        barrier.wait()
        try:
            results.append(work(i))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    return results


def test_two_workers_ticking_at_once_raise_every_alert_exactly_once(engine, db):
    cases = [accepted(engine, db, bj(2026, 3, 2, 9 + i % 8)) for i in range(6)]
    tick(db, bj(2026, 3, 2, 18))  # the timers are armed
    results = together(2, lambda _: tick(db, bj(2026, 6, 30)))
    raised = alerts(db)
    keys = Counter((a.rule_code, a.subject_key) for a in raised)
    assert keys and max(keys.values()) == 1
    assert {a.case_id for a in raised} == set(cases)
    assert sorted(i for r in results for i in r.alerts) == sorted(a.id for a in raised)  # each by one worker
    with db.unit_of_work(TenantContext.system("t")) as s:
        raise_events = s.scalar(select(func.count()).select_from(SupervisionEvent).where(SupervisionEvent.action == "raise"))
        counted = s.scalar(select(func.sum(Rollup.warnings + Rollup.yellow_cards + Rollup.red_cards)))
    assert raise_events == len(raised)
    assert counted == len([a for a in raised if a.state == "issued"])


def test_the_unique_key_holds_when_two_transactions_raise_the_same_alert(engine, db):
    case_id = accepted(engine, db, bj(2026, 3, 2))

    def raise_once(_):
        with db.unit_of_work(TenantContext.system("worker")) as s:
            rule = current_rules(s)["case_yellow"]
            return [a.id for a in raise_alerts(s, [Raise(rule, f"case:{case_id}", "4601", case_id=case_id)],
                                               bj(2026, 3, 20))]

    results = together(4, raise_once)
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert len(alerts(db, case_id, "case_yellow")) == 1
