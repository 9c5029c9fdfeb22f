"""A fault in an item's content, pointed at by path, explained in Chinese and English."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    zh: str
    en: str

    def to_dict(self) -> dict:
        return {"path": self.path, "code": self.code, "zh": self.zh, "en": self.en}

    def __str__(self) -> str:
        return f"{self.path}: {self.zh} / {self.en}"


class ContentInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:10]))


class Checker:
    """Collects problems under a path prefix."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, zh: str, en: str) -> None:
        full = f"{self.prefix}.{path}" if self.prefix and path else (self.prefix or path)
        self.problems.append(Problem(full, code, zh, en))

    def text(self, data: dict, key: str, label_zh: str, label_en: str, *, required=True, max_len=500) -> None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(key, "required", f"请填写{label_zh}", f"{label_en} is required")
            return
        if not isinstance(value, str):
            self.add(key, "type", f"{label_zh}应为文字", f"{label_en} must be text")
        elif len(value) > max_len:
            self.add(key, "too_long", f"{label_zh}不能超过 {max_len} 个字", f"{label_en} has at most {max_len} characters")

    def choice(self, data: dict, key: str, allowed, label_zh: str, label_en: str, *, required=True) -> None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.add(key, "required", f"请选择{label_zh}", f"{label_en} is required")
        elif value not in allowed:
            self.add(key, "invalid_choice", f"{label_zh}“{value}”无效", f"{label_en} {value!r} is not one of the choices")

    def choices(self, data: dict, key: str, allowed, label_zh: str, label_en: str, *, min_count=1) -> None:
        values = data.get(key) or []
        if not isinstance(values, list):
            self.add(key, "type", f"{label_zh}应为列表", f"{label_en} must be a list")
            return
        if len(values) < min_count:
            self.add(key, "required", f"请至少选择一项{label_zh}", f"choose at least one {label_en}")
        for i, value in enumerate(values):
            if value not in allowed:
                self.add(f"{key}[{i}]", "invalid_choice", f"{label_zh}“{value}”无效", f"{label_en} {value!r} is not a choice")

    def whole_days(self, data: dict, key: str, label_zh: str, label_en: str, *, required=True, maximum=3650) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "required", f"请填写{label_zh}", f"{label_en} is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            self.add(key, "invalid_days", f"{label_zh}应为 0 到 {maximum} 的整数工作日",
                     f"{label_en} must be a whole number of working days from 0 to {maximum}")
            return None
        return value
