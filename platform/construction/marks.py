"""电子监察 applied to stages and their items: the province's supervision rules in force (warning, yellow
and red for cases) mark a running stage against its stage limit and the items' legal limits, and a running
item against its promised and legal limits, in working days on the same calendar."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tongban.platform.supervision.rules import current_rules

MARK_LABELS = {"warning": ("临近时限预警", "Due soon"), "yellow": ("超时限黄牌", "Yellow: past the limit"),
               "red": ("超法定时限红牌", "Red: past the legal limit")}


def rules_in_force(session: Session) -> dict:
    return current_rules(session)


def mark(rules: dict, used: Decimal | None, limit: int, legal: int | None) -> str | None:
    """``red`` past the legal limit, ``yellow`` past the limit, ``warning`` within the warning rule's days."""
    if used is None:
        return None
    red, yellow, warning = rules.get("case_red"), rules.get("case_yellow"), rules.get("case_warning")
    if red is not None and red.enabled and legal and used > legal:
        return "red"
    if yellow is not None and yellow.enabled and used > limit:
        return "yellow"
    if warning is not None and warning.enabled and limit - used <= warning.threshold_days:
        return "warning"
    return None
