"""Working days with French public holidays (``holidays`` library), counted from the day after receipt."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib

import pytest
from segur_plan.engine.financing.calendar import add_working_days, holiday_name, holidays_between, is_working_day

D = dt.date


@pytest.mark.parametrize(("received", "due", "why"), [
    (D(2025, 11, 7), D(2025, 11, 24), "vendredi, mardi 11/11 (Armistice) sauté"),
    (D(2025, 12, 19), D(2026, 1, 6), "Noël et jour de l'an sautés"),
    (D(2025, 5, 30), D(2025, 6, 16), "vendredi après l'Ascension, lundi de Pentecôte 9/6 sauté"),
    (D(2025, 11, 8), D(2025, 11, 24), "samedi : le décompte part du lundi"),
    (D(2025, 11, 11), D(2025, 11, 25), "reçu un jour férié : le décompte part du lendemain"),
    (D(2025, 3, 3), D(2025, 3, 17), "lundi sans férié : deux semaines"),
])
def test_ten_working_days(received: dt.date, due: dt.date, why: str) -> None:
    assert add_working_days(received, 10) == due, why
    assert is_working_day(due)


def test_holidays_come_from_the_library() -> None:
    assert holiday_name(D(2025, 11, 11)) == "Armistice"
    assert holiday_name(D(2026, 5, 25)) is not None  # lundi de Pentecôte 2026, computed from Easter
    assert holiday_name(D(2025, 12, 26)) is None  # Alsace-Moselle only
    assert not is_working_day(D(2025, 11, 8))  # Saturday
    assert holidays_between(D(2025, 11, 7), D(2025, 11, 24)) == [(D(2025, 11, 11), "Armistice")]


def test_days_must_be_positive() -> None:
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), 0)


@pytest.mark.parametrize("name", [
    "segur_plan.engine.financing",
    "segur_plan.engine.financing.calendar",
    "segur_plan.engine.financing.identifiers",
    "segur_plan.engine.financing.checks",
])
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, report=False)
    assert result.attempted > 0 and result.failed == 0
