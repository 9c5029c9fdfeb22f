"""区域评估: assessments done once for a park stand for the matching per-project materials there."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.construction.errors import Invalid, problem
from tongban.platform.construction.models import RegionalAssessment
from tongban.platform.db import utcnow

KINDS = {"flood": ("洪水影响评价", "Flood impact"), "seismic": ("地震安全性评价", "Seismic safety"),
         "soil_water": ("水土保持", "Soil and water conservation"), "environment": ("环境影响评价", "Environment"),
         "energy": ("节能评价", "Energy"), "relics": ("文物考古调查", "Cultural relics"),
         "geohazard": ("地质灾害危险性评估", "Geological hazards"), "climate": ("气候可行性论证", "Climate")}


def record(session: Session, tenant_code: str, *, area: str, kind: str, name: str, material_ids: list[str],
           report_ref: str = "", concluded_on: date) -> RegionalAssessment:
    errors = []
    if not area.strip():
        errors.append(problem("area", "required", "请填写园区（区域）名称", "enter the park or area"))
    if kind not in KINDS:
        errors.append(problem("kind", "invalid", "未知的评估类别", f"unknown assessment kind {kind!r}"))
    if not material_ids:
        errors.append(problem("material_ids", "required", "请列出该评估可替代的材料", "list the materials it stands for"))
    if errors:
        raise Invalid(errors)
    row = RegionalAssessment(tenant_id=tenant_code, area=area.strip(), kind=kind, name=name,
                             material_ids=list(material_ids), report_ref=report_ref, concluded_on=concluded_on)
    session.add(row)
    session.flush()
    return row


def in_area(session: Session, tenant_code: str, area: str, on: date | None = None) -> list[RegionalAssessment]:
    """The park's assessments still valid ``on`` that day (today when not given)."""
    if not area:
        return []
    on = on or utcnow().date()
    return list(session.scalars(select(RegionalAssessment).where(RegionalAssessment.tenant_id == tenant_code,
                                                                 RegionalAssessment.area == area,
                                                                 or_(RegionalAssessment.valid_until.is_(None),
                                                                     RegionalAssessment.valid_until >= on))
                                .order_by(RegionalAssessment.id)))


def satisfying(assessments: list[RegionalAssessment], spec_ids: list[str]) -> RegionalAssessment | None:
    for assessment in assessments:
        if set(spec_ids) & set(assessment.material_ids):
            return assessment
    return None
