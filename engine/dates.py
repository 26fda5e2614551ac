"""Date rules of the engine, written down once.

- Time zone: Europe/Paris. A deadline given as a date means "until the end of that day,
  Europe/Paris" (inclusive); one published with an hour ("12h") means "until that instant".
- Month arithmetic: T0 + N months is the same day-of-month N months later, clamped to the last
  day of the target month (31 August + 6 months = 28 February, or 29 in a leap year).
- Status against ``today`` (a calendar date, injected, never read from the clock inside the
  engine): ``passed`` when today is after the deadline day; ``due-today`` on the day itself;
  ``soon`` within ``soon_days`` days (pack parameter ``deadline-soon-days``); ``upcoming``
  otherwise. ``days_left`` = deadline − today
  in whole days (negative once passed).
"""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day-of-month ``months`` later, clamped to the end of the target month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def deadline_status(deadline: dt.date | None, today: dt.date, soon_days: int | None) -> tuple[str, int | None]:
    """(status, days_left) of a deadline day against today, per the module rules (``soon_days``
    None: never ``soon``)."""
    if deadline is None:
        return "unknown", None
    days = (deadline - today).days
    if days < 0:
        return "passed", days
    if days == 0:
        return "due-today", 0
    return ("soon" if soon_days is not None and days <= soon_days else "upcoming"), days


def paris_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """An instant on a Paris wall clock (DST-aware)."""
    return dt.datetime.combine(day, time, tzinfo=PARIS)


def today_in_paris(now: dt.datetime | None = None) -> dt.date:
    """The current date in Paris; only the edges (CLI, HTTP) call this, never the planner."""
    return (now or dt.datetime.now(tz=PARIS)).astimezone(PARIS).date()
