"""Appointment queries: a tenant's open slots (anyone, as on the portal's 预约办理 page) and the signed-in person's
bookings at every tenant's windows (我的预约). The rules are ``platform.portal.appointments``'."""
from __future__ import annotations

import strawberry

from tongban.graphql.appointments.types import AppointmentClosure, AppointmentDay, AppointmentNode, appointment_node, day_node
from tongban.graphql.core.auth import CASES_READ, CATALOG_READ, requires
from tongban.graphql.core.errors import bad_input
from tongban.graphql.core.pagination import Connection, connection, decode_cursor, page_size
from tongban.graphql.core.tenancy import tenant_of
from tongban.platform.db import utcnow
from tongban.platform.portal import appointment_closures, appointments
from tongban.platform.portal.web_common import portal_state


def known_items(context, session, place) -> dict:
    """The tenant's items as its portal knows them (the same index the portal books against)."""
    return portal_state(context.app).index.index(session, place).by_code


def _offset(after: str | None) -> int:
    key = decode_cursor(after)
    return int(key[0]) if key and str(key[0]).isdigit() else 0


@strawberry.type
class AppointmentQueries:
    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="预约办理: the slots not yet begun at a tenant's open windows (those serving itemCode "
                                  "when given), by day and window, with the places left")
    def appointment_slots(self, info: strawberry.Info, tenant: str | None = None,
                          item_code: str | None = None) -> list[AppointmentDay]:
        context = info.context
        place = tenant_of(context, tenant)
        with context.database.unit_of_work(place.context()) as session:
            if item_code is not None and item_code not in known_items(context, session, place):
                raise bad_input(f"本地区没有事项 {item_code[:60]}", f"no item {item_code[:60]} here", field="itemCode")
            days = appointments.available(session, utcnow(), item_code)
        return [day_node(d) for d in days]

    @strawberry.field(extensions=requires(CATALOG_READ, anonymous=True),
                      description="临时闭厅: the days from today on that a tenant's hall or one of its windows takes no "
                                  "bookings (their slots are not in appointmentSlots), soonest first")
    def appointment_closures(self, info: strawberry.Info, tenant: str | None = None) -> list[AppointmentClosure]:
        context = info.context
        place = tenant_of(context, tenant)
        with context.database.unit_of_work(place.context()) as session:
            rows = appointment_closures.upcoming(session, utcnow())
        return [AppointmentClosure(day=c.day, window=c.window or None, reason=c.reason) for c in rows]

    @strawberry.field(extensions=requires(CASES_READ, account=True),
                      description="我的预约: the caller's bookings at every tenant's windows — those to come first "
                                  "(soonest first), then the rest (latest first)")
    def my_appointments(self, info: strawberry.Info, first: int | None = None,
                        after: str | None = None) -> Connection[AppointmentNode]:
        context = info.context
        size, start = page_size(context, first), _offset(after)
        rows = appointments.bookings_everywhere(context.database, context.actor.subject, utcnow())
        page = rows[start:start + size]
        return connection(page, [(start + i + 1,) for i in range(len(page))], has_next=start + size < len(rows),
                          has_previous=start > 0, total=len(rows), node=appointment_node)
