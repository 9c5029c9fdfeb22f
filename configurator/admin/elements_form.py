"""The standard elements (事项要素) editor: every field of ``configurator.items.elements`` as form inputs."""

from __future__ import annotations

from tongban.configurator.admin.paths import Fault, append, apply_row_op, from_problems
from tongban.configurator.admin.posted import Posted
from tongban.configurator.items.elements import (
    AUDIENCES,
    CASE_TYPES,
    CHANNELS,
    KINDS,
    LEVELS,
    POWER_TYPES,
    check_elements,
)

# (key, 中文, English, input): the text elements in the order the form shows them
TEXTS = (
    ("name", "事项名称", "Item name", "text"),
    ("department", "实施部门", "Responsible department", "text"),
    ("legal_basis", "设定依据", "Legal basis", "textarea"),
    ("conditions", "受理条件", "Handling conditions", "textarea"),
    ("location", "办理地点", "Location", "text"),
    ("hours", "办理时间", "Hours", "text"),
    ("phone", "咨询电话", "Enquiry phone", "text"),
)
CHOICES = (("kind", "事项类型", "Item kind", KINDS), ("case_type", "办件类型", "Case type", CASE_TYPES))
MULTI = (
    ("levels", "行使层级", "Handling levels", LEVELS),
    ("channels", "办理渠道", "Channels", CHANNELS),
    ("audience", "服务对象", "Audience", AUDIENCES),
)
DAYS = (
    ("legal_limit_days", "法定办结时限（工作日）", "Legal time limit (working days)"),
    ("promised_limit_days", "承诺办结时限（工作日）", "Promised time limit (working days)"),
)
TAGS = (
    ("life_events", "人生事件 / 企业事件（每行一个）", "Life events (one per line)"),
    ("themes", "主题分类编码（每行一个）", "Theme codes (one per line)"),
)
FEE_KEYS = ("id", "name", "amount", "basis")
MANAGED = (
    {k for k, *_ in TEXTS}
    | {k for k, *_ in CHOICES}
    | {k for k, *_ in MULTI}
    | {k for k, *_ in DAYS}
    | {k for k, *_ in TAGS}
    | {"code", "fees", "power", "must_handle_online"}
)


def read(posted: Posted, saved: dict | None, *, code: str | None = None) -> dict:
    """The elements as posted; keys this form does not manage are kept from ``saved``."""
    elements = {k: v for k, v in (saved or {}).items() if k not in MANAGED}
    elements["code"] = code if code is not None else posted.text("code")
    for key, *_ in TEXTS + CHOICES:
        if posted.text(key):
            elements[key] = posted.text(key)
    for key, *_ in MULTI:
        elements[key] = posted.values(key)
    for key, *_ in DAYS:
        if posted.number(key) is not None:
            elements[key] = posted.number(key)
    for key, *_ in TAGS:
        elements[key] = posted.lines(key)
    if posted.checked("must_handle_online"):
        elements["must_handle_online"] = True
    elements["fees"] = [_fee(posted, f"fees[{i}]") for i in posted.indices("fees")]
    power = _power(posted)
    if power:
        elements["power"] = power
    return elements


def _fee(posted: Posted, prefix: str) -> dict:
    fee = {key: posted.text(f"{prefix}.{key}") for key in FEE_KEYS}
    fee["local_rate_allowed"] = posted.checked(f"{prefix}.local_rate_allowed")
    return fee


def _power(posted: Posted) -> dict | None:
    power = {
        "power_type": posted.text("power.power_type"),
        "responsibilities": posted.lines("power.responsibilities"),
        "accountability": posted.lines("power.accountability"),
    }
    if not any(power.values()):
        return None
    return power


def apply(elements: dict, verb: str, path: str, posted: Posted) -> dict:
    if verb == "add" and path == "fees":
        number = len(elements.get("fees") or []) + 1
        append(
            elements,
            "fees",
            {"id": f"fee{number}", "name": "", "amount": "0.00", "basis": "", "local_rate_allowed": False},
        )
    else:
        apply_row_op(elements, verb, path)
    return elements


def check(elements: dict, content: dict | None = None) -> list[Fault]:
    return from_problems(check_elements(elements), "elements.")


def view(elements: dict) -> dict:
    return {
        "texts": TEXTS,
        "choices": CHOICES,
        "multi": MULTI,
        "days": DAYS,
        "tags": TAGS,
        "power_types": POWER_TYPES,
        "fees": elements.get("fees") or [],
        "power": elements.get("power") or {},
    }
