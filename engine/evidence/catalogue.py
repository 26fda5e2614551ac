"""The proofs a plan expects, indexed for files and workbook rows.

A plan lists its requirements at the top level and, for a groupement, per solution
(``plan.solutions[*].requirements``); each carries its scénarios and catalogued preuves with
their kind, accepted formats and size limit. :class:`ProofIndex` gathers them (the solution
kept) and answers, for an ID read from a file name or a ``[[proofs]]`` record, whether it is a
catalogued preuve, a scénario or exigence, an ID nested under an applicable exigence that the
catalogue does not list, one of a non-applicable exigence, or unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar

from ..models.plan import Plan, RequirementOut
from ..vocabulary import PROOF_KIND_EVIDENCE, REQ_STATUS_TITLE
from .naming import proof_key

KIND_LABELS: dict[str, str] = {str(kind): label for kind, label in PROOF_KIND_EVIDENCE.items()}
REQUIREMENT_STATUS_LABELS = REQ_STATUS_TITLE



@dataclass(frozen=True, slots=True)
class Requirement:
    """A requirement of the plan, for one solution of a groupement (``None``: mono or shared)."""

    id: str
    label: str
    chapter: str | None
    profil: str
    status: str
    to_prove: bool
    solution: str | None

    @property
    def applicable(self) -> bool:
        return self.status != "not-applicable"


@dataclass(frozen=True, slots=True)
class ExpectedProof:
    """A catalogued preuve of a requirement, with the limits of its kind."""

    id: str
    label: str
    kind: str
    formats: tuple[str, ...]
    max_bytes: int | None
    scenario: str
    requirement: Requirement

    @property
    def solution(self) -> str | None:
        return self.requirement.solution


T = TypeVar("T")

Resolution = Literal["proof", "scenario", "requirement", "nested", "not-applicable", "unknown"]


@dataclass(frozen=True, slots=True)
class Match:
    """What an ID is in the catalogue (see :meth:`ProofIndex.resolve`)."""

    what: Resolution
    proof: ExpectedProof | None = None
    requirement: Requirement | None = None


def _itself(req: Requirement) -> Requirement:
    return req


def units(plan: Plan) -> Iterator[tuple[str | None, RequirementOut]]:
    """Every requirement of the plan with its solution (groupement), top level first."""
    for req in plan.requirements:
        yield None, req
    for solution in plan.solutions:
        for req in solution.requirements:
            yield solution.name, req


class ProofIndex:
    """The catalogue of a plan, keyed by :func:`~.naming.proof_key` (no prefix, case folded)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        labels = {p.id: p.label for p in plan.profils}
        self.requirements: list[Requirement] = []
        self.proofs: list[ExpectedProof] = []
        self._proofs: dict[str, list[ExpectedProof]] = {}
        self._scenarios: dict[str, list[Requirement]] = {}
        self._requirements: dict[str, list[Requirement]] = {}
        for solution, req in units(plan):
            ref = Requirement(id=req.id, label=req.label, chapter=req.chapter,
                              profil=labels.get(req.profil, req.profil), status=req.status,
                              to_prove=req.to_prove, solution=solution)
            self.requirements.append(ref)
            self._requirements.setdefault(proof_key(req.id), []).append(ref)
            for scenario in req.scenarios:
                self._scenarios.setdefault(proof_key(scenario.id), []).append(ref)
                for p in scenario.proofs:
                    proof = ExpectedProof(id=p.id, label=p.label, kind=str(p.kind), formats=tuple(p.formats),
                                          max_bytes=p.max_bytes, scenario=scenario.id, requirement=ref)
                    self.proofs.append(proof)
                    self._proofs.setdefault(proof_key(p.id), []).append(proof)

    # ------------------------------------------------------------------ lookups

    @staticmethod
    def _pick(items: list[T], solution: str | None, req_of: Callable[[T], Requirement]) -> T:
        """The item of ``solution`` if any, else an applicable one, else the first."""
        tests: tuple[Callable[[Requirement], bool], ...] = (
            lambda r: r.applicable and r.solution == solution, lambda r: r.applicable)
        for test in tests:
            found = next((i for i in items if test(req_of(i))), None)
            if found is not None:
                return found
        return items[0]

    def _parent(self, key: str) -> list[Requirement] | None:
        """The requirements ``key`` nests under (by its dot-separated prefixes), if any."""
        head = key
        while "." in head:
            head = head.rpartition(".")[0]
            found = self._requirements.get(head)
            if found:
                return found
        return None

    def knows(self, key: str) -> bool:
        """True when ``key`` is a preuve, scénario or exigence of the plan."""
        return key in self._proofs or key in self._scenarios or key in self._requirements

    def nests(self, key: str) -> bool:
        """True when ``key`` nests under an exigence of the plan (at any depth)."""
        return self._parent(key) is not None

    def resolve(self, identifier: str, solution: str | None = None) -> Match:
        """What ``identifier`` is for ``solution`` (groupement; ``None``: any)."""
        key = proof_key(identifier)
        proofs = self._proofs.get(key)
        if proofs:
            proof = self._pick(proofs, solution, lambda p: p.requirement)
            return Match("proof" if proof.requirement.applicable else "not-applicable", proof, proof.requirement)
        for what, table in (("scenario", self._scenarios), ("requirement", self._requirements)):
            reqs = table.get(key)
            if reqs:
                req = self._pick(reqs, solution, _itself)
                return Match(what if req.applicable else "not-applicable", None, req)  # type: ignore[arg-type]
        parents = self._parent(key)
        if parents:
            req = self._pick(parents, solution, _itself)
            return Match("nested" if req.applicable else "not-applicable", None, req)
        return Match("unknown")

    @staticmethod
    def display(identifier: str, match: Match) -> str:
        """``identifier`` spelt as the catalogue does: the preuve's ID, or its exigence's ID followed
        by the rest of ``identifier`` (``DMP_AIRS.06.01.09`` → ``SC.DMP/AIRS.06.01.09``)."""
        if match.proof is not None:
            return match.proof.id
        if match.requirement is None:
            return identifier.strip()
        rest = len(proof_key(identifier)) - len(proof_key(match.requirement.id))
        return match.requirement.id + (identifier.strip()[-rest:] if rest > 0 else "")

    def expected(self) -> list[ExpectedProof]:
        """The catalogued preuves of the requirements still to prove (to-prove or redeposit)."""
        return [p for p in self.proofs if p.requirement.to_prove]
