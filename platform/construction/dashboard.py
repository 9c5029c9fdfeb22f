"""The project dashboard's data: the clock, what each department still owes, and the timeline rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.approval.departments import department_name
from tongban.platform.approval.models import CasePause
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.approval.specials import KINDS as SPECIAL_KINDS
from tongban.platform.construction import clock as stage_clock, stages as stage_rules
from tongban.platform.construction.clock import WAITING_KINDS, ProjectClock, days_between, project_clock
from tongban.platform.db import as_utc
from tongban.platform.construction.marks import mark, rules_in_force
from tongban.platform.construction.models import ItemCase, Project, StageMaterial
from tongban.platform.construction.projects import stages_of

OWING = ("open", "returned", "supplement", "special", "suspended", "waiting_chain")


@dataclass
class Owed:
    department: str
    department_name: str
    items: list[dict] = field(default_factory=list)


@dataclass
class TimelineBar:
    lane: str  # the stage name, or "stage / department"
    kind: str  # stage | item
    label: str
    start: datetime
    end: datetime
    state: str
    open: bool  # still running (end is now)
    left_out: list[tuple[datetime, datetime, str]] = field(default_factory=list)  # spans the clock does not count


@dataclass
class Dashboard:
    project: Project
    stages: list
    cases: list[ItemCase]
    materials: list[StageMaterial]
    clock: ProjectClock
    owed: list[Owed]
    timeline: list[TimelineBar]
    now: datetime


def build(session: Session, calendar: WorkCalendar, tenant, project: Project, now: datetime) -> Dashboard:
    stages = stages_of(session, project.id)
    cases = list(session.scalars(select(ItemCase).where(ItemCase.project_id == project.id).order_by(ItemCase.id)))
    stage_ids = [s.id for s in stages]
    materials = list(session.scalars(select(StageMaterial).where(StageMaterial.stage_id.in_(stage_ids))
                                     .order_by(StageMaterial.id))) if stage_ids else []
    accepted = {c.stage_id for c in cases}
    planned = {s.stage: sum(i.legal_limit_days for i in stage_rules.stage_items(session, tenant, project, s.stage))
               for s in stages if s.id not in accepted and s.state != "skipped"}
    rules = rules_in_force(session)
    pauses = case_pauses(session, cases)
    clock = project_clock(calendar, stages, cases, planned, now, rules, materials, pauses)
    return Dashboard(project, stages, cases, materials, clock, owed(calendar, cases, now, rules, pauses),
                     timeline(stages, cases, now, materials, pauses), now)


def case_pauses(session: Session, cases: list[ItemCase]) -> dict[int, list[tuple]]:
    """The items' approval cases' pauses the stage clock may leave out: case id → (kind, started, ended)."""
    ids = [c.approval_case_id for c in cases if c.approval_case_id is not None]
    found: dict[int, list[tuple]] = {}
    if ids:
        for p in session.execute(select(CasePause.case_id, CasePause.kind, CasePause.started_at, CasePause.ended_at)
                                 .where(CasePause.case_id.in_(ids), CasePause.kind.in_(WAITING_KINDS))):
            found.setdefault(p.case_id, []).append((p.kind, p.started_at, p.ended_at))
    return found


def owed(calendar: WorkCalendar, cases: list[ItemCase], now: datetime, rules: dict | None = None,
         pauses: dict[int, list[tuple]] | None = None) -> list[Owed]:
    """Per department, its items still open: the working days used and the promised due on the item's own clock,
    which stands still while its case waits on the applicant (补正) or a special procedure (``pauses``)."""
    found: dict[str, Owed] = {}
    for case in cases:
        if case.state not in OWING:
            continue
        entry = found.setdefault(case.department, Owed(case.department, department_name(case.department)))
        own = [(as_utc(a), as_utc(b) if b else None) for _kind, a, b in (pauses or {}).get(case.approval_case_id, ())]
        due = calendar.due_with_pauses(case.opened_at, case.promised_limit_days, own, now).due \
            if case.opened_at else None
        used = days_between(calendar, case.opened_at, None, now, own)
        entry.items.append({"item": case.item_name, "case_number": case.case_number, "state": case.state,
                            "due": due, "overdue": bool(due and now >= due), "days": used,
                            "mark": mark(rules or {}, used, case.promised_limit_days, case.legal_limit_days)
                            if case.state in stage_rules.RUNNING else None})
    return sorted(found.values(), key=lambda o: o.department)


def timeline(stages, cases: list[ItemCase], now: datetime, materials=(), pauses: dict | None = None) -> list[TimelineBar]:
    """A bar per accepted stage and per item, each with the spans its clock leaves out: the stage's (容缺 materials
    overdue, every open item waiting) and the item's own case pauses (补正, 特别程序)."""
    bars = []
    by_stage, by_stage_materials = {}, {}
    for case in cases:
        by_stage.setdefault(case.stage_id, []).append(case)
    for m in materials:
        by_stage_materials.setdefault(m.stage_id, []).append(m)
    for stage in stages:
        if stage.accepted_at is None:
            continue
        end = stage.concluded_at or now
        own = by_stage.get(stage.id, [])
        spans = stage_clock.left_out(stage, own, by_stage_materials.get(stage.id, ()), pauses or {}, now)
        bars.append(TimelineBar(stage.name_zh, "stage", f"{stage.name_zh}阶段", stage.accepted_at, end, stage.state,
                                stage.concluded_at is None, _clipped(spans, stage.accepted_at, end, "阶段计时暂停 stage clock stopped")))
        for case in own:
            start, stop = case.opened_at or stage.accepted_at, case.decided_at or now
            waits = [(a, b, PAUSE_LABELS.get(kind, kind)) for kind, a, b in (pauses or {}).get(case.approval_case_id, ())]
            bars.append(TimelineBar(f"{stage.name_zh} / {department_name(case.department)}", "item", case.item_name,
                                    start, stop, case.state, case.decided_at is None, _clipped(waits, start, stop)))
    return bars


PAUSE_LABELS = {"supplement": "补正 supplements", **{kind: f"{zh} {en}" for kind, (zh, en) in SPECIAL_KINDS.items()}}


def _clipped(spans, start: datetime, end: datetime, label: str = "") -> list[tuple[datetime, datetime, str]]:
    """Spans (start, end or None, [label]) cut to the bar; empty ones dropped."""
    start, end = as_utc(start), as_utc(end)
    out = []
    for span in spans:
        a, b = as_utc(span[0]), as_utc(span[1]) if span[1] else end
        text = span[2] if len(span) > 2 else label
        a, b = max(a, start), min(b, end)
        if a < b:
            out.append((a, b, text))
    return out
