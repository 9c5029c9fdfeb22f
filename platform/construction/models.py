"""The construction room's tables.

Province configuration (stage templates, the negative list) is ``TenantInherited``: owned by 海南省 (46)
and seen by every tenant below. Projects and everything that hangs off them belong to the project's
location tenant (``TenantOwned``), as do regional assessments (the park's tenant).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tongban.platform.db import Base, utcnow
from tongban.tenants.isolation import TenantInherited, TenantOwned


class StageTemplate(TenantInherited, Base):
    """One stage as the province configures it: its items, lead department, limit and project types."""

    __tablename__ = "construction_stage_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))  # approval | land | planning | construction | acceptance
    seq: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    lead_department: Mapped[str] = mapped_column(String(60))
    limit_days: Mapped[int] = mapped_column(Integer)
    item_codes: Mapped[list] = mapped_column(JSON, default=list)
    commitment_items: Mapped[list] = mapped_column(JSON, default=list)  # 告知承诺制 items of this stage
    rongque_materials: Mapped[list] = mapped_column(JSON, default=list)  # material ids accepted with gaps
    rongque_days: Mapped[int] = mapped_column(Integer, default=10)
    project_types: Mapped[list] = mapped_column(JSON, default=list)  # types it applies to (others skip it)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "stage"),)


class NegativeListEntry(TenantInherited, Base):
    """投资负面清单: a prohibited or restricted investment, by industry."""

    __tablename__ = "construction_negative_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))  # prohibited | restricted
    industry: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    extra_item_code: Mapped[str | None] = mapped_column(String(60))  # restricted: the approval added
    extra_department: Mapped[str | None] = mapped_column(String(60))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("tenant_id", "code"),)


class RegionalAssessment(TenantOwned, Base):
    """区域评估: an assessment done once for a park that stands for the matching per-project materials."""

    __tablename__ = "construction_regional_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    material_ids: Mapped[list] = mapped_column(JSON, default=list)
    report_ref: Mapped[str] = mapped_column(String(100), default="")
    concluded_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)  # None: no end of validity set

    __table_args__ = (Index("ix_construction_regional_area", "tenant_id", "area"),)


class Project(TenantOwned, Base):
    __tablename__ = "construction_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # 投资项目代码
    name: Mapped[str] = mapped_column(String(200))
    investor_subject: Mapped[str] = mapped_column(String(80), index=True)
    investor_uscc: Mapped[str] = mapped_column(String(18))
    investor_name: Mapped[str] = mapped_column(String(200))
    investor_contact: Mapped[dict] = mapped_column(JSON, default=dict)  # phone, email for notices
    area: Mapped[str] = mapped_column(String(100), default="")  # park or development zone
    investment_wan_yuan: Mapped[float] = mapped_column(Numeric(14, 2))
    land_area_m2: Mapped[float] = mapped_column(Numeric(14, 2))
    industry: Mapped[str] = mapped_column(String(40))
    project_type: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(16), default="active")  # active | refused | completed
    extra_items: Mapped[list] = mapped_column(JSON, default=list)  # [{entry, item_code, department, stage}]
    refusal: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_construction_projects_state", "tenant_id", "state"),)


class ProjectStage(TenantOwned, Base):
    __tablename__ = "construction_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("construction_projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(40))
    lead_department: Mapped[str] = mapped_column(String(60))
    limit_days: Mapped[int] = mapped_column(Integer)
    # waiting | skipped | applied | accepted | concluded | refused
    state: Mapped[str] = mapped_column(String(12), default="waiting")
    form_data: Mapped[dict] = mapped_column(JSON, default=dict)
    applied_at: Mapped[datetime | None] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    accepted_by: Mapped[str | None] = mapped_column(String(80))
    concluded_at: Mapped[datetime | None] = mapped_column()
    appointment_at: Mapped[datetime | None] = mapped_column()  # 联合验收: one joint appointment
    result: Mapped[str | None] = mapped_column(String(12))  # approved | rejected
    notice_number: Mapped[str | None] = mapped_column(String(60))
    notice: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("project_id", "stage"),)


class ItemCase(TenantOwned, Base):
    """One item of a stage: a real approval-engine case (``approval_case_id``) handled by its department in the
    workbench on the item's own flow; the state follows the case (告知承诺 items conclude on the commitment)."""

    __tablename__ = "construction_item_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("construction_projects.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("construction_stages.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(60))
    item_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(60))
    case_number: Mapped[str | None] = mapped_column(String(40))  # the approval case's number
    approval_case_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the item's approval-engine case
    mode: Mapped[str] = mapped_column(String(12), default="normal")  # normal | commitment | extra
    # pending | open | waiting_chain | suspended | supplement | special | returned | approved | rejected | committed
    state: Mapped[str] = mapped_column(String(14), default="pending")
    opened_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(80))
    comment: Mapped[str] = mapped_column(Text, default="")
    legal_limit_days: Mapped[int] = mapped_column(Integer, default=0)
    promised_limit_days: Mapped[int] = mapped_column(Integer, default=0)
    waits_on: Mapped[list] = mapped_column(JSON, default=list)  # item codes of earlier stages it needs
    power_ref: Mapped[str] = mapped_column(String(60), default="")  # 权力清单 entry (power type)

    __table_args__ = (Index("ix_construction_items_open", "tenant_id", "department", "state"),)


class StageMaterial(TenantOwned, Base):
    """One material of a stage's one set of materials (de-duplicated across the stage's items)."""

    __tablename__ = "construction_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("construction_stages.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    item_codes: Mapped[list] = mapped_column(JSON, default=list)
    # provided | rongque | supplied | overdue | regional
    status: Mapped[str] = mapped_column(String(12))
    files: Mapped[list] = mapped_column(JSON, default=list)
    supply_due_at: Mapped[datetime | None] = mapped_column()
    supplied_at: Mapped[datetime | None] = mapped_column()
    satisfied_by: Mapped[str | None] = mapped_column(String(200))  # the regional assessment standing for it

    __table_args__ = (UniqueConstraint("stage_id", "material_id"),)


class Commitment(TenantOwned, Base):
    """告知承诺: the investor's signed commitment that concluded an item, queued for later inspection."""

    __tablename__ = "construction_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_case_id: Mapped[int] = mapped_column(ForeignKey("construction_item_cases.id", ondelete="CASCADE"),
                                              index=True)
    project_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    signed_by: Mapped[str] = mapped_column(String(80))
    signed_at: Mapped[datetime] = mapped_column()
    inspection_state: Mapped[str] = mapped_column(String(12), default="queued")  # queued | passed | failed
    inspect_by: Mapped[datetime] = mapped_column()
    inspected_at: Mapped[datetime | None] = mapped_column()
    inspection_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_construction_inspection_queue", "tenant_id", "inspection_state", "inspect_by"),)


class NegativeListVersion(TenantInherited, Base):
    """A version of the negative list: the province's one draft, the published one and those it superseded.

    Publishing a draft makes its entries the rows of :class:`NegativeListEntry` the 立项 intake reads."""

    __tablename__ = "construction_negative_list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_no: Mapped[int | None] = mapped_column(Integer)  # None while a draft
    state: Mapped[str] = mapped_column(String(12), default="draft")  # draft | published | superseded
    entries: Mapped[list] = mapped_column(JSON, default=list)  # [{code, kind, industry, ..., retired}]
    note: Mapped[str] = mapped_column(Text, default="")
    edited_by: Mapped[str] = mapped_column(String(120), default="")
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(120))
    published_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("tenant_id", "version_no"),
                      Index("ix_construction_negative_versions_state", "tenant_id", "state"))
