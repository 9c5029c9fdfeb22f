"""The chains and groups as one SVG: items in columns by how many prerequisites lead to them, arrows from
前置 to 后置 labelled with what passes (a license type or a concluded case), group membership as colour."""
from __future__ import annotations

from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from tongban.platform.sharing.chains import item_names
from tongban.platform.sharing.data_models import FunctionGroup, ItemRelation
from tongban.platform.sharing.license_types import get_type

COLOURS = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457")
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 200, 54, 90, 28, 24


def chain_graph(session: Session, focus: str | None = None) -> dict:
    relations = list(session.scalars(select(ItemRelation).order_by(ItemRelation.id)))
    groups = list(session.scalars(select(FunctionGroup).order_by(FunctionGroup.code)))
    if focus:
        relations = _connected(relations, focus)
        codes = {focus} | {r.before_item for r in relations} | {r.after_item for r in relations}
        groups = [g for g in groups if codes & set(g.item_codes)]
    codes = {r.before_item for r in relations} | {r.after_item for r in relations}
    for g in groups:
        codes.update(g.item_codes)
    if focus:
        codes.add(focus)
    return {"relations": relations, "groups": groups, "names": item_names(session, codes), "codes": sorted(codes)}


def _connected(relations: list[ItemRelation], focus: str) -> list[ItemRelation]:
    keep, frontier = set(), {focus}
    while frontier:
        nxt = set()
        for r in relations:
            if (r.before_item in frontier or r.after_item in frontier) and r.id not in keep:
                keep.add(r.id)
                nxt.update({r.before_item, r.after_item})
        frontier = nxt
    return [r for r in relations if r.id in keep]


def _depths(codes: list[str], relations: list[ItemRelation]) -> dict[str, int]:
    depth = {c: 0 for c in codes}
    for _ in range(len(codes)):  # longest path; the graph is acyclic (cycles are refused on save)
        changed = False
        for r in relations:
            if depth.get(r.after_item, 0) < depth.get(r.before_item, 0) + 1:
                depth[r.after_item] = depth[r.before_item] + 1
                changed = True
        if not changed:
            break
    return depth


def render_svg(session: Session, focus: str | None = None) -> str:
    graph = chain_graph(session, focus)
    depth = _depths(graph["codes"], graph["relations"])
    columns: dict[int, list[str]] = {}
    for code in graph["codes"]:
        columns.setdefault(depth[code], []).append(code)
    place = {code: (MARGIN + d * (BOX_W + GAP_X), MARGIN + 30 + i * (BOX_H + GAP_Y))
             for d, col in columns.items() for i, code in enumerate(col)}
    colour = {g.code: COLOURS[i % len(COLOURS)] for i, g in enumerate(graph["groups"])}
    width = MARGIN * 2 + max(len(columns), 1) * (BOX_W + GAP_X)
    rows = max((len(c) for c in columns.values()), default=1)
    height = MARGIN * 2 + 30 + rows * (BOX_H + GAP_Y) + 24 * len(graph["groups"])
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
              f'height="{height}" role="img" aria-label="协同串与职能群 / item chains and function groups">'),
             ('<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
              '<path d="M0,0 L10,4 L0,8 z" fill="#444"/></marker></defs>'),
             f'<text x="{MARGIN}" y="{MARGIN + 8}" font-size="14" fill="#333">前置 → 后置 · prerequisite → next</text>']
    parts += [_edge(session, r, place) for r in graph["relations"] if r.before_item in place and r.after_item in place]
    for code, (x, y) in place.items():
        parts.append(_box(code, graph["names"].get(code, code), x, y, code == focus,
                          [colour[g.code] for g in graph["groups"] if code in g.item_codes]))
    parts += _legend(graph["groups"], colour, height - 24 * len(graph["groups"]) - MARGIN + 10)
    parts.append("</svg>")
    return "".join(parts)


def _box(code: str, name: str, x: int, y: int, focused: bool, colours: list[str]) -> str:
    stroke = "#b3261e" if focused else "#555"
    stripes = "".join(f'<rect x="{x + i * 8}" y="{y}" width="8" height="{BOX_H}" fill="{c}"/>'
                      for i, c in enumerate(colours))
    return (f'<g><title>{escape(code)} {escape(name)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#fff" stroke="{stroke}" '
            f'stroke-width="{3 if focused else 1.5}"/>{stripes}'
            f'<text x="{x + 14 + 8 * len(colours)}" y="{y + 22}" font-size="13" fill="#1f1f1f">{escape(name[:14])}</text>'
            f'<text x="{x + 14 + 8 * len(colours)}" y="{y + 42}" font-size="11" fill="#5c5c5c">{escape(code)}</text></g>')


def _edge(session: Session, relation: ItemRelation, place: dict) -> str:
    (x1, y1), (x2, y2) = place[relation.before_item], place[relation.after_item]
    sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
    ltype = get_type(session, relation.license_type) if relation.license_type else None
    label = (ltype.name_zh if ltype else relation.license_type) if relation.requirement == "license" else "办结"
    return (f'<g><line x1="{sx}" y1="{sy}" x2="{ex - 2}" y2="{ey}" stroke="#444" stroke-width="1.5" '
            f'marker-end="url(#arrow)"/><text x="{(sx + ex) / 2}" y="{(sy + ey) / 2 - 6}" font-size="11" '
            f'text-anchor="middle" fill="#333">{escape(str(label))}</text></g>')


def _legend(groups: list[FunctionGroup], colour: dict, top: float) -> list[str]:
    return [f'<rect x="{MARGIN}" y="{top + i * 24}" width="14" height="14" fill="{colour[g.code]}"/>'
            f'<text x="{MARGIN + 22}" y="{top + i * 24 + 12}" font-size="12" fill="#333">职能群 {escape(g.name_zh)} · '
            f'{escape(g.name_en)} ({len(g.item_codes)})</text>' for i, g in enumerate(groups)]
