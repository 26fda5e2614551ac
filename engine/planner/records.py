"""What the profile records of the editor's progress, as the planner reads it.

A plan looks up, for each requirement, the proof records that count for it, and for each
deposited proof, the requirement it belongs to. Both lookups go through indexes built once per
plan unit (:class:`ProofIndex`, :class:`RequirementIndex`), so that the cost stays linear in
the number of records and requirements: scanning every record for every requirement made a
profile with 400 records forty times slower than one without.

The indexes answer exactly what :func:`..ids.counts_for` answers record by record: a record
counts for exigence ``E`` when ``number(E)`` is one of the dotted prefixes of ``number(record)``
(it nests under ``E``), or when one of ``E``'s Vague 1 IDs is the record's ID or one of its
dotted prefixes (case aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from ..ids import counts_for, number
from ..models.profile import ProofRecord
from .context import Context

_DEPOSITED = ("deposited", "validated")


def dotted_prefixes(identifier: str) -> list[str]:
    """``A/B.01.02`` → ``["A/B", "A/B.01"]``: every part before a dot."""
    out = []
    dot = identifier.find(".")
    while dot != -1:
        out.append(identifier[:dot])
        dot = identifier.find(".", dot + 1)
    return out


class _Requirement(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def vague1_ids(self) -> Sequence[str]: ...


def lookup_keys(record_id: str) -> tuple[list[str], list[str]]:
    """The keys a record ID is found under: the dotted prefixes of its number (the exigences it
    may nest under), and its case-folded ID with its dotted prefixes (the Vague 1 IDs it may be
    recorded under)."""
    folded = record_id.strip().casefold()
    return dotted_prefixes(number(record_id)), [*dotted_prefixes(folded), folded]


class ProofIndex:
    """The profile's proof records, by the exigence numbers and Vague 1 IDs they may count for."""

    def __init__(self, records: Sequence[ProofRecord]) -> None:
        self.records = records
        self._by_number: dict[str, list[int]] = {}
        self._by_vague1: dict[str, list[int]] = {}
        self.keys: dict[str, tuple[list[str], list[str]]] = {}  # record ID → lookup_keys(ID)
        for i, record in enumerate(records):
            keys = self.keys.get(record.id)
            if keys is None:
                keys = self.keys[record.id] = lookup_keys(record.id)
            for prefix in keys[0]:
                self._by_number.setdefault(prefix, []).append(i)
            for key in keys[1]:
                self._by_vague1.setdefault(key, []).append(i)

    def counting_for(self, req: _Requirement) -> list[tuple[str, ProofRecord]]:
        """(ID it counts under, record) of every record that counts for ``req``, in profile order."""
        found = set(self._by_number.get(number(req.id), ()))
        for v1 in req.vague1_ids:
            found.update(self._by_vague1.get(v1.casefold(), ()))
        out = []
        for i in sorted(found):
            target = counts_for(self.records[i].id, req.id, req.vague1_ids)
            if target is not None:
                out.append((target, self.records[i]))
        return out


class RequirementIndex:
    """Requirements by exigence number and Vague 1 ID: the owner of a proof in one lookup."""

    def __init__(self, requirements: Iterable[_Requirement]) -> None:
        self.requirements = list(requirements)
        self._by_number: dict[str, list[int]] = {}
        self._by_vague1: dict[str, list[int]] = {}
        for i, req in enumerate(self.requirements):
            self._by_number.setdefault(number(req.id), []).append(i)
            for v1 in req.vague1_ids:
                self._by_vague1.setdefault(v1.casefold(), []).append(i)

    def owner(self, proof_id: str, keys: tuple[list[str], list[str]] | None = None) -> tuple[int, str] | None:
        """(position, ID it counts under) of the first requirement ``proof_id`` counts for
        (``keys``: its :func:`lookup_keys`, when the caller has them)."""
        numbers, folded_keys = keys or lookup_keys(proof_id)
        candidates: set[int] = set()
        for prefix in numbers:
            candidates.update(self._by_number.get(prefix, ()))
        for key in folded_keys:
            candidates.update(self._by_vague1.get(key, ()))
        for i in sorted(candidates):
            req = self.requirements[i]
            target = counts_for(proof_id, req.id, req.vague1_ids)
            if target is not None:
                return i, target
        return None


def records_for(ctx: Context, req: _Requirement, solution: str | None = None,
                not_before: dt.date | None = None) -> list[tuple[str, ProofRecord]]:
    """(ID it counts under, record) of each proof record of ``solution`` (or shared) that counts for
    ``req``, in profile order; records dated before ``not_before`` (a new cycle) are left out."""
    return [(target, record) for target, record in ctx.proof_index.counting_for(req)
            if record.solution in (None, solution)
            and (not_before is None or (record.date is not None and record.date >= not_before))]


def deposits(ctx: Context) -> list[ProofRecord]:
    """Deposited or validated proofs with a date, for this unit (groupement: its own and shared);
    filtered once per unit (several steps of the plan ask for them)."""
    found: list[ProofRecord] | None = ctx.scratch.get("deposits")
    if found is None:
        found = ctx.scratch["deposits"] = [
            p for p in ctx.profile.proofs
            if p.status in _DEPOSITED and p.date is not None and p.solution in (None, ctx.solution)]
    return found
