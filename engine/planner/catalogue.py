"""Active profils and applicable exigences, each with the reasons that put it in the plan."""

from __future__ import annotations

from pydantic import TypeAdapter

from ..models.plan import ProfilOut, Reason, RequirementOut
from .context import Context
from .facts import RuleOutcome
from .pack_records import CatalogueEntry, catalogue, rule_reason


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
            why.append(rule_reason(ctx, rule, f"active le profil {profil.label}"))
        if origin is not None:
            result.append(ProfilOut(id=profil.id, label=profil.label, origin=origin, why=why,
                                    source=ctx.cite(profil.source)))
    return result


_REQUIREMENTS: TypeAdapter[list[RequirementOut]] = TypeAdapter(list[RequirementOut])


def _reasons(ctx: Context, entry: CatalogueEntry, active: dict[str, ProfilOut], outcome: RuleOutcome) -> list[Reason]:
    why = [reason for pid, reason in entry.profil_reasons.items() if pid in active]
    required = outcome.required.get(entry.exigence.id)
    if required:
        why += [rule_reason(ctx, rule, f"exige {entry.exigence.id}") for rule in required]
    return why


def requirements(ctx: Context, profils: list[ProfilOut], outcome: RuleOutcome) -> list[RequirementOut]:
    """The applicable exigences as requirement records, sorted by id. The pack's part of each
    (fields, scénarios, « profil actif » reasons) is shared (:mod:`.pack_records`); each record is
    validated once, from plain data, by pydantic-core."""
    active = {p.id: p for p in profils}
    rows = []
    for entry in catalogue(ctx):
        why = _reasons(ctx, entry, active, outcome)
        if not why:
            continue
        exigence = entry.exigence
        excluded = outcome.excluded.get(exigence.id, ())
        why += [Reason(kind="rule", ref=rule.id, message=f"Exclue par la règle « {rule.id} » : {reason}",
                       source=ctx.cite(rule.source)) for rule, reason in excluded]
        profil = next((pid for pid in exigence.profils if pid in active), exigence.profils[0])
        rows.append({**entry.fields, "profil": profil, "why": why, "scenarios": entry.scenarios,
                     "status": "not-applicable" if excluded else "to-prove", "to_prove": not excluded})
    return _REQUIREMENTS.validate_python(rows)
