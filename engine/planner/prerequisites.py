"""Prerequisites of the candidature and of the référencement (seeds 000 and 003).

- The administrative deposit needs the CNDA NIE and NIL and a proof that a CNDA conformity
  request exists at status "pré-examen" or later (seed 003, FAQ on CNDA elements): blocking.
- The candidature may start before homologation (seed 000, step 2 good practice), but the
  référencement is only granted once every CNDA homologation is obtained (seed 003): shown,
  not blocking.
- INSi and DMP remain prerequisites in Vague 2 (seed 003): a warning when declared absent.
"""

from __future__ import annotations

from ..models.pack import SourceRef
from ..models.plan import PrerequisiteOut
from ..models.profile import CNDA_STATUS_LABEL, CNDA_STATUS_RANK
from .context import Context

_CNDA = SourceRef(ref="ans-faq-industriels", section="FAQ : éléments CNDA attendus au dossier administratif")
_CNDA_CERT = SourceRef(ref="ans-faq-industriels", section="FAQ : attribution du référencement et homologations CNDA")
_INSI_DMP = SourceRef(ref="ans-faq-industriels", section="FAQ : INSi et DMP, prérequis de la Vague 2")
_PRE_EXAMEN = CNDA_STATUS_RANK["pre-examen"]


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
    rank = CNDA_STATUS_RANK[pre.cnda_request_status]
    out.append(PrerequisiteOut(
        id="cnda-request", label="Demande de conformité CNDA au moins au statut « pré-examen »",
        status="ok" if rank >= _PRE_EXAMEN else ("missing" if rank == 0 else "insufficient"),
        blocking=rank < _PRE_EXAMEN,
        why=(f"Statut déclaré : {CNDA_STATUS_LABEL[pre.cnda_request_status]}. Une copie d'écran de l'espace "
             "personnel CNDA au statut « pré-examen » ou plus avancé est attendue au dossier administratif"),
        source=ctx.cite(_CNDA),
    ))
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
