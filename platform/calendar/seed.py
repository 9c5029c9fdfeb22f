"""Seed data for the working-day calendar, generated once from the ``chinese-calendar`` package.

The platform never asks ``chinese_calendar`` at run time: that package only knows the years it was
released with (2004..2026 for 1.11) and raises for later ones. Instead :func:`export_seed` turns its
tables into plain data, which is committed as ``seed_calendar.json`` next to this module and loaded
by :class:`~tongban.platform.calendar.working_days.WorkCalendar`. Later years (2027 onwards) are
entered by a province administrator from the 国务院办公厅 notice, not by upgrading a package.

Regenerate (or check) the committed file with::

    .venv/bin/python -m tongban.platform.calendar.seed            # rewrite seed_calendar.json
    .venv/bin/python -m tongban.platform.calendar.seed --check    # exit 1 if it is stale

Seed format (``format: "tongban.work_calendar/1"``)::

    {
      "format": "tongban.work_calendar/1",
      "source": "chinese_calendar 1.11.0",
      "timezone": "Asia/Shanghai",
      "description": "...",
      "years": {
        "2024": {
          "holidays": [{"date": "2024-02-12", "name_en": "Spring Festival", "name_zh": "春节"}, ...],
          "workdays": [{"date": "2024-02-04", "name_en": "Spring Festival", "name_zh": "春节"}, ...]
        },
        ...
      }
    }

``holidays`` are Monday–Friday dates that are days off; ``workdays`` are Saturday/Sunday dates that
are working days (调休上班). Every other date follows the weekend rule. Each year key present is
*complete* data; a year that is absent is unknown (counted Mon–Fri, with a warning). Names are
``null`` when the source gives none. Output is deterministic (sorted, one entry per line).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

SEED_FORMAT = "tongban.work_calendar/1"
SEED_FILENAME = "seed_calendar.json"
SEED_PATH = Path(__file__).with_name(SEED_FILENAME)
DEFAULT_SEED_YEARS = range(2004, 2027)
SEED_DESCRIPTION = (
    "holidays: Monday-Friday dates that are days off; workdays: Saturday/Sunday dates that are "
    "working days (调休上班). All other dates: Monday-Friday working, Saturday/Sunday off. "
    "Each listed year is complete; unlisted years are unknown and counted by the weekend rule."
)


def export_seed(years: Iterable[int]) -> dict[str, Any]:
    """Calendar seed data for ``years`` taken from ``chinese_calendar`` (imported only here).

    Raises ``ValueError`` naming the years the installed ``chinese_calendar`` has no data for
    (nothing is guessed for them).
    """
    import chinese_calendar  # generator-only dependency: never imported by the run-time calendar
    from chinese_calendar import Holiday

    wanted = sorted({int(y) for y in years})
    unsupported = []
    for year in wanted:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            unsupported.append(year)
    if unsupported:
        raise ValueError(
            f"chinese_calendar {_source_version()} has no data for year(s) {unsupported}; "
            "enter them from the State Council notice instead"
        )

    def named(day: date, name_en: str | None) -> dict[str, Any]:
        name_zh = None
        if name_en:
            try:
                name_zh = Holiday(name_en).chinese
            except ValueError:
                name_zh = None
        return {"date": day.isoformat(), "name_en": name_en or None, "name_zh": name_zh}

    out_years: dict[str, Any] = {}
    for year in wanted:
        holidays, workdays = [], []
        day, end = date(year, 1, 1), date(year + 1, 1, 1)
        while day < end:
            is_work = chinese_calendar.is_workday(day)
            _, name_en = chinese_calendar.get_holiday_detail(day)  # (is_holiday, English name or None)
            if day.weekday() < 5 and not is_work:
                holidays.append(named(day, name_en))
            elif day.weekday() >= 5 and is_work:
                workdays.append(named(day, name_en))
            day += timedelta(days=1)
        out_years[str(year)] = {"holidays": holidays, "workdays": workdays}

    return {
        "format": SEED_FORMAT,
        "source": f"chinese_calendar {_source_version()}",
        "timezone": "Asia/Shanghai",
        "description": SEED_DESCRIPTION,
        "years": out_years,
    }


def render_seed(seed: dict[str, Any]) -> str:
    """Deterministic JSON text for ``seed``: header keys, then one holiday/workday entry per line."""
    dump = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    lines = ["{"]
    for key in ("format", "source", "timezone", "description"):
        lines.append(f"  {dump(key)}: {dump(seed[key])},")
    lines.append('  "years": {')
    year_keys = sorted(seed["years"], key=int)
    for yi, year in enumerate(year_keys):
        data = seed["years"][year]
        lines.append(f"    {dump(year)}: {{")
        for li, kind in enumerate(("holidays", "workdays")):
            entries = data.get(kind, [])
            tail = "," if li == 0 else ""
            if not entries:
                lines.append(f"      {dump(kind)}: []{tail}")
                continue
            lines.append(f"      {dump(kind)}: [")
            for ei, entry in enumerate(entries):
                lines.append(f"        {dump(entry)}{',' if ei < len(entries) - 1 else ''}")
            lines.append(f"      ]{tail}")
        lines.append("    }" + ("," if yi < len(year_keys) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def load_seed() -> dict[str, Any]:
    """The packaged ``seed_calendar.json`` as a dict (read through importlib.resources)."""
    text = resources.files(__package__).joinpath(SEED_FILENAME).read_text(encoding="utf-8")
    return json.loads(text)


def write_seed(path: Path | str = SEED_PATH, years: Iterable[int] = DEFAULT_SEED_YEARS) -> Path:
    """Regenerate the seed file from ``chinese_calendar`` (a developer task, not a run-time one)."""
    path = Path(path)
    path.write_text(render_seed(export_seed(years)), encoding="utf-8")
    return path


def _source_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinese-calendar")
    except PackageNotFoundError:  # pragma: no cover - generator run without the dist metadata
        return "unknown"


def _parse_years(text: str) -> list[int]:
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            lo, hi = (int(x) for x in part.split("-", 1))
            years.extend(range(lo, hi + 1))
        elif part:
            years.append(int(part))
    return years


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate the working-day calendar seed from chinese_calendar."
    )
    parser.add_argument("--years", default=f"{DEFAULT_SEED_YEARS.start}-{DEFAULT_SEED_YEARS.stop - 1}",
                        help="years, e.g. 2004-2026 or 2025,2026 (default: %(default)s)")
    parser.add_argument("--output", default=str(SEED_PATH), help="file to write (default: the packaged seed)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the file differs")
    args = parser.parse_args(argv)
    try:
        text = render_seed(export_seed(_parse_years(args.years)))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    output = Path(args.output)
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is stale; regenerate it", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
