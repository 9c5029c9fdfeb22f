"""Province configuration: the five stage templates, project types and the investment negative list.

Hainan's 《建设工程项目立项、供地、规划报建、施工、竣工验收五个阶段并联审批实施细则》: the stage limits below add up
to 46 working days. Province admins change them; every tenant below the province sees them.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.construction.errors import forbidden
from tongban.platform.construction.models import NegativeListEntry, StageTemplate
from tongban.platform.db import utcnow
from tongban.platform.sharing.license_types import is_province_admin

PROVINCE = "46"
STAGE_ORDER = ("approval", "land", "planning", "construction", "acceptance")
PROJECT_TYPES: dict[str, tuple[str, str]] = {
    "government": ("政府投资项目", "Government-invested project"),
    "social": ("社会投资项目", "Social investment project"),
    "small_social": ("带设计方案出让用地的中小型社会投资项目", "Small/medium social project on land sold with an approved design"),
}
INDUSTRIES: dict[str, tuple[str, str]] = {
    "software": ("软件和信息技术服务业", "Software and IT services"),
    "manufacturing": ("制造业", "Manufacturing"),
    "tourism": ("旅游业", "Tourism"),
    "real_estate": ("房地产业", "Real estate"),
    "golf": ("高尔夫球场", "Golf courses"),
    "coal_power": ("燃煤发电", "Coal-fired power"),
    "chemicals": ("化学原料和化学制品制造业", "Chemicals"),
}
ALL_TYPES = list(PROJECT_TYPES)


@dataclass(frozen=True)
class StageDefault:
    stage: str
    name_zh: str
    name_en: str
    lead: str
    limit_days: int
    items: tuple[str, ...]
    commitment: tuple[str, ...] = ()
    types: tuple[str, ...] = tuple(ALL_TYPES)


DEFAULT_STAGES = (
    StageDefault("approval", "立项", "Project approval", "development_reform", 10,
                 ("HN-GC-001", "HN-GC-002", "HN-ST-001", "HN-GC-003", "HN-GC-004")),
    StageDefault("land", "供地", "Land supply", "natural_resources", 8, ("HN-GC-005", "HN-GC-006", "HN-GC-007")),
    StageDefault("planning", "规划报建", "Planning permits", "natural_resources", 12,
                 ("HN-ZR-001", "HN-GC-008", "HN-GC-009"), types=("government", "social")),
    StageDefault("construction", "施工", "Construction permit", "housing_construction", 6,
                 ("HN-ZJ-001", "HN-GC-010", "HN-GC-011"), commitment=("HN-GC-011",)),
    StageDefault("acceptance", "竣工验收", "Completion acceptance", "housing_construction", 10,
                 ("HN-GC-012", "HN-GC-013", "HN-GC-014", "HN-GC-015")),
)
DEFAULT_NEGATIVE_LIST = (
    ("HN-J-001", "prohibited", "coal_power", "禁止新建燃煤发电项目（海南清洁能源岛建设）", None, None),
    ("HN-J-002", "prohibited", "chemicals", "禁止在生态保护红线内新建化工项目", None, None),
    ("HN-X-001", "restricted", "golf", "新建高尔夫球场项目须经省人民政府核准", "HN-GC-016", "development_reform"),
    ("HN-X-002", "restricted", "real_estate", "限制类房地产开发项目须取得项目核准", "HN-GC-016", "development_reform"),
)
# 协同串 the demo configures: (before, after) — 用地预审 needs the 立项 document; 规划许可 before 施工许可
DEFAULT_CHAINS = (("HN-GC-001", "HN-GC-002"), ("HN-GC-005", "HN-GC-006"), ("HN-ZR-001", "HN-ZJ-001"))


def templates(session: Session) -> list[StageTemplate]:
    rows = session.scalars(select(StageTemplate)).all()
    return sorted(rows, key=lambda t: t.seq)


def save_template(session: Session, actor, *, stage: str, name_zh: str, name_en: str, lead_department: str,
                  limit_days: int, item_codes: list[str], commitment_items: list[str] = (),
                  project_types: list[str] = (), tenant: str = PROVINCE) -> StageTemplate:
    """Write a stage template. An admin's edit is checked field by field first
    (``configuration.update_template``); the seed's defaults are known good."""
    if not is_province_admin(actor):
        raise forbidden("只有省级管理员可以配置阶段", "only province admins configure stages")
    row = session.scalar(select(StageTemplate).where(StageTemplate.tenant_id == tenant, StageTemplate.stage == stage))
    row = row or StageTemplate(tenant_id=tenant, stage=stage, seq=STAGE_ORDER.index(stage) + 1)
    row.name_zh, row.name_en, row.lead_department, row.limit_days = name_zh, name_en, lead_department, limit_days
    row.item_codes, row.commitment_items = list(item_codes), list(commitment_items)
    row.project_types, row.updated_at = list(project_types or ALL_TYPES), utcnow()
    session.add(row)
    session.flush()
    return row


def negative_list(session: Session) -> list[NegativeListEntry]:
    return list(session.scalars(select(NegativeListEntry).order_by(NegativeListEntry.kind, NegativeListEntry.code)))


def _seed_entry(session: Session, *, code: str, kind: str, industry: str, description: str,
                extra_item_code: str | None = None, extra_department: str | None = None,
                tenant: str = PROVINCE) -> NegativeListEntry:
    """One entry of the default list (admins change the list through ``configuration``'s drafts and versions)."""
    row = session.scalar(select(NegativeListEntry).where(NegativeListEntry.tenant_id == tenant,
                                                         NegativeListEntry.code == code))
    row = row or NegativeListEntry(tenant_id=tenant, code=code)
    row.kind, row.industry, row.description = kind, industry, description
    row.extra_item_code, row.extra_department, row.published_at = extra_item_code, extra_department, utcnow()
    session.add(row)
    session.flush()
    return row


def seed_defaults(session: Session, actor) -> int:
    """The default stages, negative list and chains, once (existing rows are left as admins changed them)."""
    from tongban.platform.sharing.chains import relate
    from tongban.platform.sharing.data_models import ItemRelation

    created = 0
    present = {t.stage for t in templates(session)}
    for d in DEFAULT_STAGES:
        if d.stage not in present:
            save_template(session, actor, stage=d.stage, name_zh=d.name_zh, name_en=d.name_en, lead_department=d.lead,
                          limit_days=d.limit_days, item_codes=list(d.items), commitment_items=list(d.commitment),
                          project_types=list(d.types))
            created += 1
    known = {e.code for e in negative_list(session)}
    for code, kind, industry, text, extra, dept in DEFAULT_NEGATIVE_LIST:
        if code not in known:
            _seed_entry(session, code=code, kind=kind, industry=industry, description=text,
                        extra_item_code=extra, extra_department=dept)
            created += 1
    related = {tuple(r) for r in session.execute(select(ItemRelation.before_item, ItemRelation.after_item))}
    for before, after in DEFAULT_CHAINS:
        if (before, after) not in related:
            relate(session, before, after, requirement="case", actor=actor, note="工程建设项目并联审批")
    return created
