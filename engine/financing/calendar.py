"""Working days (« jours ouvrés ») with French public holidays, from the maintained ``holidays`` library.

Rules written down once:

- A **working day** is Monday to Friday, except the French public holidays (jours fériés) of
  metropolitan France as the ``holidays`` library lists them for ``FR`` without subdivision:
  1er janvier, lundi de Pâques, 1er mai, 8 mai, Ascension, lundi de Pentecôte, 14 juillet,
  15 août, 1er novembre, 11 novembre, 25 décembre. The ASP is a national agency: the local
  holidays of Alsace-Moselle (Vendredi saint, 26 décembre) and of overseas territories are not
  counted. « Jours ouvrés » (Monday–Friday) is not « jours ouvrables » (Monday–Saturday).
- **N working days after a date** (:func:`add_working_days`): the day itself is not counted
  (the day of receipt of the ASP's message is day 0, whatever day it is); the count starts the
  next day and skips weekends and holidays; the result is the N-th working day, and the answer is
  due by the end of that day (Europe/Paris, inclusive, as in :mod:`segur_plan.engine.dates`).

Example: received Friday 7 November 2025 — Monday 10 (1), Tuesday 11 is Armistice (skipped),
Wednesday 12 (2) … Monday 24 November 2025 is the 10th working day.

>>> import datetime as dt
>>> add_working_days(dt.date(2025, 11, 7), 10)
datetime.date(2025, 11, 24)
>>> is_working_day(dt.date(2025, 11, 11))
False
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays

ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[dt.date, str]:
    table = holidays.country_holidays("FR", years=year, language="fr")
    return dict(table.items())


def holiday_name(day: dt.date) -> str | None:
    """The French name of the public holiday on ``day`` (« Armistice »), or None."""
    return _holidays_of(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a French public holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    current, counted = start, 0
    while counted < days:
        current += ONE_DAY
        if is_working_day(current):
            counted += 1
    return current


def holidays_between(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Public holidays falling on a weekday strictly after ``start`` and up to ``end`` (skipped days)."""
    out = []
    current = start + ONE_DAY
    while current <= end:
        name = holiday_name(current)
        if name is not None and current.weekday() < 5:
            out.append((current, name))
        current += ONE_DAY
    return out
