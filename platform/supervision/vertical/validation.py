"""Checking a vertical system's message before anything is written: every problem, by field, in zh and en."""
from __future__ import annotations

from datetime import datetime

from tongban.platform.approval.intake import CHANNELS

POINTS = ("acceptance", "handling", "review", "decision", "conclusion")
SPECIAL_KINDS = ("hearing", "testing", "inspection", "expert_review")
RESULTS = ("approved", "rejected", "refused")


class Problems(list):
    def add(self, field: str, code: str, zh: str, en: str) -> None:
        self.append({"field": field, "code": code, "zh": zh, "en": en})


def check(message: dict, *, case_known: bool) -> list[dict]:
    problems = Problems()
    if not isinstance(message, dict):
        problems.add("", "not_an_object", "报文应为 JSON 对象", "the message must be a JSON object")
        return problems
    _text(problems, message, "idempotency_key", "幂等键", 120)
    _text(problems, message, "external_id", "外部办件编号", 80)
    if "case" in message:
        _case(problems, message["case"])
    elif not case_known:
        problems.add("case", "case_unknown", "首次报送须包含办件基本信息", "the first message of a case must carry its basic info")
    for i, step in enumerate(_list(problems, message, "steps")):
        _step(problems, f"steps[{i}]", step)
    for i, procedure in enumerate(_list(problems, message, "special_procedures")):
        _procedure(problems, f"special_procedures[{i}]", procedure)
    if message.get("conclusion") is not None:
        _conclusion(problems, message["conclusion"])
    return problems


def instant(value) -> datetime | None:
    """An ISO 8601 date-time with its UTC offset, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None and parsed.utcoffset() is not None else None


def _text(problems, obj, name, zh, size, prefix="", required=True) -> None:
    value = obj.get(name) if isinstance(obj, dict) else None
    field = f"{prefix}{name}"
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(field, "required", f"缺少{zh}", f"{field} is required")
    elif not isinstance(value, str) or len(value) > size:
        problems.add(field, "text_invalid", f"{zh}应为不超过 {size} 字的文字", f"{field} is text of at most {size} characters")


def _time(problems, obj, name, zh, prefix, required=True) -> datetime | None:
    value, field = obj.get(name), f"{prefix}{name}"
    if value is None:
        if required:
            problems.add(field, "required", f"缺少{zh}", f"{field} is required")
        return None
    parsed = instant(value)
    if parsed is None:
        problems.add(field, "datetime_invalid", f"{zh}应为带时区的 ISO 8601 时间，如 2026-03-02T10:00:00+08:00",
                     f"{field} must be an ISO 8601 date-time with its offset, e.g. 2026-03-02T10:00:00+08:00")
    return parsed


def _days(problems, obj, name, zh, prefix, minimum=0, required=False) -> None:
    value, field = obj.get(name), f"{prefix}{name}"
    if value is None:
        if required:
            problems.add(field, "required", f"缺少{zh}", f"{field} is required")
    elif not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= 3650:
        problems.add(field, "days_invalid", f"{zh}应为不小于 {minimum} 的整数工作日",
                     f"{field} is a whole number of working days, at least {minimum}")


def _order(problems, first, later, field, zh, en) -> None:
    if first is not None and later is not None and later < first:
        problems.add(field, "time_order", zh, en)


def _list(problems, message, name) -> list:
    value = message.get(name) or []
    if not isinstance(value, list):
        problems.add(name, "not_a_list", f"{name} 应为数组", f"{name} must be a list")
        return []
    return value


def _case(problems, case) -> None:
    p = "case."
    if not isinstance(case, dict):
        problems.add("case", "not_an_object", "办件信息应为对象", "case must be an object")
        return
    _text(problems, case, "tenant", "办理地区代码", 12, p)
    _text(problems, case, "item_code", "事项编码", 60, p)
    _text(problems, case, "item_name", "事项名称", 200, p)
    if case.get("channel") not in CHANNELS:
        problems.add("case.channel", "channel_invalid", "申请渠道应为 online、window、kiosk、mobile 或 api 之一",
                     "case.channel is one of online, window, kiosk, mobile, api")
    applicant = case.get("applicant")
    if not isinstance(applicant, dict):
        problems.add("case.applicant", "required", "缺少申请人", "case.applicant is required")
    else:
        _text(problems, applicant, "subject", "申请人标识", 80, "case.applicant.")
        _text(problems, applicant, "name", "申请人姓名", 100, "case.applicant.")
    submitted = _time(problems, case, "submitted_at", "申请时间", p)
    accepted = _time(problems, case, "accepted_at", "受理时间", p, required=False)
    _order(problems, submitted, accepted, "case.accepted_at", "受理时间不能早于申请时间", "accepted_at is before submitted_at")
    _days(problems, case, "promised_limit_days", "承诺时限", p)
    _days(problems, case, "legal_limit_days", "法定时限", p)
    promised, legal = case.get("promised_limit_days"), case.get("legal_limit_days")
    if isinstance(promised, int) and isinstance(legal, int) and promised > legal:
        problems.add("case.promised_limit_days", "promise_over_law", "承诺时限不能超过法定时限",
                     "the promised limit cannot exceed the legal limit")


def _step(problems, prefix, step) -> None:
    if not isinstance(step, dict):
        problems.add(prefix, "not_an_object", "环节应为对象", f"{prefix} must be an object")
        return
    p = prefix + "."
    _text(problems, step, "step_id", "环节编号", 60, p)
    _text(problems, step, "name", "环节名称", 100, p)
    if step.get("point") not in POINTS:
        problems.add(p + "point", "point_invalid", "监察点应为受理、承办、审核、批准或办结",
                     f"{p}point is one of {', '.join(POINTS)}")
    _text(problems, step, "department", "承办部门", 100, p, required=False)
    _text(problems, step, "handler", "经办人", 80, p, required=False)
    started = _time(problems, step, "started_at", "开始时间", p)
    done = _time(problems, step, "completed_at", "完成时间", p, required=False)
    _order(problems, started, done, p + "completed_at", "完成时间不能早于开始时间", "completed_at is before started_at")
    _days(problems, step, "limit_days", "环节时限", p)


def _procedure(problems, prefix, procedure) -> None:
    if not isinstance(procedure, dict):
        problems.add(prefix, "not_an_object", "特别程序应为对象", f"{prefix} must be an object")
        return
    p = prefix + "."
    _text(problems, procedure, "procedure_id", "特别程序编号", 60, p)
    if procedure.get("kind") not in SPECIAL_KINDS:
        problems.add(p + "kind", "kind_invalid", "特别程序应为听证、检验检测、检查或专家评审",
                     f"{p}kind is one of {', '.join(SPECIAL_KINDS)}")
    started = _time(problems, procedure, "started_at", "开始时间", p)
    ended = _time(problems, procedure, "ended_at", "结束时间", p, required=False)
    _order(problems, started, ended, p + "ended_at", "结束时间不能早于开始时间", "ended_at is before started_at")
    _days(problems, procedure, "approved_days", "批准时限", p, minimum=1, required=True)


def _conclusion(problems, conclusion) -> None:
    if not isinstance(conclusion, dict):
        problems.add("conclusion", "not_an_object", "办结信息应为对象", "conclusion must be an object")
        return
    if conclusion.get("result") not in RESULTS:
        problems.add("conclusion.result", "result_invalid", "办结结果应为准予、不予许可或不予受理",
                     "conclusion.result is approved, rejected or refused")
    _time(problems, conclusion, "concluded_at", "办结时间", "conclusion.")
    _text(problems, conclusion, "reason", "理由", 2000, "conclusion.", required=False)
    _text(problems, conclusion, "certificate_number", "证照编号", 60, "conclusion.", required=False)
