import datetime as dt

import pytest
from segur_plan.engine.dates import add_months, deadline_status, paris_datetime, today_in_paris

D = dt.date


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2024, 8, 31), 6, D(2025, 2, 28)),    # clamped to the end of February
    (D(2023, 8, 31), 6, D(2024, 2, 29)),    # leap year
    (D(2024, 8, 31), 16, D(2025, 12, 31)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 3, 10), 13, D(2026, 4, 10)),   # same day-of-month when it exists
    (D(2025, 12, 15), 1, D(2026, 1, 15)),   # year change
    (D(2025, 5, 31), 0, D(2025, 5, 31)),
])
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("deadline", "today", "status", "days"), [
    (D(2025, 2, 28), D(2025, 3, 1), "passed", -1),
    (D(2025, 2, 28), D(2025, 2, 28), "due-today", 0),
    (D(2025, 3, 31), D(2025, 3, 1), "soon", 30),
    (D(2025, 4, 1), D(2025, 3, 1), "upcoming", 31),
    (None, D(2025, 3, 1), "unknown", None),
])
def test_deadline_status_is_inclusive_of_the_day(deadline, today, status, days) -> None:
    assert deadline_status(deadline, today, 30) == (status, days)


def test_paris_datetime_follows_daylight_saving() -> None:
    summer = paris_datetime(D(2025, 9, 10), dt.time(12))
    winter = paris_datetime(D(2027, 12, 15), dt.time(12))
    assert summer.isoformat() == "2025-09-10T12:00:00+02:00"
    assert winter.isoformat() == "2027-12-15T12:00:00+01:00"


def test_today_in_paris_uses_the_paris_calendar_day() -> None:
    late_utc = dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)  # already 1 July in Paris
    assert today_in_paris(late_utc) == D(2025, 7, 1)
