"""Bilingual labels: a field label is either {"zh": ..., "en": ...} or a plain string."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Label:
    zh: str
    en: str

    @classmethod
    def from_raw(cls, raw: Any) -> Label | None:
        """Read a label; None when it is missing or has no usable text.

        A plain string serves both languages; a dict falls back from one
        language to the other when only one is given.
        """
        if isinstance(raw, str):
            text = raw.strip()
            return cls(text, text) if text else None
        if isinstance(raw, dict):
            zh = _text(raw.get("zh"))
            en = _text(raw.get("en"))
            if zh or en:
                return cls(zh or en, en or zh)
        return None

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
