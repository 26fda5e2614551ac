"""Findings and the ordered next actions.

Actions are ordered by due date (undated prerequisites first), then by milestone order, journey
step (seed 000: A Orientation … 6 Déploiement) and label; ``order`` numbers them from 1.
"""

from __future__ import annotations

import datetime as dt

from ..models.common import LEVEL_ORDER, Level
from ..models.pack import DEADLINE_IDS
from ..models.plan import ActionOut, DeadlineOut, FindingOut, PrerequisiteOut, RequirementOut
from .context import Context
from .facts import RuleOutcome

STEPS = ("A", "B", "C", "1", "2", "3", "4", "5", "6")


def findings(ctx: Context, prerequisites: list[PrerequisiteOut], deadlines: list[DeadlineOut],
             requirements: list[RequirementOut], outcome: RuleOutcome) -> list[FindingOut]:
    out: list[FindingOut] = []
    for pre in prerequisites:
        if pre.blocking:
            out.append(FindingOut(level=Level.BLOCKING, code="PREREQUISITE_MISSING",
                                  message=f"Prérequis non rempli : {pre.label}. {pre.why}.", refs=[pre.id]))
        elif pre.status == "missing" and pre.id in ("insi", "dmp"):
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
    for d in deadlines:
        if d.status == "passed":
            out.append(FindingOut(level=Level.WARNING, code="DEADLINE_PASSED",
                                  message=f"Échéance dépassée : {d.label} ({d.date}).", refs=[d.id]))
        elif d.status in ("due-today", "soon"):
            out.append(FindingOut(level=Level.INFO, code="DEADLINE_SOON",
                                  message=f"Échéance proche : {d.label} ({d.date}, J-{d.days_left}).",
                                  refs=[d.id]))
    without = [r.id for r in requirements if not r.scenarios]
    if without:
        out.append(FindingOut(level=Level.INFO, code="SCENARIOS_NOT_IN_SOURCE",
                              message=f"{len(without)} exigence(s) sans scénario ni preuve dans les sources du "
                                      "pack : consultez le REM publié pour la liste des preuves.",
                              refs=without))
    for rule, finding in outcome.findings:
        out.append(FindingOut(level=finding.level, code=finding.code,
                              message=f"{finding.message} (règle {rule.id}, {ctx.cite(rule.source)})",
                              refs=list(finding.refs)))
    out.sort(key=lambda f: (LEVEL_ORDER[f.level], f.code, f.refs, f.message))
    return out


def _due(deadlines: list[DeadlineOut], deadline_id: str | None) -> dt.date | None:
    return next((d.date for d in deadlines if d.id == deadline_id), None)


def actions(ctx: Context, prerequisites: list[PrerequisiteOut], deadlines: list[DeadlineOut],
            requirements: list[RequirementOut], outcome: RuleOutcome) -> list[ActionOut]:
    pre = {p.id: p for p in prerequisites}
    items: list[tuple[str, str, str | None, list[str]]] = [
        ("A", "Ouvrir un compte Industriels Santé Connect (iSC) et l'Espace Authentifié du Portail Industriels",
         None, []),
    ]
    if pre["cnda-nie"].blocking or pre["cnda-nil"].blocking:
        items.append(("1", "Obtenir les numéros NIE et NIL auprès du CNDA (espace personnel CNDA)", None,
                      ["cnda-nie", "cnda-nil"]))
    if pre["cnda-request"].blocking:
        items.append(("1", "Amener la demande de conformité CNDA au statut « pré-examen » et en faire une "
                           "copie d'écran", None, ["cnda-request"]))
    items += [
        ("2", f"Déposer le dossier administratif de candidature {ctx.pack.id} sur Convergence",
         "dossier-administratif", []),
        ("3", (f"Produire et déposer les preuves des {len(requirements)} exigences applicables sur Convergence"
               if ctx.pack.exigences else
               "Produire et déposer sur Convergence les preuves demandées par le REM publié"),
         "dossier-complet", []),
        ("3", "Faire valider toutes les preuves par l'ANS (répondre aux sollicitations sous 24 h)",
         "fin-echanges", []),
        ("5", "Déposer les demandes d'enrôlement et d'avance auprès de l'ASP", "avance", []),
        ("6", "Réaliser les prestations Ségur chez les clients", "prestations", []),
        ("5", "Déposer les demandes de solde auprès de l'ASP", "solde", []),
    ]
    items += [(a.step, a.label, a.due, list(a.refs)) for _, a in outcome.actions]
    # Undated actions (prerequisites) come first; then by due date, then by the order of the
    # milestones (which also orders them when no date is known), then by journey step.
    # Ties keep the order written above (which follows the dependencies).
    ranked = sorted(enumerate(items), key=lambda e: (
        _due(deadlines, e[1][2]) or dt.date.min,
        DEADLINE_IDS.index(e[1][2]) if e[1][2] in DEADLINE_IDS else -1,
        STEPS.index(e[1][0]) if e[1][0] in STEPS else len(STEPS),
        e[0],
    ))
    return [ActionOut(order=n, step=step, label=label, due=_due(deadlines, due), refs=refs)
            for n, (_, (step, label, due, refs)) in enumerate(ranked, start=1)]
