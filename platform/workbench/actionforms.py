"""The action forms of a case page: which the page offers, and how a posted form becomes engine arguments.

Which forms to offer follows the flow node's declared actions and the case's state; whether the action
is then allowed is the engine's to say (its refusal is shown on the page, next to the form).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tongban.platform.approval.errors import ApprovalError

TASK_ACTIONS = ("accept", "refuse", "request_supplement", "approve", "reject", "forward", "roll_back", "charge",
                "report_up", "special_start", "special_end")
CASE_ACTIONS = ("pay", "deliver")
# flow node action → the form that performs it
NODE_FORMS = {"accept": "accept", "refuse_to_accept": "refuse", "return_for_supplement": "request_supplement",
              "approve": "approve", "reject": "reject", "forward": "forward", "roll_back": "roll_back",
              "return_previous": "roll_back", "report_up": "report_up"}


@dataclass
class Posted:
    action: str
    task_id: int | None
    revision: int | None
    arguments: dict
    typed: dict = field(default_factory=dict)  # what was typed, to show again after a refusal
    missing_ids: list[str] = field(default_factory=list)


def forms_for(case_state: str, node_kind: str, node_actions: tuple[str, ...], *, paused: bool = False,
              roll_back_to: tuple = (None, ())) -> list[str]:
    """The forms offered on one open task the actor may handle. While a special procedure (听证, 检验检测,
    专家评审) runs, only finishing it is offered; a step that can approve may start one. Rolling back is offered
    only where there is a step to go to (``roll_back_to``: the previous one, the earlier ones — ``roll_back_targets``)."""
    if case_state not in ("submitted", "in_progress"):
        return []
    if paused and case_state == "in_progress":
        return ["special_end"]
    forms: list[str] = []
    for node_action in node_actions:
        form = NODE_FORMS.get(node_action)
        if form and form not in forms:
            forms.append(form)
    previous, earlier = roll_back_to
    if "roll_back" in forms and not (previous and "return_previous" in node_actions
                                     or earlier and "roll_back" in node_actions):
        forms.remove("roll_back")
    if node_kind == "pay_fee" and case_state == "in_progress":
        forms.insert(0, "charge")
    if case_state == "in_progress" and "approve" in forms:
        forms.append("special_start")
    return forms


def case_forms(case, permissions: frozenset[str]) -> list[str]:
    """Forms on the case as a whole: recording a payment (approvers), delivering the result (the window)."""
    forms = []
    if case.state == "in_progress" and case.fee_due and not case.fee_paid and "approve_cases" in permissions:
        forms.append("pay")
    if case.state in ("concluded", "refused") and not case.delivered_at and "accept_cases" in permissions:
        forms.append("deliver")
    return forms


def _int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApprovalError("bad_input", "提交的内容有误，请刷新后重试", "the form was malformed; reload the page",
                            field=name) from None


def parse(action: str, form) -> Posted:
    """Engine arguments from a posted form (a starlette FormData)."""
    text = {k: str(v).strip() for k, v in form.multi_items() if isinstance(v, str)}
    posted = Posted(action, _int(form.get("task_id"), "task_id"), _int(form.get("revision"), "revision"), {},
                    typed={k: v for k, v in text.items() if k != "csrf_token"})
    if action in TASK_ACTIONS and posted.task_id is None:
        raise ApprovalError("task_required", "请刷新后重试：缺少环节信息", "reload the page: the step is missing", field="task_id")
    posted.arguments = _ARGUMENTS[action](form, text, posted)
    return posted


def _comment(form, text, posted) -> dict:
    return {"comment": text.get("comment", "")}


def _accept(form, text, posted) -> dict:
    rongque = [str(v) for v in form.getlist("rongque")]
    posted.typed["rongque"] = rongque
    return {"rongque": rongque, "comment": text.get("comment", "")}


def _request_supplement(form, text, posted) -> dict:
    posted.missing_ids = [str(v) for v in form.getlist("missing")]
    posted.typed["missing"] = posted.missing_ids
    others = [{"name": line.strip()} for line in text.get("missing_other", "").splitlines() if line.strip()]
    return {"missing": others, "comment": text.get("comment", "")}


def _reason(form, text, posted) -> dict:
    return {"reason": text.get("reason", "")}


def _forward(form, text, posted) -> dict:
    return {"department": text.get("department") or None, "comment": text.get("comment", "")}


def _roll_back(form, text, posted) -> dict:
    return {"to_node": text.get("to_node") or None, "comment": text.get("comment", "")}


def _charge(form, text, posted) -> dict:
    return {"amount": text.get("amount", "")}


def _pay(form, text, posted) -> dict:
    reference = text.get("reference", "")
    if not reference:
        raise ApprovalError("reference_required", "请填写缴费凭证号", "enter the payment reference", field="reference")
    return {"reference": reference}


def _deliver(form, text, posted) -> dict:
    method = text.get("method", "")
    if method not in ("window", "post", "electronic"):
        raise ApprovalError("method_required", "请选择送达方式", "choose how the result was delivered", field="method")
    return {"method": method, "comment": text.get("comment", "")}


def _special_start(form, text, posted) -> dict:
    return {"kind": text.get("kind", ""), "approved_days": text.get("approved_days", ""),
            "reason": text.get("reason", "")}


_ARGUMENTS = {"special_start": _special_start, "special_end": _comment, "accept": _accept, "refuse": _reason, "request_supplement": _request_supplement, "approve": _comment,
              "reject": _reason, "forward": _forward, "roll_back": _roll_back, "charge": _charge,
              "report_up": _comment, "pay": _pay, "deliver": _deliver}
