"""Who hears about an alert: the responsible department and the supervisors (outbox, same transaction), and
the vertical system the case came from (a signed webhook delivery row, same transaction)."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tongban.platform.approval.notices import HANDLER_RESOLVERS
from tongban.platform.db import utcnow
from tongban.platform.identity.directory import prefetch
from tongban.platform.notify import outbox
from tongban.platform.supervision import bulk

SEVERITY_ZH = {"warning": "预警", "yellow": "黄牌", "red": "红牌"}
FROM_DEPARTMENT = frozenset({"appealed", "rectified"})
STATE_ZH = {"pending": "待确认", "issued": "已发出", "appealed": "申诉中", "under_supervision": "督办中",
            "rectification_submitted": "整改待审核", "withdrawn": "已撤回", "cancelled": "已撤销", "closed": "已办结"}


def alerts_raised(session: Session, alerts: list, vertical_cases: set[int]) -> None:
    """The notices of many new alerts as one bulk outbox insert (contacts looked up once per recipient group)."""
    contacts: dict[tuple, list[dict]] = {}
    messages, now = [], utcnow()
    prefetch(session, [g for a in alerts for g in ((a.supervisor_code, "supervisor", None),
                                                    *(((a.tenant_id, None, a.department or None),)
                                                      if a.state == "issued" else ()))])
    for alert in alerts:
        reference = {"alert": alert.id, "case": alert.case_number}
        if alert.state == "issued":
            messages += _messages(session, contacts, alert.tenant_id, (alert.tenant_id, None, alert.department or None),
                                  "alert_issued", _issued_text, alert, reference, now)
        messages += _messages(session, contacts, alert.tenant_id, (alert.supervisor_code, "supervisor", None),
                              "alert_raised", _raised_text, alert, reference, now)
    if messages:
        ids = bulk.insert(session, outbox.OutboxMessage.__table__, messages, returning=("id",))
        session.info.setdefault("outbox_pending", []).extend(SimpleNamespace(id=row.id) for row in ids)
    queue_webhooks(session, [a for a in alerts if a.case_id in vertical_cases and a.state == "issued"])


def _messages(session: Session, contacts: dict, owner: str, group: tuple, topic: str, wording, alert,
              reference: dict, now) -> list[dict]:
    """The emails of one alert to one recipient group (its text written only when someone is there to read it)."""
    if group not in contacts:
        contacts[group] = [c for resolve in HANDLER_RESOLVERS for c in resolve(session, *group) if c.get("email")]
    if not contacts[group]:
        return []
    text = wording(alert)
    return [{"tenant_id": owner, "channel": "email", "recipient": c["email"], "subject": f"【电子监察】{text[0][:60]}",
             "body": f"{text[0]}\n{text[1]}", "topic": topic, "reference": reference, "created_at": now,
             "attempts": 0, "next_attempt_at": now} for c in contacts[group]]


def alert_changed(session: Session, alert, action: str, note: str = "") -> None:
    """After a disposition: a department's answer goes to the supervisors, a supervisor's decision to the
    department (and a card issued on confirmation is pushed to the vertical system)."""
    zh = f"监察{SEVERITY_ZH[alert.severity]}（{alert.details.get('rule_zh', alert.rule_code)}）{_about(alert)}：{STATE_ZH[alert.state]}"
    en = f"Supervision {alert.severity} ({alert.rule_code}) {alert.case_number or ''}: {alert.state}"
    text = (zh + (f"。{note}" if note else ""), en)
    if action in FROM_DEPARTMENT:
        to_supervisors(session, alert, f"alert_{action}", text)
    else:
        to_department(session, alert, f"alert_{action}", text)
    if action == "escalated":
        to_supervisors(session, alert, f"alert_{action}", text)
    if action == "confirmed" and alert.case_id:
        queue_webhooks(session, [alert])


def to_department(session: Session, alert, topic: str, text: tuple[str, str]) -> int:
    return send(session, alert.tenant_id, alert.tenant_id, None, alert.department or None, topic, text,
                {"alert": alert.id, "case": alert.case_number})


def to_supervisors(session: Session, alert, topic: str, text: tuple[str, str]) -> int:
    return send(session, alert.tenant_id, alert.supervisor_code, "supervisor", None, topic, text,
                {"alert": alert.id, "case": alert.case_number})


def send(session: Session, owner: str, tenant_code: str, role: str | None, department: str | None, topic: str,
         text: tuple[str, str], reference: dict) -> int:
    """An email to everyone the identity room lists for (tenant, role, department), via the outbox."""
    count = 0
    for resolve in HANDLER_RESOLVERS:
        for contact in resolve(session, tenant_code, role, department):
            if contact.get("email"):
                outbox.add(session, tenant_id=owner, channel="email", recipient=contact["email"],
                           subject=f"【电子监察】{text[0][:60]}", body=f"{text[0]}\n{text[1]}", topic=topic,
                           reference=reference)
                count += 1
    return count


def _about(alert) -> str:
    return f"办件 {alert.case_number}" if alert.case_number else f"{alert.subject_key}"


def _issued_text(alert) -> tuple[str, str]:
    return (f"您单位收到监察{SEVERITY_ZH[alert.severity]}：{alert.details.get('rule_zh', '')}，{_about(alert)}。",
            (f"Your department received a supervision {alert.severity}: {alert.details.get('rule_en', '')}, "
             f"{alert.case_number or alert.subject_key}."))


def _raised_text(alert) -> tuple[str, str]:
    waiting = "，待确认" if alert.state == "pending" else ""
    return (f"{alert.details.get('rule_zh', '')}：{_about(alert)}（{alert.department or alert.tenant_id}）{waiting}。",
            f"{alert.details.get('rule_en', '')}: {alert.case_number or alert.subject_key} ({alert.state}).")


def queue_webhooks(session: Session, alerts: list) -> int:
    """One delivery per issued alert on a case reported by a vertical system with a webhook."""
    from tongban.platform.supervision.vertical.models import VerticalClient, VerticalLink, WebhookDelivery

    case_ids = [a.case_id for a in alerts if a.case_id]
    if not case_ids:
        return 0
    links = {link.case_id: link for link in session.scalars(select(VerticalLink).where(VerticalLink.case_id.in_(case_ids)))}
    if not links:
        return 0
    clients = {c.client_id: c for c in session.scalars(select(VerticalClient).where(
        VerticalClient.client_id.in_({link.client_id for link in links.values()})))}
    rows = []
    for alert in alerts:
        link = links.get(alert.case_id)
        client = clients.get(link.client_id) if link else None
        if client is None or not client.webhook_url or not client.active:
            continue
        rows.append({"tenant_id": alert.tenant_id, "client_id": client.client_id, "alert_id": alert.id,
                     "payload": webhook_payload(alert, link.external_id), "attempts": 0,
                     "created_at": alert.raised_at, "next_attempt_at": alert.raised_at})
    if rows:
        session.execute(insert(WebhookDelivery.__table__), rows)
    return len(rows)


def webhook_payload(alert, external_id: str) -> dict:
    return {"alert_id": alert.id, "external_id": external_id, "case_number": alert.case_number,
            "rule": alert.rule_code, "rule_zh": alert.details.get("rule_zh"), "severity": alert.severity,
            "state": alert.state, "department": alert.department, "point": alert.point,
            "raised_at": alert.raised_at.isoformat(), "due": alert.fired_for.isoformat() if alert.fired_for else None}
