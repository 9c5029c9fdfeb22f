"""The configurator over the API: drafts, validation, publishing, and a tenant's local settings.

Each mutation checks the caller's declared permission in the tenant concerned (the item's owner, or
the tenant whose settings change), then calls the publishing room's service in a unit of work bound to
that tenant — the same calls as the admin pages; content checks and refusals are the room's own.
"""
from __future__ import annotations

from enum import Enum

import strawberry
from sqlalchemy import select
from strawberry.scalars import JSON

from tongban.configurator.publishing import catalogue, local
from tongban.configurator.publishing.models import Item, ItemVersion
from tongban.configurator.publishing.scopes import PublishScope
from tongban.graphql.core.auth import CATALOG_WRITE, requires
from tongban.graphql.core.errors import (
    DOMAIN_REFUSALS,
    ApiError,
    UserError,
    from_domain,
    from_problems,
    not_found,
)
from tongban.graphql.core.tenancy import tenant_of
from tongban.platform.identity.permissions import Permission
from tongban.tenants.isolation import TenantContext


@strawberry.enum(description="A part of an item's content")
class ContentPart(Enum):
    ELEMENTS = "elements"
    FORM = "form"
    MATERIALS = "materials"
    FLOW = "flow"


@strawberry.type(description="An item's open draft / 事项草稿")
class ItemDraft:
    item_code: str
    owner_tenant: str
    version_no: int
    revision: int = strawberry.field(description="Pass it back as expectedRevision to detect concurrent edits")
    state: str
    content: JSON


def draft_of(version: ItemVersion, code: str) -> ItemDraft:
    return ItemDraft(item_code=code, owner_tenant=version.tenant_id, version_no=version.version_no,
                     revision=version.revision, state=version.state, content=version.content)


@strawberry.type
class ItemDraftPayload:
    draft: ItemDraft | None
    errors: list[UserError]


@strawberry.type
class ValidateDraftPayload:
    problems: list[UserError] = strawberry.field(description="What stops the draft from being published")
    errors: list[UserError]


@strawberry.type
class PublishItemPayload:
    item_code: str | None
    version_no: int | None
    errors: list[UserError]


@strawberry.type
class SetItemsEnabledPayload:
    changed: int
    errors: list[UserError]


@strawberry.type
class SetItemOverridesPayload:
    revision: int | None
    errors: list[UserError]


@strawberry.input
class CreateItemDraftInput:
    elements: JSON = strawberry.field(description="事项要素; `code` is required, the rest may come later")
    tenant: str | None = strawberry.field(default=None, description="The owning tenant (default: the request's)")


@strawberry.input
class EditDraftInput:
    item_code: str
    part: ContentPart
    value: JSON
    expected_revision: int | None = None


@strawberry.input
class PublishScopeInput:
    codes: list[str]
    include_subtree: bool = True


@strawberry.input
class PublishItemInput:
    item_code: str
    scope: PublishScopeInput
    version_no: int | None = strawberry.field(default=None, description="Republish a published version instead")


@strawberry.input
class SetItemsEnabledInput:
    item_codes: list[str]
    enabled: bool | None = strawberry.field(description="null: follow the parent tenant again")
    tenant: str | None = None


@strawberry.input
class SetItemOverridesInput:
    item_code: str
    overrides: JSON = strawberry.field(description="location, hours, phone, notes, assignees, extra_materials, fees")
    tenant: str | None = None
    expected_revision: int | None = None


class Refused(Exception):
    def __init__(self, errors: list[UserError]) -> None:
        self.errors = errors


def _permitted(context, tenant, permission: Permission, field: str):
    if not context.principal.allows(permission, tenant):
        raise Refused([not_found("该地区或您无权操作", "tenant you may act in", field)])
    return tenant


def _tenant(context, code: str | None, permission: Permission):
    try:
        return _permitted(context, tenant_of(context, code), permission, "tenant")
    except ApiError:
        raise Refused([not_found("该地区或您无权操作", "tenant you may act in", "tenant")]) from None


def _owner(context, item_code: str, permission: Permission):
    """The item's owning tenant, if the caller holds ``permission`` there."""
    with context.database.unit_of_work(TenantContext.system("graphql: owner of an item")) as session:
        owner = session.scalar(select(Item.tenant_id).where(Item.code == item_code))
    tenant = context.snapshot.by_code.get(owner) if owner else None
    if tenant is None:
        raise Refused([not_found("事项", "item", "itemCode")])
    return _permitted(context, tenant, permission, "itemCode")


def _run(context, tenant, work):
    with context.database.unit_of_work(TenantContext.of(tenant)) as session:
        return work(session)


@strawberry.type
class CatalogueMutations:
    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True), description="A new item with its first draft")
    def create_item_draft(self, info: strawberry.Info, input: CreateItemDraftInput) -> ItemDraftPayload:
        context = info.context
        try:
            owner = _tenant(context, input.tenant, Permission.CONFIGURE_ITEMS)
            elements = input.elements if isinstance(input.elements, dict) else {}
            version = _run(context, owner, lambda s: catalogue.create_item(
                s, owner=owner.code, elements=elements, actor=context.subject))
        except Refused as refused:
            return ItemDraftPayload(draft=None, errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return ItemDraftPayload(draft=None, errors=from_domain(refusal))
        return ItemDraftPayload(draft=draft_of(version, str(elements.get("code")).strip()), errors=[])

    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True),
                         description="Replace one part of the item's draft (a draft is opened from the latest version)")
    def edit_draft(self, info: strawberry.Info, input: EditDraftInput) -> ItemDraftPayload:
        context = info.context
        try:
            owner = _owner(context, input.item_code, Permission.CONFIGURE_ITEMS)
            version = _run(context, owner, lambda s: catalogue.edit_draft(
                s, input.item_code, input.part.value, input.value, actor=context.subject,
                expected_revision=input.expected_revision))
        except Refused as refused:
            return ItemDraftPayload(draft=None, errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return ItemDraftPayload(draft=None, errors=from_domain(refusal))
        return ItemDraftPayload(draft=draft_of(version, input.item_code), errors=[])

    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True),
                         description="Check the draft as publishing would; nothing changes")
    def validate_draft(self, info: strawberry.Info, item_code: str) -> ValidateDraftPayload:
        context = info.context
        try:
            owner = _owner(context, item_code, Permission.CONFIGURE_ITEMS)
            problems = _run(context, owner, lambda s: catalogue.validate_draft(s, item_code))
        except Refused as refused:
            return ValidateDraftPayload(problems=[], errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return ValidateDraftPayload(problems=[], errors=from_domain(refusal))
        return ValidateDraftPayload(problems=from_problems(problems), errors=[])

    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True),
                         description="Publish the draft (or a published version) to tenants of the owner's subtree")
    def publish_item(self, info: strawberry.Info, input: PublishItemInput) -> PublishItemPayload:
        context = info.context
        scope = PublishScope(tuple(dict.fromkeys(input.scope.codes)), input.scope.include_subtree)
        try:
            owner = _owner(context, input.item_code, Permission.PUBLISH_ITEMS)
            version = _run(context, owner, lambda s: catalogue.publish(
                s, input.item_code, scope, actor=context.subject, version_no=input.version_no))
        except Refused as refused:
            return PublishItemPayload(item_code=None, version_no=None, errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return PublishItemPayload(item_code=None, version_no=None, errors=from_domain(refusal))
        return PublishItemPayload(item_code=input.item_code, version_no=version.version_no, errors=[])

    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True),
                         description="Enable or disable items for a tenant and (by inheritance) its subtree")
    def set_items_enabled(self, info: strawberry.Info, input: SetItemsEnabledInput) -> SetItemsEnabledPayload:
        context = info.context
        try:
            place = _tenant(context, input.tenant, Permission.MANAGE_TENANT_ITEMS)
            changed = _run(context, place, lambda s: local.set_enabled(
                s, place.code, list(input.item_codes), input.enabled, actor=context.subject))
        except Refused as refused:
            return SetItemsEnabledPayload(changed=0, errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return SetItemsEnabledPayload(changed=0, errors=from_domain(refusal))
        return SetItemsEnabledPayload(changed=changed, errors=[])

    @strawberry.mutation(extensions=requires(CATALOG_WRITE, staff=True),
                         description="Replace a tenant's local settings of an item (address, hours, fees, …)")
    def set_item_overrides(self, info: strawberry.Info, input: SetItemOverridesInput) -> SetItemOverridesPayload:
        context = info.context
        overrides = input.overrides if isinstance(input.overrides, dict) else {"": input.overrides}
        try:
            place = _tenant(context, input.tenant, Permission.MANAGE_TENANT_ITEMS)
            row = _run(context, place, lambda s: local.set_overrides(
                s, place.code, input.item_code, overrides, actor=context.subject,
                expected_revision=input.expected_revision))
        except Refused as refused:
            return SetItemOverridesPayload(revision=None, errors=refused.errors)
        except DOMAIN_REFUSALS as refusal:
            return SetItemOverridesPayload(revision=None, errors=from_domain(refusal))
        return SetItemOverridesPayload(revision=row.revision, errors=[])
