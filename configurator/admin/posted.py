"""Reading a posted HTML form whose input names mirror the paths of the document being edited.

``fields[2].label.zh`` is the Chinese label of the third form field; ``nodes[0].time_limit_days`` the time
limit of the first flow node. A fault reported by a domain check at ``fields[2].label`` therefore lands next
to the input that produced it. Values that do not parse are kept as typed, so the domain check reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_WHOLE = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_SEPARATORS = re.compile(r"[,，;；、\s]+")


class Posted:
    """The posted values by input name (several for checkboxes and multiple selects)."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._data: dict[str, list[str]] = {}
        for name, value in items:
            if isinstance(value, str):
                self._data.setdefault(name, []).append(value)

    @classmethod
    def of(cls, mapping: Mapping[str, str | list[str]]) -> Posted:
        items: list[tuple[str, str]] = []
        for name, value in mapping.items():
            items += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
        return cls(items)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def names(self) -> list[str]:
        return list(self._data)

    def raw(self, name: str) -> str:
        values = self._data.get(name)
        return values[0] if values else ""

    def text(self, name: str) -> str:
        return self.raw(name).strip()

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def values(self, name: str) -> list[str]:
        return [v.strip() for v in self._data.get(name, []) if v.strip()]

    def checked(self, name: str) -> bool:
        return bool(self.values(name))

    def number(self, name: str) -> int | float | str | None:
        """A whole number as ``int``, a decimal as ``float``; anything else as typed (checks report it)."""
        text = self.text(name)
        if not text:
            return None
        if _WHOLE.match(text):
            return int(text)
        if _DECIMAL.match(text):
            return float(text)
        return text

    def label(self, name: str) -> dict | None:
        """``{zh, en}`` from ``name.zh`` and ``name.en``; None when both are empty."""
        zh, en = self.text(f"{name}.zh"), self.text(f"{name}.en")
        if not zh and not en:
            return None
        return {"zh": zh, "en": en} if en else {"zh": zh}

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.raw(name).splitlines() if line.strip()]

    def words(self, name: str) -> list[str]:
        return [w for w in _SEPARATORS.split(self.raw(name)) if w]

    def indices(self, prefix: str) -> list[int]:
        """The row numbers posted under ``prefix`` (``prefix[3].name`` → 3), in ascending order."""
        pattern = re.compile(re.escape(prefix) + r"\[(\d+)\]")
        found = {int(m.group(1)) for name in self._data if (m := pattern.match(name))}
        return sorted(found)


def label_parts(value) -> tuple[str, str]:
    """A label as stored (text or ``{zh, en}``) split for two inputs."""
    if isinstance(value, dict):
        return str(value.get("zh") or ""), str(value.get("en") or "")
    if isinstance(value, str):
        return value, ""
    return "", ""


def label_text(value, lang: str = "zh") -> str:
    zh, en = label_parts(value)
    return (en or zh) if lang == "en" else (zh or en)


def as_text(value) -> str:
    """A stored value shown in a text input ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def joined(values, separator: str = ", ") -> str:
    return separator.join(str(v) for v in values) if isinstance(values, list) else as_text(values)
