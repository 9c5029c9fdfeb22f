"""A stage's life: application with one form and one set of materials → the lead department accepts once →
each item opens as an approval-engine case at its department, in parallel (item_cases) → the departments
decide in the workbench on the items' own flows → the stage joins when every case has concluded
(``case_concluded``, an approval listener), with one result notice. 容缺 materials carry a supply deadline
(missed: the item's case pauses); 告知承诺 items conclude on the signed commitment. Between opening and
conclusion the item follows its case's steps (``case_followed``, an approval listener): a supplement requested
(待补正) and supplied, a special procedure (特别程序中) started and finished, a roll-back, a 容缺 material
handed in through the case (the stage's material with it)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.forms import validate_submission
from tongban.platform.approval.guards import tenant_path
from tongban.platform.approval.numbers import next_case_number
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.approval.actors import Actor
from tongban.platform.approval.errors import NotAllowed
from tongban.platform.construction import assembly, item_cases, notify, regional
from tongban.platform.construction.catalogue import STAGE_ORDER
from tongban.platform.construction.errors import Invalid, forbidden, problem, wrong_state
from tongban.platform.construction.models import Commitment, ItemCase, Project, ProjectStage, StageMaterial, StageTemplate
from tongban.platform.construction.projects import stages_of
from tongban.platform.db import as_utc
from tongban.platform.sharing.chains import prerequisites

DECIDED = ("approved", "rejected", "committed")
RUNNING = ("open", "returned")  # the department is handling the item (``returned``: its case was rolled back)
SPECIAL_STEPS = {"special_procedure", "special_procedure_end"}  # the engine's events of special_start / _end
FOLLOWED_STEPS = {"request_supplement", "supply", "supply_rongque", "roll_back", "approve", *SPECIAL_STEPS}
INSPECTION_DAYS = 20


@dataclass
class Ctx:
    session: Session
    calendar: WorkCalendar
    now: datetime
    secret_key: str = ""


def template_of(session: Session, stage: str) -> StageTemplate:
    return session.scalar(select(StageTemplate).where(StageTemplate.stage == stage).order_by(StageTemplate.tenant_id.desc()))


def stage_items(session: Session, tenant, project: Project, stage: str) -> list[assembly.StageItem]:
    template = template_of(session, stage)
    codes = list(template.item_codes if template else [])
    codes += merged_from_skipped(session, project, stage, codes)
    codes += [x["item_code"] for x in project.extra_items or [] if x.get("stage") == stage and x["item_code"] not in codes]
    return assembly.load_items(session, tenant, codes)


def merged_from_skipped(session: Session, project: Project, stage: str, codes: list[str]) -> list[str]:
    """A project type that skips a stage does not skip the law: an item of an earlier, skipped stage that an item
    here needs first (协同串) is handled in this stage instead — e.g. the 建设工程规划许可 merged into the 施工
    stage of a small project on land sold with an approved design (规划、施工许可合并办理)."""
    skipped = list(session.scalars(select(ProjectStage.stage).where(ProjectStage.project_id == project.id,
                                                                    ProjectStage.state == "skipped")))
    earlier = [name for name in skipped if STAGE_ORDER.index(name) < STAGE_ORDER.index(stage)]
    if not earlier:
        return []
    pool = {code for name in earlier for code in (template_of(session, name).item_codes or [])}
    merged: list[str] = []
    queue = list(codes)
    while queue:
        for relation in prerequisites(session, queue.pop(0)):
            needed = relation.before_item
            if needed in pool and needed not in codes and needed not in merged:
                merged.append(needed)
                queue.append(needed)
    return merged


def stage_form(session: Session, tenant, project: Project, stage: str) -> assembly.AssembledForm:
    template = template_of(session, stage)
    return assembly.assemble(session, stage_items(session, tenant, project, stage),
                             form_id=f"construction_{stage}", title_zh=f"{template.name_zh}阶段申请表",
                             title_en=f"{template.name_en} stage application")


def apply(ctx: Ctx, tenant, project: Project, stage: ProjectStage, actor, *, form_data: dict,
          files: dict[str, list[dict]], commitments: dict[str, str] | None = None) -> ProjectStage:
    """The investor's one application for the stage; field-level errors and nothing written when refused."""
    if actor.kind != "system" and actor.subject != project.investor_subject:
        raise forbidden("只有项目投资主体可以申报", "only the project's investor applies")
    if stage.state not in ("waiting", "refused"):
        raise wrong_state("该阶段已申报", "this stage has already been applied for")
    _check_order(ctx.session, project, stage)
    assembled = stage_form(ctx.session, tenant, project, stage.stage)
    template = template_of(ctx.session, stage.stage)
    result = validate_submission(assembled.schema, form_data)
    errors = [problem(e.path, e.code, e.message_zh, e.message_en) for e in result.errors]
    area = regional.in_area(ctx.session, project.tenant_id, project.area)
    rows = []
    for m in assembled.materials:
        given = files.get(m.id) or []
        assessment = regional.satisfying(area, m.spec_ids) if not given else None
        if given:
            status, due = "provided", None
        elif assessment is not None:
            status, due = "regional", None
        elif m.rongque_days:
            status = "rongque"
            due = ctx.calendar.add_working_days(ctx.now, m.rongque_days).due
        elif not m.required:
            continue
        else:
            errors.append(problem(f"materials.{m.id}", "material_missing", f"请上传“{m.name}”", f"upload {m.name}"))
            continue
        rows.append(StageMaterial(tenant_id=project.tenant_id, stage_id=stage.id, material_id=m.id, name=m.name,
                                  item_codes=m.item_codes, status=status, files=given, supply_due_at=due,
                                  satisfied_by=f"{assessment.name}（{assessment.area}）" if assessment else None))
    signed = commitments or {}
    for code in template.commitment_items:
        if code in {i.code for i in assembled.items} and not (signed.get(code) or "").strip():
            errors.append(problem(f"commitments.{code}", "commitment_missing", "告知承诺事项须签署承诺书",
                                  f"sign the commitment for {code}"))
    if errors:
        raise Invalid(errors)
    ctx.session.execute(StageMaterial.__table__.delete().where(StageMaterial.stage_id == stage.id))
    ctx.session.add_all(rows)
    stage.form_data = {**result.as_json(), "_commitments": signed}
    stage.state, stage.applied_at = "applied", ctx.now
    ctx.session.flush()
    return stage


def _check_order(session: Session, project: Project, stage: ProjectStage) -> None:
    for earlier in stages_of(session, project.id):
        if earlier.seq < stage.seq and earlier.state not in ("concluded", "skipped"):
            raise wrong_state(f"请先完成“{earlier.name_zh}”阶段", f"finish the {earlier.stage} stage first")
        if earlier.seq < stage.seq and earlier.state == "concluded" and earlier.result != "approved":
            raise wrong_state(f"“{earlier.name_zh}”阶段未获准予", f"the {earlier.stage} stage was not approved")


def may_accept(session: Session, actor, project: Project, stage: ProjectStage) -> bool:
    if actor.kind == "system":
        return True
    if actor.kind != "staff":
        return False
    path = tenant_path(session, project.tenant_id)
    return actor.may("accept_cases", path) or (actor.department == stage.lead_department
                                               and any(g.covers(path) for g in actor.grants))


def accept(ctx: Ctx, tenant, project: Project, stage: ProjectStage, actor) -> list[ItemCase]:
    """The lead department accepts the stage once; every item opens at its department at the same time."""
    if not may_accept(ctx.session, actor, project, stage):
        raise forbidden("只有牵头部门或综合窗口可以受理本阶段", "only the lead department or the one-stop window accepts this stage")
    if stage.state != "applied":
        raise wrong_state("该阶段不在待受理状态", "this stage is not waiting for acceptance")
    template = template_of(ctx.session, stage.stage)
    assembled = stage_form(ctx.session, tenant, project, stage.stage)
    items = assembled.items
    extra = {x["item_code"] for x in project.extra_items or []}
    stage.state, stage.accepted_at, stage.accepted_by = "accepted", ctx.now, actor.subject
    cases = []
    for item in items:
        mode = "commitment" if item.code in template.commitment_items else ("extra" if item.code in extra else "normal")
        case = ItemCase(tenant_id=project.tenant_id, project_id=project.id, stage_id=stage.id, item_code=item.code,
                        item_name=item.name, department=item.department, mode=mode,
                        case_number=next_case_number(ctx.session, project.tenant_id, ctx.now)
                        if mode == "commitment" else None,
                        legal_limit_days=item.legal_limit_days, promised_limit_days=item.promised_limit_days,
                        power_ref=item.power_type, opened_at=ctx.now, state="open")
        ctx.session.add(case)
        cases.append(case)
    ctx.session.flush()
    _apply_chains(ctx.session, project, cases)
    for case in cases:
        if case.mode == "commitment" and case.state == "open":
            _commit(ctx, project, stage, case, actor)
        elif case.state == "open":
            _open(ctx, tenant, project, stage, case, actor, assembled)
    _suspend_overdue(ctx, project, stage)
    _maybe_conclude(ctx, project, stage)
    ctx.session.flush()
    return cases


def _apply_chains(session: Session, project: Project, cases: list[ItemCase]) -> None:
    """An item whose 前置 item belongs to this project and is not yet approved waits for it (协同串)."""
    all_cases = {c.item_code: c for c in session.scalars(select(ItemCase).where(ItemCase.project_id == project.id))}
    for case in cases:
        waits = [r.before_item for r in prerequisites(session, case.item_code)
                 if r.before_item in all_cases and all_cases[r.before_item].state not in ("approved", "committed")]
        if waits:
            case.state, case.waits_on, case.opened_at = "waiting_chain", waits, None


def _open(ctx: Ctx, tenant, project: Project, stage: ProjectStage, case: ItemCase, actor,
          assembled: assembly.AssembledForm | None = None) -> None:
    """The item's approval case, submitted for the investor and accepted on the lead department's behalf; an
    item released after its 容缺 material missed the deadline is paused at once."""
    assembled = assembled or stage_form(ctx.session, tenant, project, stage.stage)
    materials = _materials(ctx.session, stage.id)
    item_cases.open_case(ctx, tenant, project, stage, case, assembled, materials, actor)
    late = next((m for m in materials if m.status == "overdue" and case.item_code in m.item_codes), None)
    if late is not None:
        case.state = "suspended"
        item_cases.suspend(ctx, case, late.name)


def _commit(ctx: Ctx, project: Project, stage: ProjectStage, case: ItemCase, actor) -> None:
    """告知承诺制: concluded on the investor's signed commitment, queued for inspection."""
    text = (stage.form_data.get("_commitments") or {}).get(case.item_code, "")
    case.state, case.decided_at, case.decided_by = "committed", ctx.now, "commitment"
    case.comment = "告知承诺制：依申请人书面承诺办结，事后核查"
    ctx.session.add(Commitment(tenant_id=project.tenant_id, item_case_id=case.id, project_id=project.id, text=text,
                               signed_by=project.investor_subject, signed_at=stage.applied_at or ctx.now,
                               inspect_by=ctx.calendar.add_working_days(ctx.now, INSPECTION_DAYS).due))


def case_concluded(env, case, actor) -> None:
    """The approval listener: an item's case reached its end (approved / rejected / refused / withdrawn) — the
    item follows it, chained items are released, and the stage joins once every item is decided. Runs in the
    engine's unit of work; raising refuses the engine's action."""
    from tongban.tenants.models import Tenant

    session = env.session
    item = session.scalar(select(ItemCase).where(ItemCase.approval_case_id == case.id))
    if item is None:
        return
    # an approved case has every gap material supplied: the engine refuses to conclude it approved before
    ctx = Ctx(session, env.calendar, env.now, env.secret_key)
    stage = session.scalar(select(ProjectStage).where(ProjectStage.id == item.stage_id)  # one join at a time: two
                           .with_for_update().execution_options(populate_existing=True))  # last items at once
    item.state = "approved" if case.result == "approved" else "rejected"
    item.decided_at, item.decided_by, item.comment = env.now, actor.subject, case.result_note or ""
    project = session.get(Project, item.project_id)
    _release_waiting(ctx, project, session.get(Tenant, project.tenant_id))
    _maybe_conclude(ctx, project, stage)
    session.flush()


def _release_waiting(ctx: Ctx, project: Project, tenant) -> None:
    cases = list(ctx.session.scalars(select(ItemCase).where(ItemCase.project_id == project.id)))
    done = {c.item_code for c in cases if c.state in ("approved", "committed")}
    for case in cases:
        if case.state == "waiting_chain" and set(case.waits_on) <= done:
            stage = ctx.session.get(ProjectStage, case.stage_id)
            case.state, case.opened_at = "open", ctx.now
            if case.mode == "commitment":
                _commit(ctx, project, stage, case, None)
            else:
                _open(ctx, tenant, project, stage, case, Actor(stage.accepted_by or "system", "牵头部门", "system"))


def _maybe_conclude(ctx: Ctx, project: Project, stage: ProjectStage) -> None:
    cases = list(ctx.session.scalars(select(ItemCase).where(ItemCase.stage_id == stage.id).order_by(ItemCase.id)))
    if stage.state != "accepted" or not cases or any(c.state not in DECIDED for c in cases):
        return
    stage.state, stage.concluded_at = "concluded", ctx.now
    stage.result = "rejected" if any(c.state == "rejected" for c in cases) else "approved"
    stage.notice_number = f"JS-{project.code}-{STAGE_ORDER.index(stage.stage) + 1}"
    stage.notice = {"items": [{"item": c.item_name, "case_number": c.case_number, "department": c.department,
                               "result": c.state, "comment": c.comment} for c in cases],
                    "result": stage.result, "concluded_at": ctx.now.isoformat()}
    notify.stage_concluded(ctx.session, project, stage)
    if stage.result == "approved" and all(s.state in ("concluded", "skipped") for s in stages_of(ctx.session, project.id)):
        project.state, project.completed_at = "completed", ctx.now


def schedule_joint_acceptance(ctx: Ctx, project: Project, stage: ProjectStage, actor, at: datetime) -> ProjectStage:
    """联合验收: one appointment every department of the acceptance stage attends."""
    if stage.stage != "acceptance":
        raise wrong_state("联合验收只用于竣工验收阶段", "joint acceptance belongs to the completion stage")
    if not may_accept(ctx.session, actor, project, stage):
        raise forbidden("只有牵头部门可以组织联合验收", "only the lead department schedules the joint acceptance")
    if stage.state != "accepted":
        raise wrong_state("请先受理竣工验收阶段", "accept the completion stage first")
    stage.appointment_at = at
    notify.joint_acceptance(ctx.session, project, stage)
    ctx.session.flush()
    return stage


# ------------------------------------------------------------------ 容缺: supply deadlines

def supply(ctx: Ctx, project: Project, stage: ProjectStage, material_id: str, files: list[dict], actor) -> StageMaterial:
    if actor.kind != "system" and actor.subject != project.investor_subject:
        raise forbidden("只有项目投资主体可以补交材料", "only the project's investor supplies materials")
    row = ctx.session.scalar(select(StageMaterial).where(StageMaterial.stage_id == stage.id,
                                                         StageMaterial.material_id == material_id))
    if row is None or row.status not in ("rongque", "overdue"):
        raise wrong_state("该材料无需补交", "this material is not waiting to be supplied")
    if not files:
        raise Invalid([problem(f"materials.{material_id}", "material_missing", f"请上传“{row.name}”", f"upload {row.name}")])
    _supplied(ctx, project, stage, row, files, actor, _spec_ids(ctx.session, project, stage, material_id))
    return row


def _supplied(ctx: Ctx, project: Project, stage: ProjectStage, row: StageMaterial, files: list[dict], actor,
              spec_ids: dict[str, str], *, through=None) -> None:
    """The stage's material ``row`` is handed in: every item needing it gets its case's copy filled in, and a
    suspended item whose materials are all in now resumes. ``through``: the item whose case the investor
    supplied it on (its case already has the copy and followed its own pause)."""
    row.status, row.files, row.supplied_at = "supplied", files, ctx.now
    ctx.session.flush()
    overdue = {code for m in _materials(ctx.session, stage.id) if m.status == "overdue" for code in m.item_codes}
    for case in ctx.session.scalars(select(ItemCase).where(ItemCase.stage_id == stage.id,
                                                           ItemCase.item_code.in_(row.item_codes))):
        if case is through:
            continue
        resume = case.state == "suspended" and case.item_code not in overdue
        item_cases.supply(ctx, case, spec_ids.get(case.item_code), files, actor, resume=resume)
        if resume:
            case.state = "open"
    ctx.session.flush()


# ------------------------------------------------------------------ items following their cases' steps

def case_followed(env, case, actor, steps) -> None:
    """The approval listener for a case's steps short of its end: the item shows a supplement requested (待补正)
    until it is supplied, a special procedure (听证、检验检测、专家评审: 特别程序中) until it is finished, a
    roll-back (退回重办) until the department moves on, and a 容缺 material handed in through the case (我的办件)
    is the stage's material handed in — the project's mark follows and the other items needing it get it too.
    Runs in the engine's unit of work; raising refuses the engine's action."""
    actions = {step.action for step in steps}
    if not actions & FOLLOWED_STEPS or case.state in ("concluded", "refused", "withdrawn"):
        return  # nothing the project shows; a case's end is ``case_concluded``'s
    if not actions & (FOLLOWED_STEPS - {"approve"}) and case.round == 1:
        return  # a plain approval of a case never rolled back changes nothing on a project: no look-up
    session = env.session
    item = session.scalar(select(ItemCase).where(ItemCase.approval_case_id == case.id))
    if item is None or item.state in DECIDED:
        return
    ctx = Ctx(session, env.calendar, env.now, env.secret_key)
    supplied = [mid for step in steps if step.action in ("supply", "supply_rongque")
                for mid in (step.details or {}).get("materials") or []]
    if supplied or ("supply" in actions and item.state == "suspended"):
        _supplied_through_case(ctx, item, supplied, actor)
    if case.state == "supplement" and "request_supplement" in actions:
        item.state = "supplement"
    elif "special_procedure" in actions:
        item.state = "special"
    elif case.state == "in_progress" and item.state in ("supplement", "suspended", "special"):
        # supplied (an overdue 容缺 material with it, or the item would not be here) or the special procedure
        # finished: back to what it showed before the wait
        item.state = "returned" if _awaiting_rehandling(session, case) else "open"
        late = _overdue_for(ctx, item)
        if late is not None:  # overdue meanwhile, while the case waited: pause again
            item.state = "suspended"
            item_cases.suspend(ctx, item, late.name)
    elif "roll_back" in actions:
        item.state = "returned"
    elif item.state == "returned" and "approve" in actions:
        item.state = "open"
    session.flush()


def _awaiting_rehandling(session: Session, case) -> bool:
    """Whether the case was rolled back (退回重办) and the department has not moved on since: its latest roll-back
    or approval is a roll-back. A case never rolled back needs no look-up."""
    from tongban.platform.approval.models import CaseEvent

    if case.round == 1:
        return False
    last = session.scalar(select(CaseEvent.action).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.action.in_(("roll_back", "approve")))
                          .order_by(CaseEvent.seq.desc()).limit(1))
    return last == "roll_back"


def _supplied_through_case(ctx: Ctx, item: ItemCase, spec_ids: list[str], actor) -> None:
    """Materials the investor handed in on the item's case: those standing for a stage material still awaited
    (容缺, overdue) supply it for the stage. A suspended item's overdue material must be among them."""
    from tongban.tenants.models import Tenant

    stage = ctx.session.get(ProjectStage, item.stage_id)
    project = ctx.session.get(Project, item.project_id)
    case = item_cases.case_of(ctx.session, item)
    awaited = [m for m in _materials(ctx.session, stage.id)
               if m.status in ("rongque", "overdue") and item.item_code in m.item_codes]
    if not awaited:
        return
    form = stage_form(ctx.session, ctx.session.get(Tenant, project.tenant_id), project, stage.stage)
    for material in awaited:
        found = next((m for m in form.materials if m.id == material.material_id), None)
        by_item = dict(zip(found.item_codes, found.spec_ids)) if found else {}
        spec_id = by_item.get(item.item_code)
        if spec_id in spec_ids:
            files = item_cases.files_of(ctx.session, case, spec_id)
            _supplied(ctx, project, stage, material, files, actor, by_item, through=item)
        elif material.status == "overdue" and item.state == "suspended":
            raise NotAllowed("rongque_overdue", f"容缺材料“{material.name}”已逾期，请一并补交后恢复办理",
                             f"the gap material {material.name} is overdue: hand it in to resume the case",
                             field=f"materials.{spec_id}" if spec_id else "materials")


def _overdue_for(ctx: Ctx, item: ItemCase) -> StageMaterial | None:
    return next((m for m in _materials(ctx.session, item.stage_id)
                 if m.status == "overdue" and item.item_code in m.item_codes), None)


def _spec_ids(session: Session, project: Project, stage: ProjectStage, material_id: str) -> dict[str, str]:
    """Item code → the item's own id of the stage material ``material_id``."""
    from tongban.tenants.models import Tenant

    form = stage_form(session, session.get(Tenant, project.tenant_id), project, stage.stage)
    found = next((m for m in form.materials if m.id == material_id), None)
    return dict(zip(found.item_codes, found.spec_ids)) if found else {}


def sweep_rongque(ctx: Ctx) -> int:
    """Materials past their supply deadline: each affected item is suspended and the investor told. The count."""
    late = list(ctx.session.scalars(select(StageMaterial).where(StageMaterial.status == "rongque",
                                                                StageMaterial.supply_due_at <= ctx.now)
                                    .with_for_update(skip_locked=True)))  # one consumer per material
    for material in late:
        stage = ctx.session.get(ProjectStage, material.stage_id)
        _suspend_overdue(ctx, ctx.session.get(Project, stage.project_id), stage)
    return len(late)


def _suspend_overdue(ctx: Ctx, project: Project, stage: ProjectStage) -> None:
    for material in _materials(ctx.session, stage.id):
        if material.status == "rongque" and material.supply_due_at and as_utc(material.supply_due_at) <= ctx.now:
            material.status = "overdue"
            suspended = []
            for case in ctx.session.scalars(select(ItemCase).where(ItemCase.stage_id == stage.id,
                                                                   ItemCase.item_code.in_(material.item_codes))):
                if case.state in RUNNING:
                    case.state = "suspended"
                    item_cases.suspend(ctx, case, material.name)
                    suspended.append(case.item_name)
                elif case.state == "waiting_chain":  # paused as soon as it opens
                    suspended.append(case.item_name)
            notify.rongque_overdue(ctx.session, project, stage, material, suspended)
    ctx.session.flush()


def _materials(session: Session, stage_id: int) -> list[StageMaterial]:
    return list(session.scalars(select(StageMaterial).where(StageMaterial.stage_id == stage_id).order_by(StageMaterial.id)))




def inspect(ctx: Ctx, commitment: Commitment, actor, *, passed: bool, note: str = "") -> Commitment:
    """The inspection after a 告知承诺 conclusion: a failed one is recorded against the item."""
    if actor.kind not in ("staff", "system"):
        raise forbidden("只有工作人员可以核查承诺", "only staff inspect commitments")
    if commitment.inspection_state != "queued":
        raise wrong_state("该承诺已核查", "this commitment was already inspected")
    commitment.inspection_state = "passed" if passed else "failed"
    commitment.inspected_at, commitment.inspection_note = ctx.now, note
    ctx.session.flush()
    return commitment


def inspection_queue(session: Session) -> list[Commitment]:
    return list(session.scalars(select(Commitment).where(Commitment.inspection_state == "queued")
                                .order_by(Commitment.inspect_by)))
