"""Words the workbench shows for the engine's codes (Chinese first, English second)."""
from __future__ import annotations

from tongban.configurator.items.elements import CASE_TYPES, CHANNELS
from tongban.platform.identity.permissions import Role

EVENTS = {
    "submit": ("提交申请", "Application submitted"), "accept": ("受理", "Accepted"),
    "refuse": ("不予受理", "Refused"), "request_supplement": ("一次性告知补正", "Supplements requested"),
    "supply": ("补正材料", "Supplements handed in"), "supply_rongque": ("补交容缺材料", "Missing material handed in"),
    "forward": ("转交", "Forwarded"), "approve": ("办理通过", "Approved at this step"),
    "reject": ("不予许可", "Rejected"), "roll_back": ("回退", "Rolled back"), "withdraw": ("撤回", "Withdrawn"),
    "charge": ("核定收费", "Fee set"), "pay": ("缴费", "Fee paid"), "deliver": ("送达", "Delivered"),
    "report_up": ("上报", "Reported up"), "received_report": ("接收上报", "Report received"),
    "upper_decided": ("上级作出决定", "Higher level decided"), "join": ("并联汇聚", "Parallel steps joined"),
    "conclude": ("办结", "Concluded"),
    "special_procedure": ("启动特别程序", "Special procedure started"),
    "special_procedure_end": ("特别程序结束", "Special procedure finished"),
}
PAUSES = {"supplement": ("补正", "Supplements"), "report_up": ("上报", "Reported up"), "hearing": ("听证", "Hearing"),
          "testing": ("检验检测", "Testing"), "expert_review": ("专家评审", "Expert review")}
MATERIAL_STATUS = {"provided": ("已提交", "Provided"), "license": ("电子证照", "E-license"),
                   "missing": ("未提交（非必需）", "Not provided (not required)"),
                   "rongque": ("缺少（可容缺）", "Missing (may be supplied later)"), "supplied": ("已补交", "Supplied")}
RESULTS = {"approved": ("准予许可", "Granted"), "rejected": ("不予许可", "Refused"),
           "refused": ("不予受理", "Not accepted"), "withdrawn": ("已撤回", "Withdrawn")}
DOCUMENTS = {"acceptance": ("受理通知书", "Notice of acceptance"), "supplement": ("补正告知书", "Notice to supplement"),
             "refusal": ("不予受理通知书", "Notice of refusal"), "approval": ("准予许可决定书", "Decision to grant"),
             "rejection": ("不予许可决定书", "Decision to refuse"), "certificate": ("证书", "Certificate")}
DELIVERY = {"window": ("窗口领取", "Collected at the window"), "post": ("邮寄送达", "By post"),
            "electronic": ("电子送达", "Electronic")}
OUTCOMES = {"accepted": ("受理", "accepted it"), "refused": ("不予受理", "refused it"), "approved": ("通过", "approved it"),
            "rejected": ("不予许可", "rejected it"), "rolled_back": ("回退", "rolled it back")}  # what a finished task records
DUE_MARKS = {"red": ("已超期", "Overdue"), "yellow": ("即将到期", "Due soon"), "paused": ("计时暂停", "Clock stopped")}
ACTIONS = {
    "accept": ("受理", "Accept"), "refuse": ("不予受理", "Refuse to accept"),
    "request_supplement": ("一次性告知补正", "Request supplements"), "forward": ("转交", "Forward"),
    "approve": ("同意，提交下一环节", "Approve and pass on"), "reject": ("不予许可", "Reject"),
    "roll_back": ("回退", "Roll back"), "charge": ("核定收费", "Set the fee"), "pay": ("登记缴费", "Record payment"),
    "deliver": ("送达", "Deliver"), "report_up": ("上报上级", "Report up"),
    "special_start": ("启动特别程序（听证、检验检测、专家评审）", "Start a hearing, testing or expert review"),
    "special_end": ("结束特别程序", "Finish the special procedure"),
}
DONE = {
    "accept": ("已受理", "Accepted"), "refuse": ("已作出不予受理", "Refused"),
    "request_supplement": ("已一次性告知补正", "Supplements requested"), "forward": ("已转交", "Forwarded"),
    "approve": ("已办理，进入下一环节", "Approved; passed on"), "reject": ("已作出不予许可决定", "Rejected"),
    "roll_back": ("已回退", "Rolled back"), "charge": ("已核定收费", "Fee set"), "pay": ("已登记缴费", "Payment recorded"),
    "deliver": ("已送达", "Delivered"), "report_up": ("已上报上级", "Reported up"),
    "special_start": ("已启动特别程序，计时暂停", "Special procedure started; the clock is paused"),
    "special_end": ("特别程序已结束，恢复计时", "Special procedure finished; the clock runs again"),
}


try:  # the department catalogue of the approval room (codes used by flows and staff accounts)
    from tongban.platform.approval.departments import DEPARTMENTS
except ImportError:  # pragma: no cover - older trees without it: codes are shown as they are
    DEPARTMENTS = {}


def department_label(code: str | None) -> tuple[str, str]:
    if not code:
        return ("", "")
    return DEPARTMENTS.get(code, (code, code))


def role_label(role: str | None) -> tuple[str, str]:
    if not role:
        return ("不限岗位", "any role")
    try:
        return Role(role).label
    except ValueError:
        return (role, role)


def channel_label(channel: str) -> tuple[str, str]:
    return CHANNELS.get(channel, {"api": ("接口", "API")}.get(channel, (channel, channel)))


def case_type_label(case_type: str) -> tuple[str, str]:
    return CASE_TYPES.get(case_type, (case_type, case_type))


GLOBALS = {"EVENTS": EVENTS, "PAUSES": PAUSES, "MATERIAL_STATUS": MATERIAL_STATUS, "RESULTS": RESULTS,
           "DOCUMENTS": DOCUMENTS, "DELIVERY": DELIVERY, "DUE_MARKS": DUE_MARKS, "ACTIONS": ACTIONS, "DONE": DONE,
           "DEPARTMENTS": DEPARTMENTS, "department_label": department_label, "role_label": role_label, "channel_label": channel_label, "case_type_label": case_type_label}
