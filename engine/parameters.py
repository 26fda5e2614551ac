"""Dated, sourced parameters: the regulatory values the engine's mechanisms read from pack data.

A parameter (``[[parameters]]`` of a pack) has an ``id``, a unit and ``values`` keyed by the date
each value takes effect. The value used by a check is the one **in force on the date the check
concerns** (a solde's date for the pilots, a request's receipt for the ANS answer delay, the
plan's ``today`` for the deadlines…): the latest effective date on or before it. A DSR pack (or a
third-party one) that declares a socle parameter's ``id`` adds its dated values to the socle's
history; on the same date, the pack's value wins.

The engine names the parameters it needs (:data:`ENGINE_PARAMETERS`) but holds none of their
values: a pack that lacks one gets a plan saying which check could not be made.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .errors import FieldProblem, SegurPlanError
from .models.pack import Pack, Parameter, ParameterUnit, SourceRef
from .models.profile import CNDA_STATUS_RANK
from .vocabulary import CNDA_STATUS_SHORT

#: The parameters the engine's mechanisms read, and the unit each must have.
ENGINE_PARAMETERS: dict[str, ParameterUnit] = {
    "ans-answer-delay": "hours",
    "contestation-working-days": "working-days",
    "bdc-window-days": "days",
    "pilots-required": "count",
    "cancellation-case4-pivot": "month-day",
    "deadline-soon-days": "days",
    "cnda-min-status": "cnda-status",
    "proof-formats": "proof-formats",
}

UNIT_LABELS: dict[str, tuple[str, str]] = {  # (singular, plural)
    "hours": ("heure", "heures"),
    "days": ("jour", "jours"),
    "working-days": ("jour ouvré", "jours ouvrés"),
    "count": ("", ""),
    "month-day": ("", ""),
    "cnda-status": ("", ""),
    "proof-formats": ("", ""),
}
#: How the CNDA statuses read in French (the profile's values are ASCII identifiers).
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
#: The first value of a parameter whose source gives no effective date is keyed by this date.
ORIGIN = dt.date(1, 1, 1)


class ParameterError(SegurPlanError):
    """A parameter a check needs has no value in force on the date it concerns."""

    def __init__(self, pack_id: str, parameter_id: str, day: dt.date | None) -> None:
        when = f" le {day.isoformat()}" if day else ""
        super().__init__(f"Le pack {pack_id} ne donne pas de valeur en vigueur{when} au paramètre "
                         f"« {parameter_id} » ([[parameters]]).")
        self.pack_id, self.parameter_id, self.day = pack_id, parameter_id, day


@dataclass(frozen=True)
class InForce:
    """The value of one parameter in force on one date, with where it comes from."""

    id: str
    label: str
    unit: ParameterUnit
    value: Any
    since: dt.date
    source: SourceRef
    reviewed: dt.date
    note: str | None = None

    @property
    def number(self) -> int:
        assert isinstance(self.value, int)
        return self.value

    def month_day(self, year: int) -> dt.date:
        """A ``month-day`` value in ``year``."""
        month, day = (int(x) for x in str(self.value).split("-"))
        return dt.date(year, month, day)


def format_value(unit: str, value: Any) -> str:
    """A value as a user reads it: a number with its unit, a day and month « JJ/MM », a status,
    or the number of rows of a table."""
    if unit == "month-day":
        month, day = str(value).split("-")
        return f"{day}/{month}"
    if unit == "proof-formats":
        return f"{len(value)} ligne{'s' if len(value) > 1 else ''}"
    if unit == "cnda-status":
        return f"« {CNDA_STATUS_SHORT.get(value, value)} »"
    one, many = UNIT_LABELS.get(unit, ("", ""))
    label = one if value == 1 else many
    return f"{value} {label}".strip()


def since_text(day: dt.date) -> str:
    return "sans date d'effet connue" if day == ORIGIN else f"en vigueur depuis le {day.isoformat()}"


class Parameters:
    """The parameters of a resolved pack, looked up by id and date."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._by_id = {p.id: p for p in pack.parameters}

    def __contains__(self, parameter_id: str) -> bool:
        return parameter_id in self._by_id

    def get(self, parameter_id: str, day: dt.date) -> InForce | None:
        """The value in force on ``day`` (latest effective date ≤ day), or None."""
        param = self._by_id.get(parameter_id)
        if param is None:
            return None
        dates = [d for d in param.values if d <= day]
        if not dates:
            return None
        since = max(dates)
        entry = param.values[since]
        return InForce(param.id, param.label, param.unit, entry.value, since, entry.source, entry.reviewed,
                       entry.note)

    def at(self, parameter_id: str, day: dt.date) -> InForce:
        """Like :meth:`get`, but a missing value is a :class:`ParameterError`."""
        found = self.get(parameter_id, day)
        if found is None:
            raise ParameterError(self.pack.id, parameter_id, day)
        return found

    def value_of(self, day: dt.date) -> Callable[[str], Any]:
        """``id → value`` on ``day``, for binding ``{ param = … }`` operands of conditions."""
        return lambda parameter_id: self.at(parameter_id, day).value

    def signature(self, ids: Iterable[str], day: dt.date) -> tuple[tuple[str, Any], ...]:
        """The values of ``ids`` in force on ``day``: equal signatures bind rules identically."""
        out = []
        for pid in sorted(ids):
            found = self.get(pid, day)
            out.append((pid, None if found is None else _hashable(found.value)))
        return tuple(out)


def _hashable(value: Any) -> Any:
    return tuple(row.model_dump_json() for row in value) if isinstance(value, tuple) else value


def cite(pack: Pack, found: InForce) -> str:
    """« paramètre « pilots-required » : 3, en vigueur depuis le …, ANS, « … », section »."""
    from .planner.context import cite as cite_ref  # the one citation helper of the engine

    return (f"paramètre « {found.id} » = {format_value(found.unit, found.value)}, {since_text(found.since)} ; "
            f"{cite_ref(pack, found.source)}")


def merge_parameters(own: Iterable[Parameter], inherited: Iterable[Parameter],
                     socle_id: str) -> tuple[list[Parameter], list[FieldProblem]]:
    """The socle's parameters with the pack's dated values added (the pack's own win on a date)."""
    merged = {p.id: p for p in inherited}
    problems = []
    for param in own:
        base = merged.get(param.id)
        if base is None:
            merged[param.id] = param
            continue
        if base.unit != param.unit:
            problems.append(FieldProblem(f"parameters ({param.id})",
                                         f"unité « {param.unit} » différente de celle du socle {socle_id} "
                                         f"(« {base.unit} »)"))
            continue
        values = dict(sorted({**base.values, **param.values}.items()))
        merged[param.id] = param.model_copy(update={"values": values})
    return sorted(merged.values(), key=lambda p: p.id), problems


def check_parameters(pack: Pack) -> list[FieldProblem]:
    """Units of the engine's parameters, value types per unit, duplicate ids."""
    problems = []
    seen: set[str] = set()
    for i, param in enumerate(pack.parameters):
        loc = f"parameters[{i}] ({param.id})"
        if param.id in seen:
            problems.append(FieldProblem(loc, "paramètre déclaré deux fois"))
        seen.add(param.id)
        expected = ENGINE_PARAMETERS.get(param.id)
        if expected is not None and param.unit != expected:
            problems.append(FieldProblem(f"{loc}.unit", f"le moteur lit ce paramètre en « {expected} »"))
        for day, entry in param.values.items():
            problem = _value_problem(param.unit, entry.value)
            if problem:
                problems.append(FieldProblem(f"{loc}.values.{day.isoformat()}.value", problem))
    return problems


def _value_problem(unit: str, value: Any) -> str | None:
    if unit in ("hours", "days", "working-days", "count"):
        return None if isinstance(value, int) and value >= 1 else "un entier positif est attendu"
    if unit == "month-day":
        return None if isinstance(value, str) and _MONTH_DAY.match(value) else "« MM-JJ » attendu, ex. \"11-17\""
    if unit == "cnda-status":
        ok = isinstance(value, str) and value in CNDA_STATUS_RANK
        return None if ok else f"statut CNDA attendu : {', '.join(CNDA_STATUS_RANK)}"
    if unit == "proof-formats":
        return None if isinstance(value, tuple) and value else "un tableau de formats (liste de tables) est attendu"
    return None


def history(pack: Pack) -> list[tuple[Parameter, list[tuple[str, str, str, dt.date]]]]:
    """Each parameter with its dated values: (since, value as read, source cited, reviewed)."""
    from .planner.context import cite as cite_ref

    out = []
    for param in sorted(pack.parameters, key=lambda p: p.id):
        rows = [(since_text(day), format_value(param.unit, v.value), cite_ref(pack, v.source), v.reviewed)
                for day, v in sorted(param.values.items())]
        out.append((param, rows))
    return out
