"""One item read from a catalogue file, and the checks every file format shares before anything is written."""
from __future__ import annotations

from dataclasses import dataclass

from tongban.configurator.catalogue_io.problems import FileProblem, Locator
from tongban.configurator.items.content import PARTS, check_content


@dataclass
class Entry:
    code: str
    content: dict
    locator: Locator


def check_entries(entries: list[Entry], known: list[FileProblem] = ()) -> list[FileProblem]:
    """Duplicate codes and every content problem (``check_content``), each at its place in the file.

    A content problem at a place that already has a problem of its own (``known``: a cell of the wrong
    type, bad JSON) is left out, as it only repeats that fault.
    """
    problems = list(known)
    taken = {p.where for p in problems}
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            problems.append(entry.locator.place_of("elements.code").problem(
                "duplicate_code", f"事项编码 {entry.code} 重复出现", f"item code {entry.code} appears twice"))
        seen.add(entry.code)
        for problem in check_content(entry.content):
            found = entry.locator.problem(problem)
            if found.where not in taken:
                problems.append(found)
    return problems


def plain_content(entry: Entry) -> dict:
    return {part: entry.content.get(part) for part in PARTS}
