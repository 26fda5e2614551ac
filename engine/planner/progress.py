"""Proof progress, from the profile's ``[[proofs]]`` records.

The proofs expected for a requirement still to prove are its catalogued preuves plus any
recorded preuve nesting under it (IDs compared without prefix), a proof recorded under one of its
Vague 1 IDs counting as its Vague 2 equivalent; a requirement whose sources list
no preuve and that has no record counts as one proof still to do, so that the percentages never
flatter an incomplete catalogue. Percentages are of proofs deposited or validated, rounded to one
decimal. A requirement to redeposit ignores the records older than the change that touched it
(or than ``referencement.cycle_start``, the opening of the new cycle).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence

from ..ids import number
from ..models.pack import SourceRef
from ..models.plan import ProgressOut, Reason, RequirementOut
from ..models.profile import ProofRecord
from .context import Context
from .pack_records import proof_numbers
from .records import records_for
from .status import Touch

STATUSES = ("todo", "collected", "deposited", "validated", "rejected")
CROSSWALK = SourceRef(ref="rem-va1-va2-crosswalk", section="correspondance des identifiants Vague 1 → Vague 2")


def _progress(counts: dict[str, int]) -> ProgressOut:
    return _progress_record(tuple(counts[s] for s in STATUSES))


@functools.lru_cache(maxsize=4096)
def _progress_record(counts: tuple[int, ...]) -> ProgressOut:
    """One immutable record per distinct count (most requirements of a plan share a handful)."""
    by_status = dict(zip(STATUSES, counts, strict=True))
    total = sum(counts)
    done = by_status["deposited"] + by_status["validated"]
    return ProgressOut(
        total=total, **by_status,
        percent_deposited=round(100 * done / total, 1) if total else 0.0,
        percent_validated=round(100 * by_status["validated"] / total, 1) if total else 0.0,
    )


def proof_counts(expected: Sequence[str], records: list[tuple[str, ProofRecord]],
                 number_of: Callable[[str], str] = number) -> tuple[int, ...]:
    """How many proofs expected for a requirement are in each status (:data:`STATUSES` order),
    ``expected`` being the numbers of its catalogued preuves (see the module rules), from the
    records that count for it (:func:`records_for`)."""
    if not records:
        return (len(expected) or 1, 0, 0, 0, 0)
    # By number: IDs compared without prefix (as ids.same); the last record of a proof wins.
    latest: dict[str, str] = {}
    for target, record in records:
        latest[number_of(target)] = record.status
    counts = dict.fromkeys(STATUSES, 0)
    for n in expected:
        counts[latest.get(n, "todo")] += 1
    known = set(expected)
    for n, status in latest.items():
        if n not in known:
            counts[status] += 1
    return tuple(counts.values())


def requirement_progress(ctx: Context, reqs: list[RequirementOut], touches: list[Touch],
                         solution: str | None = None) -> None:
    """Progress of each requirement to prove. For one to redeposit, only records dated on or after
    the latest change that touched it (or ``referencement.cycle_start``) count."""
    latest_change: dict[str, dt.date] = {}
    for touch in touches:
        latest_change[touch.requirement] = max(touch.entry_date, latest_change.get(touch.requirement, touch.entry_date))
    numbers = proof_numbers(ctx)
    number_of = ctx.proof_index.number_of
    for req in reqs:
        if not req.to_prove:
            req.progress = None
            continue
        not_before = None
        if req.status == "redeposit":
            not_before = latest_change.get(req.id) or ctx.profile.referencement.cycle_start
        records = records_for(ctx, req, solution, not_before)
        expected = numbers.get(req.id)
        if expected is None:  # not in the pack's catalogue: read the record itself
            expected = tuple(number(p.id) for s in req.scenarios for p in s.proofs)
        req.progress = _progress_record(proof_counts(expected, records, number_of))
        for target, record in records:
            if target != record.id:
                req.why.append(Reason(
                    kind="vague1", ref=record.id,
                    message=(f"Preuve {record.id} enregistrée sous l'identifiant Vague 1 de l'exigence : "
                             f"comptée pour {target} (correspondance Vague 1 → Vague 2)"),
                    source=ctx.cite(CROSSWALK)))


def merge(progresses: Iterable[ProgressOut]) -> ProgressOut:
    counts = dict.fromkeys(STATUSES, 0)
    for progress in progresses:
        for status in STATUSES:
            counts[status] += getattr(progress, status)
    return _progress(counts)


def by_profil(reqs: list[RequirementOut]) -> dict[str, ProgressOut]:
    grouped: dict[str, list[ProgressOut]] = {}
    for req in reqs:
        if req.progress is not None:
            grouped.setdefault(req.profil, []).append(req.progress)
    return {profil: merge(items) for profil, items in sorted(grouped.items())}


def rejected_actions(ctx: Context) -> list[tuple[str, str, list[str]]]:
    """(id, label, refs) of an action per proof whose latest record is ``rejected``."""
    latest: dict[str, ProofRecord] = {p.id: p for p in ctx.profile.proofs}
    return [(f"preuve-rejetee:{p.id}",
             f"Corriger et déposer à nouveau la preuve {p.id}, rejetée" + (f" le {p.date}" if p.date else ""),
             [p.id]) for p in latest.values() if p.status == "rejected"]
