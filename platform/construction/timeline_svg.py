"""The project timeline as a server-rendered SVG (a Gantt chart): one lane per stage and per stage and
department, bars from acceptance (or opening) to decision, running bars up to now; the spans a clock leaves
out (补正, 特别程序, a 容缺 material overdue) hatched over their bars, each with its reason and times."""
from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from tongban.platform.construction.dashboard import TimelineBar

BEIJING = ZoneInfo("Asia/Shanghai")
COLOURS = {"approved": "#2e7d32", "concluded": "#1b5e20", "committed": "#6a1b9a", "rejected": "#c62828",
           "suspended": "#ef6c00", "waiting_chain": "#9e9e9e", "open": "#1565c0", "accepted": "#0d47a1",
           "supplement": "#f9a825", "returned": "#5e35b1",
           "special": "#00838f"}
LABEL_W, LANE_H, BAR_H, WIDTH, AXIS_H = 260, 26, 16, 980, 28


def render(bars: list[TimelineBar], now: datetime, *, title: str = "项目审批时间轴 Project timeline") -> str:
    if not bars:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="40" viewBox="0 0 {WIDTH} 40">'
                f'<title>{escape(title)}</title><text x="8" y="24" font-size="13">尚未受理任何阶段 No stage accepted yet</text></svg>')
    lanes: list[str] = []
    for bar in bars:
        if bar.lane not in lanes:
            lanes.append(bar.lane)
    start = min(b.start for b in bars)
    end = max(max(b.end for b in bars), start + timedelta(days=1))
    span = (end - start).total_seconds()
    plot = WIDTH - LABEL_W - 16

    def x(at: datetime) -> float:
        return LABEL_W + plot * (at - start).total_seconds() / span

    height = AXIS_H + LANE_H * len(lanes) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="construction-timeline" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif">',
           f"<title>{escape(title)}</title>",
           '<defs><pattern id="left-out" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" fill-opacity="0.55"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#37474f" stroke-width="2"/></pattern></defs>']
    out += _axis(start, end, x, height)
    if any(bar.left_out for bar in bars):
        # the legend sits above the lane labels, clear of the date axis
        out.append('<rect x="6" y="4" width="14" height="10" fill="url(#left-out)" stroke="#37474f" '
                   'stroke-width="0.5"/><text x="24" y="13" font-size="10">不计入时限 Not counted</text>')
    for i, lane in enumerate(lanes):
        y = AXIS_H + i * LANE_H
        stage_lane = " / " not in lane
        weight = ' font-weight="bold"' if stage_lane else ""
        out.append(f'<text x="6" y="{y + 17}" font-size="12"{weight}>{escape(lane)}</text>')
        for bar in (b for b in bars if b.lane == lane):
            x0, x1 = x(bar.start), max(x(bar.end), x(bar.start) + 3)
            colour = COLOURS.get(bar.state, "#607d8b")
            height_bar = BAR_H + (4 if bar.kind == "stage" else 0)
            opacity = ' fill-opacity="0.55"' if bar.open else ""
            out.append(f'<rect class="bar bar-{bar.kind} state-{escape(bar.state)}" x="{x0:.1f}" y="{y + (LANE_H - height_bar) / 2:.1f}" '
                       f'width="{x1 - x0:.1f}" height="{height_bar}" rx="3" fill="{colour}"'
                       f'{opacity}><title>{escape(bar.label)}：'
                       f"{bar.start.astimezone(BEIJING):%Y-%m-%d} → {bar.end.astimezone(BEIJING):%Y-%m-%d}"
                       f"{'（进行中）' if bar.open else ''}</title></rect>")
            bar_y = y + (LANE_H - height_bar) / 2
            for a, b, label in bar.left_out:
                lx0, lx1 = x(a), max(x(b), x(a) + 2)
                out.append(f'<rect class="left-out" x="{lx0:.1f}" y="{bar_y:.1f}" width="{lx1 - lx0:.1f}" '
                           f'height="{height_bar}" fill="url(#left-out)"><title>不计入时限 Not counted：'
                           f"{escape(label)} {a.astimezone(BEIJING):%Y-%m-%d %H:%M} → "
                           f"{b.astimezone(BEIJING):%Y-%m-%d %H:%M}</title></rect>")
    nx = x(now) if start <= now <= end else None
    if nx is not None:
        out.append(f'<line x1="{nx:.1f}" y1="{AXIS_H - 4}" x2="{nx:.1f}" y2="{height - 4}" stroke="#d32f2f" '
                   'stroke-dasharray="4 3"><title>今天 Today</title></line>')
    out.append("</svg>")
    return "".join(out)


def _axis(start: datetime, end: datetime, x, height: int) -> list[str]:
    days = max(1, (end - start).days)
    step = next(s for s in (1, 2, 7, 14, 30, 61, 91, 182, 365, 10_000) if days / s <= 10)
    out = [f'<line x1="{LABEL_W}" y1="{AXIS_H - 4}" x2="{WIDTH - 16}" y2="{AXIS_H - 4}" stroke="#999"/>']
    tick = start.astimezone(BEIJING).replace(hour=0, minute=0, second=0, microsecond=0)
    while tick <= end:
        if tick >= start:
            tx = x(tick)
            out.append(f'<line x1="{tx:.1f}" y1="{AXIS_H - 8}" x2="{tx:.1f}" y2="{height - 4}" stroke="#eee"/>')
            out.append(f'<text x="{tx:.1f}" y="{AXIS_H - 12}" font-size="10" text-anchor="middle">{tick:%m-%d}</text>')
        tick += timedelta(days=step)
    return out
