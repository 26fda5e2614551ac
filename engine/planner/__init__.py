"""The planner: a pure function of (profile, resolved pack, rule outcomes, today) → Plan.

A groupement is planned solution by solution (each with its own profils and rule evaluation);
the requirements the pack marks transversal (they concern the editor, not one product) are then
proven once for the group, at the top level, and the others per solution.
"""

from __future__ import annotations

import datetime as dt

from ..financing import FinancingFile, check_financing
from ..ids import same
from ..models.common import Level, plural
from ..models.pack import Pack, SourceRef
from ..models.plan import (
    DeadlineOut,
    FindingOut,
    PackRef,
    ParcoursOut,
    Plan,
    ProfilOut,
    ProgressSummary,
    Reason,
    RemRef,
    RequirementOut,
    SolutionOut,
    SolutionPlanOut,
    Summary,
)
from ..models.profile import Referencement, Solution, SolutionProfile
from ..vocabulary import PARCOURS_EXPLAINED, TRIGGER_EXPLAINED
from .calendar import deadlines
from .catalogue import active_profils, requirements
from .context import Context
from .facts import RuleOutcome, build_facts, derive
from .findings import findings
from .journey import journey_actions, journey_progress
from .pack_records import catalogue, proof_numbers
from .prerequisites import prerequisites
from .progress import by_profil, merge, rejected_actions, requirement_progress
from .records import deposits, exigence_keys
from .solicitations import solicitations
from .status import apply_statuses, compiled_scopes, owners_in

__all__ = ["Context", "RuleOutcome", "build_facts", "build_plan", "derive", "prepare"]

_SEED_000 = SourceRef(ref="ans-parcours-ens", section="Parcours types et entrées dans un cycle")
_DEMAND = {"redeposit": 4, "to-prove": 3, "inherited": 2, "acquired": 1, "not-applicable": 0}


def prepare(pack: Pack, today: dt.date) -> None:
    """Build what every plan of ``pack`` shares (its catalogue records for the proof formats in
    force on ``today``, the keys its proof records are matched by, its status scopes) ahead of
    the first plan. A process that forks workers (the batch's forkserver) does it once for all."""
    profile = SolutionProfile(solution=Solution(name="préparation"), referencement=Referencement(pack=pack.id))
    ctx = Context(profile, pack, today, ())
    catalogue(ctx)
    proof_numbers(ctx)
    exigence_keys(ctx)
    compiled_scopes(ctx)


def _merge_reasons(target: list[Reason], more: list[Reason]) -> None:
    for reason in more:
        if reason not in target:
            target.append(reason)


def _shared(per_unit: list[list[RequirementOut]]) -> list[RequirementOut]:
    """Transversal requirements of every solution, once; the most demanding status wins."""
    merged: dict[str, RequirementOut] = {}
    for reqs in per_unit:
        for req in (r for r in reqs if r.transversal):
            # A shallow copy with its own list of reasons: the records it refers to are immutable.
            first = merged.setdefault(req.id, req.model_copy(update={"why": list(req.why)}))
            if first is not req:
                _merge_reasons(first.why, req.why)
                if _DEMAND[req.status] > _DEMAND[first.status]:
                    first.status, first.to_prove = req.status, req.to_prove
    return sorted(merged.values(), key=lambda r: r.id)


def _profils(per_unit: list[list[ProfilOut]]) -> list[ProfilOut]:
    merged: dict[str, ProfilOut] = {}
    for profils in per_unit:
        for profil in profils:
            first = merged.setdefault(profil.id, profil.model_copy(update={"why": list(profil.why)}))
            if first is not profil:
                _merge_reasons(first.why, profil.why)
    order = [p.id for profils in per_unit for p in profils]
    return sorted(merged.values(), key=lambda p: order.index(p.id))


def _cycle_findings(ctx: Context, reqs: list[RequirementOut]) -> list[FindingOut]:
    """Records of the profile that name nothing the plan knows (a deposit, an audit finding)."""
    profile, out = ctx.profile, []
    for finding in profile.audit_findings:
        if not any(same(r.id, finding.requirement) for r in reqs):
            out.append(FindingOut(level=Level.WARNING, code="AUDIT_UNKNOWN_REQUIREMENT",
                                  message=f"Exigence signalée par l'audit inconnue ou non applicable : "
                                          f"{finding.requirement}.", refs=[finding.requirement]))
    owner_of = owners_in(ctx, reqs)
    for proof in deposits(ctx):
        if owner_of(proof.id) is None:
            out.append(FindingOut(level=Level.WARNING, code="PROOF_UNKNOWN_REQUIREMENT",
                                  message=f"La preuve déposée {proof.id} ne relève d'aucune exigence applicable.",
                                  refs=[proof.id]))
    redeposit = [r.id for r in reqs if r.status == "redeposit"]
    if redeposit:
        out.append(FindingOut(level=Level.INFO, code="REDEPOSIT",
                              message=f"{plural(len(redeposit), 'exigence')} dont les preuves sont à déposer "
                                      "à nouveau.",
                              refs=redeposit))
    return out


def _financing_findings(ctx: Context, financing: FinancingFile | None, dls: list[DeadlineOut]) -> list[FindingOut]:
    if financing is None:
        return []
    dates = {d.id: d.date for d in dls}
    report = check_financing(financing, today=ctx.today, pack_id=ctx.pack.id,
                             complete_dossier_date=dates.get("dossier-complet"),
                             avance_deadline=dates.get("avance"), parameters=ctx.parameters)
    return list(report.findings)


def build_plan(units: list[tuple[Context, RuleOutcome]], sha256: str, financing: FinancingFile | None = None,
               rem: RemRef | None = None, rem_findings: tuple[FindingOut, ...] = ()) -> Plan:
    """``rem``/``rem_findings``: the REM whose catalogue replaced the pack's (:mod:`..rem_overlay`)."""
    ctx, outcome = units[0]
    profile, pack = ctx.profile, ctx.pack
    per_unit = []
    for unit, unit_outcome in units:
        profils = active_profils(unit, unit_outcome)
        reqs = requirements(unit, profils, unit_outcome)
        touches = apply_statuses(unit, reqs, unit_outcome)
        requirement_progress(unit, reqs, touches, unit.solution)
        per_unit.append((unit, profils, reqs))
    if profile.solutions:
        top = _shared([reqs for _, _, reqs in per_unit])
        versions = {s.name: s.version for s in profile.solutions}
        solutions = [SolutionPlanOut(name=u.solution or "", version=versions.get(u.solution or ""),
                                     profils=[p.id for p in profils],
                                     requirements=[r for r in reqs if not r.transversal])
                     for u, profils, reqs in per_unit]
    else:
        top, solutions = per_unit[0][2], []
    every = top + [r for s in solutions for r in s.requirements]
    pre, warn = prerequisites(ctx, outcome)
    dls = deadlines(ctx)
    asked, asked_findings = solicitations(ctx)
    extra = asked_findings + [f for unit, _, reqs in per_unit for f in _cycle_findings(unit, reqs)]
    extra += _financing_findings(ctx, financing, dls)
    extra += rem_findings
    rule_findings = [f for _, o in units for f in o.findings]
    found = findings(ctx, pre, warn, dls, every, rule_findings, extra)
    ref = profile.referencement
    solution = profile.solution
    return Plan(
        today=ctx.today,
        solution=SolutionOut(**solution.model_dump()) if solution else SolutionOut(name=profile.title),
        packs=[PackRef(id=pack.id, version=pack.version, sha256=sha256, status=pack.status,
                       released=pack.released, rem=rem)],
        parcours=ParcoursOut(kind=ref.parcours, trigger=ref.trigger,
                             already_referenced=sorted(ref.already_referenced),
                             why=[Reason(kind="parcours", ref=ref.parcours,
                                         message=(f"{PARCOURS_EXPLAINED[ref.parcours]} ; "
                                                  f"{TRIGGER_EXPLAINED[ref.trigger]}"),
                                         source=ctx.cite(_SEED_000))]),
        profils=_profils([profils for _, profils, _ in per_unit]),
        requirements=top,
        prerequisites=pre,
        deadlines=dls,
        actions=journey_actions(ctx, dls, outcome, rejected_actions(ctx)),
        findings=found,
        solutions=solutions,
        solicitations=asked,
        progress=ProgressSummary(overall=merge(r.progress for r in every if r.progress),
                                 by_profil=by_profil(every), by_step=journey_progress(ctx, outcome)),
        summary=Summary(
            profils=len({p.id for _, profils, _ in per_unit for p in profils}),
            requirements=len(every),
            to_prove=sum(r.to_prove for r in every),
            scenarios=sum(len(r.scenarios) for r in every),
            proofs=sum(len(s.proofs) for r in every for s in r.scenarios),
            blocking=sum(f.level == Level.BLOCKING for f in found),
            warnings=sum(f.level == Level.WARNING for f in found),
        ),
    )
