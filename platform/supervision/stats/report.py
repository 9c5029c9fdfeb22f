"""The performance evaluation report (绩效考核报告) as a PDF: jinja2 → weasyprint with the Noto CJK fonts, the
same way as the engine's notices (platform/approval/documents.py)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tongban.platform.db import utcnow
from tongban.platform.web.templating import THEMES

BEIJING = ZoneInfo("Asia/Shanghai")
_ENV = Environment(loader=FileSystemLoader(str(THEMES / "base" / "templates" / "documents")),
                   autoescape=select_autoescape(default=True))


def evaluation_html(rows: list[dict], *, period: str, area: str, by: str, weights: dict,
                    now: datetime | None = None) -> str:
    """``rows`` from ``evaluation.ranking`` (with a display ``name`` added by the caller)."""
    today = (now or utcnow()).astimezone(BEIJING).strftime("%Y年%m月%d日")
    return _ENV.get_template("evaluation.html").render(rows=rows, period=period, area=area, by=by, weights=weights,
                                                       today=today)


def evaluation_pdf(rows: list[dict], **kwargs) -> bytes:
    from weasyprint import HTML

    return HTML(string=evaluation_html(rows, **kwargs), base_url=str(THEMES)).write_pdf()
