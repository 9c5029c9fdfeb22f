"""Stage items as approval-engine cases (the platform reuses cases and flows for construction projects).

When the lead department accepts a stage, each item that is not concluded on a commitment becomes a case of
the approval engine — submitted for the investor on the item's own form (the stage form's values under the
item's field names) with the stage's materials for it (uploads, the 区域评估 standing for one, 容缺 gaps) —
and is accepted once on the lead department's behalf, so it goes on along the item's own flow at its
department: the workbench's tasks, supervision's timers, the audit hash chain and the e-license library all
cover it. Everything runs in the caller's unit of work (the project's tenant handles the case).
"""
from __future__ import annotations

from sqlalchemy import select

from tongban.platform.approval import clock as case_clock, events, notices
from tongban.platform.approval.actions import accept as accept_case
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import ApprovalError
from tongban.platform.approval.intake import Application, submit
from tongban.platform.approval.models import Case, CaseMaterial, CasePause
from tongban.platform.approval.routing import Env
from tongban.platform.construction.errors import Invalid, problem

CHANNEL = "online"  # the investor's one stage application, made in the portal
PAUSE_KIND = "supplement"  # the engine's applicant-caused pause: a 容缺 material missed its deadline


def applicant_of(project) -> dict:
    contact = project.investor_contact or {}
    return {"subject": project.investor_subject, "kind": "enterprise", "name": project.investor_name,
            "uscc": project.investor_uscc, "phone": contact.get("phone"), "email": contact.get("email")}


def on_behalf(actor, stage) -> Actor:
    """The lead department's one acceptance, recorded on every item's case under the clerk's own subject."""
    return Actor(actor.subject, f"{actor.name}（{stage.name_zh}阶段牵头部门统一受理）", "system",
                 department=stage.lead_department)


def _env(ctx) -> Env:
    return Env(ctx.session, ctx.calendar, ctx.now, ctx.secret_key)


def _files_for(item_code: str, spec: dict, material) -> tuple[list[dict], bool]:
    """(files, gap): what stands for the item's material ``spec`` from the stage's ``material`` row."""
    if material is None:
        return [], False
    if material.status in ("provided", "supplied"):
        return list(material.files or []), False
    if material.status == "regional":
        ext = (spec.get("formats") or ["pdf"])[0]
        return [{"id": f"regional-{material.id}", "name": f"{material.satisfied_by}（区域评估成果）.{ext}", "size": 0,
                 "regional_assessment": material.satisfied_by}], False
    return [], material.status in ("rongque", "overdue")


def open_case(ctx, tenant, project, stage, item, assembled, stage_materials: list, actor) -> Case:
    """Submit the item's case for the investor and accept it on the lead department's behalf."""
    specs = next((i.materials for i in assembled.items if i.code == item.item_code), [])
    by_spec: dict[str, object] = {}
    rows = {m.material_id: m for m in stage_materials}
    for m in assembled.materials:
        if item.item_code in m.item_codes:
            by_spec[m.spec_ids[m.item_codes.index(item.item_code)]] = rows.get(m.id)
    files, gaps, due = {}, [], {}
    for spec in specs:
        given, gap = _files_for(item.item_code, spec, by_spec.get(spec["id"]))
        if given:
            files[spec["id"]] = given
        if gap and spec.get("rongque_allowed"):
            gaps.append(spec["id"])
            due[spec["id"]] = by_spec[spec["id"]].supply_due_at
    env = _env(ctx)
    application = Application(item_code=item.item_code, form_data=assembled.values_for(item.item_code, stage.form_data),
                              channel=CHANNEL, applicant=applicant_of(project), files=files)
    try:
        investor = Actor(project.investor_subject, project.investor_name, "applicant")  # its stage application
        case, _query_code = submit(env, tenant, tenant, investor, application)
        start = next(t for t in env.opened if t.case_id == case.id)
        env.session.flush()
        accept_case(env, case.id, start.id, on_behalf(actor, stage), rongque=gaps,
                    comment=f"工程建设项目“{project.name}”{stage.name_zh}阶段并联审批，一次受理")
    except ApprovalError as error:
        details = (error.details or {}).get("errors") or [{"path": error.field or "item", "code": error.code,
                                                            "zh": error.zh, "en": error.en}]
        raise Invalid([problem(f"items.{item.item_code}.{d.get('path')}", d.get("code", error.code),
                               f"“{item.item_name}”无法开件：{d.get('zh')}", f"{item.item_code}: {d.get('en')}")
                       for d in details]) from error
    for row in ctx.session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                              CaseMaterial.material_id.in_(list(due)))):
        row.supply_due_at = due[row.material_id] or row.supply_due_at  # the stage's one deadline
    notices.write(ctx.session, env.notices)
    item.approval_case_id, item.case_number = case.id, case.number
    item.state, item.opened_at = "open", ctx.now
    return case


def case_of(session, item):
    """The item's approval case, a record of the session's case unit (written with the unit at commit)."""
    from tongban.platform.approval.unit import CaseUnit

    return CaseUnit.of(session).load_case(item.approval_case_id) if item.approval_case_id else None


def suspend(ctx, item, material_name: str) -> None:
    """容缺 deadline missed: the case pauses (applicant-caused; no decision can be made until supplied)."""
    case = case_of(ctx.session, item)
    if case is None or case.state != "in_progress":
        return
    case_clock.open_pause(ctx.session, case, PAUSE_KIND, ctx.now, f"容缺材料“{material_name}”逾期未补交")
    events.append(ctx.session, case, Actor.system(), "suspend", from_state="in_progress", to_state=PAUSE_KIND,
                  comment=f"容缺材料“{material_name}”逾期未补交，办件暂停",
                  details={"material": material_name, "resume_state": "in_progress"})
    case.state = PAUSE_KIND


def supply(ctx, item, spec_id: str | None, files: list[dict], actor, *, resume: bool) -> None:
    """The investor supplied a 容缺 material: the case's copy is filled in and, if paused, the clock runs again."""
    case = case_of(ctx.session, item)
    if case is None or case.state not in ("in_progress", PAUSE_KIND):
        return
    row = ctx.session.scalar(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                        CaseMaterial.material_id == spec_id)) if spec_id else None
    if row is not None and row.status == "rongque":
        row.files, row.status = files, "supplied"
    events.append(ctx.session, case, actor, "supply_rongque", details={"materials": [spec_id] if spec_id else []})
    if resume and case.state == PAUSE_KIND:
        for pause in ctx.session.scalars(select(CasePause).where(CasePause.case_id == case.id,
                                                                 CasePause.ended_at.is_(None))):
            pause.ended_at = ctx.now
        case.state, case.paused = "in_progress", False
        case_clock.refresh_dues(ctx.session, ctx.calendar, case, ctx.now)
        events.append(ctx.session, case, actor, "resume", from_state=PAUSE_KIND, to_state="in_progress",
                      comment="容缺材料已补齐，恢复办理")


def files_of(session, case: Case, spec_id: str) -> list[dict]:
    """The files the case holds for the item's material ``spec_id``."""
    row = session.scalar(select(CaseMaterial).where(CaseMaterial.case_id == case.id,
                                                    CaseMaterial.material_id == spec_id))
    return list(row.files or []) if row is not None else []


