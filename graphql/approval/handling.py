"""The rest of the case actions: forward, roll back, charge, pay, deliver, report up. Each parses its input and
calls ``ApprovalService.act`` through :func:`act` (visibility first, then the engine decides every rule)."""
from __future__ import annotations

from enum import Enum

import strawberry

from tongban.graphql.approval.mutations import CasePayload, act
from tongban.graphql.core.auth import CASES_WRITE, requires


@strawberry.input(description="转办: hand the open step to another department or person of the handling tenant")
class ForwardInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    department: str | None = None
    assignee: str | None = strawberry.field(default=None, description="A staff member's subject")
    comment: str = ""


@strawberry.input(description="回退: to the previous step, or to an earlier step named by toNode")
class RollBackInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    comment: str = strawberry.field(description="The reason (required by the engine)")
    to_node: str | None = None


@strawberry.input(description="收费: the fee to pay at a pay-fee step, e.g. \"120.00\"")
class ChargeInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    amount: str


@strawberry.input(description="缴费: the applicant (or the cashier) records the payment")
class PayInput:
    case_id: strawberry.ID
    reference: str = strawberry.field(description="The payment's reference (e.g. the non-tax payment number)")


@strawberry.enum(description="送达方式")
class DeliveryMethod(Enum):
    WINDOW = "window"
    POST = "post"
    ELECTRONIC = "electronic"


@strawberry.input(description="送达: the result reached the applicant")
class DeliverInput:
    case_id: strawberry.ID
    method: DeliveryMethod
    comment: str = ""


@strawberry.input(description="上报: a lower level's first review goes up to the level above")
class ReportUpInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    comment: str = ""


@strawberry.type
class HandlingMutations:
    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="转办 the open step")
    def forward_case(self, info: strawberry.Info, input: ForwardInput) -> CasePayload:
        return act(info.context, input.case_id, "forward", task_id=input.task_id, department=input.department,
                   assignee=input.assignee, comment=input.comment)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="回退 (a reason is required)")
    def roll_back_case(self, info: strawberry.Info, input: RollBackInput) -> CasePayload:
        payload = act(info.context, input.case_id, "roll_back", task_id=input.task_id, to_node=input.to_node,
                      comment=input.comment)
        for error in payload.errors:  # the engine names the reason; this input calls it comment
            error.field = "comment" if error.field == "reason" else error.field
        return payload

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="收费 at a pay-fee step")
    def charge_fee(self, info: strawberry.Info, input: ChargeInput) -> CasePayload:
        return act(info.context, input.case_id, "charge", task_id=input.task_id, amount=input.amount)

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True), description="缴费: record the payment")
    def pay_fee(self, info: strawberry.Info, input: PayInput) -> CasePayload:
        return act(info.context, input.case_id, "pay", reference=input.reference)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="送达 the result")
    def deliver_result(self, info: strawberry.Info, input: DeliverInput) -> CasePayload:
        return act(info.context, input.case_id, "deliver", method=input.method.value, comment=input.comment)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True),
                         description="上报 to the level above (the case's state becomes REPORTED)")
    def report_case_up(self, info: strawberry.Info, input: ReportUpInput) -> CasePayload:
        return act(info.context, input.case_id, "report_up", task_id=input.task_id, comment=input.comment)
