"""``tongban simulate vertical``: a department system reporting cases the way real ones do — steps out of
order, some messages sent twice, some cases with a hearing, a late e-license or a refusal without reason."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from tongban.platform.approval.actors import Actor
from tongban.platform.supervision.errors import Invalid
from tongban.platform.supervision.vertical.clients import register_client
from tongban.platform.supervision.vertical.intake import intake_vertical

STEPS = (("accept", "受理", "acceptance"), ("check", "审核", "review"), ("approve", "审批", "decision"),
         ("issue", "制证", "conclusion"))


def simulate_vertical(database, *, client_id: str = "gat-demo", tenant: str = "4601", department: str = "公安局",
                      cases: int = 20, seed: int = 1, start: datetime | None = None, duplicate_share: float = 0.2,
                      webhook_url: str | None = None) -> dict:
    """Report ``cases`` cases; returns counts of messages, replays (duplicates) and cases by outcome."""
    rng = random.Random(seed)
    start = start or datetime.fromisoformat("2026-03-02T09:00:00+08:00")
    register_client(database, client_id, name=f"{department}业务系统", tenant_code=tenant, department=department,
                    actor=Actor.system(), webhook_url=webhook_url)
    summary = {"messages": 0, "replayed": 0, "cases": 0, "refused": 0, "errors": []}
    for n in range(cases):
        messages = case_messages(rng, f"{client_id}-{seed}-{n:05d}", tenant, start + timedelta(hours=n))
        sent = messages + [m for m in messages if rng.random() < duplicate_share]
        for message in sent:
            try:
                result = intake_vertical(database, client_id, message)
            except Invalid as error:
                summary["errors"].append(error.errors)
                continue
            summary["messages"] += 1
            summary["replayed"] += result["replayed"]
        summary["cases"] += 1
        summary["refused"] += any((m.get("conclusion") or {}).get("result") == "refused" for m in messages)
    return summary


def case_messages(rng: random.Random, external_id: str, tenant: str, submitted: datetime) -> list[dict]:
    accepted = submitted + timedelta(hours=1)
    base = {"tenant": tenant, "item_code": "GA-CRJ-01", "item_name": "普通护照签发", "channel": rng.choice(["window", "online"]),
            "applicant": {"subject": f"person:{rng.randint(1, 10**6)}", "name": "模拟申请人"},
            "submitted_at": submitted.isoformat(), "accepted_at": accepted.isoformat(), "promised_limit_days": 7,
            "legal_limit_days": 15, "license_required": True}
    messages = [{"idempotency_key": f"{external_id}:case", "external_id": external_id, "case": base}]
    at, steps = accepted, []
    for step_id, name, point in STEPS:
        done = at + timedelta(hours=rng.randint(2, 60))
        steps.append({"idempotency_key": f"{external_id}:{step_id}", "external_id": external_id, "steps": [
            {"step_id": step_id, "name": name, "point": point, "department": "出入境管理支队", "handler": f"民警{rng.randint(1, 9)}",
             "started_at": at.isoformat(), "completed_at": done.isoformat(), "limit_days": 2}]})
        at = done
    rng.shuffle(steps)  # steps reach us in any order
    messages += steps
    if rng.random() < 0.2:
        messages.append({"idempotency_key": f"{external_id}:hearing", "external_id": external_id, "special_procedures": [
            {"procedure_id": "h1", "kind": "hearing", "started_at": (accepted + timedelta(days=1)).isoformat(),
             "ended_at": (accepted + timedelta(days=rng.choice([3, 12]))).isoformat(), "approved_days": 5}]})
    refused = rng.random() < 0.05
    conclusion = {"result": "refused" if refused else "approved", "concluded_at": (at + timedelta(hours=1)).isoformat(),
                  "reason": "" if refused else None,
                  "certificate_number": None if rng.random() < 0.1 else f"HZ{rng.randint(10**7, 10**8)}"}
    messages.append({"idempotency_key": f"{external_id}:end", "external_id": external_id, "conclusion": conclusion})
    return messages
