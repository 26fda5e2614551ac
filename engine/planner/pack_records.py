"""The records of a plan that depend on the pack alone, built once per pack and shared by its plans.

A plan of a 260-exigence pack holds some 1,500 records (scénarios, preuves, reasons, sources);
all but a few hundred are the same in every plan of that pack, whatever the profile. They are
built once per pack (and per proof-format table in force) as immutable records
(:class:`..models.common.SharedOut`), which every plan then references: validating them again
for each plan was most of the plan's cost. What varies with the profile (which exigences apply,
the rules that require or exclude them, statuses, progress) is still computed for each plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ids import number
from ..models.common import ProofKind
from ..models.pack import Exigence, ProofFormat, Rule
from ..models.plan import ProofOut, Reason, ScenarioOut
from .context import Context


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One exigence of the pack, with everything of its requirement record that the pack decides."""

    exigence: Exigence
    fields: dict[str, Any]  # the RequirementOut fields that depend on the pack only (read, never changed)
    profil_reasons: dict[str, Reason]  # profil id → « Profil actif … », for each profil of the exigence
    scenarios: tuple[ScenarioOut, ...]


def _format_for(formats: tuple[ProofFormat, ...], kind: ProofKind) -> ProofFormat | None:
    return next((f for f in formats if kind in f.kinds), None)


def _scenarios(exigence: Exigence, formats: tuple[ProofFormat, ...]) -> tuple[ScenarioOut, ...]:
    out = []
    for scenario in exigence.scenarios:
        proofs = []
        for preuve in scenario.preuves:
            fmt = _format_for(formats, preuve.kind)
            proofs.append(ProofOut(id=preuve.id, label=preuve.label, kind=preuve.kind,
                                   formats=fmt.formats if fmt else (), max_bytes=fmt.max_bytes if fmt else None))
        out.append(ScenarioOut(id=scenario.id, label=scenario.label, proofs=tuple(proofs)))
    return tuple(out)


def _entry(ctx: Context, exigence: Exigence, labels: dict[str, str]) -> CatalogueEntry:
    source = ctx.cite(exigence.source)
    fields = {
        "id": exigence.id,
        "label": exigence.label or exigence.id,
        "profils": exigence.profils,
        "nature": exigence.nature or "exigence",
        "perimetre": exigence.perimetre or "vague-2",
        "section": exigence.section,
        "chapter": exigence.chapter,
        "critical": exigence.critical,
        "transversal": exigence.transversal,
        "vague1_ids": exigence.vague1_ids,
        "source": source,
    }
    reasons = {pid: Reason(kind="profil", ref=pid, message=f"Profil actif « {labels[pid]} »", source=source)
               for pid in exigence.profils if pid in labels}
    return CatalogueEntry(exigence, fields, reasons, _scenarios(exigence, ctx.proof_formats))


def catalogue(ctx: Context) -> tuple[CatalogueEntry, ...]:
    """The pack's exigences as :class:`CatalogueEntry`, sorted by id (the plan's order), for the
    proof-format table in force in ``ctx``."""
    key = ("catalogue", id(ctx.proof_formats))  # the table is itself kept in the memo: its id is stable
    found: tuple[CatalogueEntry, ...] | None = ctx.memo.get(key)
    if found is None:
        labels = {p.id: p.label for p in ctx.pack.profils}
        entries = (_entry(ctx, e, labels) for e in ctx.pack.exigences)
        found = ctx.memo[key] = tuple(sorted(entries, key=lambda entry: entry.exigence.id))
    return found


def proof_numbers(ctx: Context) -> dict[str, tuple[str, ...]]:
    """Exigence id → the numbers (:func:`..ids.number`) of its catalogued preuves, in order."""
    found: dict[str, tuple[str, ...]] | None = ctx.memo.get("proof-numbers")
    if found is None:
        found = ctx.memo["proof-numbers"] = {
            e.id: tuple(number(p.id) for s in e.scenarios for p in s.preuves) for e in ctx.pack.exigences}
    return found


def rule_reason(ctx: Context, rule: Rule, what: str) -> Reason:
    """« Règle « id » : libellé (what) », citing the rule's source; one record per pack."""
    reasons: dict[tuple[str | None, ...], Reason] = ctx.memo.setdefault("rule-reasons", {})
    source = rule.source
    key = (rule.id, rule.label, what, source.ref if source else None, source.section if source else None)
    found = reasons.get(key)
    if found is None:
        found = reasons[key] = Reason(kind="rule", ref=rule.id, message=f"Règle « {rule.id} » : {rule.label} ({what})",
                                      source=ctx.cite(rule.source))
    return found
