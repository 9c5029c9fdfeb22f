"""What is wrong with a catalogue file, said where it is: a sheet, row and column, or a JSON path."""
from __future__ import annotations

from dataclasses import dataclass, field

from tongban.configurator.items.problems import Problem


@dataclass(frozen=True)
class FileProblem:
    where: str  # "材料!E7" or "items[3].content.materials[0].formats"
    code: str
    zh: str
    en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # the column letter
    header: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.zh} / {self.en}"

    def to_dict(self) -> dict:
        return {"where": self.where, "code": self.code, "zh": self.zh, "en": self.en, "sheet": self.sheet,
                "row": self.row, "column": self.column}


class ImportInvalid(ValueError):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:10]))


@dataclass(frozen=True)
class Place:
    """Where a value sits in the file; ``problem`` words a fault found there."""

    where: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None

    def problem(self, code: str, zh: str, en: str) -> FileProblem:
        return FileProblem(self.where, code, zh, en, self.sheet, self.row, self.column, self.header)

    @classmethod
    def cell(cls, sheet: str, row: int, column: str, header: str | None = None) -> Place:
        return cls(f"{sheet}!{column}{row}", sheet, row, column, header)


@dataclass
class Locator:
    """Maps content paths (``materials[2].formats``) to the place each came from; the nearest parent wins."""

    fallback: Place
    places: dict[str, Place] = field(default_factory=dict)

    def add(self, path: str, place: Place) -> None:
        self.places.setdefault(path, place)

    def place_of(self, path: str) -> Place:
        for candidate in parents(path):
            if candidate in self.places:
                return self.places[candidate]
        return self.fallback

    def problem(self, problem: Problem) -> FileProblem:
        return self.place_of(problem.path).problem(problem.code, problem.zh, problem.en)


def parents(path: str):
    """``a.b[2].c`` → ``a.b[2].c``, ``a.b[2]``, ``a.b``, ``a``."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""


class JsonLocator(Locator):
    """A JSON file's places are the paths themselves."""

    def __init__(self, prefix: str) -> None:
        super().__init__(Place(prefix))
        self.prefix = prefix

    def place_of(self, path: str) -> Place:
        return Place(f"{self.prefix}.{path}" if path else self.prefix)
