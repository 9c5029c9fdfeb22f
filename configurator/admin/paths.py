"""Paths into JSON documents (``fields[1].fields[0]``, ``nodes[3]``), the editors' structural operations on
them, and the faults the domain checks report at them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


def tokens(path: str) -> list[str | int]:
    return [int(index) if index else name for name, index in _TOKEN.findall(path)]


def anchor(path: str) -> str:
    """An HTML id for a path: ``fields[2].label`` → ``p-fields-2-label``."""
    return "p-" + _NOT_ID.sub("-", path).strip("-")


def _walk(doc, steps: list[str | int], *, create_last: bool = False):
    node = doc
    for position, step in enumerate(steps):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
        elif not isinstance(node, dict):
            return None
        elif create_last and position == len(steps) - 1:
            node = node.setdefault(step, [])
        else:
            node = node.get(step)
    return node


def list_at(doc: dict, path: str) -> list | None:
    """The list at ``path`` (created empty when the last key is missing)."""
    found = _walk(doc, tokens(path), create_last=True)
    return found if isinstance(found, list) else None


def _row(doc: dict, path: str) -> tuple[list, int] | None:
    steps = tokens(path)
    if not steps or not isinstance(steps[-1], int):
        return None
    parent = _walk(doc, steps[:-1]) if len(steps) > 1 else None
    if not isinstance(parent, list) or not 0 <= steps[-1] < len(parent):
        return None
    return parent, steps[-1]


def remove(doc: dict, path: str):
    """Remove the row at ``path``; returns it (None when there is none)."""
    found = _row(doc, path)
    return found[0].pop(found[1]) if found else None


def move(doc: dict, path: str, delta: int) -> None:
    found = _row(doc, path)
    if not found:
        return
    rows, index = found
    target = index + delta
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]


def append(doc: dict, list_path: str, row) -> None:
    rows = list_at(doc, list_path)
    if rows is not None:
        rows.append(row)


def parse_op(value: str) -> tuple[str, str]:
    """``"remove:fields[2]"`` → ("remove", "fields[2]"); ``"save"`` → ("save", "")."""
    verb, _, path = value.partition(":")
    return verb.strip(), path.strip()


def apply_row_op(doc: dict, verb: str, path: str) -> bool:
    """The operations every row list shares; True when ``verb`` was one of them."""
    if verb == "remove":
        remove(doc, path)
    elif verb == "up":
        move(doc, path, -1)
    elif verb == "down":
        move(doc, path, 1)
    else:
        return False
    return True


@dataclass(frozen=True)
class Fault:
    """A fault of what was typed, at a path relative to the edited part, in Chinese and English."""

    path: str
    zh: str
    en: str
    code: str = ""

    @property
    def anchor(self) -> str:
        return anchor(self.path) if self.path else "top"


def from_problems(problems, prefix: str = "") -> list[Fault]:
    """Domain problems (items' Problem, forms' SchemaError, flows' FlowError) as faults; ``prefix``
    (``"elements."``) is cut from their paths."""
    faults = []
    for p in problems:
        path = p.path[len(prefix) :] if prefix and p.path.startswith(prefix) else p.path
        if prefix and p.path == prefix.rstrip("."):
            path = ""
        zh = getattr(p, "zh", None) or getattr(p, "message_zh", "")
        en = getattr(p, "en", None) or getattr(p, "message_en", "")
        faults.append(Fault(path, zh, en, getattr(p, "code", "")))
    return faults


class Faults:
    """The faults of one page, looked up by the inputs that show them."""

    def __init__(self, faults: list[Fault] | None = None) -> None:
        self.all = list(faults or [])

    def __bool__(self) -> bool:
        return bool(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def at(self, *paths: str) -> list[Fault]:
        return [f for f in self.all if f.path in paths]

    def under(self, path: str) -> list[Fault]:
        """Faults at ``path`` or anywhere inside it."""
        return [f for f in self.all if f.path == path or f.path.startswith((path + ".", path + "["))]
