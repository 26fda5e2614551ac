"""The planner: a pure function of (profile, resolved pack, rule outcome, today) → Plan."""

from __future__ import annotations

from ..models.common import Level
from ..models.plan import PackRef, ParcoursOut, Plan, Reason, SolutionOut, Summary
from .actions import actions, findings
from .calendar import deadlines
from .catalogue import active_profils, requirements
from .context import Context
from .facts import RuleOutcome, build_facts, derive
from .prerequisites import prerequisites

__all__ = ["Context", "RuleOutcome", "build_facts", "build_plan", "derive"]

_PARCOURS = {
    "mono-editeur": "Mono-éditeur : une solution, un dossier",
    "groupement": "Groupement : plusieurs solutions d'un même éditeur",
    "marque-blanche": "Marque blanche : solution référencée par un autre éditeur, reprise",
}
_TRIGGER = {
    "initial": "premier cycle (produit initial)",
    "major-version": "nouveau cycle : version majeure",
    "referentiel-update": "nouveau cycle : évolution des référentiels",
    "audit": "nouveau cycle : audit a posteriori",
}


def build_plan(ctx: Context, outcome: RuleOutcome, sha256: str) -> Plan:
    profile, pack = ctx.profile, ctx.pack
    profils = active_profils(ctx, outcome)
    reqs = requirements(ctx, profils, outcome)
    pre = prerequisites(ctx)
    dls = deadlines(ctx)
    found = findings(ctx, pre, dls, reqs, outcome)
    ref = profile.referencement
    parcours_why = [Reason(
        kind="parcours", ref=ref.parcours,
        message=f"{_PARCOURS[ref.parcours]} ; {_TRIGGER[ref.trigger]}",
        source=ctx.cite(pack.sources.get("seed-000") and _seed000()),
    )]
    return Plan(
        today=ctx.today,
        solution=SolutionOut(**profile.solution.model_dump()),
        packs=[PackRef(id=pack.id, version=pack.version, sha256=sha256, status=pack.status,
                       released=pack.released)],
        parcours=ParcoursOut(kind=ref.parcours, trigger=ref.trigger,
                             already_referenced=sorted(ref.already_referenced), why=parcours_why),
        profils=profils,
        requirements=reqs,
        prerequisites=pre,
        deadlines=dls,
        actions=actions(ctx, pre, dls, reqs, outcome),
        findings=found,
        summary=Summary(
            profils=len(profils),
            requirements=len(reqs),
            scenarios=sum(len(r.scenarios) for r in reqs),
            proofs=sum(len(s.proofs) for r in reqs for s in r.scenarios),
            blocking=sum(f.level == Level.BLOCKING for f in found),
            warnings=sum(f.level == Level.WARNING for f in found),
        ),
    )


def _seed000():  # noqa: ANN202
    from ..models.pack import SourceRef

    return SourceRef(ref="seed-000", section="Parcours types : mono-éditeur, groupement, marque blanche")
