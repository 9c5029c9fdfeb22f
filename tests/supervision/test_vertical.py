"""Vertical systems report cases: validation by field, idempotent repeats, steps out of order, their alerts
pushed back to a webhook that fails twice before it answers."""
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from supervision_helpers import alerts, bj, rules_fired, tick

from tongban.platform.approval.actors import Actor
from tongban.platform.approval.models import Case, Task
from tongban.platform.supervision.errors import Forbidden, Invalid
from tongban.platform.supervision.vertical.clients import register_client
from tongban.platform.supervision.vertical.intake import intake_vertical
from tongban.platform.supervision.vertical.simulate import simulate_vertical
from tongban.platform.supervision.vertical.webhooks import deliver_webhooks, pending
from tongban.tenants.isolation import TenantContext


def case_message(key="c1", external="GA-1", **changes):
    case = {"tenant": "4601", "item_code": "GA-CRJ-01", "item_name": "普通护照签发", "channel": "window",
            "applicant": {"subject": "person:9", "name": "李四"}, "submitted_at": "2026-03-02T09:00:00+08:00",
            "accepted_at": "2026-03-02T10:00:00+08:00", "promised_limit_days": 3, "legal_limit_days": 5,
            "license_required": True, **changes}
    return {"idempotency_key": key, "external_id": external, "case": case}


def step(key, step_id, point, started, completed=None, external="GA-1"):
    return {"idempotency_key": key, "external_id": external, "steps": [
        {"step_id": step_id, "name": step_id, "point": point, "department": "出入境管理支队", "handler": "民警甲",
         "started_at": started, "completed_at": completed, "limit_days": 1}]}


@pytest.fixture
def receiver():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            calls.append((dict(self.headers), body))
            tries = sum(h["X-Tongban-Delivery"] == self.headers["X-Tongban-Delivery"] for h, _ in calls)
            self.send_response(500 if tries <= 2 else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alerts", calls
    server.shutdown()


@pytest.fixture
def client(db, receiver):
    return register_client(db, "gat", name="公安出入境系统", tenant_code="4601", department="公安局",
                           webhook_url=receiver[0], actor=Actor.system())


def the_case(db, case_id):
    with db.unit_of_work(TenantContext.system("t")) as s:
        case = s.get(Case, case_id)
        steps = list(s.scalars(select(Task).where(Task.case_id == case_id).order_by(Task.started_at)))
        return case, steps


def test_field_level_errors_in_both_languages_and_nothing_written(db, client):
    bad = case_message(channel="fax", submitted_at="2026-03-02 09:00", promised_limit_days=9)
    bad["case"].pop("item_name")
    bad["steps"] = [{"step_id": "s", "name": "x", "point": "lunch", "started_at": "2026-03-02T10:00:00+08:00",
                     "completed_at": "2026-03-01T10:00:00+08:00"}]
    with pytest.raises(Invalid) as raised:
        intake_vertical(db, "gat", bad)
    fields = {e["field"]: e for e in raised.value.errors}
    assert set(fields) == {"case.item_name", "case.channel", "case.submitted_at", "case.promised_limit_days",
                           "steps[0].point", "steps[0].completed_at"}
    assert "时区" in fields["case.submitted_at"]["zh"] and "offset" in fields["case.submitted_at"]["en"]
    with pytest.raises(Invalid) as raised:
        intake_vertical(db, "gat", step("s1", "accept", "acceptance", "2026-03-02T10:00:00+08:00", external="GA-9"))
    assert raised.value.errors[0]["field"] == "case" and raised.value.errors[0]["code"] == "case_unknown"
    with pytest.raises(Forbidden):
        intake_vertical(db, "nobody", case_message())
    with db.unit_of_work(TenantContext.system("t")) as s:
        assert s.scalars(select(Case)).all() == []


def test_repeats_change_nothing_and_steps_are_ordered_by_their_own_time(db, client):
    first = intake_vertical(db, "gat", case_message())
    again = intake_vertical(db, "gat", case_message())
    assert again == {**first, "replayed": True} and first["replayed"] is False
    intake_vertical(db, "gat", step("s2", "check", "review", "2026-03-03T09:00:00+08:00", "2026-03-03T15:00:00+08:00"))
    intake_vertical(db, "gat", step("s1", "accept", "acceptance", "2026-03-02T10:00:00+08:00",
                                    "2026-03-02T10:30:00+08:00"))
    case, _ = the_case(db, first["case_id"])
    events_before = case.event_count
    assert intake_vertical(db, "gat", step("s2", "check", "review", "2026-03-03T09:00:00+08:00",
                                           "2026-03-03T15:00:00+08:00"))["replayed"]
    with pytest.raises(Invalid) as raised:
        intake_vertical(db, "gat", step("s2", "check", "review", "2026-03-04T09:00:00+08:00"))
    assert raised.value.errors[0]["code"] == "key_reused"
    case, steps = the_case(db, first["case_id"])
    assert case.event_count == events_before and case.state == "in_progress" and case.case_type == "vertical"
    assert [t.node_id for t in steps] == ["v:accept", "v:check"] and {t.state for t in steps} == {"done"}
    assert case.promised_due_at == bj(2026, 3, 6, 0)


def test_a_card_on_a_vertical_case_reaches_its_webhook_after_two_failures(db, client, receiver):
    _url, calls = receiver
    case_id = intake_vertical(db, "gat", case_message())["case_id"]
    intake_vertical(db, "gat", step("s3", "approve", "decision", "2026-03-03T09:00:00+08:00"))
    tick(db, bj(2026, 3, 2, 12))
    tick(db, bj(2026, 3, 10, 0))  # 3 + 1 working days after Monday 2 March: 3, 4, 5, 6 March → 7 March 00:00
    (card,) = alerts(db, case_id, "case_yellow")
    assert card.fired_for == bj(2026, 3, 7, 0)
    assert (card.department, card.point, card.person) == ("出入境管理支队", "decision", "民警甲")
    n = len(alerts(db, case_id))  # the warning and the step's own limit came due too
    now = bj(2026, 3, 10, 0, 1)
    assert deliver_webhooks(db, now=now) == {"sent": 0, "failed": n}
    assert deliver_webhooks(db, now=now + timedelta(seconds=5)) == {"sent": 0, "failed": 0}  # backing off 10 s
    assert deliver_webhooks(db, now=now + timedelta(seconds=10)) == {"sent": 0, "failed": n}
    assert deliver_webhooks(db, now=now + timedelta(seconds=25)) == {"sent": 0, "failed": 0}  # then 20 s
    assert deliver_webhooks(db, now=now + timedelta(seconds=30)) == {"sent": n, "failed": 0}
    assert deliver_webhooks(db, now=now + timedelta(hours=1)) == {"sent": 0, "failed": 0}
    (delivery,) = [d for d in pending(db) if d["alert_id"] == card.id]
    assert delivery["attempts"] == 3 and delivery["delivered_at"] == now + timedelta(seconds=30)
    mine = [(h, b) for h, b in calls if h["X-Tongban-Delivery"] == str(delivery["id"])]
    assert len(mine) == 3
    headers, body = mine[-1]
    expected = hmac.new(client["webhook_secret"].encode(), headers["X-Tongban-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Tongban-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert (payload["external_id"], payload["rule"], payload["severity"]) == ("GA-1", "case_yellow", "yellow")


def test_a_refusal_without_reason_and_a_license_never_issued(db, client):
    refused = intake_vertical(db, "gat", case_message(key="r", external="GA-R"))["case_id"]
    intake_vertical(db, "gat", {"idempotency_key": "r-end", "external_id": "GA-R", "conclusion": {
        "result": "refused", "concluded_at": "2026-03-02T11:00:00+08:00", "reason": " "}})
    approved = intake_vertical(db, "gat", case_message(key="a", external="GA-A"))["case_id"]
    intake_vertical(db, "gat", {"idempotency_key": "a-end", "external_id": "GA-A", "conclusion": {
        "result": "approved", "concluded_at": "2026-03-03T11:00:00+08:00"}})
    tick(db, bj(2026, 3, 3, 12))
    assert rules_fired(db, refused) == ["refusal_without_reason"]
    # ten working days after Tuesday 3 March: 4 … 17 March → 18 March 00:00
    tick(db, bj(2026, 3, 17, 23, 59))
    assert "license_late" not in rules_fired(db, approved)
    tick(db, bj(2026, 3, 18, 0))
    assert rules_fired(db, approved) == ["license_late"]


def test_a_license_issued_in_time_takes_the_timer_down(db, client):
    case_id = intake_vertical(db, "gat", case_message(key="a", external="GA-A"))["case_id"]
    end = {"result": "approved", "concluded_at": "2026-03-03T11:00:00+08:00"}
    intake_vertical(db, "gat", {"idempotency_key": "a-end", "external_id": "GA-A", "conclusion": end})
    tick(db, bj(2026, 3, 3, 12))
    intake_vertical(db, "gat", {"idempotency_key": "a-lic", "external_id": "GA-A",
                                "conclusion": {**end, "certificate_number": "HZ123"}})
    tick(db, bj(2026, 4, 30))
    assert "license_late" not in rules_fired(db, case_id)


def test_the_simulator_reports_cases_with_duplicates_and_shuffled_steps(db):
    summary = simulate_vertical(db, cases=6, seed=3)
    assert summary["cases"] == 6 and summary["errors"] == [] and summary["replayed"] > 0
    with db.unit_of_work(TenantContext.system("t")) as s:
        cases = s.scalars(select(Case).where(Case.case_type == "vertical")).all()
    assert len(cases) == 6 and {c.state for c in cases} <= {"concluded", "refused"}
