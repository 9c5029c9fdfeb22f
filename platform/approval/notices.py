"""What the applicant and the next handlers are told at each step, written to the outbox (zh first, en second)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from tongban.platform.approval.models import Case
from tongban.platform.approval.unit import CaseUnit
from tongban.platform.calendar.working_days import last_day
from tongban.platform.notify import outbox

APPLICANT_TEXT = {
    "submitted": ("您的申请已提交，办件编号 {number}，查询码 {query_code}。", "Your application {number} was submitted; query code {query_code}."),
    "accepted": ("您的申请 {number}（{item}）已受理。", "Your application {number} ({item}) was accepted."),
    "refused": ("您的申请 {number} 不予受理：{reason}", "Your application {number} was not accepted: {reason}"),
    "supplement_requested": ("您的申请 {number} 需要补正材料，请登录查看一次性告知清单。", "Application {number} needs more documents; see the list online."),
    "fee_charged": ("您的申请 {number} 需缴费 {amount} 元。", "Application {number}: please pay CNY {amount}."),
    "concluded": ("您的申请 {number} 已办结，结果：{result}。", "Application {number} is concluded: {result}."),
    "withdrawn": ("您的申请 {number} 已撤回。", "Application {number} was withdrawn."),
    "special_started": ("您的申请 {number} 进入{procedure}程序（批准 {days} 个工作日），期间不计入办理时限。",
                        "Application {number} is in {procedure_en} ({days} working days approved); the time limit pauses."),
    "special_ended": ("您的申请 {number} 的{procedure}程序已结束，继续办理。",
                      "The {procedure_en} of application {number} is finished; handling resumes."),
}
RESULT_ZH = {"approved": "准予许可", "rejected": "不予许可", "refused": "不予受理", "withdrawn": "已撤回"}


def _staff_directory(session: Session, tenant_code: str, role: str | None, department: str | None) -> list[dict]:
    from tongban.platform.identity.directory import handler_contacts

    return handler_contacts(session, tenant_code, role, department)


# who hears of a new task or a supervision card: (session, tenant_code, role, department) -> [contact dicts]; the
# identity room's staff directory, and whatever else is registered (a test's mailboxes)
HANDLER_RESOLVERS: list = [_staff_directory]


def write(session: Session, notices: list) -> int:
    """The call's notices as outbox messages, rows of the session's case unit (written with its batch)."""
    rows = CaseUnit.of(session).add_rows if notices else None
    written = 0
    for case, kind, info in notices:
        if kind == "task_opened":
            written += _to_handlers(session, case, info, rows)
        elif kind in APPLICANT_TEXT:
            written += _to_applicant(session, case, kind, info, rows)
    return written


def _text(case: Case, kind: str, info: dict) -> tuple[str, str]:
    values = {"number": case.number, "item": case.item_name, "query_code": info.get("query_code", ""),
              "reason": info.get("reason", ""), "amount": info.get("amount", ""),
              "procedure": info.get("procedure", ""), "procedure_en": info.get("procedure_en", ""),
              "days": info.get("days", ""),
              "result": RESULT_ZH.get(info.get("result", ""), info.get("result", ""))}
    zh, en = APPLICANT_TEXT[kind]
    return zh.format(**values), en.format(**values)


def _to_applicant(session: Session, case: Case, kind: str, info: dict, rows) -> int:
    zh, en = _text(case, kind, info)
    body = f"{zh}\n{en}"
    count = 0
    contact = case.applicant or {}
    reference = {"case": case.number, "kind": kind}
    if contact.get("phone"):
        outbox.add(session, tenant_id=case.tenant_id, channel="sms", recipient=contact["phone"], body=zh, topic=kind,
                   reference=reference, rows=rows)
        count += 1
    if contact.get("email"):
        outbox.add(session, tenant_id=case.tenant_id, channel="email", recipient=contact["email"],
                   subject=f"【通办】{case.item_name} {case.number}", body=body, topic=kind, reference=reference,
                   rows=rows)
        count += 1
    return count


def _handler_text(case: Case, info: dict) -> str:
    """What a handler reads: the item, the case, the step and when it is due (Beijing time), where to do it."""
    step, step_en, due = info.get("step"), info.get("step_en"), info.get("due_at")
    due_zh = f"，办理期限 {last_day(due):%Y-%m-%d}（当日内）" if due else ""  # due instants are exclusive
    due_en = f", due by the end of {last_day(due):%Y-%m-%d}" if due else ""
    return (f"您有新的待办：{case.item_name}（{case.number}）" + (f"，环节：{step}" if step else "") + due_zh
            + "。请登录工作台“我的待办”办理。\n"
            + f"New task: {case.number}" + (f" ({step_en})" if step_en else "") + due_en + ", in the workbench's My tasks.")


def _to_handlers(session: Session, case: Case, info: dict, rows) -> int:
    count, body = 0, None
    for resolve in HANDLER_RESOLVERS:
        for contact in resolve(session, case.tenant_id, info.get("role"), info.get("department")):
            if contact.get("email"):
                body = body or _handler_text(case, info)
                outbox.add(session, tenant_id=case.tenant_id, channel="email", recipient=contact["email"],
                           subject=f"【待办】{case.item_name} {case.number}" + (f"（{info['step']}）"
                                                                             if info.get("step") else ""),
                           body=body, topic="task_opened", reference={"case": case.number, "node": info.get("node")},
                           rows=rows)
                count += 1
    return count
