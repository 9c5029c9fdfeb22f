"""Server-rendered SVG charts (no JavaScript, no CDN): horizontal bars, one per row of the table beside them."""
from __future__ import annotations

from markupsafe import Markup, escape

ROW = 26
LABEL = 150
WIDTH = 560


def bars(rows: list[tuple[str, float | None]], *, title: str, percent: bool = False, limit: float | None = None,
         color: str = "#1d70b8") -> Markup:
    """``rows`` of (label, value); ``percent`` shows 0.734 as 73.4% on a 0–100% scale; ``limit`` draws a line."""
    top = 1.0 if percent else max([v for _, v in rows if v is not None] + [limit or 0, 1])
    span = WIDTH - LABEL - 70
    height = ROW * max(1, len(rows)) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}" font-size="13" font-family="sans-serif"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * ROW
        out.append(f'<text x="{LABEL - 6}" y="{y + 17}" text-anchor="end">{escape(label[:12])}</text>')
        if value is None:
            out.append(f'<text x="{LABEL + 4}" y="{y + 17}" fill="#777">—</text>')
            continue
        width = max(0.0, min(1.0, value / top)) * span
        shown = f"{value * 100:.1f}%" if percent else (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}")
        out.append(f'<rect x="{LABEL}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" fill="{color}" rx="2"/>')
        out.append(f'<text x="{LABEL + width + 4:.1f}" y="{y + 17}">{shown}</text>')
    if limit is not None and top:
        x = LABEL + min(1.0, limit / top) * span
        out.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="#b3261e" stroke-dasharray="4 3"/>')
    out.append("</svg>")
    return Markup("".join(out))


def paired(rows: list[tuple[str, float | None, float | None]], *, title: str, colors=("#1d70b8", "#c9c9c4")) -> Markup:
    """Two bars per row (e.g. average working days used against the average legal limit)."""
    top = max([v for _, a, b in rows for v in (a, b) if v is not None] + [1])
    span = WIDTH - LABEL - 70
    height = ROW * max(1, len(rows)) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}" font-size="12" font-family="sans-serif"><title>{escape(title)}</title>']
    for i, (label, first, second) in enumerate(rows):
        y = 5 + i * ROW
        out.append(f'<text x="{LABEL - 6}" y="{y + 17}" text-anchor="end" font-size="13">{escape(label[:12])}</text>')
        for j, (value, color) in enumerate(((second, colors[1]), (first, colors[0]))):
            if value is None:
                continue
            width = value / top * span
            out.append(f'<rect x="{LABEL}" y="{y + 4 + j * 6}" width="{width:.1f}" height="{ROW - 14 - j * 6 + 6}" '
                       f'fill="{color}" rx="2"/>')
        if first is not None:
            out.append(f'<text x="{LABEL + max(first, second or 0) / top * span + 4:.1f}" y="{y + 17}">'
                       f'{first:.1f}/{(second or 0):.1f}</text>')
    out.append("</svg>")
    return Markup("".join(out))
