"""Case actions. Each mutation parses its input, checks the caller may see the case (else: not found),
and calls the approval service — the same ``ApprovalService.submit`` / ``.act`` the portal and the
workbench call. Every rule (state, role, department, applicant) is the engine's; its refusals come back
as ``errors`` in the payload and nothing was changed."""
from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from tongban.graphql.approval.people import acting_staff, applicant_record
from tongban.graphql.approval.types import CaseNode, case_node
from tongban.graphql.core.auth import CASES_WRITE, requires
from tongban.graphql.core.errors import DOMAIN_REFUSALS, UserError, from_domain, not_found, user_error
from tongban.graphql.core.tenancy import tenant_of
from tongban.platform.approval import reads, submission_keys
from tongban.platform.approval.intake import Application
from tongban.platform.portal import applying


@strawberry.input(description="A file uploaded for this material through POST /graphql/uploads, named by the id it "
                              "returned (name, size and type are taken from the stored upload)")
class FileInput:
    id: str
    name: str | None = strawberry.field(default=None, description="Ignored: the stored upload's name is used")
    size: int | None = strawberry.field(default=None, description="Ignored: the stored upload's size is used")
    content_type: str | None = strawberry.field(default=None, description="Ignored: the sniffed type is used")


@strawberry.input
class MaterialFilesInput:
    material_id: str
    files: list[FileInput]


@strawberry.input
class MaterialLicenseInput:
    material_id: str
    license_number: str = strawberry.field(description="An e-license that replaces the material (免提交)")


@strawberry.input(description="申请 / a new application, made by the signed-in person or acting enterprise")
class SubmitApplicationInput:
    item_code: str
    form_data: JSON
    tenant: str | None = strawberry.field(default=None, description="Where to apply (default: the request's tenant)")
    files: list[MaterialFilesInput] = strawberry.field(default_factory=list)
    licenses: list[MaterialLicenseInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = strawberry.field(default=None, description=(
        "防重复提交: a key of 8–64 letters, digits or _ . : - naming this application, chosen by the client. "
        "Retrying with the same key (after a timeout, say) creates no second case: the answer is the case the "
        "first call created, with alreadySubmitted true. A key is the signed-in applicant's own, per tenant."))


@strawberry.type
class SubmitApplicationPayload:
    case: CaseNode | None
    query_code: str | None = strawberry.field(description="Six digits for the public progress query; shown once "
                                                          "(null when alreadySubmitted: it was given the first time)")
    errors: list[UserError]
    already_submitted: bool = strawberry.field(default=False, description=(
        "True when idempotencyKey named an application made before: its case is returned, nothing new was "
        "created, and queryCode is null because it was given once, with the first answer"))


@strawberry.type
class CasePayload:
    case: CaseNode | None
    errors: list[UserError]


@strawberry.input
class CaseInput:
    case_id: strawberry.ID
    comment: str = ""


@strawberry.input
class TaskInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    comment: str = ""
    expected_revision: int | None = strawberry.field(default=None, description="The task's revision you saw")


@strawberry.input
class AcceptInput(TaskInput):
    rongque: list[str] = strawberry.field(default_factory=list, description="Missing materials accepted now (容缺)")


@strawberry.input
class ReasonInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    reason: str


@strawberry.input
class MissingInput:
    name: str
    material_id: str | None = None
    note: str | None = None


@strawberry.input
class RequestSupplementInput:
    case_id: strawberry.ID
    task_id: strawberry.ID
    missing: list[MissingInput]
    comment: str = ""


@strawberry.input
class SupplyInput:
    case_id: strawberry.ID
    files: list[MaterialFilesInput] = strawberry.field(default_factory=list)
    form_data: JSON | None = None
    comment: str = ""


@strawberry.input
class WithdrawInput:
    case_id: strawberry.ID
    reason: str = ""


def _requested(given: list[MaterialFilesInput]) -> dict[str, list[str]]:
    """Material id → the upload ids named for it."""
    requested: dict[str, list[str]] = {}
    for m in given:
        requested.setdefault(m.material_id, []).extend(f.id for f in m.files)
    return requested


def _task_id(value) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def _key_named(errors: list[UserError]) -> list[UserError]:
    """The engine's submission-key errors as the input names the key."""
    for error in errors:
        if error.field == submission_keys.PATH:
            error.field = "idempotencyKey"
    return errors


def act(context, case_id, action: str, *, found=None, **arguments) -> CasePayload:
    """Not visible → not found; otherwise the engine decides, and the payload shows the case as it is now.
    ``found``: the (home, viewer) the caller already looked up."""
    actor = context.actor
    found = found or reads.visible_home(context.database, actor, case_id, context.snapshot)
    if found is None:
        return CasePayload(case=None, errors=[not_found("办件", "case", "caseId")])
    home, viewer = found
    if "task_id" in arguments:
        arguments["task_id"] = _task_id(arguments["task_id"])
        if arguments["task_id"] is None:
            return CasePayload(case=None, errors=[not_found("环节任务", "task", "taskId")])
    try:
        context.state.approval.act(home.id, action, acting_staff(context, actor), **arguments)
        errors = []
    except DOMAIN_REFUSALS as refusal:
        errors = from_domain(refusal)
    row = reads.load_case(context.database, context.snapshot, home)
    return CasePayload(case=case_node(row, viewer) if row else None, errors=errors)


@strawberry.type
class ApprovalMutations:
    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True),
                         description="申请: submit an application for the signed-in person (or acting enterprise)")
    def submit_application(self, info: strawberry.Info, input: SubmitApplicationInput) -> SubmitApplicationPayload:
        context = info.context
        actor = context.actor
        if actor.kind != "applicant":
            return SubmitApplicationPayload(case=None, query_code=None, errors=[user_error(
                "staff_use_workbench", "工作人员请在工作台代为收件", "staff receive applications in the workbench")])
        place = tenant_of(context, input.tenant)
        if not isinstance(input.form_data, dict):
            return SubmitApplicationPayload(case=None, query_code=None, errors=[user_error(
                "invalid", "formData 应为对象", "formData must be an object", "formData")])
        requested = _requested(input.files)
        try:
            files = applying.uploaded_files(context.database, actor.subject, input.item_code, requested)
            application = Application(item_code=input.item_code, form_data=input.form_data, channel="api",
                                      applicant=applicant_record(context), files=files,
                                      licenses={m.material_id: m.license_number for m in input.licenses},
                                      upload_ids=tuple(t for tokens in requested.values() for t in tokens),
                                      submission_key=input.idempotency_key)
            result = context.state.approval.submit(place.code, place.code, actor, application)
        except DOMAIN_REFUSALS as refusal:
            return SubmitApplicationPayload(case=None, query_code=None, errors=_key_named(from_domain(refusal)))
        home = reads.find_home(context.database, result["id"])
        return SubmitApplicationPayload(case=case_node(reads.load_case(context.database, context.snapshot, home),
                                                       reads.APPLICANT),
                                        query_code=result["query_code"], errors=[],
                                        already_submitted=bool(result.get("repeated")))

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True), description="补正: the applicant supplies")
    def supply_case(self, info: strawberry.Info, input: SupplyInput) -> CasePayload:
        context = info.context
        found = reads.visible_home(context.database, context.actor, input.case_id, context.snapshot)
        if found is None:
            return CasePayload(case=None, errors=[not_found("办件", "case", "caseId")])
        requested = _requested(input.files)
        try:
            files = applying.uploaded_files(context.database, context.actor.subject, found[0].item_code, requested)
        except DOMAIN_REFUSALS as refusal:
            return CasePayload(case=None, errors=from_domain(refusal))
        return act(context, input.case_id, "supply", found=found, files=files, form_data=input.form_data,
                   comment=input.comment, upload_ids=tuple(t for tokens in requested.values() for t in tokens))

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True), description="撤回: the applicant withdraws")
    def withdraw_case(self, info: strawberry.Info, input: WithdrawInput) -> CasePayload:
        return act(info.context, input.case_id, "withdraw", reason=input.reason)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="受理 at the acceptance step")
    def accept_case(self, info: strawberry.Info, input: AcceptInput) -> CasePayload:
        return act(info.context, input.case_id, "accept", task_id=input.task_id, rongque=list(input.rongque),
                   comment=input.comment, expected_revision=input.expected_revision)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="不予受理 (a reason is required)")
    def refuse_case(self, info: strawberry.Info, input: ReasonInput) -> CasePayload:
        return act(info.context, input.case_id, "refuse", task_id=input.task_id, reason=input.reason)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True),
                         description="一次性告知: everything missing at once; the clock stops")
    def request_supplement(self, info: strawberry.Info, input: RequestSupplementInput) -> CasePayload:
        missing = [{"name": m.name, "material_id": m.material_id, "note": m.note} for m in input.missing]
        return act(info.context, input.case_id, "request_supplement", task_id=input.task_id, missing=missing,
                   comment=input.comment)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True),
                         description="Approve the step (审查、决定、发证…): the case moves on along its flow")
    def approve_case(self, info: strawberry.Info, input: TaskInput) -> CasePayload:
        return act(info.context, input.case_id, "approve", task_id=input.task_id, comment=input.comment,
                   expected_revision=input.expected_revision)

    @strawberry.mutation(extensions=requires(CASES_WRITE, staff=True), description="不予许可 (a reason is required)")
    def reject_case(self, info: strawberry.Info, input: ReasonInput) -> CasePayload:
        return act(info.context, input.case_id, "reject", task_id=input.task_id, reason=input.reason)
