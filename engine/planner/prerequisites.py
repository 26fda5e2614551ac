"""Prerequisites of the candidature and of the référencement (seeds 000 and 003).

- The administrative deposit needs the CNDA NIE and NIL and a proof that a CNDA conformity
  request exists at the status of parameter ``cnda-min-status`` or later (FAQ on CNDA
  elements): blocking.
- The candidature may start before homologation (seed 000, step 2 good practice), but the
  référencement is only granted once every CNDA homologation is obtained (seed 003): shown,
  not blocking.
- INSi and DMP remain prerequisites in Vague 2 (seed 003): a warning when declared absent.
"""

from __future__ import annotations

from ..models.pack import SourceRef
from ..models.plan import PrerequisiteOut
from ..models.profile import CNDA_STATUS_RANK
from ..parameters import CNDA_STATUS_LABELS
from .context import Context

_CNDA = SourceRef(ref="ans-faq-industriels", section="FAQ : éléments CNDA attendus au dossier administratif")
_CNDA_CERT = SourceRef(ref="ans-faq-industriels", section="FAQ : attribution du référencement et homologations CNDA")
_INSI_DMP = SourceRef(ref="ans-faq-industriels", section="FAQ : INSi et DMP, prérequis de la Vague 2")


def prerequisites(ctx: Context) -> list[PrerequisiteOut]:
    pre = ctx.profile.prerequisites
    out = []
    for key, label in (("cnda_nie", "Numéro d'identification éditeur (NIE) du CNDA"),
                       ("cnda_nil", "Numéro d'identification logiciel (NIL) du CNDA")):
        value = getattr(pre, key)
        out.append(PrerequisiteOut(
            id=key.replace("_", "-"), label=label,
            status="ok" if value else "missing", blocking=not value,
            why=(f"Renseigné : {value}" if value else
                 "Absent : le dossier administratif de candidature ne peut pas être déposé sans lui"),
            source=ctx.cite(_CNDA),
        ))
    out.append(_cnda_request(ctx))
    homologated = pre.cnda_request_status == "homologue"
    out.append(PrerequisiteOut(
        id="cnda-homologation", label="Homologations CNDA obtenues",
        status="ok" if homologated else "missing", blocking=False,
        why=("Homologation obtenue : la lettre de référencement du CNDA sert de preuve" if homologated else
             "Pas nécessaire pour candidater, mais le référencement n'est attribué qu'une fois toutes "
             "les homologations CNDA obtenues"),
        source=ctx.cite(_CNDA_CERT),
    ))
    for key, label in (("insi", "Téléservice INSi intégré"), ("dmp", "DMP intégré")):
        value = getattr(pre, key)
        status = "unknown" if value is None else ("ok" if value else "missing")
        out.append(PrerequisiteOut(
            id=key, label=label, status=status, blocking=False,
            why={"unknown": "Non renseigné dans le profil de solution",
                 "ok": "Déclaré disponible",
                 "missing": "Déclaré absent : prérequis du référencement Vague 2"}[status],
            source=ctx.cite(_INSI_DMP),
        ))
    return out


def _cnda_request(ctx: Context) -> PrerequisiteOut:
    """The CNDA request against the minimum status in force today (parameter ``cnda-min-status``)."""
    declared = ctx.profile.prerequisites.cnda_request_status
    rank = CNDA_STATUS_RANK[declared]
    threshold = ctx.param("cnda-min-status")
    if threshold is None:
        return PrerequisiteOut(
            id="cnda-request", label="Demande de conformité CNDA", status="unknown", blocking=False,
            why=f"Statut déclaré : {declared}. Le pack ne donne pas le statut minimal attendu "
                "(paramètre cnda-min-status) : non vérifié",
            source=ctx.cite(_CNDA))
    minimum = str(threshold.value)
    enough = rank >= CNDA_STATUS_RANK[minimum]
    return PrerequisiteOut(
        id="cnda-request", label=f"Demande de conformité CNDA au moins au statut « {CNDA_STATUS_LABELS.get(minimum, minimum)} »",
        status="ok" if enough else ("missing" if rank == 0 else "insufficient"),
        blocking=not enough,
        why=(f"Statut déclaré : {declared}. Une copie d'écran de l'espace personnel CNDA au statut "
             f"« {CNDA_STATUS_LABELS.get(minimum, minimum)} » ou plus avancé est attendue au dossier administratif"),
        source=f"{ctx.cite(_CNDA)} ; {ctx.cite_param(threshold)}")
