"""差评整改 over the API, the steps the workbench, the console and the portal take on screen: the department a bad
rating is about reports its rectification, notes the call-back (回访) or appeals the rating (申诉), in its own
tenant; the rater confirms (satisfied, or not: it is rectified again); a supervisor decides the appeal. Each is
one call to ``supervision.ratings``, which applies every permission and state rule; refusals come back as
``errors`` and nothing was changed. Another tenant's or department's rating reads as one that does not exist."""
from __future__ import annotations

from collections.abc import Callable
from enum import Enum

import strawberry

from tongban.graphql.approval.people import acting_staff
from tongban.graphql.core.auth import CASES_READ, CASES_WRITE, SUPERVISION_READ, SUPERVISION_WRITE, requires
from tongban.graphql.core.errors import UserError, not_found
from tongban.graphql.core.tenancy import tenant_of
from tongban.graphql.supervision.mutations import ATTACHMENTS_HELP, RatingPayload, attached_files, supervision_errors
from tongban.graphql.supervision.queries import refused, supervision_of
from tongban.graphql.supervision.types import Rating, RatingRectification, rating_node, rectification_node
from tongban.platform.approval import reads
from tongban.platform.supervision.errors import NotFound, SupervisionError
from tongban.platform.supervision.ratings import service as ratings


@strawberry.type
class RectificationPayload:
    rectification: RatingRectification | None
    errors: list[UserError]


@strawberry.input(description="整改: what the department corrected about a bad rating (工作台“监察事项”)")
class ReportRatingRectificationInput:
    rating_id: strawberry.ID
    report: str
    tenant: str | None = strawberry.field(default=None, description="The rating's tenant, where the department "
                                                                    "works (default: the request's)")
    attachments: list[str] | None = strawberry.field(default=None, description=ATTACHMENTS_HELP)


@strawberry.input(description="回访: the department called the rater back and notes what was said")
class RecordRatingCallbackInput:
    rating_id: strawberry.ID
    note: str
    tenant: str | None = None


@strawberry.input(description="申诉: the department holds the rating malicious or mistaken; a supervisor decides")
class AppealRatingInput:
    rating_id: strawberry.ID
    reason: str
    tenant: str | None = None


@strawberry.input(description="The rater's answer to the department's rectification and call-back")
class ConfirmRatingRectificationInput:
    rating_id: strawberry.ID
    satisfied: bool = strawberry.field(description="false: the department rectifies again, by a new deadline")


@strawberry.enum(description="差评申诉处理: 剔除 (the rating leaves the figures, its rectification is void) or 维持")
class RatingAppealDecision(Enum):
    EXCLUDE = "exclude"
    UPHOLD = "uphold"


@strawberry.input(description="A supervisor decides a department's appeal of a bad rating in their subtree")
class DecideRatingAppealInput:
    rating_id: strawberry.ID
    decision: RatingAppealDecision
    reason: str = ""
    tenant: str | None = strawberry.field(default=None, description="The subtree the supervisor acts in "
                                                                    "(default: the request's)")


def _step(rating_id: strawberry.ID, call: Callable[[int], dict], node, payload):
    """Not the caller's to handle (another tenant, department or rater, or no such rating) → not found."""
    key = reads.parse_case_id(rating_id)
    nothing = payload(None, [not_found("评价", "rating", "ratingId")])
    if key is None:
        return nothing
    try:
        return payload(node(call(key)), [])
    except NotFound:
        return nothing
    except SupervisionError as error:
        return nothing if error.code == "forbidden" else payload(None, supervision_errors(error))


def _rectified(rating_id, call) -> RectificationPayload:
    return _step(rating_id, call, rectification_node,
                 lambda node, errors: RectificationPayload(rectification=node, errors=errors))


def _rated(rating_id, call) -> RatingPayload:
    return _step(rating_id, call, rating_node, lambda node, errors: RatingPayload(rating=node, errors=errors))


@strawberry.type
class RectificationQueries:
    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="差评整改 in hand in a tenant — to rectify, to call back, awaiting the rater, or under "
                                  "appeal — soonest deadline first: the caller's department's (every department's for "
                                  "staff of none), as the workbench's 监察事项 tab lists them")
    def ratings_to_rectify(self, info: strawberry.Info, tenant: str | None = None) -> list[Rating]:
        context = info.context
        place = tenant_of(context, tenant)
        try:
            rows = ratings.department_rectifications(context.database, acting_staff(context, context.actor),
                                                     place.code)
        except SupervisionError as error:
            raise refused(error, place.code) from None
        return [rating_node(r) for r in rows]

    @strawberry.field(extensions=requires(SUPERVISION_READ, staff=True),
                      description="Bad ratings of a supervisor's subtree with their rectification, those under appeal "
                                  "first (the console's 差评整改; at most 200)")
    def bad_ratings(self, info: strawberry.Info, tenant: str | None = None,
                    appealed_only: bool = False) -> list[Rating]:
        context = info.context
        place = tenant_of(context, tenant)
        try:
            rows = ratings.bad_ratings(supervision_of(context), context.actor, place.code, appealed_only=appealed_only)
        except SupervisionError as error:
            raise refused(error, place.code) from None
        return [rating_node(r) for r in rows]

    @strawberry.field(extensions=requires(CASES_READ, account=True),
                      description="The rating of a case of yours, with what the department did about a bad one and "
                                  "whether you are asked to confirm it; null when not rated (or not your case)")
    def case_rating(self, info: strawberry.Info, case_id: strawberry.ID) -> Rating | None:
        context = info.context
        found = reads.visible_home(context.database, context.actor, case_id, context.snapshot)
        if found is None or found[1] != reads.APPLICANT:
            return None
        home = found[0]
        with context.database.unit_of_work(context.snapshot.by_code[home.tenant_id].context()) as session:
            view = ratings.applicant_view(session, home.id)
        return rating_node(view) if view else None


@strawberry.type
class RectificationMutations:
    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="整改: the department reports the rectification of a bad rating")
    def report_rating_rectification(self, info: strawberry.Info,
                                    input: ReportRatingRectificationInput) -> RectificationPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        return _rectified(input.rating_id, lambda key: ratings.report_rectification(
            context.database, acting_staff(context, context.actor), place.code, key, report=input.report,
            attachments=attached_files(info, input.attachments)))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="回访: the department notes the call-back after its report")
    def record_rating_callback(self, info: strawberry.Info, input: RecordRatingCallbackInput) -> RectificationPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        return _rectified(input.rating_id, lambda key: ratings.record_callback(
            context.database, acting_staff(context, context.actor), place.code, key, note=input.note))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="申诉: the department appeals a bad rating; a supervisor decides")
    def appeal_rating(self, info: strawberry.Info, input: AppealRatingInput) -> RatingPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        return _rated(input.rating_id, lambda key: ratings.appeal_rating(
            context.database, acting_staff(context, context.actor), place.code, key, reason=input.reason))

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True),
                         description="The rater confirms the rectification (satisfied), or sends it back (not)")
    def confirm_rating_rectification(self, info: strawberry.Info,
                                     input: ConfirmRatingRectificationInput) -> RectificationPayload:
        context = info.context
        return _rectified(input.rating_id, lambda key: ratings.applicant_confirms(
            context.database, context.actor, key, satisfied=input.satisfied))

    @strawberry.mutation(extensions=requires(SUPERVISION_WRITE, staff=True),
                         description="差评申诉处理: exclude the rating or let it stand")
    def decide_rating_appeal(self, info: strawberry.Info, input: DecideRatingAppealInput) -> RatingPayload:
        context = info.context
        place = tenant_of(context, input.tenant)
        return _rated(input.rating_id, lambda key: ratings.decide_rating_appeal(
            context.database, context.actor, place.code, key, exclude=input.decision is RatingAppealDecision.EXCLUDE,
            reason=input.reason))
