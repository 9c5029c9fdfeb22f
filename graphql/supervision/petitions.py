"""咨询投诉 over the API — for a mobile or mini-program client and for a hotline (12345) system: an applicant asks
(about one of their cases, if they like) and reads their own; the window clerks and approvers of a tenant list its
petitions and answer them, and the asker is texted and emailed. Each is one call to ``supervision.petitions`` (the
portal's and the workbench's rules); refusals come back as ``errors`` at their fields and nothing was changed."""
from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from tongban.graphql.approval.people import acting_staff
from tongban.graphql.core.auth import CASES_READ, CASES_WRITE, SUPERVISION_READ, SUPERVISION_WRITE, requires
from tongban.graphql.core.errors import UserError, not_found, user_error
from tongban.graphql.core.tenancy import tenant_of
from tongban.graphql.supervision.mutations import supervision_errors
from tongban.graphql.supervision.queries import refused
from tongban.platform.approval.departments import department_name
from tongban.platform.approval.reads import parse_case_id as parse_id
from tongban.platform.db import utcnow
from tongban.platform.portal import feedback
from tongban.platform.portal.web_common import portal_state
from tongban.platform.supervision import petitions
from tongban.platform.supervision.errors import Forbidden, NotFound, SupervisionError

FIELDS = {"question": "question", "department": "department", "kind": "kind", "case": "caseNumber",
          "answer": "answer"}


@strawberry.enum(description="咨询 or 投诉")
class PetitionKind(Enum):
    CONSULTATION = "consultation"
    COMPLAINT = "complaint"


@strawberry.type(description="A consultation (咨询) or complaint (投诉), answered within its working days")
class Petition:
    id: strawberry.ID
    kind: PetitionKind
    department: str = strawberry.field(description="The department it is for, as a code where it is a listed one "
                                                   "(market_regulation …); empty: the general window routes it")
    department_name: str
    case_number: str | None = strawberry.field(description="The asker's case it is about, if any")
    question: str
    answer: str | None
    asked_at: datetime
    answered_at: datetime | None
    due_at: datetime = strawberry.field(description="Answer by (working days, the province's calendar)")
    late: bool = strawberry.field(description="Answered after its deadline, or still unanswered past it")


def petition_node(p: dict) -> Petition:
    return Petition(id=strawberry.ID(str(p["id"])), kind=PetitionKind(p["kind"]), department=p["department"] or "",
                    department_name=department_name(p["department"]), case_number=p.get("case_number"),
                    question=p["question"], answer=p["answer"], asked_at=p["asked_at"], answered_at=p["answered_at"],
                    due_at=p["due_at"], late=p["late"])


@strawberry.type
class PetitionPayload:
    petition: Petition | None
    errors: list[UserError]


@strawberry.input(description="咨询投诉: ask a tenant's government a question, or complain")
class AskPetitionInput:
    kind: PetitionKind
    question: str = strawberry.field(description="At most 2,000 characters")
    tenant: str | None = strawberry.field(default=None, description="Whose government (default: the request's)")
    department: str | None = strawberry.field(default=None, description="A department of the tenant (a listed code or "
                                                                        "one its items name); none: the general window")
    case_number: str | None = strawberry.field(default=None, description="One of your cases handled by the tenant: "
                                                                         "its department answers when none is given")


@strawberry.input(description="答复: the answer to a tenant's consultation or complaint (the asker is told)")
class AnswerPetitionInput:
    petition_id: strawberry.ID
    answer: str = strawberry.field(description="At most 2,000 characters")
    tenant: str | None = None


def _refusal(error: SupervisionError) -> list[UserError]:
    errors = supervision_errors(error)
    for e in errors:
        e.field = FIELDS.get(e.field or "", e.field)
    return errors


@strawberry.type
class PetitionQueries:
    @strawberry.field(extensions=requires(CASES_READ, account=True),
                      description="我的咨询投诉: the caller's own in a tenant, newest first")
    def my_petitions(self, info: strawberry.Info, tenant: str | None = None) -> list[Petition]:
        context = info.context
        place = tenant_of(context, tenant)
        with context.database.unit_of_work(place.context()) as session:
            rows = petitions.asked_by(session, context.actor.subject, utcnow())
        return [petition_node(p) for p in rows]

    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="A tenant's petitions, oldest first, for its window clerks and approvers: those for "
                                  "the caller's department and those for none (all of them for staff of none)")
    def petitions(self, info: strawberry.Info, tenant: str | None = None,
                  unanswered_only: bool = False) -> list[Petition]:
        context = info.context
        place = tenant_of(context, tenant)
        try:
            rows = petitions.to_answer(context.database, acting_staff(context, context.actor), place.code,
                                       unanswered=unanswered_only)
        except SupervisionError as error:
            raise refused(error, place.code) from None
        return [petition_node(p) for p in rows]


@strawberry.type
class PetitionMutations:
    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True),
                         description="咨询投诉: ask or complain (the department answers within its working days)")
    def ask_petition(self, info: strawberry.Info, input: AskPetitionInput) -> PetitionPayload:
        context = info.context
        if context.actor.kind != "applicant":
            return PetitionPayload(petition=None, errors=[user_error(
                "applicants_only", "咨询投诉由办事群众提交", "questions and complaints are made by applicants")])
        place = tenant_of(context, input.tenant)
        with context.database.unit_of_work(place.context()) as session:
            known = [d for d, _n in portal_state(context.app).index.index(session, place).departments]
        try:
            asked = feedback.ask(context.database, place.code, kind=input.kind.value, subject=context.actor.subject,
                                 question=input.question, department=input.department or "",
                                 known_departments=known, case_number=input.case_number or "")
        except SupervisionError as error:
            return PetitionPayload(petition=None, errors=_refusal(error))
        return PetitionPayload(petition=petition_node(asked), errors=[])

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="答复: answer a petition of the tenant (window clerks and approvers); the asker "
                                     "is texted and emailed that the answer is there")
    def answer_petition(self, info: strawberry.Info, input: AnswerPetitionInput) -> PetitionPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        key = parse_id(input.petition_id)
        nothing = PetitionPayload(petition=None, errors=[not_found("咨询投诉", "petition", "petitionId")])
        if key is None:
            return nothing
        try:
            answered = petitions.answer(context.database, acting_staff(context, context.actor), place.code, key,
                                        text=input.answer)
        except (NotFound, Forbidden):
            return nothing
        except SupervisionError as error:
            return PetitionPayload(petition=None, errors=_refusal(error))
        return PetitionPayload(petition=petition_node(answered), errors=[])
