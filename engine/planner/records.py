"""What the profile records of the editor's progress, as the planner reads it.

A plan looks up, for each requirement, the proof records that count for it, and for each
deposited proof, the requirement it belongs to. Both go through one index built once per plan
unit (:class:`ProofIndex`): each distinct record ID is matched once against the exigences it may
count for (found by key in :class:`ExigenceKeys`, built once per pack), so that the cost stays
linear in the number of records: scanning every record for every requirement made a profile
with 400 records forty times slower than one without.

The index answers exactly what :func:`..ids.counts_for` answers record by record: a record
counts for exigence ``E`` when ``number(E)`` is one of the dotted prefixes of ``number(record)``
(it nests under ``E``, and counts under its own ID), or else when one of ``E``'s Vague 1 IDs is
the record's ID or one of its dotted prefixes, case aside (it counts under its Vague 2
equivalent, :func:`..ids.vague1_equivalent`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Generic, Protocol, TypeVar

from ..ids import number, vague1_equivalent
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


class ExigenceKeys:
    """Exigence IDs by the keys a record is looked up under: ``number(id)``, and each Vague 1 ID
    case-folded. Built once per pack (:func:`exigence_keys`); the IDs are assumed distinct.

    ``catalogued``: the IDs records usually name (the pack's scénarios and preuves), whose matches
    are kept once computed: bounded by the catalogue, and shared by every plan of the pack."""

    def __init__(self, requirements: Iterable[_Requirement], catalogued: Iterable[str] = ()) -> None:
        self._catalogued = frozenset(catalogued)
        self._known: dict[str, dict[str, str]] = {}
        self._numbers: dict[str, str] = {}
        self.by_number: dict[str, list[str]] = {}
        self.by_vague1: dict[str, list[str]] = {}
        self.vague1_ids: dict[str, Sequence[str]] = {}
        for req in requirements:
            self.by_number.setdefault(number(req.id), []).append(req.id)
            if req.vague1_ids:
                self.vague1_ids[req.id] = req.vague1_ids
                for v1 in req.vague1_ids:
                    self.by_vague1.setdefault(v1.casefold(), []).append(req.id)
        # A Vague 1 key can only match a record ID with the same first segment (``dpi`` of
        # ``dpi.ann.01``): most records (Vague 2 IDs) are then left out with one lookup.
        self._vague1_heads = {key.split(".", 1)[0] for key in self.by_vague1}

    def matches(self, record_id: str) -> dict[str, str]:
        """Exigence ID → the ID ``record_id`` counts under for it (see the module rules); read
        only (the dict of a catalogued ID is shared)."""
        found = self._known.get(record_id)
        if found is None:
            found = self._matches(record_id)
            if record_id in self._catalogued:
                self._known[record_id] = found
        return found

    def number_of(self, identifier: str) -> str:
        """:func:`..ids.number`, kept for the catalogued IDs."""
        found = self._numbers.get(identifier)
        if found is None:
            found = number(identifier)
            if identifier in self._catalogued:
                self._numbers[identifier] = found
        return found

    def _matches(self, record_id: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for prefix in dotted_prefixes(number(record_id)):
            for exigence_id in self.by_number.get(prefix, ()):
                found.setdefault(exigence_id, record_id)
        folded = record_id.strip().casefold()
        if folded.split(".", 1)[0] in self._vague1_heads:
            for key in (*dotted_prefixes(folded), folded):
                for exigence_id in self.by_vague1.get(key, ()):
                    if exigence_id not in found:
                        target = vague1_equivalent(record_id, exigence_id, self.vague1_ids[exigence_id])
                        if target is not None:
                            found[exigence_id] = target
        return found


def exigence_keys(ctx: Context) -> ExigenceKeys:
    """The :class:`ExigenceKeys` of the unit's pack, built on first use and kept with the pack."""
    found: ExigenceKeys | None = ctx.memo.get("exigence-keys")
    if found is None:
        exigences = ctx.pack.exigences
        found = ctx.memo["exigence-keys"] = ExigenceKeys(
            exigences, (i for e in exigences for s in e.scenarios for i in (s.id, *(p.id for p in s.preuves))))
    return found


class ProofIndex:
    """The profile's proof records, by the exigence they count for (each distinct record ID is
    matched once)."""

    def __init__(self, records: Sequence[ProofRecord], keys: ExigenceKeys) -> None:
        self.records = records
        self.keys = keys
        self._matches: dict[str, dict[str, str]] = {}  # record ID → keys.matches(ID)
        by_exigence: dict[str, list[tuple[str, ProofRecord]]] = {}
        matches = self.matches
        for record in records:
            for exigence_id, target in matches(record.id).items():
                found = by_exigence.get(exigence_id)
                if found is None:
                    by_exigence[exigence_id] = [(target, record)]
                else:
                    found.append((target, record))
        self._by_exigence = by_exigence

    def number_of(self, identifier: str) -> str:
        """:meth:`ExigenceKeys.number_of`."""
        return self.keys.number_of(identifier)

    def matches(self, record_id: str) -> dict[str, str]:
        """:meth:`ExigenceKeys.matches`, once per ID."""
        found = self._matches.get(record_id)
        if found is None:
            found = self._matches[record_id] = self.keys.matches(record_id)
        return found

    def counting_for(self, req: _Requirement) -> list[tuple[str, ProofRecord]]:
        """(ID it counts under, record) of every record that counts for ``req``, in profile order
        (the index's own list: read only)."""
        return self._by_exigence.get(req.id, [])


R = TypeVar("R", bound=_Requirement)


class Owners(Generic[R]):
    """The requirement of a list that each proof ID counts for first (in the list's order), with
    the ID it counts under (a proof recorded under a Vague 1 ID counts under its Vague 2
    equivalent): memoised per proof ID."""

    def __init__(self, requirements: Sequence[R], index: ProofIndex) -> None:
        self.requirements = requirements
        self._index = index
        self._position = {req.id: i for i, req in reversed(list(enumerate(requirements)))}
        self._seen: dict[str, tuple[int, str] | None] = {}

    def owner(self, proof_id: str) -> tuple[int, str] | None:
        """(position, ID it counts under) of the first requirement ``proof_id`` counts for."""
        if proof_id in self._seen:
            return self._seen[proof_id]
        best: tuple[int, str] | None = None
        for exigence_id, target in self._index.matches(proof_id).items():
            position = self._position.get(exigence_id)
            if position is not None and (best is None or position < best[0]):
                best = (position, target)
        self._seen[proof_id] = best
        return best

    def __call__(self, proof_id: str) -> tuple[R, str] | None:
        """(requirement, ID it counts under), or None when ``proof_id`` counts for none."""
        hit = self.owner(proof_id)
        return None if hit is None else (self.requirements[hit[0]], hit[1])


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
