"""What every planner step reads: the profile, the resolved pack, today, and citation helpers."""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import UnknownProfilError
from ..models.common import fold
from ..models.pack import Pack, Profil, ProofFormat, SourceRef
from ..models.profile import SolutionProfile
from ..parameters import InForce, Parameters
from ..parameters import cite as cite_parameter

if TYPE_CHECKING:
    from .records import ProofIndex


#: id of a live pack → what the planner derived from that pack alone: see :func:`pack_memo`.
_MEMO: dict[int, dict[Hashable, Any]] = {}


def pack_memo(pack: Pack) -> dict[Hashable, Any]:
    """What the planner derives from ``pack`` alone (citations, catalogue records, lookup keys),
    kept while the pack lives. An entry goes with its pack (``weakref.finalize``), so a pack made
    for one plan (a REM overlay) is not kept alive. Concurrent plans may compute one value twice;
    each stores a complete value, so either is right."""
    found = _MEMO.get(id(pack))
    if found is None:
        found = _MEMO[id(pack)] = {}
        weakref.finalize(pack, _MEMO.pop, id(pack), None)
    return found


def cite(pack: Pack, ref: SourceRef | None) -> str:
    """« Titre du document, section (url) » for a source reference."""
    if ref is None:
        return "source non renseignée"
    doc = pack.sources.get(ref.ref)
    if doc is None:
        return ref.ref
    text = doc.title + (f", {ref.section}" if ref.section else "")
    return text + (f" ({doc.url})" if doc.url else "")


def resolve_declared(pack: Pack, declared: tuple[str, ...]) -> tuple[str, ...]:
    """Map declared profil names (id, label or alias; case and accents ignored) to ids."""
    index: dict[str, str] = {}
    for profil in pack.profils:
        for name in (profil.id, profil.label, *profil.aliases):
            index.setdefault(fold(name), profil.id)
    ids: list[str] = []
    for name in declared:
        pid = index.get(fold(name))
        if pid is None:
            known = [f"{p.label} ({p.id})" for p in pack.profils if not p.general]
            names = [n for p in pack.profils if not p.general for n in (p.label, p.id, *p.aliases)]
            raise UnknownProfilError(name, pack.id, known, path=None, names=names)
        if pid not in ids:
            ids.append(pid)
    return tuple(ids)


@dataclass(frozen=True)
class Context:
    """One evaluation unit: the whole profile, or one solution of a groupement."""

    profile: SolutionProfile
    pack: Pack
    today: dt.date
    declared: tuple[str, ...]
    solution: str | None = None

    @classmethod
    def units(cls, profile: SolutionProfile, pack: Pack, today: dt.date) -> list[Context]:
        """One context per solution of a groupement, else one for the profile."""
        if not profile.solutions:
            return [cls(profile, pack, today, resolve_declared(pack, profile.profils.declared))]
        return [
            cls(profile, pack, today,
                resolve_declared(pack, s.profils if s.profils is not None else profile.profils.declared), s.name)
            for s in profile.solutions
        ]

    def cite(self, ref: SourceRef | None) -> str:
        """:func:`cite`, memoised per pack (immutable): a plan cites hundreds of sources, the same
        in every plan of that pack."""
        if ref is None:
            return cite(self.pack, ref)
        cited = self._citations
        key = (ref.ref, ref.section)
        text = cited.get(key)
        if text is None:
            text = cited[key] = cite(self.pack, ref)
        return text

    @functools.cached_property
    def _citations(self) -> dict[tuple[str, str | None], str]:
        cited: dict[tuple[str, str | None], str] = pack_memo(self.pack).setdefault("citations", {})
        return cited

    @functools.cached_property
    def memo(self) -> dict[Hashable, Any]:
        """:func:`pack_memo` of this unit's pack."""
        return pack_memo(self.pack)

    @functools.cached_property
    def scratch(self) -> dict[str, Any]:
        """Lookups the planner builds once for this unit and reuses during the plan."""
        return {}

    @functools.cached_property
    def proof_index(self) -> ProofIndex:
        """The profile's proof records indexed once for this unit (see :mod:`.records`)."""
        from .records import ProofIndex, exigence_keys  # records reads Context: imported when first needed

        return ProofIndex(self.profile.proofs, exigence_keys(self))

    @functools.cached_property
    def parameters(self) -> Parameters:
        return Parameters(self.pack)

    def param(self, parameter_id: str, day: dt.date | None = None) -> InForce | None:
        """The value of a pack parameter in force on ``day`` (default: the plan's today)."""
        return self.parameters.get(parameter_id, day or self.today)

    @functools.cached_property
    def proof_formats(self) -> tuple[ProofFormat, ...]:
        """The proof-format table in force today (parameter ``proof-formats``), else the pack's
        undated ``[[proof_formats]]``."""
        found = self.param("proof-formats")
        if found is None:
            return self.pack.proof_formats
        key = ("proof-formats", found.since)  # one table per effective date: the same object each plan
        table: tuple[ProofFormat, ...] | None = self.memo.get(key)
        if table is None:
            table = self.memo[key] = tuple(
                ProofFormat(**row.model_dump(), source=found.source, reviewed=found.reviewed) for row in found.value)
        return table

    def cite_param(self, found: InForce) -> str:
        return cite_parameter(self.pack, found)

    def profil(self, profil_id: str) -> Profil:
        return next(p for p in self.pack.profils if p.id == profil_id)

    @property
    def t0(self) -> dt.date | None:
        return self.profile.referencement.t0 or self.pack.calendar.t0
