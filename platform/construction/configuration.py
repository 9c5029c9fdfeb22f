"""What province admins change in the construction room, with its checks, versions and audit trail.

- Stage templates: the items a stage bundles (published catalogue items only), the lead department (one of
  those items' departments), the limit in working days (> 0), 告知承诺 items and the project types.
- The investment negative list: entries are added, edited and retired in one draft; publishing the draft
  makes it the next version, the rows the 立项 intake reads. Every change is in the configuration audit log.
- Regional assessments (区域评估) of a park in a tenant below the province: kind, the materials it stands
  for, when concluded and until when it is valid.

Every function raises :class:`Invalid` with field-level problems (zh + en) and writes nothing when a check
fails; :class:`Forbidden` unless the editor is a province administrator.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tongban.platform import audit
from tongban.platform.construction import assembly, catalogue, regional
from tongban.platform.construction.catalogue import INDUSTRIES, PROJECT_TYPES, PROVINCE, STAGE_ORDER
from tongban.platform.construction.errors import Invalid, NotFound, forbidden, problem
from tongban.platform.construction.models import (NegativeListEntry, NegativeListVersion, RegionalAssessment,
                                                  StageTemplate)
from tongban.platform.db import utcnow
from tongban.platform.sharing.license_types import is_province_admin

TEMPLATE = "construction_stage_template"
NEGATIVE_LIST = "construction_negative_list"
REGIONAL = "construction_regional_assessment"
ENTITIES = (TEMPLATE, NEGATIVE_LIST, REGIONAL)
ACTIONS = {
    "edit_template": ("修改阶段模板", "Stage template edited"),
    "draft_entry": ("编辑负面清单草稿", "Negative list draft edited"),
    "retire_entry": ("废止清单条目（草稿）", "Entry retired in the draft"),
    "restore_entry": ("恢复清单条目（草稿）", "Entry restored in the draft"),
    "discard_draft": ("放弃负面清单草稿", "Negative list draft discarded"),
    "publish_negative_list": ("发布负面清单新版本", "Negative list version published"),
    "add_assessment": ("登记区域评估", "Regional assessment recorded"),
    "edit_assessment": ("修改区域评估", "Regional assessment edited"),
    "remove_assessment": ("撤销区域评估", "Regional assessment withdrawn"),
}
ENTRY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")
KINDS = {"prohibited": ("禁止类", "Prohibited"), "restricted": ("限制类", "Restricted")}


@dataclass(frozen=True)
class Editor:
    """Who changes the configuration: a label for the audit log and their permission check
    (``may(permission, tenant_path)``, as an approval Actor has)."""

    label: str
    may: Callable[[str, str], bool]
    kind: str = "staff"


def _require_province(editor: Editor, zh: str, en: str) -> None:
    if not is_province_admin(editor):
        raise forbidden(zh, en)


# ---------------------------------------------------------------- stage templates

@dataclass
class TemplateChange:
    """A stage template as posted (values as typed; the checks report what does not parse)."""

    stage: str
    name_zh: str
    name_en: str
    lead_department: str
    limit_days: str | int
    item_codes: list[str]
    commitment_items: list[str] = field(default_factory=list)
    project_types: list[str] = field(default_factory=list)


def template_of(session: Session, stage: str) -> StageTemplate:
    row = session.scalar(select(StageTemplate).where(StageTemplate.tenant_id == PROVINCE, StageTemplate.stage == stage))
    if row is None:
        raise NotFound([problem("stage", "not_found", "没有该阶段模板", "no such stage template")])
    return row


def template_document(row: StageTemplate) -> dict:
    return {"name_zh": row.name_zh, "name_en": row.name_en, "lead_department": row.lead_department,
            "limit_days": row.limit_days, "item_codes": list(row.item_codes or []),
            "commitment_items": list(row.commitment_items or []), "project_types": list(row.project_types or [])}


def check_template(session: Session, tenant, change: TemplateChange) -> tuple[list[dict], int | None]:
    """The problems of ``change`` and its limit as a number."""
    errors = []
    if change.stage not in STAGE_ORDER:
        errors.append(problem("stage", "unknown_stage", "未知的阶段", f"unknown stage {change.stage!r}"))
    if not change.name_zh.strip():
        errors.append(problem("name_zh", "required", "请填写阶段名称", "enter the stage name"))
    limit = _positive_int(change.limit_days)
    if limit is None:
        errors.append(problem("limit_days", "invalid", "阶段时限应为大于零的整数（工作日）",
                              "the limit is a whole number of working days above zero"))
    codes = list(dict.fromkeys(c.strip() for c in change.item_codes if c.strip()))
    found = {i.code: i for i in assembly.load_items(session, tenant, codes)} if codes else {}
    if not codes:
        errors.append(problem("item_codes", "required", "请至少选择一个事项", "choose at least one item"))
    for code in codes:
        if code not in found:
            errors.append(problem("item_codes", "unknown_item", f"事项“{code}”不在已发布的事项目录中",
                                  f"{code} is not a published catalogue item"))
    departments = {i.department for i in found.values()}
    if not change.lead_department:
        errors.append(problem("lead_department", "required", "请选择牵头部门", "choose the lead department"))
    elif found and change.lead_department not in departments:
        errors.append(problem("lead_department", "not_an_item_department", "牵头部门应为本阶段某一事项的审批部门",
                              "the lead department is the department of one of the stage's items"))
    for code in change.commitment_items:
        if code not in codes:
            errors.append(problem("commitment_items", "not_in_stage", f"告知承诺事项“{code}”不在本阶段",
                                  f"{code} is not an item of this stage"))
    if not change.project_types:
        errors.append(problem("project_types", "required", "请至少选择一种适用的项目类型",
                              "choose at least one project type the stage applies to"))
    for kind in change.project_types:
        if kind not in PROJECT_TYPES:
            errors.append(problem("project_types", "unknown_type", f"未知的项目类型“{kind}”",
                                  f"unknown project type {kind!r}"))
    return errors, limit


def update_template(session: Session, editor: Editor, tenant, change: TemplateChange) -> StageTemplate:
    """Save a province stage template; the stage form of every project not yet past it follows."""
    _require_province(editor, "只有省级管理员可以配置阶段模板", "only province admins configure stage templates")
    errors, limit = check_template(session, tenant, change)
    if errors:
        raise Invalid(errors)
    row = template_of(session, change.stage)
    before = template_document(row)
    codes = list(dict.fromkeys(c.strip() for c in change.item_codes if c.strip()))
    row = catalogue.save_template(session, editor, stage=change.stage, name_zh=change.name_zh.strip(),
                                  name_en=change.name_en.strip(), lead_department=change.lead_department,
                                  limit_days=limit, item_codes=codes,
                                  commitment_items=[c for c in codes if c in change.commitment_items],
                                  project_types=[k for k in PROJECT_TYPES if k in change.project_types])
    audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="edit_template", entity=TEMPLATE,
                 entity_key=change.stage, before=before, after=template_document(row))
    session.flush()
    return row


def _positive_int(value) -> int | None:
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"\d{1,4}", text) or int(text) <= 0:
        return None
    return int(text)


# ---------------------------------------------------------------- the negative list

@dataclass
class EntryChange:
    code: str
    kind: str
    industry: str
    description: str
    extra_item_code: str = ""


@dataclass(frozen=True)
class NegativeListState:
    published: NegativeListVersion | None  # None: the list as first seeded, before any published version
    draft: NegativeListVersion | None
    entries: list[dict]  # the draft's entries, or the published ones when there is no draft


def published_entries(session: Session) -> list[dict]:
    return [_entry_document(e) for e in catalogue.negative_list(session) if e.tenant_id == PROVINCE]


def _entry_document(row: NegativeListEntry) -> dict:
    return {"code": row.code, "kind": row.kind, "industry": row.industry, "description": row.description,
            "extra_item_code": row.extra_item_code, "extra_department": row.extra_department}


def _version(session: Session, state: str) -> NegativeListVersion | None:
    return session.scalar(select(NegativeListVersion).where(NegativeListVersion.tenant_id == PROVINCE,
                                                            NegativeListVersion.state == state)
                          .order_by(NegativeListVersion.id.desc()))


def negative_list_state(session: Session) -> NegativeListState:
    draft = _version(session, "draft")
    return NegativeListState(_version(session, "published"), draft,
                             list(draft.entries) if draft else published_entries(session))


def versions(session: Session) -> list[NegativeListVersion]:
    return list(session.scalars(select(NegativeListVersion).where(NegativeListVersion.tenant_id == PROVINCE,
                                                                  NegativeListVersion.state != "draft")
                                .order_by(NegativeListVersion.version_no.desc())))


def check_entry(session: Session, tenant, change: EntryChange, entries: list[dict],
                original: str | None = None) -> tuple[list[dict], str | None]:
    """The problems of an entry (its code unique in the list) and the extra item's department."""
    errors, department = [], None
    code = change.code.strip()
    if not ENTRY_CODE.match(code):
        errors.append(problem("code", "pattern", "清单编号由大写字母、数字和连字符组成，如 HN-X-003",
                              "the entry code is capitals, digits and hyphens, e.g. HN-X-003"))
    elif code != original and any(e["code"] == code for e in entries):
        errors.append(problem("code", "duplicate", f"清单中已有编号“{code}”", f"the list already has {code}"))
    if change.kind not in KINDS:
        errors.append(problem("kind", "invalid", "类别应为禁止类或限制类", "the kind is prohibited or restricted"))
    if change.industry not in INDUSTRIES:
        errors.append(problem("industry", "invalid", "请选择所属行业", "choose the industry"))
    if not change.description.strip():
        errors.append(problem("description", "required", "请填写清单内容", "enter the description"))
    extra = change.extra_item_code.strip()
    if change.kind == "restricted":
        if not extra:
            errors.append(problem("extra_item_code", "required", "限制类须指定需增加的审批事项",
                                  "a restricted entry names the approval it adds"))
        else:
            found = assembly.load_items(session, tenant, [extra])
            if not found:
                errors.append(problem("extra_item_code", "unknown_item", f"事项“{extra}”不在已发布的事项目录中",
                                      f"{extra} is not a published catalogue item"))
            else:
                department = found[0].department
    return errors, department


def save_entry(session: Session, editor: Editor, tenant, change: EntryChange, *, original: str | None = None) -> dict:
    """Add an entry to the draft, or change the one coded ``original`` (the draft starts from the published list)."""
    _require_province(editor, "只有省级管理员可以编辑负面清单", "only province admins edit the negative list")
    state = negative_list_state(session)
    if original is not None and not any(e["code"] == original for e in state.entries):
        raise NotFound([problem("code", "not_found", "清单中没有该条目", "no such entry in the list")])
    errors, department = check_entry(session, tenant, change, state.entries, original)
    if errors:
        raise Invalid(errors)
    restricted = change.kind == "restricted"
    entry = {"code": change.code.strip(), "kind": change.kind, "industry": change.industry,
             "description": change.description.strip(),
             "extra_item_code": change.extra_item_code.strip() if restricted else None,
             "extra_department": department if restricted else None}
    before = next((e for e in state.entries if e["code"] == original), None) if original else None
    if before is not None:
        entry["retired"] = bool(before.get("retired"))
    entries = [entry if e["code"] == original else e for e in state.entries] if original else state.entries + [entry]
    _save_draft(session, editor, state, entries)
    audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="draft_entry", entity=NEGATIVE_LIST,
                 entity_key=entry["code"], before=before, after=entry)
    session.flush()
    return entry


def retire_entry(session: Session, editor: Editor, code: str, *, retired: bool = True) -> None:
    """Mark an entry retired in the draft (it leaves the list when the draft is published), or restore it."""
    _require_province(editor, "只有省级管理员可以编辑负面清单", "only province admins edit the negative list")
    state = negative_list_state(session)
    if not any(e["code"] == code for e in state.entries):
        raise NotFound([problem("code", "not_found", "清单中没有该条目", "no such entry in the list")])
    entries = [{**e, "retired": retired} if e["code"] == code else e for e in state.entries]
    _save_draft(session, editor, state, entries)
    audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="retire_entry" if retired else "restore_entry",
                 entity=NEGATIVE_LIST, entity_key=code, extra={"retired": retired})
    session.flush()


def discard_draft(session: Session, editor: Editor) -> None:
    _require_province(editor, "只有省级管理员可以编辑负面清单", "only province admins edit the negative list")
    draft = _version(session, "draft")
    if draft is not None:
        session.delete(draft)
        audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="discard_draft", entity=NEGATIVE_LIST,
                     entity_key=PROVINCE)
        session.flush()


def publish_negative_list(session: Session, editor: Editor, *, note: str = "",
                          now: datetime | None = None) -> NegativeListVersion:
    """The draft becomes the next version: its live entries are the list the 立项 intake checks from now on."""
    _require_province(editor, "只有省级管理员可以发布负面清单", "only province admins publish the negative list")
    now = now or utcnow()
    draft = _version(session, "draft")
    if draft is None:
        raise Invalid([problem("draft", "no_draft", "没有待发布的草稿，请先修改清单",
                               "there is no draft to publish; change the list first")])
    live = [{k: v for k, v in e.items() if k != "retired"} for e in draft.entries if not e.get("retired")]
    before = {e["code"]: e for e in published_entries(session)}
    rows = {r.code: r for r in session.scalars(select(NegativeListEntry)
                                               .where(NegativeListEntry.tenant_id == PROVINCE))}
    for code, row in rows.items():
        if code not in {e["code"] for e in live}:
            session.delete(row)
    for entry in live:
        row = rows.get(entry["code"]) or NegativeListEntry(tenant_id=PROVINCE, code=entry["code"])
        if row.id is None or _entry_document(row) != entry:
            row.kind, row.industry, row.description = entry["kind"], entry["industry"], entry["description"]
            row.extra_item_code, row.extra_department, row.published_at = (entry["extra_item_code"],
                                                                          entry["extra_department"], now)
            session.add(row)
    previous = _version(session, "published")
    if previous is not None:
        previous.state = "superseded"
    number = (session.scalar(select(func.max(NegativeListVersion.version_no))
                             .where(NegativeListVersion.tenant_id == PROVINCE)) or 0) + 1
    draft.state, draft.version_no, draft.entries = "published", number, live
    draft.note, draft.published_by, draft.published_at = note.strip(), editor.label, now
    session.flush()
    audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="publish_negative_list",
                 entity=NEGATIVE_LIST, entity_key=PROVINCE, before=before, after={e["code"]: e for e in live},
                 extra={"version": number})
    session.flush()
    return draft


def _save_draft(session: Session, editor: Editor, state: NegativeListState, entries: list[dict]) -> None:
    draft = state.draft or NegativeListVersion(tenant_id=PROVINCE, state="draft")
    draft.entries, draft.edited_by, draft.edited_at = [dict(e) for e in entries], editor.label, utcnow()
    session.add(draft)


# ---------------------------------------------------------------- regional assessments

@dataclass
class AssessmentChange:
    tenant_code: str
    area: str
    kind: str
    name: str
    material_ids: list[str]
    concluded_on: str
    valid_until: str = ""
    report_ref: str = ""


def known_materials(session: Session, tenant) -> dict[str, str]:
    """The material ids the stage templates' items ask for, with their names (what an assessment may stand for)."""
    codes = list(dict.fromkeys(c for t in catalogue.templates(session) for c in t.item_codes or []))
    found: dict[str, str] = {}
    for item in assembly.load_items(session, tenant, codes):
        for spec in item.materials:
            found.setdefault(spec["id"], spec.get("name") or spec["id"])
    return found


def assessments(session: Session) -> list[RegionalAssessment]:
    """Every assessment the session sees (a subtree scope: the province and below)."""
    return list(session.scalars(select(RegionalAssessment).order_by(RegionalAssessment.tenant_id,
                                                                     RegionalAssessment.area, RegionalAssessment.id)))


def check_assessment(session: Session, tenant, change: AssessmentChange,
                     tenants_below: dict[str, str]) -> tuple[list[dict], date | None, date | None]:
    errors = []
    if change.tenant_code not in tenants_below:
        errors.append(problem("tenant_code", "invalid", "请选择园区所在的市县（省级以下）",
                              "choose the city or county the park lies in (below the province)"))
    if not change.area.strip():
        errors.append(problem("area", "required", "请填写园区（区域）名称", "enter the park or area"))
    if change.kind not in regional.KINDS:
        errors.append(problem("kind", "invalid", "请选择评估类别", "choose the assessment kind"))
    if not change.name.strip():
        errors.append(problem("name", "required", "请填写评估名称", "enter the assessment's name"))
    known = known_materials(session, tenant)
    if not change.material_ids:
        errors.append(problem("material_ids", "required", "请选择该评估可替代的材料", "choose the materials it stands for"))
    for mid in change.material_ids:
        if mid not in known:
            errors.append(problem("material_ids", "unknown_material", f"阶段事项中没有材料“{mid}”",
                                  f"no stage item asks for the material {mid!r}"))
    concluded = _date(change.concluded_on)
    if concluded is None:
        errors.append(problem("concluded_on", "invalid", "请填写评估完成日期（如 2025-06-30）",
                              "enter the date it was concluded (e.g. 2025-06-30)"))
    valid_until = _date(change.valid_until) if change.valid_until.strip() else None
    if change.valid_until.strip() and valid_until is None:
        errors.append(problem("valid_until", "invalid", "有效期至应为日期（如 2030-06-30）",
                              "valid until is a date (e.g. 2030-06-30)"))
    elif valid_until and concluded and valid_until <= concluded:
        errors.append(problem("valid_until", "before_concluded", "有效期应晚于评估完成日期",
                              "the validity ends after the assessment was concluded"))
    return errors, concluded, valid_until


def save_assessment(session: Session, editor: Editor, tenant, change: AssessmentChange, tenants_below: dict[str, str],
                    *, assessment_id: int | None = None) -> RegionalAssessment:
    """Record (or change) a park's assessment in the park's tenant; ``session`` spans the province's subtree."""
    _require_province(editor, "只有省级管理员可以登记区域评估", "only province admins record regional assessments")
    row = None
    if assessment_id is not None:
        row = session.get(RegionalAssessment, assessment_id)
        if row is None:
            raise NotFound([problem("assessment", "not_found", "没有该区域评估", "no such regional assessment")])
    errors, concluded, valid_until = check_assessment(session, tenant, change, tenants_below)
    if errors:
        raise Invalid(errors)
    before = _assessment_document(row) if row else None
    if row is None:
        row = regional.record(session, change.tenant_code, area=change.area, kind=change.kind, name=change.name.strip(),
                              material_ids=list(dict.fromkeys(change.material_ids)),
                              report_ref=change.report_ref.strip(), concluded_on=concluded)
    else:
        row.tenant_id, row.area, row.kind = change.tenant_code, change.area.strip(), change.kind
        row.name = change.name.strip()
        row.material_ids, row.report_ref = list(dict.fromkeys(change.material_ids)), change.report_ref.strip()
        row.concluded_on = concluded
    row.valid_until = valid_until
    session.flush()
    audit.record(session, tenant_id=PROVINCE, actor=editor.label,
                 action="edit_assessment" if before else "add_assessment", entity=REGIONAL, entity_key=str(row.id),
                 before=before, after=_assessment_document(row))
    session.flush()
    return row


def remove_assessment(session: Session, editor: Editor, assessment_id: int) -> None:
    _require_province(editor, "只有省级管理员可以撤销区域评估", "only province admins withdraw regional assessments")
    row = session.get(RegionalAssessment, assessment_id)
    if row is None:
        raise NotFound([problem("assessment", "not_found", "没有该区域评估", "no such regional assessment")])
    before = _assessment_document(row)
    session.delete(row)
    audit.record(session, tenant_id=PROVINCE, actor=editor.label, action="remove_assessment", entity=REGIONAL,
                 entity_key=str(assessment_id), before=before, after=None)
    session.flush()


def _assessment_document(row: RegionalAssessment) -> dict:
    return {"tenant": row.tenant_id, "area": row.area, "kind": row.kind, "name": row.name,
            "material_ids": list(row.material_ids or []), "report_ref": row.report_ref,
            "concluded_on": row.concluded_on.isoformat() if row.concluded_on else None,
            "valid_until": row.valid_until.isoformat() if row.valid_until else None}


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


# ---------------------------------------------------------------- history

def history(session: Session, *, limit: int = 200) -> list[audit.ConfigChange]:
    return list(session.scalars(select(audit.ConfigChange).where(audit.ConfigChange.entity.in_(ENTITIES))
                                .order_by(audit.ConfigChange.id.desc()).limit(limit)))
