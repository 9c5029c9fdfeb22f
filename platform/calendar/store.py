"""The platform's working calendar as editable data: seeded from the packaged file, edited by province admins.

Years listed in ``calendar_years`` are complete; any other year is counted on weekends only, with a warning.
Each worker keeps the built calendar and rebuilds it when the version row moves.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime

from sqlalchemy import Date, Integer, String, delete, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from tongban.platform.calendar.seed import load_seed
from tongban.platform.calendar.working_days import HOLIDAY, WORKDAY, WorkCalendar
from tongban.platform.db import Base, utcnow


class CalendarDayRow(Base):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # holiday | workday
    name_zh: Mapped[str | None] = mapped_column(String(40))
    name_en: Mapped[str | None] = mapped_column(String(60))


class CalendarYear(Base):
    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(120))
    loaded_by: Mapped[str] = mapped_column(String(120))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarVersion(Base):
    __tablename__ = "calendar_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class CalendarInvalid(ValueError):
    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems  # (field, zh, en)
        super().__init__("; ".join(f"{f}: {zh} / {en}" for f, zh, en in problems))


def seed_calendar(session: Session, *, actor: str = "system:seed") -> int:
    """Load every year of the packaged seed not yet in the database; returns the number of years loaded."""
    seed = load_seed()
    present = set(session.scalars(select(CalendarYear.year)))
    loaded = 0
    for year_text, data in sorted(seed["years"].items()):
        year = int(year_text)
        if year in present:
            continue
        _write_year(session, year, data.get("holidays", []), data.get("workdays", []),
                    source=seed.get("source", "seed"), actor=actor)
        loaded += 1
    if loaded:
        _bump(session)
    return loaded


def load_year(session: Session, year: int, *, holidays: list[dict], workdays: list[dict], actor: str,
              source: str = "province admin") -> None:
    """Replace one year's data (e.g. 2027 once the State Council publishes it); checked before writing."""
    problems = _check_year(year, holidays, workdays)
    if problems:
        raise CalendarInvalid(problems)
    session.execute(delete(CalendarDayRow).where(CalendarDayRow.day >= date(year, 1, 1),
                                                 CalendarDayRow.day <= date(year, 12, 31)))
    session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    _write_year(session, year, holidays, workdays, source=source, actor=actor)
    _bump(session)
    from tongban.platform import audit

    audit.record(session, tenant_id="46", actor=actor, action="load_year", entity="calendar", entity_key=str(year),
                 extra={"holidays": len(holidays), "workdays": len(workdays), "source": source})


def _check_year(year: int, holidays: list[dict], workdays: list[dict]) -> list[tuple[str, str, str]]:
    problems = []
    seen = set()
    for field, entries, weekend_expected in (("holidays", holidays, False), ("workdays", workdays, True)):
        for i, entry in enumerate(entries):
            try:
                day = date.fromisoformat(str(entry["date"]))
            except (KeyError, ValueError):
                problems.append((f"{field}[{i}].date", "日期格式应为 YYYY-MM-DD", "a date is written YYYY-MM-DD"))
                continue
            if day.year != year:
                problems.append((f"{field}[{i}].date", f"{day} 不在 {year} 年", f"{day} is not in {year}"))
            elif (day.weekday() >= 5) != weekend_expected:
                problems.append((f"{field}[{i}].date",
                                 f"{day} " + ("不是周末，不能作为调休上班日" if weekend_expected else "是周末，无需列为假日"),
                                 f"{day} " + ("is not a weekend day to work on" if weekend_expected
                                              else "is already a weekend day")))
            elif day in seen:
                problems.append((f"{field}[{i}].date", f"{day} 重复", f"{day} is listed twice"))
            seen.add(day)
    return problems


def _write_year(session, year, holidays, workdays, *, source, actor) -> None:
    rows = [{"day": date.fromisoformat(str(e["date"])), "kind": kind, "name_zh": e.get("name_zh"),
             "name_en": e.get("name_en")} for kind, entries in ((HOLIDAY, holidays), (WORKDAY, workdays))
            for e in entries]
    if rows:
        session.execute(insert(CalendarDayRow), rows)
    session.add(CalendarYear(year=year, source=source, loaded_by=actor))
    session.flush()


def _bump(session: Session) -> None:
    if not session.execute(update(CalendarVersion).where(CalendarVersion.id == 1)
                           .values(version=CalendarVersion.version + 1)).rowcount:
        session.add(CalendarVersion(id=1, version=1))
        session.flush()


def build_calendar(session: Session) -> WorkCalendar:
    days = [(r.day, r.kind, r.name_zh, r.name_en) for r in session.scalars(select(CalendarDayRow))]
    return WorkCalendar(days=days, known_years=session.scalars(select(CalendarYear.year)).all())


class CalendarProvider:
    """A worker's calendar, rebuilt when the version row moves (checked at most every ``ttl`` seconds)."""

    def __init__(self, database, *, ttl: float = 30.0) -> None:
        self._database, self._ttl = database, ttl
        self._calendar: WorkCalendar | None = None
        self._version = -1
        self._expires = 0.0
        self._lock = threading.Lock()

    def calendar(self, session: Session | None = None) -> WorkCalendar:
        if self._calendar is not None and time.monotonic() < self._expires:
            return self._calendar
        with self._lock:
            if session is not None:
                self._refresh(session)
            else:
                from tongban.tenants.isolation import TenantContext

                with self._database.unit_of_work(TenantContext.system("calendar")) as own:
                    self._refresh(own)
            self._expires = time.monotonic() + self._ttl
            return self._calendar

    def _refresh(self, session: Session) -> None:
        version = session.scalar(select(CalendarVersion.version).where(CalendarVersion.id == 1)) or 0
        if self._calendar is None or version != self._version:
            self._calendar, self._version = build_calendar(session), version
