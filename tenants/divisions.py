"""Reading and checking a division list (code,name,level,parent_code) before anything is written."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin

from tongban.tenants.models import Level

LEVELS = {level.value for level in Level}
CODE_PATTERN = re.compile(r"^\d{2}(\d{2}){0,2}(\d{3}){0,2}$")
SUFFIXES = ("黎族苗族自治县", "黎族自治县", "自治县", "街道办事处", "街道", "办事处", "市", "县", "区", "镇", "乡", "省",
            "社区居委会", "居委会", "村委会", "社区")


@dataclass(frozen=True)
class Division:
    line: int
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class DivisionProblem:
    line: int
    column: str
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        return f"第 {self.line} 行 {self.column}: {self.message_zh} / line {self.line} {self.column}: {self.message_en}"


class DivisionListInvalid(ValueError):
    def __init__(self, problems: list[DivisionProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems[:20]))


def bundled_hainan() -> str:
    return (Path(__file__).resolve().parent / "data" / "hainan_divisions.csv").read_text("utf-8")


def read_division_file(path: str | Path) -> list[Division]:
    return parse_divisions(Path(path).read_text("utf-8-sig"))


def parse_divisions(text: str, *, existing_codes: frozenset[str] = frozenset()) -> list[Division]:
    """Parse and check the whole list; raise DivisionListInvalid naming every bad line, or return all rows.

    ``existing_codes`` are tenants already in the tree that rows may hang from.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name", "level", "parent_code"} - set(reader.fieldnames or [])
    if missing:
        raise DivisionListInvalid([DivisionProblem(1, ",".join(sorted(missing)), "缺少列", "missing column")])
    rows: list[Division] = []
    problems: list[DivisionProblem] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        division, row_problems = _parse_row(line, raw, seen)
        problems.extend(row_problems)
        if division:
            seen[division.code] = line
            rows.append(division)
    problems.extend(_check_parents(rows, set(seen) | set(existing_codes)))
    if problems:
        raise DivisionListInvalid(sorted(problems, key=lambda p: p.line))
    return _parents_first(rows)


def _parse_row(line: int, raw: dict, seen: dict[str, int]) -> tuple[Division | None, list[DivisionProblem]]:
    code = (raw.get("code") or "").strip()
    name = (raw.get("name") or "").strip()
    level = (raw.get("level") or "").strip()
    parent = (raw.get("parent_code") or "").strip() or None
    problems = []
    if not CODE_PATTERN.match(code) or len(code) > 12:
        problems.append(DivisionProblem(line, "code", f"区划代码格式错误：{code!r}", f"malformed division code {code!r}"))
    elif code in seen:
        problems.append(DivisionProblem(line, "code", f"区划代码重复（第 {seen[code]} 行已有）",
                                        f"duplicate code (already on line {seen[code]})"))
    if not name:
        problems.append(DivisionProblem(line, "name", "名称不能为空", "name is empty"))
    if level not in LEVELS:
        problems.append(DivisionProblem(line, "level", f"层级无效：{level!r}", f"unknown level {level!r}"))
    if problems:
        return None, problems
    return Division(line, code, name, level, parent), []


def _check_parents(rows: list[Division], known: set[str]) -> list[DivisionProblem]:
    problems = []
    by_code = {d.code: d for d in rows}
    roots = [d for d in rows if d.parent_code is None]
    for d in roots:
        if d.level != Level.PROVINCE.value:
            problems.append(DivisionProblem(d.line, "parent_code", "只有省级可以没有上级", "only a province may have no parent"))
    for d in rows:
        if d.parent_code is None:
            continue
        if d.parent_code not in known:
            problems.append(DivisionProblem(d.line, "parent_code", f"上级区划 {d.parent_code} 不存在",
                                            f"parent {d.parent_code} does not exist"))
            continue
        parent = by_code.get(d.parent_code)
        if parent and Level(parent.level).rank >= Level(d.level).rank:
            problems.append(DivisionProblem(d.line, "level", f"层级 {d.level} 不能挂在 {parent.level} 之下",
                                            f"level {d.level} cannot hang below {parent.level}"))
    return problems


def _parents_first(rows: list[Division]) -> list[Division]:
    by_code = {d.code: d for d in rows}

    def depth(d: Division) -> int:
        n = 0
        while d.parent_code in by_code:
            d = by_code[d.parent_code]
            n += 1
        return n

    return sorted(rows, key=lambda d: (depth(d), d.code))


def slug_for(name: str) -> str:
    """``海口市`` → ``haikou``; ``长流镇`` → ``changliu``: pinyin of the name without its administrative suffix."""
    stem = name
    for suffix in SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix) + 1:
            stem = stem[: -len(suffix)]
            break
    letters = "".join(lazy_pinyin(stem))
    return re.sub(r"[^a-z0-9]", "", letters.lower()) or "t"
