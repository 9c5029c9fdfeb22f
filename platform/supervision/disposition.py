"""What happens to an alert after it is raised, as a table of allowed moves; every move is logged, counted
and notified in the same transaction.

    pending ──confirm──▶ issued ──appeal (department)──▶ appealed ──withdraw──▶ withdrawn
       │                   │                                │──reject──▶ issued
       └─withdraw/cancel   │                                └──escalate──▶ appealed (one level up)
                           └──order_correction (督办)──▶ under_supervision ──rectify (department)──▶
                                rectification_submitted ──accept──▶ closed / ──reject──▶ under_supervision
    under_supervision past its deadline ──escalate (tick)──▶ under_supervision, one level up
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tongban.platform.supervision import casedata, notify
from tongban.platform.supervision.errors import SupervisionError, WrongState
from tongban.platform.supervision.models import Alert, SupervisionEvent
from tongban.platform.supervision.stats import facts, rollup

MOVES: dict[str, tuple[frozenset[str], str | None]] = {  # action → (from states, to state; None = unchanged)
    "confirm": (frozenset({"pending"}), "issued"),
    "withdraw": (frozenset({"pending", "issued", "appealed"}), "withdrawn"),
    "cancel": (frozenset({"pending", "issued"}), "cancelled"),
    "appeal": (frozenset({"issued"}), "appealed"),
    "reject_appeal": (frozenset({"appealed"}), "issued"),
    "order_correction": (frozenset({"issued"}), "under_supervision"),
    "rectify": (frozenset({"under_supervision"}), "rectification_submitted"),
    "accept_rectification": (frozenset({"rectification_submitted"}), "closed"),
    "reject_rectification": (frozenset({"rectification_submitted"}), "under_supervision"),
    "escalate": (frozenset({"appealed", "under_supervision"}), None),
}
NEEDS_REASON = {"withdraw", "cancel", "appeal", "reject_appeal", "reject_rectification", "rectify", "escalate"}
NOTICE = {"confirm": "confirmed", "withdraw": "withdrawn", "cancel": "cancelled", "appeal": "appealed",
          "reject_appeal": "appeal_rejected", "order_correction": "under_supervision", "rectify": "rectified",
          "accept_rectification": "closed", "reject_rectification": "rectification_rejected", "escalate": "escalated"}
LABEL_ZH = {"confirm": "确认", "withdraw": "撤回", "cancel": "撤销", "appeal": "申诉", "reject_appeal": "驳回申诉",
            "order_correction": "督办", "rectify": "提交整改报告", "accept_rectification": "通过整改",
            "reject_rectification": "退回整改", "escalate": "提级"}


def move(session: Session, alert: Alert, action: str, *, actor: str, actor_tenant: str | None, now: datetime,
         comment: str = "", details: dict | None = None, **changes) -> Alert:
    """Apply ``action`` to ``alert`` or refuse (nothing changed) when the state does not allow it."""
    allowed, target = MOVES[action]
    if alert.state not in allowed:
        raise WrongState("wrong_state", f"该监察事项当前为“{notify.STATE_ZH[alert.state]}”，不能{LABEL_ZH[action]}",
                         f"the alert is {alert.state}; it cannot take '{action}' now")
    if action in NEEDS_REASON and not (comment or "").strip():
        raise SupervisionError("reason_required", f"{LABEL_ZH[action]}必须说明理由", f"'{action}' needs a reason",
                               field="reason")
    before_state, before = alert.state, facts.alert_contributions(alert)
    if target is not None:
        alert.state = target
    for name, value in changes.items():
        setattr(alert, name, value)
    rollup.apply(session, rollup.difference(before, facts.alert_contributions(alert)))
    session.add(SupervisionEvent(tenant_id=alert.tenant_id, subject=f"alert:{alert.id}", at=now, actor=actor,
                                 actor_tenant=actor_tenant, action=action, from_state=before_state,
                                 to_state=alert.state, comment=(comment or "").strip(), details=details or {}))
    session.flush()
    notify.alert_changed(session, alert, NOTICE[action], comment)
    return alert


def escalate(session: Session, alert: Alert, now: datetime, *, actor: str, reason: str,
             actor_tenant: str | None = None) -> Alert:
    """Send the alert to the supervising level above; at the top it stays, its deadline cleared and logged."""
    upper = casedata.parent_supervisor(session, alert.supervisor_code)
    details = {"from": alert.supervisor_code, "to": upper or alert.supervisor_code, "at_top": upper is None}
    return move(session, alert, "escalate", actor=actor, actor_tenant=actor_tenant, now=now, comment=reason,
                details=details, supervisor_code=upper or alert.supervisor_code, escalations=alert.escalations + 1,
                correction_due_at=None)
