"""Supervision as the API shows it: alerts (预警 / 黄牌 / 红牌) with their disposition log, statistics figures,
and ratings (好差评)."""
from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from tongban.graphql.tenants.types import Tenant, tenant_node
from tongban.platform.supervision.ratings.service import RECTIFICATION_LABELS


@strawberry.enum(description="预警 / 黄牌 / 红牌")
class AlertSeverity(Enum):
    WARNING = "warning"
    YELLOW = "yellow"
    RED = "red"


@strawberry.enum(description="监察事项状态")
class AlertState(Enum):
    PENDING = "pending"
    ISSUED = "issued"
    APPEALED = "appealed"
    UNDER_SUPERVISION = "under_supervision"
    RECTIFICATION_SUBMITTED = "rectification_submitted"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    CLOSED = "closed"


@strawberry.type(description="One step of an alert's disposition / 处置记录")
class AlertEvent:
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    comment: str | None
    details: JSON


@strawberry.type(name="Alert", description="A finding of electronic supervision against a tenant / 监察预警")
class AlertNode:
    id: strawberry.ID
    rule_code: str
    rule_version: int
    rule_name_zh: str | None
    rule_name_en: str | None
    severity: AlertSeverity
    state: str = strawberry.field(description="pending | issued | appealed | under_supervision | "
                                              "rectification_submitted | withdrawn | cancelled | closed")
    level: str
    department: str
    person: str | None
    point: str | None = strawberry.field(description="acceptance | handling | review | decision | conclusion")
    case_id: strawberry.ID | None
    case_number: str | None
    raised_at: datetime
    fired_for: datetime | None
    correction_due_at: datetime | None
    escalations: int
    tenant_code: strawberry.Private[str]
    supervisor_code: strawberry.Private[str]
    event_rows: strawberry.Private[list | None]

    @strawberry.field(description="The responsible tenant")
    def tenant(self, info: strawberry.Info) -> Tenant | None:
        found = info.context.snapshot.by_code.get(self.tenant_code)
        return tenant_node(found) if found else None

    @strawberry.field(description="The tenant whose supervisors decide it now (changes on escalation)")
    def supervisor(self, info: strawberry.Info) -> Tenant | None:
        found = info.context.snapshot.by_code.get(self.supervisor_code)
        return tenant_node(found) if found else None

    @strawberry.field(description="The disposition log (only on `alert(id:)`; empty in lists)")
    def events(self) -> list[AlertEvent]:
        return [AlertEvent(at=e["at"], actor=e["actor"], action=e["action"], from_state=e["from"], to_state=e["to"],
                           comment=e["comment"] or None, details=e["details"] or {}) for e in self.event_rows or []]


def alert_node(a: dict) -> AlertNode:
    return AlertNode(id=strawberry.ID(str(a["id"])), rule_code=a["rule"], rule_version=a["rule_version"],
                     rule_name_zh=a["name_zh"], rule_name_en=a["name_en"], severity=AlertSeverity(a["severity"]),
                     state=a["state"], level=a["level"], department=a["department"] or "", person=a["person"],
                     point=a["point"], case_id=strawberry.ID(str(a["case_id"])) if a["case_id"] else None,
                     case_number=a["case_number"], raised_at=a["raised_at"], fired_for=a["fired_for"],
                     correction_due_at=a["correction_due_at"], escalations=a["escalations"] or 0,
                     tenant_code=a["tenant"], supervisor_code=a["supervisor"], event_rows=a.get("events"))


@strawberry.type(description="Counts and rates of a subtree (or of one row of a breakdown) / 统计指标")
class Figures:
    received: int
    accepted: int
    concluded: int
    on_time: int
    early: int
    overdue: int
    received_for_others: int = strawberry.field(description="全省通办: received here for other tenants")
    online_received: int
    warnings: int
    yellow_cards: int
    red_cards: int
    cards: int
    ratings: int
    ratings_good: int
    ratings_bad: int
    on_time_rate: float | None
    avg_days_used: float | None = strawberry.field(description="Average working days used")
    avg_legal_days: float | None
    speed_up: float | None = strawberry.field(description="Share of the legal time saved, e.g. 0.76")
    satisfaction: float | None
    online_rate: float | None


FIGURE_FIELDS = ("received", "accepted", "concluded", "on_time", "early", "overdue", "received_for_others",
                 "online_received", "warnings", "yellow_cards", "red_cards", "cards", "ratings", "ratings_good",
                 "ratings_bad", "on_time_rate", "avg_days_used", "avg_legal_days", "speed_up", "satisfaction",
                 "online_rate")


def figures_node(row: dict) -> Figures:
    return Figures(**{name: row.get(name) for name in FIGURE_FIELDS})


@strawberry.type(description="Figures of one department, item, channel, month or tenant")
class FigureRow:
    key: str
    name: str | None = strawberry.field(description="The tenant's name (drill-down rows)")
    figures: Figures


@strawberry.type(description="整改 of a bad rating: the department reports, calls the rater back (回访), the rater "
                              "confirms; an upheld appeal voids it")
class RatingRectification:
    state: str = strawberry.field(description="open | reported | called | confirmed | void")
    label_zh: str
    label_en: str
    department: str
    due_at: datetime | None
    report: str | None
    attachments: list[str] = strawberry.field(description="The names of the files attached to the report")
    reported_at: datetime | None
    callback_note: str | None = strawberry.field(description="回访: what the rater said when called back")
    callback_at: datetime | None
    applicant_satisfied: bool | None
    may_confirm: bool | None = strawberry.field(description="caseRating only: whether the rater is asked to confirm "
                                                            "it now (confirmRatingRectification); null elsewhere")


@strawberry.type(description="A rating (好差评) and the rectification a bad one opens")
class Rating:
    id: strawberry.ID
    case_id: strawberry.ID | None
    visit_key: str | None
    level: int
    label_zh: str
    label_en: str
    bad: bool
    reason: str
    department: str
    state: str = strawberry.field(description="valid | appealed | excluded (申诉成立，不计入统计)")
    rated_at: datetime
    rectification_state: str | None
    rectification_due_at: datetime | None
    case_number: str | None = strawberry.field(default=None, description="In the lists of bad ratings")
    appeal_reason: str | None = strawberry.field(default=None, description="The department's appeal (申诉), in lists")
    appeal_decision: str | None = strawberry.field(default=None, description="The supervisor's reasons, in lists")
    rectification: RatingRectification | None = strawberry.field(default=None, description=(
        "The rectification of a bad rating, in the lists, caseRating and rateCase; appealRating and "
        "decideRatingAppeal answer with the rating alone (null here)"))
    tenant_code: strawberry.Private[str | None] = None

    @strawberry.field(description="The tenant the rating was made in")
    def tenant(self, info: strawberry.Info) -> Tenant | None:
        found = info.context.snapshot.by_code.get(self.tenant_code or "")
        return tenant_node(found) if found else None


def rectification_node(x: dict | None) -> RatingRectification | None:
    if not x:
        return None
    zh, en = x.get("label") or RECTIFICATION_LABELS.get(x["state"], (x["state"], x["state"]))
    return RatingRectification(state=x["state"], label_zh=zh, label_en=en, department=x.get("department") or "",
                               due_at=x.get("due_at"), report=x.get("report"),
                               attachments=[str(a.get("name", "")) if isinstance(a, dict) else str(a)
                                            for a in x.get("attachments") or []],
                               reported_at=x.get("reported_at"), callback_note=x.get("callback_note"),
                               callback_at=x.get("callback_at"), applicant_satisfied=x.get("applicant_satisfied"),
                               may_confirm=x.get("may_confirm"))


def rating_node(r: dict) -> Rating:
    fix = r.get("rectification") or {}
    return Rating(id=strawberry.ID(str(r["id"])), case_id=strawberry.ID(str(r["case_id"])) if r["case_id"] else None,
                  visit_key=r["visit_key"], level=r["level"], label_zh=r["label_zh"], label_en=r["label_en"],
                  bad=r["bad"], reason=r["reason"], department=r["department"] or "", state=r["state"],
                  rated_at=r["rated_at"], rectification_state=fix.get("state"), rectification_due_at=fix.get("due_at"),
                  case_number=r.get("case_number"), appeal_reason=r.get("appeal_reason"),
                  appeal_decision=r.get("appeal_decision"), rectification=rectification_node(fix),
                  tenant_code=r.get("tenant"))
