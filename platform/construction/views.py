"""Plain data for the web rooms' templates (labels, the timeline SVG, the speed-up); no rules here."""
from __future__ import annotations

from markupsafe import Markup

from tongban.platform.approval.departments import department_name
from tongban.platform.construction import timeline_svg
from tongban.platform.construction.catalogue import INDUSTRIES, PROJECT_TYPES
from tongban.platform.construction.dashboard import Dashboard
from tongban.platform.construction.marks import MARK_LABELS

STATE_LABELS = {
    "waiting": ("待申报", "Not applied"), "skipped": ("本类项目免于此阶段", "Skipped for this type"),
    "applied": ("待牵头部门受理", "Waiting for acceptance"), "accepted": ("并联审批中", "In parallel approval"),
    "concluded": ("已办结", "Concluded"), "refused": ("不予受理", "Refused"),
    "open": ("审批中", "In approval"), "waiting_chain": ("等待前置事项", "Waiting for a prerequisite"),
    "suspended": ("暂停（容缺材料逾期）", "Suspended (gap material overdue)"), "approved": ("准予", "Approved"),
    "supplement": ("待补正", "Awaiting supplements"), "returned": ("退回重办", "Rolled back for re-handling"),
    "special": ("特别程序中", "In a special procedure"),
    "rejected": ("不予许可", "Rejected"), "committed": ("告知承诺办结", "Concluded on commitment"),
    "provided": ("已提交", "Provided"), "rongque": ("容缺待补", "Gap: to supply"), "supplied": ("已补交", "Supplied"),
    "overdue": ("逾期未补", "Overdue"), "regional": ("区域评估替代", "Regional assessment"),
    "active": ("办理中", "Active"), "completed": ("已竣工验收", "Completed"),
    "queued": ("待核查", "Queued"), "passed": ("核查通过", "Passed"), "failed": ("核查不符", "Failed"),
}


def label(state: str | None) -> tuple[str, str]:
    return STATE_LABELS.get(state or "", (state or "", state or ""))


def dashboard_view(board: Dashboard) -> dict:
    clock = board.clock
    return {
        "project": board.project, "stages": board.stages, "cases": board.cases, "materials": board.materials,
        "clock": clock, "owed": board.owed, "svg": Markup(timeline_svg.render(board.timeline, board.now)),
        "type_label": PROJECT_TYPES.get(board.project.project_type, ("", ""))[0],
        "industry_label": INDUSTRIES.get(board.project.industry, ("", ""))[0],
        "cases_by_stage": {s.id: [c for c in board.cases if c.stage_id == s.id] for s in board.stages},
        "materials_by_stage": {s.id: [m for m in board.materials if m.stage_id == s.id] for s in board.stages},
        "clock_by_stage": {c.stage: c for c in clock.stages},
        "department": department_name, "state_label": label, "mark_labels": MARK_LABELS,
    }
