"""Validation errors (bilingual) and runtime exceptions of approval flows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

# code -> (Chinese template, English template); templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_an_object": ("流程定义必须是 JSON 对象。", "The flow definition must be a JSON object."),
    "nodes_invalid": ("nodes 必须是非空列表。", "nodes must be a non-empty list."),
    "edges_invalid": ("edges 必须是列表。", "edges must be a list."),
    "name_invalid": ("流程名称须为 {{zh, en}} 对象。", "The flow name must be a {{zh, en}} object."),
    "promised_limit_invalid": (
        "承诺时限必须是非负整数。",
        "The promised time limit must be a non-negative integer.",
    ),
    "node_not_object": ("节点必须是 JSON 对象。", "A node must be a JSON object."),
    "edge_not_object": ("连线必须是 JSON 对象。", "An edge must be a JSON object."),
    "unknown_field": ("未知字段“{field}”。", "Unknown field '{field}'."),
    "field_not_allowed": (
        "“{kind}”类型的节点不能设置“{field}”。",
        "A '{kind}' node cannot have '{field}'.",
    ),
    "id_invalid": (
        "节点编号须以字母开头，仅含字母、数字、“_”和“-”，最长 64 位。",
        "A node id must start with a letter and contain only letters, digits, '_' and '-' "
        "(at most 64).",
    ),
    "duplicate_id": ("节点编号“{id}”重复。", "Duplicate node id '{id}'."),
    "kind_missing": ("缺少节点类型。", "The node kind is missing."),
    "unknown_kind": ("未知的节点类型“{kind}”。", "Unknown node kind '{kind}'."),
    "label_invalid": (
        "节点名称须为 {{zh, en}} 对象，且中文名称不能为空。",
        "The label must be a {{zh, en}} object with a non-empty Chinese text.",
    ),
    "time_limit_missing": (
        "“{kind}”类型的节点必须设置办理时限（工作日）。",
        "A '{kind}' node needs a time limit in working days.",
    ),
    "time_limit_invalid": (
        "办理时限必须是非负整数（工作日）。",
        "The time limit must be a non-negative integer number of working days.",
    ),
    "time_limit_exceeds_promise": (
        "关键路径（{route}）合计 {total} 个工作日，超过承诺时限 {promised} 个工作日。",
        "The critical path ({route}) takes {total} working days, more than the promised "
        "{promised}.",
    ),
    "assignment_invalid": (
        "办理人设置须为 {{role, department}} 对象，取值为非空字符串。",
        "The assignment must be a {{role, department}} object of non-empty strings.",
    ),
    "department_missing": (
        "部门任务节点必须指定承办部门。",
        "A department task must name its department.",
    ),
    "actions_invalid": ("actions 必须是操作名称列表。", "actions must be a list of action names."),
    "unknown_action": ("未知的操作“{action}”。", "Unknown action '{action}'."),
    "duplicate_action": ("操作“{action}”重复。", "Action '{action}' is listed twice."),
    "action_not_allowed": (
        "“{kind}”类型的节点不允许操作“{action}”。",
        "Action '{action}' is not allowed at a '{kind}' node.",
    ),
    "point_invalid": (
        "监察环节须为 acceptance、handling、review、decision、conclusion 之一。",
        "The monitoring point must be one of acceptance, handling, review, decision, "
        "conclusion.",
    ),
    "join_mode_invalid": (
        "汇聚方式须为 all、any 或 n_of。",
        "The join mode must be all, any or n_of.",
    ),
    "join_n_invalid": (
        "n_of 汇聚须设置正整数 n。",
        "An n_of join needs a positive integer n.",
    ),
    "join_n_exceeds_branches": (
        "n（{n}）不能大于并行分支数（{branches}）。",
        "n ({n}) cannot exceed the number of parallel branches ({branches}).",
    ),
    "join_n_unexpected": (
        "只有 n_of 汇聚才能设置 n。",
        "Only an n_of join may set n.",
    ),
    "to_level_missing": ("上报节点必须指定上报层级。", "A report_up node must set to_level."),
    "to_level_invalid": (
        "上报层级须为 province、city_county、district、township 之一。",
        "to_level must be one of province, city_county, district, township.",
    ),
    "license_type_invalid": (
        "证照类型必须是非空字符串。",
        "license_type must be a non-empty string.",
    ),
    "edge_endpoint_missing": ("连线缺少“{field}”。", "The edge is missing '{field}'."),
    "unknown_node": ("连线指向不存在的节点“{id}”。", "The edge refers to unknown node '{id}'."),
    "duplicate_edge": (
        "从“{source}”到“{target}”的连线重复。",
        "Duplicate edge from '{source}' to '{target}'.",
    ),
    "condition_invalid": (
        "条件表达式无法编译：{detail}",
        "The condition does not compile: {detail}",
    ),
    "condition_unknown_variable": (
        "条件表达式只能引用表单数据 form，不能引用“{names}”。",
        "A condition may only refer to the form data 'form', not '{names}'.",
    ),
    "condition_unknown_function": (
        "条件表达式使用了不支持的函数“{names}”。",
        "The condition uses unsupported function(s) '{names}'.",
    ),
    "no_start": ("流程必须有一个受理（start）节点。", "The flow needs one start node."),
    "multiple_starts": (
        "流程只能有一个受理（start）节点。",
        "The flow may have only one start node.",
    ),
    "start_has_incoming": (
        "不能有连线指向受理节点。",
        "No edge may lead into the start node.",
    ),
    "no_conclude": ("流程必须至少有一个办结节点。", "The flow needs at least one conclude node."),
    "conclude_has_outgoing": (
        "办结节点之后不能再有连线。",
        "A conclude node cannot have outgoing edges.",
    ),
    "unreachable": ("从受理节点无法到达节点“{id}”。", "Node '{id}' cannot be reached from start."),
    "dead_end": (
        "节点“{id}”没有后续连线，流程必须以办结节点结束。",
        "Node '{id}' has no outgoing edge; every path must end at a conclude node.",
    ),
    "cycle": (
        "连线构成回路；退回请使用“回退”操作而不是连线。",
        "This edge closes a cycle; use the roll-back action instead of an edge.",
    ),
    "multiple_default_edges": (
        "节点“{id}”有多条无条件连线；并行办理请使用并行分支节点。",
        "Node '{id}' has several unconditional edges; use a parallel_split for parallel work.",
    ),
    "missing_default_edge": (
        "节点“{id}”的条件连线都不满足时无路可走，请增加一条无条件连线。",
        "Node '{id}' needs an unconditional (default) edge for when no condition holds.",
    ),
    "split_too_few_branches": (
        "并行分支节点至少需要两条分支。",
        "A parallel split needs at least two branches.",
    ),
    "split_branch_condition": (
        "并行分支的连线不能带条件。",
        "Edges leaving a parallel split cannot have conditions.",
    ),
    "split_without_join": (
        "并行分支“{id}”没有在汇聚节点合并。",
        "The branches of parallel split '{id}' never meet at a join.",
    ),
    "branch_not_joined": (
        "并行分支“{split}”未经汇聚即到达办结节点。",
        "A branch of parallel split '{split}' reaches this conclude node without a join.",
    ),
    "join_without_split": (
        "汇聚节点之前没有对应的并行分支节点。",
        "This join is not preceded by a parallel split.",
    ),
    "join_mismatch": (
        "汇聚节点合并了不同并行分支的路径（分支未正确嵌套）。",
        "This join merges paths of different parallel splits (branches are not properly "
        "nested).",
    ),
    "join_missing_branch": (
        "并行分支“{split}”的第 {branches} 条分支没有到达此汇聚节点。",
        "Branch(es) {branches} of parallel split '{split}' do not reach this join.",
    ),
    "split_multiple_joins": (
        "并行分支“{split}”的分支在多个汇聚节点合并。",
        "The branches of parallel split '{split}' meet at more than one join.",
    ),
    "parallel_merge_without_join": (
        "节点“{id}”合并了并行分支，请使用汇聚（join）节点。",
        "Node '{id}' merges parallel branches; use a join node.",
    ),
}


@dataclass(frozen=True, slots=True)
class FlowError:
    path: str
    code: str
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def flow_error(path: str, code: str, **params: object) -> FlowError:
    zh, en = MESSAGES[code]
    return FlowError(path, code, zh.format(**params), en.format(**params))


class FlowInvalid(ValueError):
    """Raised by ``Flow.parse`` when a definition fails ``check_flow``."""

    def __init__(self, errors: Iterable[FlowError]) -> None:
        self.errors: tuple[FlowError, ...] = tuple(errors)
        summary = "; ".join(f"{error.path}: {error.code}" for error in self.errors[:5])
        more = f" (+{len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"invalid flow: {summary}{more}")


class UnknownNode(KeyError):
    """A runtime helper was given a node id that is not in the flow."""


class ConditionError(RuntimeError):
    """A compiled edge condition failed on the given form data (at run time)."""

    def __init__(self, source: str, target: str, condition: str, detail: str) -> None:
        self.source, self.target, self.condition = source, target, condition
        super().__init__(
            f"condition {condition!r} on edge {source}->{target} failed: {detail}"
        )
