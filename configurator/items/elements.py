"""The standard elements of a government service item (事项要素) and their checks."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tongban.configurator.items.problems import Checker, Problem

KINDS = {
    "administrative_license": ("行政许可", "Administrative license"),
    "administrative_penalty": ("行政处罚", "Administrative penalty"),
    "administrative_enforcement": ("行政强制", "Administrative enforcement"),
    "administrative_levy": ("行政征收", "Administrative levy"),
    "administrative_payment": ("行政给付", "Administrative payment"),
    "administrative_inspection": ("行政检查", "Administrative inspection"),
    "administrative_confirmation": ("行政确认", "Administrative confirmation"),
    "administrative_reward": ("行政奖励", "Administrative reward"),
    "administrative_ruling": ("行政裁决", "Administrative ruling"),
    "other_power": ("其他行政权力", "Other administrative power"),
    "public_service": ("公共服务", "Public service"),
}
CASE_TYPES = {
    "immediate": ("即办件", "Handled on the spot"),
    "promised": ("承诺件", "Handled within a promised time"),
    "report_up": ("上报件", "Reported to a higher level"),
    "joint": ("联办件", "Handled jointly by several departments"),
}
CHANNELS = {"online": ("网上办理", "Online"), "window": ("窗口办理", "At a service window"),
            "kiosk": ("自助终端", "Self-service kiosk"), "mobile": ("移动端", "Mobile")}
AUDIENCES = {"individual": ("个人", "Individuals"), "enterprise": ("法人", "Enterprises")}
LEVELS = {"province": ("省级", "Province"), "city_county": ("市县级", "City/county"),
          "district": ("区级", "District"), "township": ("乡镇（街道）", "Township"), "village": ("村（社区）", "Village")}
POWER_TYPES = KINDS


ITEM_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")  # it is part of URLs and file names: no spaces, / or ?


def check_elements(elements: dict) -> list[Problem]:
    c = Checker("elements")
    if not isinstance(elements, dict):
        c.add("", "type", "事项要素应为对象", "elements must be an object")
        return c.problems
    c.text(elements, "code", "事项编码", "item code", max_len=60)
    code = elements.get("code")
    if isinstance(code, str) and code.strip() and len(code) <= 60 and not ITEM_CODE.match(code):
        c.add("code", "code_format", "事项编码只能由字母、数字和 - _ . 组成，并以字母或数字开头（如 HN-SCJG-002）",
              "an item code is letters, digits and - _ . only, starting with a letter or digit (e.g. HN-SCJG-002)")
    c.text(elements, "name", "事项名称", "item name", max_len=200)
    c.choice(elements, "kind", KINDS, "事项类型", "item kind")
    c.text(elements, "department", "实施部门", "responsible department", max_len=100)
    c.text(elements, "legal_basis", "设定依据", "legal basis", required=False, max_len=4000)
    c.text(elements, "conditions", "受理条件", "handling conditions", required=False, max_len=4000)
    c.choice(elements, "case_type", CASE_TYPES, "办件类型", "case type")
    c.choices(elements, "levels", LEVELS, "行使层级", "handling level")
    c.choices(elements, "channels", CHANNELS, "办理渠道", "channel")
    c.choices(elements, "audience", AUDIENCES, "服务对象", "audience")
    for key, zh, en in (("location", "办理地点", "location"), ("hours", "办理时间", "hours"),
                        ("phone", "咨询电话", "phone")):
        c.text(elements, key, zh, en, required=False, max_len=300)
    _check_limits(c, elements)
    _check_fees(c, elements.get("fees"))
    _check_power(c, elements.get("power"))
    for key in ("life_events", "themes"):
        values = elements.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            c.add(key, "type", "标签应为文字列表", f"{key} must be a list of text tags")
    if elements.get("must_handle_online") and "online" not in (elements.get("channels") or []):
        c.add("must_handle_online", "online_channel_missing", "必须网办的事项应开通网上办理渠道",
              "an item that must be handled online needs the online channel")
    return c.problems


def _check_limits(c: Checker, elements: dict) -> None:
    legal = c.whole_days(elements, "legal_limit_days", "法定办结时限", "legal time limit")
    promised = c.whole_days(elements, "promised_limit_days", "承诺办结时限", "promised time limit")
    if legal is not None and promised is not None and promised > legal:
        c.add("promised_limit_days", "promised_over_legal", f"承诺时限（{promised}）不能超过法定时限（{legal}）",
              f"the promised limit ({promised}) cannot exceed the legal limit ({legal})")
    if elements.get("case_type") == "immediate" and promised not in (None, 0):
        c.add("promised_limit_days", "immediate_has_limit", "即办件的承诺时限应为 0",
              "an item handled on the spot has a promised limit of 0")


def _check_fees(c: Checker, fees) -> None:
    if fees in (None, []):
        return
    if not isinstance(fees, list):
        c.add("fees", "type", "收费项目应为列表", "fees must be a list")
        return
    seen = set()
    for i, fee in enumerate(fees):
        path = f"fees[{i}]"
        if not isinstance(fee, dict):
            c.add(path, "type", "收费项目应为对象", "a fee must be an object")
            continue
        fee_id = fee.get("id")
        if not fee_id or fee_id in seen:
            c.add(f"{path}.id", "duplicate_id" if fee_id else "required", "收费项目编号缺失或重复",
                  "a fee needs a unique id")
        seen.add(fee_id)
        if not str(fee.get("name") or "").strip():
            c.add(f"{path}.name", "required", "请填写收费项目名称", "a fee needs a name")
        try:
            amount = Decimal(str(fee.get("amount")))
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            c.add(f"{path}.amount", "invalid_amount", "收费金额应为不小于 0 的金额（最多两位小数）",
                  "the amount must be a non-negative sum of money with at most two decimals")
        if not str(fee.get("basis") or "").strip():
            c.add(f"{path}.basis", "required", "请填写收费依据", "a fee needs its legal basis")


def _check_power(c: Checker, power) -> None:
    if power in (None, {}):
        return
    if not isinstance(power, dict):
        c.add("power", "type", "权责清单信息应为对象", "the power-list entry must be an object")
        return
    sub = Checker(f"{c.prefix}.power")
    sub.choice(power, "power_type", POWER_TYPES, "权力类型", "power type")
    for key, zh, en in (("responsibilities", "责任事项", "responsibilities"),
                        ("accountability", "追责情形", "accountability cases")):
        values = power.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            sub.add(key, "type", f"{zh}应为文字列表", f"{en} must be a list of text")
    c.problems.extend(sub.problems)
