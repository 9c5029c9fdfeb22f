"""Error values handed to callers: field errors of a submission and schema errors on save."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one submitted value; ``path`` looks like ``members[2].name``."""

    path: str
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One problem in a form schema; ``path`` points at the fault, e.g. ``fields[3].show_if``."""

    path: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path}: {self.message_zh} / {self.message_en}"


class SchemaInvalid(ValueError):
    """Raised by ``FormSchema.parse`` with every problem found in the schema."""

    def __init__(self, errors: list[SchemaError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors[:20]))


class Invalid(Exception):
    """Raised by a value cleaner; the engine turns it into a FieldError.

    ``subpath`` is appended to the field path (``"[1]"`` for the second file,
    ``".end"`` for the end of a date range).
    """

    def __init__(self, code: str, subpath: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.subpath = subpath
        self.params = params
