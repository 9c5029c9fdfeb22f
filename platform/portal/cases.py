"""Cases as applicants and the public see them: my cases, a case's public timeline, progress by number and
query code, and the public list of licensing decisions for enterprises (办件结果公示) with applicants masked.

An applicant's own cases may be handled anywhere in the province (全省通办), so they are read in an explicit
system scope filtered by the applicant's subject; a progress query finds a case by its number and shows
it only when the query code matches. Internal events (``public`` false) are never shown; staff comments on the
public events (a clerk's note may carry an ID or phone number) only to the signed-in applicant, never on the
progress page reached by number and code — as the API's ``caseProgress`` leaves them out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.configurator.flows.errors import UnknownNode
from tongban.configurator.publishing.models import ItemVersion
from tongban.platform.approval.flowcache import flow_of
from tongban.platform.approval.guards import STATE_LABELS
from tongban.platform.approval.models import Case, CaseEvent, CaseMaterial
from tongban.platform.approval.numbers import BEIJING, query_code_matches
from tongban.platform.approval.specials import KINDS as SPECIAL_KINDS

ACTIONS = {
    "submit": ("提交申请", "application submitted"), "accept": ("受理", "accepted"), "refuse": ("不予受理", "refused"),
    "request_supplement": ("要求补正材料", "supplements requested"), "supply": ("补正材料", "supplements handed in"),
    "supply_rongque": ("补交容缺材料", "missing material handed in"), "forward": ("转办", "forwarded"),
    "approve": ("审核通过", "approved at this step"), "reject": ("不予批准", "rejected"), "roll_back": ("退回", "sent back"),
    "withdraw": ("撤回申请", "withdrawn"), "charge": ("通知缴费", "fee requested"), "pay": ("已缴费", "fee paid"),
    "deliver": ("送达", "delivered"), "report_up": ("上报上级", "reported to a higher level"),
    "received_report": ("上级已接收", "received by the higher level"), "upper_decided": ("上级已决定", "decided above"),
    "conclude": ("办结", "concluded"), "special_procedure": ("进入特别程序", "special procedure started"),
    "special_procedure_end": ("特别程序结束", "special procedure finished"),
}
RESULTS = {"approved": ("准予办理", "approved"), "rejected": ("不予批准", "rejected"), "refused": ("不予受理", "refused"),
           "withdrawn": ("已撤回", "withdrawn")}
MATERIAL_STATUS = {"provided": ("已提交", "handed in"), "license": ("电子证照免交", "e-licence used"),
                   "missing": ("无需提交", "not needed"), "rongque": ("容缺待补", "to follow"),
                   "supplied": ("已补交", "supplied later")}


@dataclass(frozen=True)
class CaseView:
    id: int
    number: str
    item_code: str
    item_name: str
    tenant_code: str
    state: str
    status: tuple[str, str]
    result: tuple[str, str] | None
    submitted_at: object
    concluded_at: object
    promised_due_at: object
    materials: list[dict]
    timeline: list[dict]
    comments_shown: bool = True  # False on the public progress page: staff comments are for the applicant only


def status_and_result(state: str, result: str | None) -> tuple[tuple[str, str], tuple[str, str] | None]:
    """The state's label and the result's, the result left out when it says the same (已撤回, 不予受理)."""
    status = STATE_LABELS.get(state, (state, state))
    outcome = RESULTS.get(result or "")
    return status, (None if outcome is None or outcome[0] == status[0] else outcome)


def action_label(event: CaseEvent, flow: Callable) -> tuple[str, str]:
    """What happened, named by its step (审查：审核通过) or by its special procedure (进入特别程序（听证）)."""
    zh, en = ACTIONS.get(event.action, (event.action, event.action))
    details = event.details if isinstance(event.details, dict) else {}
    if event.action == "approve" and details.get("label"):
        step_zh, step_en = _step_names(str(details["label"]), event.node_id, flow)
        return f"{step_zh}：{zh}", f"{step_en}: {en}"
    if event.action in ("special_procedure", "special_procedure_end") and details.get("kind") in SPECIAL_KINDS:
        kind_zh, kind_en = SPECIAL_KINDS[details["kind"]]
        return f"{zh}（{kind_zh}）", f"{en} ({kind_en})"
    return zh, en


def _step_names(label: str, node_id: str | None, flow: Callable) -> tuple[str, str]:
    """The step as the event recorded it, in English from the case's flow when it still has the node."""
    try:
        return label, flow().node(node_id).label.text("en") if node_id else label
    except UnknownNode:
        return label, label


def _view(session: Session, case: Case, *, with_materials: bool, with_comments: bool) -> CaseView:
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.public.is_(True))
                             .order_by(CaseEvent.seq))
    flow = cache(lambda: flow_of(session, case.version_id))  # read only when a step needs naming
    timeline = [{"at": e.at, "action": action_label(e, flow),
                 "status": STATE_LABELS.get(e.to_state or "", None),
                 "comment": e.comment if with_comments else None} for e in events]
    materials = [{"name": m.name, "status": MATERIAL_STATUS.get(m.status, (m.status, m.status))}
                 for m in session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id)
                                          .order_by(CaseMaterial.id))] if with_materials else []
    status, result = status_and_result(case.state, case.result)
    return CaseView(case.id, case.number, case.item_code, case.item_name, case.tenant_id, case.state, status, result,
                    case.submitted_at, case.concluded_at, case.promised_due_at, materials, timeline, with_comments)


def my_cases(session: Session, subject: str, limit: int = 200) -> list[dict]:
    """The applicant's cases, newest first (a unit of work in a system scope: cases live in many tenants)."""
    rows = session.execute(select(Case.number, Case.item_name, Case.state, Case.result, Case.submitted_at,
                                  Case.tenant_id).where(Case.applicant_subject == subject)
                           .order_by(Case.submitted_at.desc(), Case.id.desc()).limit(limit)).all()
    return [_listed(r) for r in rows]


def _listed(row) -> dict:
    status, result = status_and_result(row.state, row.result)
    return {"number": row.number, "item_name": row.item_name, "status": status, "result": result,
            "submitted_at": row.submitted_at, "tenant_code": row.tenant_id}


def example_number(tenant_code: str, now: datetime) -> str:
    """A case number as this tenant's cases read (its own code, today's date), for a form's placeholder."""
    return f"{tenant_code}-{now.astimezone(BEIJING):%Y%m%d}-000001"


def applicant_case(session: Session, number: str, subject: str) -> CaseView | None:
    """The case if ``subject`` applied for it; None otherwise (someone else's case looks like no case)."""
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or case.applicant_subject != subject:
        return None
    return _view(session, case, with_materials=True, with_comments=True)


def case_by_query_code(session: Session, secret_key: str, number: str, code: str) -> CaseView | None:
    number, code = number.strip()[:40], code.strip()[:12]
    if not number or not code:
        return None
    case = session.scalar(select(Case).where(Case.number == number))
    if case is None or not query_code_matches(secret_key, case.number, code, case.query_code_hash):
        return None
    return _view(session, case, with_materials=False, with_comments=False)  # anyone holding a slip of paper


# 行政许可和行政处罚“双公示”: licensing decisions on legal persons and other organisations are published; a natural
# person's case (个人隐私) and other kinds of items (行政确认, 行政给付, 公共服务 …) are not
PUBLISHED_KINDS = ("administrative_license",)
PUBLISHED_APPLICANTS = ("enterprise",)


def public_results(session: Session, tenant_code: str, limit: int = 200) -> list[dict]:
    """Concluded (or refused) licensing cases of enterprise applicants handled by the unit of work's tenant,
    applicants masked. The kind is the one of the item version the case was handled on (one join, no read per row)."""
    rows = session.execute(select(Case.number, Case.item_name, Case.applicant, Case.result, Case.concluded_at)
                           .join(ItemVersion, ItemVersion.id == Case.version_id)
                           .where(Case.tenant_id == tenant_code, Case.state.in_(("concluded", "refused")),
                                  Case.parent_case_id.is_(None), ItemVersion.kind.in_(PUBLISHED_KINDS),
                                  Case.applicant["kind"].as_string().in_(PUBLISHED_APPLICANTS))
                           .order_by(Case.concluded_at.desc(), Case.id.desc()).limit(limit)).all()
    return [{"number": r.number, "item_name": r.item_name, "applicant": mask_applicant(r.applicant or {}),
             "result": RESULTS.get(r.result or "", ("已办结", "concluded")), "concluded_at": r.concluded_at}
            for r in rows]


def mask_applicant(applicant: dict) -> str:
    name = str(applicant.get("name") or "")
    if applicant.get("kind") == "enterprise" or len(name) > 6:
        return mask_organisation(name)
    return mask_person(name)


def mask_person(name: str) -> str:
    return (name[0] + "*" * max(len(name) - 1, 1)) if name else "*"


def mask_organisation(name: str) -> str:
    if len(name) <= 4:
        return mask_person(name)
    keep = 2 if len(name) < 10 else 4
    return name[:keep] + "*" * max(len(name) - keep - 2, 2) + name[-2:]
