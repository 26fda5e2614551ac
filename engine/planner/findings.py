"""Findings: what blocks, what deserves attention, what to know, sorted by level then code."""

from __future__ import annotations

from ..models.common import LEVEL_ORDER, Level, plural
from ..models.pack import OPENING_IDS, AddFinding, Rule
from ..models.plan import DeadlineOut, FindingOut, PrerequisiteOut, RequirementOut
from .context import Context


def findings(ctx: Context, prerequisites: list[PrerequisiteOut], warn: set[str], deadlines: list[DeadlineOut],
             requirements: list[RequirementOut], rule_findings: list[tuple[Rule, AddFinding]],
             extra: list[FindingOut]) -> list[FindingOut]:
    out: list[FindingOut] = []
    for pre in prerequisites:
        if pre.blocking:
            out.append(FindingOut(level=Level.BLOCKING, code="PREREQUISITE_MISSING",
                                  message=f"Prérequis non rempli : {pre.label}. {pre.why}.", refs=[pre.id]))
        elif pre.id in warn:  # the pack's rule asks for a warning
            out.append(FindingOut(level=Level.WARNING, code="PREREQUISITE_MISSING",
                                  message=f"Prérequis non rempli : {pre.label}.", refs=[pre.id]))
    if not ctx.pack.exigences:
        out.append(FindingOut(level=Level.WARNING, code="PACK_NO_CATALOGUE",
                              message=f"Le pack {ctx.pack.id} ne contient aucune exigence (catalogue absent "
                                      "des sources) : les exigences et preuves sont à lire dans le REM publié. "
                                      "Le plan couvre le parcours, les prérequis et le calendrier.",
                              refs=[ctx.pack.id]))
    elif ctx.pack.status == "draft":
        out.append(FindingOut(level=Level.WARNING, code="PACK_DRAFT",
                              message=f"Le catalogue du pack {ctx.pack.id} vient d'un document de travail "
                                      "non publié : vérifiez chaque exigence contre le REM publié par l'ANS.",
                              refs=[ctx.pack.id]))
    unknown = [d.id for d in deadlines if d.basis == "unknown"]
    if unknown:
        out.append(FindingOut(level=Level.WARNING, code="T0_UNKNOWN",
                              message="Ni calendrier publié ni date de l'arrêté (T0) : les échéances "
                                      "ne peuvent pas être calculées. Renseignez referencement.t0.",
                              refs=unknown))
    for d in (d for d in deadlines if d.id not in OPENING_IDS):  # an opening passed is open, not late
        if d.status == "passed":
            out.append(FindingOut(level=Level.WARNING, code="DEADLINE_PASSED",
                                  message=f"Échéance dépassée : {d.label} ({d.date}).", refs=[d.id]))
        elif d.status in ("due-today", "soon"):
            soon = ctx.param("deadline-soon-days")
            basis = f" ; {ctx.cite_param(soon)}" if soon else ""
            out.append(FindingOut(level=Level.INFO, code="DEADLINE_SOON",
                                  message=f"Échéance proche : {d.label} ({d.date}, J-{d.days_left}{basis}).",
                                  refs=[d.id]))
    without = [r.id for r in requirements if not r.scenarios and r.to_prove]
    if without:
        out.append(FindingOut(level=Level.INFO, code="SCENARIOS_NOT_IN_SOURCE",
                              message=f"{plural(len(without), 'exigence')} à prouver sans scénario ni preuve dans les "
                                      "sources du pack : consultez le REM publié pour la liste des preuves.",
                              refs=without))
    out += extra
    seen: set[tuple[str, str]] = set()
    for rule, finding in rule_findings:
        if (rule.id, finding.code) in seen:
            continue
        seen.add((rule.id, finding.code))
        out.append(FindingOut(level=finding.level, code=finding.code,
                              message=f"{finding.message} (règle {rule.id}, {ctx.cite(rule.source)})",
                              refs=list(finding.refs)))
    out.sort(key=lambda f: (LEVEL_ORDER[f.level], f.code, f.refs, f.message))
    return out
