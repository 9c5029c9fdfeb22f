"""Immutable value objects and vocabularies of an approval flow definition.

Pure domain: no database, web or I/O imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class NodeKind(StrEnum):
    START = "start"  # 受理 (acceptance); "accept" is accepted as an alias
    REVIEW = "review"  # 审查
    DECIDE = "decide"  # 决定
    DEPT_TASK = "dept_task"  # a department's task
    PARALLEL_SPLIT = "parallel_split"
    JOIN = "join"
    REPORT_UP = "report_up"  # 上报 to a higher tenant level
    PAY_FEE = "pay_fee"  # 缴费
    ISSUE_CERTIFICATE = "issue_certificate"  # 制证/发证
    CONCLUDE = "conclude"  # 办结


KIND_ALIASES: dict[str, NodeKind] = {"accept": NodeKind.START}

GATEWAY_KINDS = frozenset({NodeKind.PARALLEL_SPLIT, NodeKind.JOIN})
# Kinds whose time limit may be omitted (they take no working time of their own).
UNTIMED_KINDS = frozenset({NodeKind.START, NodeKind.CONCLUDE}) | GATEWAY_KINDS


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    RETURN_FOR_SUPPLEMENT = "return_for_supplement"  # 补正
    FORWARD = "forward"
    ROLL_BACK = "roll_back"
    RETURN_PREVIOUS = "return_previous"
    REPORT_UP = "report_up"
    ACCEPT = "accept"
    REFUSE_TO_ACCEPT = "refuse_to_accept"


START_ONLY_ACTIONS = frozenset({Action.ACCEPT, Action.REFUSE_TO_ACCEPT})

_HANDLING_ACTIONS = (
    Action.APPROVE,
    Action.REJECT,
    Action.RETURN_FOR_SUPPLEMENT,
    Action.FORWARD,
    Action.ROLL_BACK,
    Action.RETURN_PREVIOUS,
)

DEFAULT_ACTIONS: dict[NodeKind, tuple[Action, ...]] = {
    NodeKind.START: (Action.ACCEPT, Action.REFUSE_TO_ACCEPT, Action.RETURN_FOR_SUPPLEMENT),
    NodeKind.REVIEW: _HANDLING_ACTIONS,
    NodeKind.DECIDE: _HANDLING_ACTIONS,
    NodeKind.DEPT_TASK: _HANDLING_ACTIONS,
    NodeKind.PARALLEL_SPLIT: (),
    NodeKind.JOIN: (),
    NodeKind.REPORT_UP: (Action.REPORT_UP, Action.ROLL_BACK, Action.RETURN_PREVIOUS),
    NodeKind.PAY_FEE: (Action.APPROVE, Action.ROLL_BACK),
    NodeKind.ISSUE_CERTIFICATE: (Action.APPROVE, Action.ROLL_BACK, Action.RETURN_PREVIOUS),
    NodeKind.CONCLUDE: (),
}


class Point(StrEnum):
    """Monitoring point (电子监察环节) a node reports under."""

    ACCEPTANCE = "acceptance"  # 受理
    HANDLING = "handling"  # 承办
    REVIEW = "review"  # 审核
    DECISION = "decision"  # 批准
    CONCLUSION = "conclusion"  # 办结

    @property
    def zh(self) -> str:
        return _POINT_ZH[self]


_POINT_ZH = {
    Point.ACCEPTANCE: "受理",
    Point.HANDLING: "承办",
    Point.REVIEW: "审核",
    Point.DECISION: "批准",
    Point.CONCLUSION: "办结",
}

DEFAULT_POINTS: dict[NodeKind, Point] = {
    NodeKind.START: Point.ACCEPTANCE,
    NodeKind.REVIEW: Point.REVIEW,
    NodeKind.DECIDE: Point.DECISION,
    NodeKind.DEPT_TASK: Point.HANDLING,
    NodeKind.PARALLEL_SPLIT: Point.HANDLING,
    NodeKind.JOIN: Point.HANDLING,
    NodeKind.REPORT_UP: Point.HANDLING,
    NodeKind.PAY_FEE: Point.HANDLING,
    NodeKind.ISSUE_CERTIFICATE: Point.CONCLUSION,
    NodeKind.CONCLUDE: Point.CONCLUSION,
}


class JoinMode(StrEnum):
    ALL = "all"
    ANY = "any"
    N_OF = "n_of"


class TenantLevel(StrEnum):
    PROVINCE = "province"
    CITY_COUNTY = "city_county"
    DISTRICT = "district"
    TOWNSHIP = "township"


@dataclass(frozen=True, slots=True)
class Label:
    zh: str
    en: str | None = None

    def text(self, lang: str = "zh") -> str:
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en} if self.en else {"zh": self.zh}


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who handles a node; resolved inside the handling tenant at run time."""

    role: str | None = None
    department: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (("role", self.role), ("department", self.department))
            if value is not None
        }


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: NodeKind
    label: Label
    point: Point
    actions: tuple[Action, ...] = ()
    time_limit_days: int | None = None
    assignment: Assignment | None = None
    join_mode: JoinMode | None = None
    n: int | None = None
    to_level: TenantLevel | None = None
    license_type: str | None = None

    @property
    def is_gateway(self) -> bool:
        return self.kind in GATEWAY_KINDS

    def allows(self, action: Action | str) -> bool:
        return action in self.actions

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "label": self.label.to_dict(),
            "point": self.point.value,
            "actions": [action.value for action in self.actions],
        }
        optional = {
            "time_limit_days": self.time_limit_days,
            "assignment": self.assignment.to_dict() if self.assignment else None,
            "join_mode": self.join_mode.value if self.join_mode else None,
            "n": self.n,
            "to_level": self.to_level.value if self.to_level else None,
            "license_type": self.license_type,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    condition: str | None = None
    label: Label | None = None  # human wording of the condition, for diagrams

    @property
    def is_default(self) -> bool:
        return self.condition is None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.source, "to": self.target}
        if self.condition is not None:
            data["condition"] = self.condition
        if self.label is not None:
            data["label"] = self.label.to_dict()
        return data
