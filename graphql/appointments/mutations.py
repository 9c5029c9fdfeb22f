"""预约办理 and 取消预约 for the signed-in person: the same ``appointments.book`` / ``.cancel`` the portal calls, so
every rule (the slot open and not begun, one a day, three ahead, the pause after repeated absences, cancelling
before the slot) is the domain's; its refusals come back as ``errors`` at their fields and nothing was changed."""
from __future__ import annotations

from dataclasses import replace

import strawberry

from tongban.graphql.appointments.queries import known_items
from tongban.graphql.appointments.types import AppointmentNode, appointment_node
from tongban.graphql.core.auth import CASES_WRITE, requires
from tongban.graphql.core.errors import UserError, not_found, user_error
from tongban.graphql.core.tenancy import tenant_of
from tongban.platform.db import utcnow
from tongban.platform.portal import appointments

FIELDS = {"slot": "slotId", "name": "name", "phone": "phone", "item": "itemCode"}


@strawberry.input(description="预约: a place in a slot of appointmentSlots, for the signed-in person")
class BookAppointmentInput:
    slot_id: strawberry.ID
    name: str = strawberry.field(description="Who will come (at most 50 characters)")
    phone: str = strawberry.field(description="An 11-digit mobile (told by SMS) or a landline with its area code")
    item_code: str | None = strawberry.field(default=None, description="The item to handle, if booking from its guide")
    tenant: str | None = strawberry.field(default=None, description="The slot's tenant (default: the request's)")


@strawberry.input(description="取消预约: a booking of yours that has not begun")
class CancelAppointmentInput:
    number: str


@strawberry.type
class AppointmentPayload:
    appointment: AppointmentNode | None
    errors: list[UserError]


def _refused(error: Exception) -> AppointmentPayload:
    if isinstance(error, appointments.AppointmentInvalid):
        errors = [user_error("invalid", zh, en, FIELDS.get(field, field)) for field, (zh, en) in error.problems.items()]
    elif error.code == "not_found":
        errors = [not_found("预约", "appointment", "number")]
    else:
        errors = [user_error(error.code, error.zh, error.en, FIELDS.get(error.field, error.field) or None)]
    return AppointmentPayload(appointment=None, errors=errors)


def _applicants_only() -> AppointmentPayload:
    return AppointmentPayload(appointment=None, errors=[user_error(
        "applicants_only", "预约由办事群众本人办理", "appointments are booked by applicants")])


@strawberry.type
class AppointmentMutations:
    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True),
                         description="预约办理: book a place in a window's time slot (an SMS confirms it)")
    def book_appointment(self, info: strawberry.Info, input: BookAppointmentInput) -> AppointmentPayload:
        context = info.context
        if context.actor.kind != "applicant":
            return _applicants_only()
        place = tenant_of(context, input.tenant)
        try:  # a unit of work that starts by writing: concurrent bookings queue instead of failing
            with context.database.unit_of_work(place.context()) as session:
                booked = appointments.book(session, input.slot_id, subject=context.actor.subject, name=input.name,
                                           phone=input.phone, item_code=(input.item_code or "")[:60] or None,
                                           now=utcnow(), known_items=known_items(context, session, place))
        except (appointments.AppointmentInvalid, appointments.AppointmentError) as refusal:
            return _refused(refusal)
        return AppointmentPayload(appointment=appointment_node(booked), errors=[])

    @strawberry.mutation(extensions=requires(CASES_WRITE, account=True),
                         description="取消预约: before the slot begins; the place goes back, the booking stays on file")
    def cancel_appointment(self, info: strawberry.Info, input: CancelAppointmentInput) -> AppointmentPayload:
        context, now = info.context, utcnow()
        subject = context.actor.subject
        found = next((b for b in appointments.bookings_everywhere(context.database, subject, now) if b.number == input.number.strip()), None)
        place = context.snapshot.by_code.get(found.tenant) if found else None
        if place is None:  # no such booking, or someone else's
            return AppointmentPayload(appointment=None, errors=[not_found("预约", "appointment", "number")])
        try:
            with context.database.unit_of_work(place.context()) as session:
                cancelled = appointments.cancel(session, found.number, subject=subject, now=now)
        except appointments.AppointmentError as refusal:
            return _refused(refusal)
        return AppointmentPayload(appointment=appointment_node(replace(cancelled, address=found.address)), errors=[])
