"""Cases and tasks as the API shows them. A case node knows who is looking (its applicant or staff):
applicants see public events only; the anonymous progress query has its own, smaller type."""
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from tongban.graphql.catalogue.vocabulary import CaseState
from tongban.graphql.tenants.types import Tenant, tenant_node
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial, Task


@strawberry.type(description="The applicant as recorded on the case; the ID number is masked / 申请人")
class Applicant:
    kind: str
    name: str
    id_number_masked: str | None


def _masked(number: str | None) -> str | None:
    if not number:
        return None
    return number[:4] + "*" * max(len(number) - 8, 0) + number[-4:] if len(number) > 8 else "*" * len(number)


@strawberry.type(name="CaseMaterial", description="A material of a case and how it was provided / 办件材料")
class CaseMaterialNode:
    material_id: str
    name: str
    status: str = strawberry.field(description="provided | license | missing | rongque | supplied")
    file_count: int
    license_ref: str | None
    supply_due_at: datetime | None


@strawberry.type(name="CaseEvent", description="One step of the audit trail (阳光审批) / 办理记录")
class CaseEventNode:
    seq: int
    at: datetime
    action: str
    from_state: str | None
    to_state: str | None
    node_id: str | None
    actor_name: str | None = strawberry.field(description="Null in the public progress view")
    comment: str | None


@strawberry.type(name="Task", description="One step of a case waiting on (or done by) a role / 办理环节")
class TaskNode:
    id: strawberry.ID
    node_id: str
    node_kind: str
    point: str
    role: str | None
    department: str | None
    assignee: str | None
    state: str = strawberry.field(description="open | done | cancelled")
    started_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    outcome: str | None
    revision: int
    case_id: strawberry.ID
    tenant_code: strawberry.Private[str]

    @strawberry.field
    def case(self, info: strawberry.Info) -> CaseNode | None:
        row = info.context.loaders.case.load((self.tenant_code, int(self.case_id)))
        return case_node(row, "staff") if row is not None else None


def task_node(t: Task) -> TaskNode:
    return TaskNode(id=strawberry.ID(str(t.id)), node_id=t.node_id, node_kind=t.node_kind, point=t.point, role=t.role,
                    department=t.department, assignee=t.assignee, state=t.state, started_at=t.started_at,
                    due_at=t.due_at, completed_at=t.completed_at, outcome=t.outcome, revision=t.revision,
                    case_id=strawberry.ID(str(t.case_id)), tenant_code=t.tenant_id)


@strawberry.type(name="Case", description="A case (办件): an application and its handling")
class CaseNode:
    id: strawberry.ID
    number: str
    item_code: str
    item_name: str
    state: CaseState
    result: str | None = strawberry.field(description="approved | rejected | refused | withdrawn")
    result_note: str | None
    channel: str
    submitted_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None
    concluded_at: datetime | None
    promised_due_at: datetime | None
    legal_due_at: datetime | None
    paused: bool
    fee_due: str | None
    fee_paid: bool
    certificate_number: str | None
    delivered_at: datetime | None
    applicant: Applicant
    form_data: JSON
    row: strawberry.Private[Case]
    viewer: strawberry.Private[str]  # "applicant" | "staff"

    @strawberry.field
    def handling_tenant(self, info: strawberry.Info) -> Tenant:
        return tenant_node(info.context.snapshot.by_code[self.row.tenant_id])

    @strawberry.field(description="Where it was received (全省通办: may differ from the handling tenant)")
    def received_tenant(self, info: strawberry.Info) -> Tenant:
        return tenant_node(info.context.snapshot.by_code[self.row.received_tenant_id])

    @strawberry.field
    def materials(self, info: strawberry.Info) -> list[CaseMaterialNode]:
        rows: list[CaseMaterial] = info.context.loaders.case_materials.load((self.row.tenant_id, self.row.id)) or []
        return [CaseMaterialNode(material_id=m.material_id, name=m.name, status=m.status, file_count=len(m.files or []),
                                 license_ref=m.license_ref, supply_due_at=m.supply_due_at) for m in rows]

    @strawberry.field(description="Its steps; open ones only unless openOnly is false")
    def tasks(self, info: strawberry.Info, open_only: bool = True) -> list[TaskNode]:
        rows: list[Task] = info.context.loaders.case_tasks.load((self.row.tenant_id, self.row.id)) or []
        return [task_node(t) for t in rows if not open_only or t.state == "open"]

    @strawberry.field(description="The audit trail; applicants see its public events")
    def events(self, info: strawberry.Info) -> list[CaseEventNode]:
        rows: list[CaseEvent] = info.context.loaders.case_events.load((self.row.tenant_id, self.row.id)) or []
        staff = self.viewer == "staff"
        return [event_node(e, with_actor=staff) for e in rows if staff or e.public]


def event_node(e: CaseEvent, *, with_actor: bool, with_comment: bool = True) -> CaseEventNode:
    return CaseEventNode(seq=e.seq, at=e.at, action=e.action, from_state=e.from_state, to_state=e.to_state,
                         node_id=e.node_id, actor_name=e.actor_name if with_actor else None,
                         comment=(e.comment or None) if with_comment else None)


def case_node(c: Case, viewer: str) -> CaseNode:
    applicant = c.applicant or {}
    return CaseNode(id=strawberry.ID(str(c.id)), number=c.number, item_code=c.item_code, item_name=c.item_name,
                    state=c.state, result=c.result, result_note=c.result_note, channel=c.channel,
                    submitted_at=c.submitted_at, accepted_at=c.accepted_at, decided_at=c.decided_at,
                    concluded_at=c.concluded_at, promised_due_at=c.promised_due_at, legal_due_at=c.legal_due_at,
                    paused=c.paused, fee_due=c.fee_due, fee_paid=c.fee_paid, certificate_number=c.certificate_number,
                    delivered_at=c.delivered_at,
                    applicant=Applicant(kind=str(applicant.get("kind") or "person"), name=str(applicant.get("name") or ""),
                                        id_number_masked=_masked(applicant.get("id_number") or applicant.get("uscc"))),
                    form_data=c.form_data or {}, row=c, viewer=viewer)


@strawberry.type(description="What anyone with the case number and query code may see / 办件进度（公开）")
class CaseProgress:
    number: str
    item_name: str
    state: CaseState
    result: str | None
    submitted_at: datetime
    promised_due_at: datetime | None
    concluded_at: datetime | None
    handling_tenant_name: str
    events: list[CaseEventNode] = strawberry.field(description="Public events only, without names or comments")
