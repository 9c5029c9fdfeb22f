"""Approval flow definitions: parse, check, route, and draw (pure domain).

A flow is a JSON object; ``check_flow`` lists every fault, ``Flow.parse`` gives
an immutable ``Flow`` or raises ``FlowInvalid``::

    {
      "name": {"zh": "承诺件", "en": "Promised-time item"},              # optional
      "nodes": [
        {"id": "accept", "kind": "start", "label": {"zh": "受理", "en": "Acceptance"},
         "time_limit_days": 1, "assignment": {"role": "window_clerk"},
         "actions": ["accept", "refuse_to_accept", "return_for_supplement"]},
        {"id": "review", "kind": "review", "label": {"zh": "审查"}, "time_limit_days": 3,
         "assignment": {"role": "reviewer", "department": "market_regulation"},
         "point": "review"},                          # optional, derived from kind
        {"id": "split", "kind": "parallel_split", "label": {"zh": "并联办理"}},
        {"id": "join", "kind": "join", "label": {"zh": "汇聚"}, "join_mode": "n_of", "n": 2},
        {"id": "report", "kind": "report_up", "label": {"zh": "上报"}, "time_limit_days": 1,
         "to_level": "city_county"},
        {"id": "cert", "kind": "issue_certificate", "label": {"zh": "发证"},
         "time_limit_days": 1, "license_type": "business_license"},
        {"id": "done", "kind": "conclude", "label": {"zh": "办结"}}
      ],
      "edges": [
        {"from": "accept", "to": "review"},
        {"from": "review", "to": "extra", "condition": "form.amount > 100",
         "label": {"zh": "金额超过 100 万元"}},          # CEL over the form data
        {"from": "review", "to": "cert"}               # no condition: the default
      ]
    }

Kinds: start ("accept" is an alias), review, decide, dept_task (needs
assignment.department), parallel_split, join (join_mode all/any/n_of), report_up
(needs to_level: province/city_county/district/township), pay_fee,
issue_certificate, conclude. Time limits are working days, required except on
start/conclude and not allowed on split/join. Roll-back and supplement are
actions, never edges: the edge graph must be a DAG.
"""

from .conditions import compile_condition
from .errors import ConditionError, FlowError, FlowInvalid, UnknownNode
from .graph import Flow, check_flow
from .model import (
    Action,
    Assignment,
    Edge,
    JoinMode,
    Label,
    Node,
    NodeKind,
    Point,
    TenantLevel,
)
from .svg import render_svg

__all__ = [
    "Action",
    "Assignment",
    "ConditionError",
    "Edge",
    "Flow",
    "FlowError",
    "FlowInvalid",
    "JoinMode",
    "Label",
    "Node",
    "NodeKind",
    "Point",
    "TenantLevel",
    "UnknownNode",
    "check_flow",
    "compile_condition",
    "render_svg",
]
