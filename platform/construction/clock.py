"""The project clock: working days used per stage and in total against the stage limits and against the
sum of the items' legal limits (the speed-up the reform reports), on the platform's working calendar.

Time the law does not count against the government is left out of a stage: a 容缺 material past its deadline
until supplied (the stage waits on the investor's document), and every span during which each item still
open waited on the applicant (补正) or on a special procedure (听证、检验检测、专家评审) — its approval case
paused. While one item is still being handled, the stage's clock runs: the departments work in parallel."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from tongban.platform.approval.specials import KINDS as SPECIAL_KINDS
from tongban.platform.calendar.working_days import WorkCalendar
from tongban.platform.db import as_utc
from tongban.platform.construction.marks import mark
from tongban.platform.construction.models import ItemCase, ProjectStage

ZERO = Decimal(0)
WAITING_KINDS = ("supplement", *SPECIAL_KINDS)  # case pauses the stage may wait on (not 上报: the government's own)


@dataclass
class StageClock:
    stage: str
    name_zh: str
    state: str
    limit_days: int
    legal_days: int  # the sum of its items' legal limits
    used_days: Decimal | None  # from acceptance to conclusion (or now), None before acceptance
    overdue: bool
    mark: str | None = None  # the supervision rules' mark while the stage runs (warning | yellow | red)
    paused_days: Decimal = ZERO  # left out: a 容缺 material overdue, or every open item waiting (补正, 特别程序)


@dataclass
class ProjectClock:
    stages: list[StageClock] = field(default_factory=list)

    @property
    def limit_days(self) -> int:
        return sum(s.limit_days for s in self.stages if s.state != "skipped")

    @property
    def legal_days(self) -> int:
        return sum(s.legal_days for s in self.stages if s.state != "skipped")

    @property
    def used_days(self) -> Decimal:
        return sum((s.used_days or ZERO for s in self.stages), ZERO)

    @property
    def planned_speedup(self) -> Decimal | None:
        """How much faster the stage limits are than the items' legal limits added up, in per cent."""
        return _percent(self.legal_days - self.limit_days, self.legal_days)

    @property
    def actual_speedup(self) -> Decimal | None:
        """The same for the working days actually used by the stages concluded so far."""
        done = [s for s in self.stages if s.state == "concluded"]
        legal = sum(s.legal_days for s in done)
        return _percent(legal - sum((s.used_days or ZERO for s in done), ZERO), legal) if done else None


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def days_between(calendar: WorkCalendar, start: datetime | None, end: datetime | None, now: datetime,
                 pauses=()) -> Decimal | None:
    if start is None:
        return None
    return calendar.working_days_elapsed(start, end or now, pauses).days.quantize(Decimal("0.01"))


def applicant_pauses(materials) -> list[tuple[datetime, datetime | None]]:
    """The stage's clock stops while a 容缺 material is past its deadline and not yet supplied (the items'
    cases are paused meanwhile): from the deadline to the supply (open while still missing)."""
    pauses = []
    for m in materials:
        if m.supply_due_at is None:
            continue
        if m.status == "overdue":
            pauses.append((m.supply_due_at, None))
        elif m.status == "supplied" and m.supplied_at and as_utc(m.supplied_at) > as_utc(m.supply_due_at):
            pauses.append((m.supply_due_at, m.supplied_at))
    return pauses


def waiting_spans(items: list[ItemCase], case_pauses, end: datetime) -> list[tuple[datetime, datetime]]:
    """The spans up to ``end`` during which every item still open (its case opened, not yet decided) waited: its
    case paused for a supplement (补正, a 容缺 suspension) or a special procedure. ``case_pauses``: approval case
    id → its pauses ``(kind, started_at, ended_at)``; an item with no case open is not counted either way."""
    open_items = [(as_utc(i.opened_at), as_utc(i.decided_at) if i.decided_at else end, i.approval_case_id)
                  for i in items if i.opened_at is not None]
    paused = {case_id: [(as_utc(a), as_utc(b) if b else end) for kind, a, b in case_pauses.get(case_id, ())
                        if kind in WAITING_KINDS] for _start, _end, case_id in open_items}
    points = sorted(t for t in {end} | {t for start, stop, _ in open_items for t in (start, stop)}
                    | {t for spans in paused.values() for span in spans for t in span} if t <= end)
    spans: list[tuple[datetime, datetime]] = []
    for a, b in zip(points, points[1:]):
        running = [case_id for start, stop, case_id in open_items if start <= a < stop]
        if running and all(any(x <= a < y for x, y in paused[case_id]) for case_id in running):
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    return spans


def left_out(stage: ProjectStage, items: list[ItemCase], materials, case_pauses: dict,
             now: datetime) -> list[tuple[datetime, datetime | None]]:
    """The spans the stage's clock leaves out (an open end: still going): its 容缺 materials overdue and the
    spans every open item waited (``waiting_spans``)."""
    spans = [(as_utc(a), as_utc(b) if b else None) for a, b in applicant_pauses(materials)]
    if items and stage.accepted_at is not None:
        spans += waiting_spans(items, case_pauses, as_utc(stage.concluded_at or now))
    return spans


def project_clock(calendar: WorkCalendar, stages: list[ProjectStage], cases: list[ItemCase],
                  planned_legal: dict[str, int], now: datetime, rules: dict | None = None,
                  materials=(), case_pauses: dict | None = None) -> ProjectClock:
    """``planned_legal``: per stage not yet accepted, the legal limits of the items it will bundle; the time a
    stage's 容缺 material is overdue and the time every open item waited (``waiting_spans`` over
    ``case_pauses``) do not count."""
    by_stage_materials: dict[int, list] = {}
    for m in materials:
        by_stage_materials.setdefault(m.stage_id, []).append(m)
    by_stage: dict[int, list[ItemCase]] = {}
    for case in cases:
        by_stage.setdefault(case.stage_id, []).append(case)
    clock = ProjectClock()
    for stage in stages:
        own = by_stage.get(stage.id)
        legal = sum(c.legal_limit_days for c in own) if own else planned_legal.get(stage.stage, 0)
        pauses = left_out(stage, own or [], by_stage_materials.get(stage.id, ()), case_pauses or {}, now)
        used = days_between(calendar, stage.accepted_at, stage.concluded_at, now, pauses)
        paused = (days_between(calendar, stage.accepted_at, stage.concluded_at, now) - used) if used is not None else ZERO
        running = stage.state == "accepted"
        clock.stages.append(StageClock(stage.stage, stage.name_zh, stage.state, stage.limit_days, legal, used,
                                       used is not None and used > stage.limit_days,
                                       mark(rules or {}, used, stage.limit_days, legal) if running else None,
                                       paused))
    return clock
