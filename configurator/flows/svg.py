"""SVG diagram of a flow: layered top-to-bottom, CJK-safe, escaped, accessible.

Output is deterministic (same flow and options give the same bytes), so it can
be cached or snapshot-tested.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from .layout import DIAMOND_SIZE, EdgeRoute, NodeBox
from .model import Node, NodeKind

if TYPE_CHECKING:
    from .graph import Flow

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
ARROW_ID = "tb-flow-arrow"
_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "审批流程图",
        "days": "{n} 工作日",
        "day": "1 工作日",
        "immediate": "即办",
        "otherwise": "其他",
        "current": "当前环节：",
        "steps": "办理环节：",
        "longest": "最长路径 {n} 个工作日",
        "list_sep": "、",
        "join": {"all": "全部完成", "any": "任一完成", "n_of": "{n} 项完成"},
        "sep": "；",
    },
    "en": {
        "title": "Approval flow",
        "days": "{n} working days",
        "day": "1 working day",
        "immediate": "same day",
        "otherwise": "otherwise",
        "current": "Current step: ",
        "steps": "Steps: ",
        "longest": "longest path {n} working days",
        "list_sep": ", ",
        "join": {"all": "all done", "any": "any done", "n_of": "{n} done"},
        "sep": "; ",
    },
}
_STYLE = {
    "box": ("#eef4ff", "#4c6ef5"),
    "pill": ("#ebfbee", "#2f9e44"),
    "diamond": ("#fff9db", "#f08c00"),
    "current": ("#fff4e6", "#e8590c"),
}


def render_svg(flow: Flow, *, highlight: Iterable[str] | None = None, lang: str = "zh") -> str:
    """Render ``flow`` as a standalone SVG document string.

    ``highlight`` marks the given node ids (e.g. a case's current steps);
    unknown ids are ignored. ``lang`` is "zh" or "en".
    """
    if lang not in _TEXT:
        raise ValueError(f"unsupported language {lang!r}")
    if isinstance(highlight, str):
        highlight = [highlight]
    current = {node.id for node in flow.nodes} & set(highlight or ())
    layout = flow.layout
    title = flow.name.text(lang) if flow.name else _TEXT[lang]["title"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {layout.height}" '
        f'width="{layout.width}" height="{layout.height}" role="img" aria-label="{_attr(title)}" '
        f'font-family="{_attr(FONT_FAMILY)}">',
        f"<title>{_text(title)}</title>",
        f"<desc>{_text(_description(flow, current, lang))}</desc>",
        _DEFS,
        '<g class="edges">',
        *(_edge(flow, route, lang) for route in layout.routes),
        "</g>",
        '<g class="nodes">',
        *(_node(node, layout.boxes[node.id], node.id in current, lang) for node in flow.nodes),
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


_DEFS = (
    f'<defs><marker id="{ARROW_ID}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
    'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#868e96"/></marker></defs>'
)


def _description(flow: Flow, current: set[str], lang: str) -> str:
    words = _TEXT[lang]
    steps = [
        _with_limit(node.label.text(lang), node, lang)
        for node in flow.nodes_in_flow_order()
        if not node.is_gateway
    ]
    parts = [words["steps"] + words["list_sep"].join(steps)]
    parts.append(words["longest"].format(n=flow.critical_path_days()))
    if current:
        names = words["list_sep"].join(n.label.text(lang) for n in flow.nodes if n.id in current)
        parts.append(words["current"] + names)
    return words["sep"].join(parts)


def _with_limit(text: str, node: Node, lang: str) -> str:
    limit = _limit_text(node, lang)
    if limit is None:
        return text
    return f"{text}（{limit}）" if lang == "zh" else f"{text} ({limit})"


def _limit_text(node: Node, lang: str) -> str | None:
    if node.time_limit_days is None:
        return None
    if node.time_limit_days == 0:
        return _TEXT[lang]["immediate"]
    if node.time_limit_days == 1:
        return _TEXT[lang]["day"]
    return _TEXT[lang]["days"].format(n=node.time_limit_days)


# ---------------------------------------------------------------- edges


def _edge(flow: Flow, route: EdgeRoute, lang: str) -> str:
    points = " ".join(f"{x},{y}" for x, y in route.points)
    edge = route.edge
    line = (
        f'<g class="edge" data-from="{_attr(edge.source)}" data-to="{_attr(edge.target)}">'
        f'<polyline points="{points}" fill="none" stroke="#868e96" stroke-width="1.5" '
        f'marker-end="url(#{ARROW_ID})"/>'
    )
    caption = _edge_caption(flow, route, lang)
    if caption:
        x, y = route.label_at
        line += (
            f'<text x="{x}" y="{y}" font-size="11" fill="#495057" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{_text(_shorten(caption, 18))}</text>'
        )
    return line + "</g>"


def _edge_caption(flow: Flow, route: EdgeRoute, lang: str) -> str | None:
    edge = route.edge
    if edge.label is not None:
        return edge.label.text(lang)
    if edge.condition is not None:
        return edge.condition
    siblings = flow.outgoing_edges(edge.source)
    return _TEXT[lang]["otherwise"] if any(not e.is_default for e in siblings) else None


# ---------------------------------------------------------------- nodes


def _node(node: Node, box: NodeBox, is_current: bool, lang: str) -> str:
    classes = f"node node-{node.kind.value}" + (" current" if is_current else "")
    fill, stroke = _STYLE["current" if is_current else box.shape]
    width = 3 if is_current else 1.5
    label = node.label.text(lang)
    tooltip = f"{_with_limit(label, node, lang)} · {node.point.zh if lang == 'zh' else node.point}"
    head = (
        f'<g class="{classes}" data-node-id="{_attr(node.id)}">'
        f"<title>{_text(tooltip)}</title>"
    )
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    if box.shape == "diamond":
        return head + _diamond(node, box, paint, lang) + "</g>"
    return head + _rounded_box(node, box, paint, label, lang) + "</g>"


def _rounded_box(node: Node, box: NodeBox, paint: str, label: str, lang: str) -> str:
    left, top = box.x - box.width // 2, box.y - box.height // 2
    radius = box.height // 2 if box.shape == "pill" else 10
    limit = _limit_text(node, lang)
    label_y = box.y - 4 if limit else box.y + 5
    svg = (
        f'<rect x="{left}" y="{top}" width="{box.width}" height="{box.height}" rx="{radius}" '
        f'{paint}/>'
        f'<text x="{box.x}" y="{label_y}" text-anchor="middle" font-size="14" fill="#212529">'
        f"{_text(_shorten(label, 11))}</text>"
    )
    if limit:
        svg += (
            f'<text x="{box.x}" y="{box.y + 16}" text-anchor="middle" font-size="12" '
            f'fill="#495057">{_text(limit)}</text>'
        )
    return svg


def _diamond(node: Node, box: NodeBox, paint: str, lang: str) -> str:
    half = DIAMOND_SIZE // 2
    x, y = box.x, box.y
    corners = f"{x},{y - half} {x + half},{y} {x},{y + half} {x - half},{y}"
    caption = node.label.text(lang)
    if node.kind is NodeKind.JOIN and node.join_mode is not None:
        mode = _TEXT[lang]["join"][node.join_mode.value].format(n=node.n)
        caption = f"{caption}（{mode}）" if lang == "zh" else f"{caption} ({mode})"
    return (
        f'<polygon points="{corners}" {paint}/>'
        f'<path d="M{x - 9},{y} H{x + 9} M{x},{y - 9} V{y + 9}" stroke="#f08c00" '
        f'stroke-width="2.5"/>'
        f'<text x="{x + half + 8}" y="{y + 5}" font-size="12" fill="#495057">'
        f"{_text(_shorten(caption, 14))}</text>"
    )


# ---------------------------------------------------------------- text


def _shorten(text: str, limit: int) -> str:
    """Cut ``text`` to about ``limit`` full-width characters (ASCII counts half)."""
    used, kept = 0.0, []
    for char in text:
        used += 0.55 if ord(char) < 0x2E80 else 1.0
        if used > limit:
            return "".join(kept).rstrip() + "…"
        kept.append(char)
    return text


def _text(value: str) -> str:
    clean = _INVALID_XML.sub("", value)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("'", "&apos;")
