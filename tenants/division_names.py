"""A division named instead of coded: "长流镇" for 460105100, looked up in the tenant tree's snapshot.

Only an exact name counts, and only when one division under the field's scope (``within``, a code prefix) bears
it; a name several divisions share is reported with their codes so that the clerk picks one.
"""
from __future__ import annotations

from tongban.tenants.directory import Snapshot, TenantInfo


def named(snapshot: Snapshot, text: str, within: str = "") -> list[TenantInfo]:
    """The divisions under ``within`` whose name is ``text`` (whitespace ignored), in code order."""
    wanted = "".join(text.split())
    if not wanted:
        return []
    return sorted((t for t in snapshot.by_code.values() if t.name == wanted and t.code.startswith(within)),
                  key=lambda t: t.code)


def ambiguity(snapshot: Snapshot, matches: list[TenantInfo], text: str) -> tuple[str, str]:
    """The zh and en message for a name several divisions share, naming each with its parent and code."""
    listed = "、".join(f"{_parent_name(snapshot, t)}{t.name} {t.code}" for t in matches)
    return (f"有多个名为“{text}”的行政区划（{listed}），请从列表中选择",
            f"several divisions are called {text} ({listed}); choose one from the list")


def _parent_name(snapshot: Snapshot, tenant: TenantInfo) -> str:
    parent = snapshot.by_code.get(tenant.parent_code or "")
    return f"{parent.name}›" if parent else ""
