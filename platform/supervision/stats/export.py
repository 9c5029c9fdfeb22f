"""Excel export of a statistics table (openpyxl): a header row in Chinese (and English below it), one row per
line of the table, rates as percentages."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

COLUMNS = {
    "tenant": ("地区代码", "Tenant"), "name": ("地区", "Name"), "department": ("部门", "Department"),
    "item": ("事项", "Item"), "channel": ("渠道", "Channel"), "month": ("月份", "Month"),
    "received": ("收件", "Received"), "accepted": ("受理", "Accepted"), "concluded": ("办结", "Concluded"),
    "on_time_rate": ("按时办结率", "On-time rate"), "avg_days_used": ("平均用时（工作日）", "Avg working days used"),
    "avg_legal_days": ("平均法定时限", "Avg legal limit"), "speed_up": ("提速", "Speed-up"),
    "overdue": ("超期办结", "Concluded late"), "yellow_cards": ("黄牌", "Yellow cards"), "red_cards": ("红牌", "Red cards"),
    "satisfaction": ("满意率", "Satisfaction"), "online_rate": ("网办率", "Online share"),
    "received_for_others": ("全省通办代收", "Received for other tenants"),
    "rank": ("排名", "Rank"), "score": ("得分", "Score"), "early": ("提前办结", "Concluded early"),
    "ratings_bad": ("差评", "Bad ratings"),
}
RATES = {"on_time_rate", "speed_up", "satisfaction", "online_rate"}
DEFAULT = ("received", "accepted", "concluded", "on_time_rate", "avg_days_used", "avg_legal_days", "speed_up",
           "overdue", "yellow_cards", "red_cards", "satisfaction", "online_rate", "received_for_others")


def to_xlsx(rows: list[dict], *, keys: tuple[str, ...], title: str = "统计", columns: tuple[str, ...] = DEFAULT) -> bytes:
    """``keys`` are the leading columns naming each row (e.g. ("tenant", "name"))."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    names = [*keys, *columns]
    sheet.append([COLUMNS.get(n, (n, n))[0] for n in names])
    sheet.append([COLUMNS.get(n, (n, n))[1] for n in names])
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(n) for n in names])
    for i, name in enumerate(names, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(10, len(COLUMNS.get(name, (name,))[0]) * 2 + 2)
        if name in RATES:
            for cell in sheet[letter][2:]:
                cell.number_format = "0.0%"
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
