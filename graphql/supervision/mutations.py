"""Supervision mutations: supervisors dispose of alerts in their subtree (confirm, withdraw, cancel, decide an
appeal, order 督办, review the rectification); the department an alert is about answers it in its own tenant
(申诉 an issued card, 整改 report after 督办); applicants rate a case or a window visit (好差评). Each calls one
supervision service; its refusals come back as ``errors`` in the payload and nothing was changed."""
from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import strawberry

from tongban.graphql.approval.people import acting_staff
from tongban.graphql.core.auth import CASES_WRITE, SUPERVISION_WRITE, requires
from tongban.graphql.core.errors import UserError, not_found, user_error
from tongban.graphql.core.tenancy import tenant_of
from tongban.graphql.supervision.queries import supervision_of
from tongban.graphql.supervision.types import AlertNode, Rating, alert_node, rating_node
from tongban.platform.approval.reads import parse_case_id as parse_id
from tongban.platform.supervision import attachments
from tongban.platform.supervision.errors import Invalid, NotFound, SupervisionError
from tongban.platform.supervision.ratings import service as ratings
from tongban.platform.supervision.service import SupervisionService

FIELDS = {"instructions": "instructions", "decision": "decision", "reason": "reason", "level": "level",
          "visit_key": "visitKey", "comment": "comment"}


@strawberry.type
class AlertPayload:
    alert: AlertNode | None
    errors: list[UserError]


@strawberry.type
class RatingPayload:
    rating: Rating | None
    errors: list[UserError]


def supervision_errors(error: SupervisionError) -> list[UserError]:
    if isinstance(error, Invalid):
        return [user_error(e.get("code", "invalid"), e.get("zh", ""), e.get("en", ""), e.get("field")) for e in error.errors]
    return [user_error(error.code, error.zh, error.en, FIELDS.get(error.field or "", error.field))]


def _dispose(info: strawberry.Info, tenant: str | None, alert_id: strawberry.ID,
             call: Callable[[SupervisionService, object, str, int], dict], reason_field: str = "reason") -> AlertPayload:
    """Not in the caller's subtree → not found; else the supervision room decides. ``reason_field``: the input
    field that carries what the domain calls the reason."""
    context = info.context
    place = tenant_of(context, tenant)
    key = parse_id(alert_id)
    if key is None:
        return AlertPayload(alert=None, errors=[not_found("监察事项", "alert", "alertId")])
    try:
        return AlertPayload(alert=alert_node(call(supervision_of(context), context.actor, place.code, key)), errors=[])
    except NotFound:
        return AlertPayload(alert=None, errors=[not_found("监察事项", "alert", "alertId")])
    except SupervisionError as error:
        if error.code == "forbidden":
            return AlertPayload(alert=None, errors=[not_found("监察事项", "alert", "alertId")])
        errors = supervision_errors(error)
        for e in errors:
            e.field = reason_field if e.field == "reason" else e.field
        return AlertPayload(alert=None, errors=errors)


ATTACHMENTS_HELP = ("Files handed in before through POST /graphql/uploads/attachments, named by the `attachment` "
                    "reference it returned (yours, within a day)")


def attached_files(info: strawberry.Info, references: list[str] | None) -> list[dict]:
    """The files the references name (SupervisionError on the reference that is not one of the caller's)."""
    context = info.context
    return attachments.unseal(context.app.state.settings.secret_key, context.principal.subject, references or [])


@strawberry.input
class AlertCommentInput:
    alert_id: strawberry.ID
    comment: str = ""
    tenant: str | None = strawberry.field(default=None, description="Where the supervisor acts (default: the request's)")


@strawberry.input
class AlertReasonInput:
    alert_id: strawberry.ID
    reason: str
    tenant: str | None = None


@strawberry.enum(description="申诉处理: withdraw the card, reject the appeal, or escalate to the level above")
class AppealDecision(Enum):
    WITHDRAW = "withdraw"
    REJECT = "reject"
    ESCALATE = "escalate"


@strawberry.input
class AppealDecisionInput:
    alert_id: strawberry.ID
    decision: AppealDecision
    reason: str
    tenant: str | None = None


@strawberry.input(description="督办: what must be corrected, within how many working days")
class OrderCorrectionInput:
    alert_id: strawberry.ID
    instructions: str
    days: int = 5
    tenant: str | None = None


@strawberry.input(description="整改审核: accept (the card closes) or send back with a new deadline")
class ReviewRectificationInput:
    alert_id: strawberry.ID
    accept: bool
    comment: str = ""
    days: int = 5
    tenant: str | None = None


@strawberry.input(description="申诉: the department the alert is about explains why the card is wrong; its supervisor decides")
class AppealAlertInput:
    alert_id: strawberry.ID
    reasons: str
    tenant: str | None = strawberry.field(default=None, description="The alert's tenant, where the department "
                                                                    "works (default: the request's)")
    attachments: list[str] | None = strawberry.field(default=None, description=ATTACHMENTS_HELP)


@strawberry.input(description="整改: the department reports what it corrected, in answer to 督办")
class RectifyAlertInput:
    alert_id: strawberry.ID
    report: str
    tenant: str | None = strawberry.field(default=None, description="The alert's tenant, where the department "
                                                                    "works (default: the request's)")
    attachments: list[str] | None = strawberry.field(default=None, description=ATTACHMENTS_HELP)


@strawberry.input(description="一事一评: the applicant rates a case of theirs, once (1 非常不满意 … 5 非常满意)")
class RateCaseInput:
    case_id: strawberry.ID
    level: int
    reason: str = strawberry.field(default="", description="Required for 1 and 2 (差评)")


@strawberry.input(description="一次一评: a rating of one window visit (its ticket or visit number)")
class RateVisitInput:
    visit_key: str
    level: int
    reason: str = ""
    department: str = ""
    tenant: str | None = None


def _rated(call: Callable[[], dict]) -> RatingPayload:
    try:
        return RatingPayload(rating=rating_node(call()), errors=[])
    except NotFound:
        return RatingPayload(rating=None, errors=[not_found("办件", "case", "caseId")])
    except SupervisionError as error:
        return RatingPayload(rating=None, errors=supervision_errors(error))


@strawberry.type
class SupervisionMutations:
    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="确认 a pending alert")
    def confirm_alert(self, info: strawberry.Info, input: AlertCommentInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id,
                        lambda s, actor, place, key: s.confirm(actor, place, key, comment=input.comment), "comment")

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="撤销 a card (with a reason)")
    def withdraw_alert(self, info: strawberry.Info, input: AlertReasonInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id,
                        lambda s, actor, place, key: s.withdraw(actor, place, key, reason=input.reason))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="作废 a pending alert")
    def cancel_alert(self, info: strawberry.Info, input: AlertReasonInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id,
                        lambda s, actor, place, key: s.cancel(actor, place, key, reason=input.reason))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="申诉处理")
    def decide_alert_appeal(self, info: strawberry.Info, input: AppealDecisionInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id, lambda s, actor, place, key: s.decide_appeal(
            actor, place, key, decision=input.decision.value, reason=input.reason))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="督办: order a correction")
    def order_correction(self, info: strawberry.Info, input: OrderCorrectionInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id, lambda s, actor, place, key: s.order_correction(
            actor, place, key, instructions=input.instructions, days=input.days))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True), description="整改审核")
    def review_rectification(self, info: strawberry.Info, input: ReviewRectificationInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id, lambda s, actor, place, key: s.review_rectification(
            actor, place, key, accept=input.accept, comment=input.comment, days=input.days), "comment")

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="申诉: the department appeals an issued card of its own")
    def appeal_alert(self, info: strawberry.Info, input: AppealAlertInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id, lambda s, actor, place, key: s.appeal(
            acting_staff(info.context, actor), place, key, reasons=input.reasons,
            attachments=attached_files(info, input.attachments)), "reasons")

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="整改: the department submits its rectification report after 督办")
    def rectify_alert(self, info: strawberry.Info, input: RectifyAlertInput) -> AlertPayload:
        return _dispose(info, input.tenant, input.alert_id, lambda s, actor, place, key: s.rectify(
            acting_staff(info.context, actor), place, key, report=input.report,
            attachments=attached_files(info, input.attachments)), "report")

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True), description="好差评: rate a case of yours")
    def rate_case(self, info: strawberry.Info, input: RateCaseInput) -> RatingPayload:
        context, key = info.context, parse_id(input.case_id)
        if key is None or context.actor.kind != "applicant":
            return RatingPayload(rating=None, errors=[not_found("办件", "case", "caseId")])
        return _rated(lambda: ratings.rate_case(context.database, context.actor, key, level=input.level,
                                                reason=input.reason))

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True), description="好差评: rate a window visit")
    def rate_visit(self, info: strawberry.Info, input: RateVisitInput) -> RatingPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        if context.actor.kind != "applicant":
            return RatingPayload(rating=None, errors=[user_error(
                "applicants_only", "评价由办事群众提交", "ratings are made by applicants")])
        return _rated(lambda: ratings.rate_visit(context.database, context.actor, place.code, input.visit_key,
                                                 level=input.level, reason=input.reason, department=input.department))
