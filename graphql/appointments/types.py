"""Appointments as the API shows them: a tenant's open slots by day and window, and a person's bookings."""
from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from tongban.graphql.tenants.types import Tenant, tenant_node
from tongban.platform.portal.appointments import Booking


@strawberry.type(name="AppointmentSlot", description="A time slot at a window / 预约时段 (Beijing time)")
class SlotNode:
    id: strawberry.ID = strawberry.field(description="What bookAppointment's slotId takes")
    start: str = strawberry.field(description="HH:MM, Beijing time")
    end: str
    places_left: int


@strawberry.type(name="AppointmentWindow", description="A window that takes bookings, with its slots of one day")
class WindowNode:
    name: str
    address: str
    slots: list[SlotNode]


@strawberry.type(description="One day's open slots, by window / 某日可预约时段")
class AppointmentDay:
    day: date
    places_left: int = strawberry.field(description="Places left that day, all windows together")
    windows: list[WindowNode]


@strawberry.type(description="临时闭厅: a day a tenant's hall (or one window) takes no bookings, and why")
class AppointmentClosure:
    day: date
    window: str | None = strawberry.field(description="The window closed; null: every window")
    reason: str = strawberry.field(description="As texted to those whose bookings it cancelled (台风、停电 …)")


def day_node(d: dict) -> AppointmentDay:
    return AppointmentDay(day=d["day"], places_left=d["left"], windows=[
        WindowNode(name=w["name"], address=w["address"], slots=[
            SlotNode(id=strawberry.ID(str(s["id"])), start=s["start"], end=s["end"], places_left=s["left"])
            for s in w["slots"]]) for w in d["windows"]])


@strawberry.enum(description="待办理 / 已取消 / 已到场办理 / 未到场（爽约） / 已过时段，待窗口确认")
class AppointmentStatus(Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    EXPIRED = "expired"


@strawberry.type(name="Appointment", description="A booking of a window time slot / 预约")
class AppointmentNode:
    number: str = strawberry.field(description="预约号: what cancelAppointment takes and the window checks in")
    status: AppointmentStatus
    status_zh: str
    status_en: str
    may_cancel: bool = strawberry.field(description="Booked and not yet begun")
    day: date
    start: str = strawberry.field(description="HH:MM, Beijing time")
    end: str
    window: str
    address: str
    item_code: str | None
    name: str = strawberry.field(description="Who will come (as booked)")
    phone: str
    tenant_code: strawberry.Private[str]

    @strawberry.field(description="The tenant whose window it is")
    def tenant(self, info: strawberry.Info) -> Tenant | None:
        found = info.context.snapshot.by_code.get(self.tenant_code)
        return tenant_node(found) if found else None


def appointment_node(b: Booking) -> AppointmentNode:
    zh, en = b.label
    return AppointmentNode(number=b.number, status=AppointmentStatus(b.status), status_zh=zh, status_en=en,
                           may_cancel=b.may_cancel, day=b.day, start=b.start, end=b.end, window=b.window,
                           address=b.address, item_code=b.item_code, name=b.name, phone=b.phone, tenant_code=b.tenant)
