"""Active profils and applicable exigences, each with the reasons that put it in the plan."""

from __future__ import annotations

from typing import Any

from ..models.common import ProofKind
from ..models.pack import Exigence, ProofFormat, Rule
from ..models.plan import ProfilOut, Reason, RequirementOut
from .context import Context
from .facts import RuleOutcome


def _rule_reason(ctx: Context, rule: Rule, what: str) -> Reason:
    return Reason(
        kind="rule",
        ref=rule.id,
        message=f"Règle « {rule.id} » : {rule.label} ({what})",
        source=ctx.cite(rule.source),
    )


def active_profils(ctx: Context, outcome: RuleOutcome) -> list[ProfilOut]:
    """Général + declared + implied by rules, in the pack's order."""
    result = []
    for profil in ctx.pack.profils:
        why: list[Reason] = []
        origin = None
        if profil.general:
            origin = "general"
            why.append(Reason(kind="general", ref=profil.id, message="Profil général : s'applique toujours",
                              source=ctx.cite(profil.source)))
        if profil.id in ctx.declared:
            origin = origin or "declared"
            why.append(Reason(kind="declared", ref=profil.id, message="Profil déclaré dans le profil de solution",
                              source=ctx.cite(profil.source)))
        for rule in outcome.activated.get(profil.id, []):
            origin = origin or "rule"
            why.append(_rule_reason(ctx, rule, f"active le profil {profil.label}"))
        if origin is not None:
            result.append(ProfilOut(id=profil.id, label=profil.label, origin=origin, why=why,
                                    source=ctx.cite(profil.source)))
    return result


def _format_for(formats: tuple[ProofFormat, ...], kind: ProofKind) -> ProofFormat | None:
    return next((f for f in formats if kind in f.kinds), None)


def _scenarios(ctx: Context, exigence: Exigence) -> list[dict[str, Any]]:
    """The scénarios of ``exigence`` as plain data: :class:`RequirementOut` builds the models
    (in pydantic-core, far cheaper than one Python constructor call per preuve)."""
    out = []
    for scenario in exigence.scenarios:
        proofs = []
        for preuve in scenario.preuves:
            fmt = _format_for(ctx.proof_formats, preuve.kind)
            proofs.append({"id": preuve.id, "label": preuve.label, "kind": preuve.kind,
                           "formats": list(fmt.formats) if fmt else [],
                           "max_bytes": fmt.max_bytes if fmt else None})
        out.append({"id": scenario.id, "label": scenario.label, "proofs": proofs})
    return out


def requirement_reasons(ctx: Context, exigence: Exigence, active: dict[str, ProfilOut],
                        outcome: RuleOutcome) -> list[Reason]:
    """Why ``exigence`` applies (empty list: it does not)."""
    why = [
        Reason(kind="profil", ref=pid, message=f"Profil actif « {active[pid].label} »",
               source=ctx.cite(exigence.source))
        for pid in exigence.profils if pid in active
    ]
    why += [_rule_reason(ctx, rule, f"exige {exigence.id}") for rule in outcome.required.get(exigence.id, [])]
    return why


def requirements(ctx: Context, profils: list[ProfilOut], outcome: RuleOutcome) -> list[RequirementOut]:
    active = {p.id: p for p in profils}
    result = []
    for exigence in ctx.pack.exigences:
        why = requirement_reasons(ctx, exigence, active, outcome)
        if not why:
            continue
        excluded = outcome.excluded.get(exigence.id, [])
        why += [Reason(kind="rule", ref=rule.id, message=f"Exclue par la règle « {rule.id} » : {reason}",
                       source=ctx.cite(rule.source)) for rule, reason in excluded]
        applicable = [pid for pid in exigence.profils if pid in active]
        result.append(RequirementOut(
            id=exigence.id,
            label=exigence.label or exigence.id,
            profil=applicable[0] if applicable else exigence.profils[0],
            profils=list(exigence.profils),
            nature=exigence.nature or "exigence",
            perimetre=exigence.perimetre or "vague-2",
            section=exigence.section,
            chapter=exigence.chapter,
            critical=exigence.critical,
            transversal=exigence.transversal,
            vague1_ids=list(exigence.vague1_ids),
            why=why,
            source=ctx.cite(exigence.source),
            scenarios=_scenarios(ctx, exigence),
            status="not-applicable" if excluded else "to-prove",
            to_prove=not excluded,
        ))
    result.sort(key=lambda r: r.id)
    return result
