"""Working-day calendar (工作日历): statutory holidays, adjusted workdays and time-limit arithmetic.

Pure domain code (no database, no web). See :mod:`.working_days` for the conventions (Asia/Shanghai,
acceptance day not counted, exclusive ``due`` at 00:00 after the last working day, pauses) and
:mod:`.seed` for the seed data generated from ``chinese_calendar``.
"""
from .working_days import (
    HOLIDAY,
    TIMEZONE,
    WORKDAY,
    CalendarDay,
    CalendarWarning,
    Deadline,
    Elapsed,
    FractionalDaysError,
    NaiveDatetimeError,
    Pause,
    WorkCalendar,
    add_working_days,
    default_calendar,
    due_with_pauses,
    is_working_day,
    working_days_elapsed,
)

__all__ = [
    "HOLIDAY",
    "TIMEZONE",
    "WORKDAY",
    "CalendarDay",
    "CalendarWarning",
    "Deadline",
    "Elapsed",
    "FractionalDaysError",
    "NaiveDatetimeError",
    "Pause",
    "WorkCalendar",
    "add_working_days",
    "default_calendar",
    "due_with_pauses",
    "is_working_day",
    "working_days_elapsed",
]
