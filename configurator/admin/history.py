"""An item's change history from the configuration audit log, each change with its differences: the item's
own changes (create, draft edits, publishing) and the local decisions tenants took on it."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tongban.platform.audit import ConfigChange

ACTIONS = {
    "create": ("创建事项", "Created"),
    "edit_draft": ("编辑草稿", "Draft edited"),
    "publish": ("发布", "Published"),
    "enable": ("启用", "Enabled"),
    "disable": ("停用", "Disabled"),
    "pin": ("锁定版本", "Pinned"),
    "override": ("本地设置", "Local settings"),
}
DIFFED = {"create", "edit_draft", "override"}  # actions whose diff holds {path: [before, after]}
EXTRA_LABELS = {
    "version": "版本 version",
    "scope": "范围 scope",
    "subtree": "含下级 subtree",
    "items": "事项 items",
    "enabled": "启用 enabled",
}
LIMIT = 200


@dataclass(frozen=True)
class Difference:
    path: str
    before: str
    after: str
    lines: list[tuple[str, str]]  # (+, -, or " ", text) of a line diff when the values are long


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime
    tenant: str
    actor: str
    action: str
    label: tuple[str, str]
    differences: list[Difference]
    extras: list[tuple[str, str]]


def item_history(session: Session, code: str, *, limit: int = LIMIT) -> list[Change]:
    """Newest first; the local decisions are those the session's tenant scope can see."""
    stmt = (
        select(ConfigChange)
        .where(
            or_(
                (ConfigChange.entity == "item") & (ConfigChange.entity_key == code),
                (ConfigChange.entity == "tenant_item") & ConfigChange.entity_key.like(f"%:{code}"),
                ConfigChange.entity == "tenant_items",
            )
        )
        .order_by(ConfigChange.id.desc())
    )
    changes = []
    for row in session.scalars(stmt):
        if row.entity == "tenant_items" and code not in (row.diff or {}).get("items", []):
            continue
        changes.append(_change(row))
        if len(changes) >= limit:
            break
    return changes


def _change(row: ConfigChange) -> Change:
    diff = dict(row.diff or {})
    differences, extras = [], []
    for key, value in sorted(diff.items()):
        if row.action in DIFFED and key != "version" and isinstance(value, list) and len(value) == 2:
            differences.append(_difference(key, value[0], value[1]))
        else:
            extras.append((EXTRA_LABELS.get(key, key), _short(value)))
    return Change(
        row.id,
        row.at,
        row.tenant_id,
        row.actor,
        row.action,
        ACTIONS.get(row.action, (row.action, row.action)),
        differences,
        extras,
    )


def _difference(path: str, before, after) -> Difference:
    left, right = _pretty(before), _pretty(after)
    lines: list[tuple[str, str]] = []
    if "\n" in left or "\n" in right or len(left) + len(right) > 120:
        for line in difflib.unified_diff(left.splitlines(), right.splitlines(), lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            lines.append((line[:1] if line[:1] in "+-@" else " ", line[1:] if line[:1] in "+- " else line))
    return Difference(path, _short(before), _short(after), lines)


def _pretty(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def _short(value, limit: int = 160) -> str:
    text = (
        "—" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
