"""The French words of every code the engine speaks: one place for the labels of each value.

The value lists are derived from the types (``typing.get_args`` of the ``Literal``, or the enum),
never written twice; tests/engine/test_vocabulary.py checks that every value of each list has a
label in each table that names it. Renderers, the CLI and ``explain`` import their labels from
here. A table named ``…_SHORT``, ``…_TITLE`` or after one output (``…_MARKDOWN``) is a variant of
the base table for one place where the text reads differently; the base table is the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, TypeVar, get_args

from .models.common import Level, ProofKind
from .models.pack import Pack, SetStatus, StatusScope
from .models.plan import (
    DeadlineOut,
    DeadlineStatus,
    PrerequisiteOut,
    ProfilOut,
    RequirementStatus,
    SolicitationOut,
)
from .models.profile import CndaStatus, Parcours, ProofStatus, Trigger

K = TypeVar("K", bound=str)


def _field_values(model: Any, field: str) -> tuple[str, ...]:
    """The values of a model field typed ``Literal[...]``."""
    return get_args(model.model_fields[field].annotation)


def capitalized(labels: Mapping[K, str]) -> dict[K, str]:
    """The same labels with a capital first letter (« à prouver » → « À prouver »)."""
    return {key: label[:1].upper() + label[1:] for key, label in labels.items()}


# ---------------------------------------------------------------------------- value lists
REQUIREMENT_STATUSES: Final[tuple[str, ...]] = get_args(RequirementStatus)
#: The statuses a rule's ``set_status`` may give.
SET_STATUSES: Final[tuple[str, ...]] = _field_values(SetStatus, "status")
STATUS_SCOPES: Final[tuple[str, ...]] = get_args(StatusScope)
DEADLINE_STATUSES: Final[tuple[str, ...]] = get_args(DeadlineStatus)
DEADLINE_BASES: Final[tuple[str, ...]] = _field_values(DeadlineOut, "basis")
PREREQUISITE_STATUSES: Final[tuple[str, ...]] = _field_values(PrerequisiteOut, "status")
SOLICITATION_STATUSES: Final[tuple[str, ...]] = _field_values(SolicitationOut, "status")
PROFIL_ORIGINS: Final[tuple[str, ...]] = _field_values(ProfilOut, "origin")
PACK_STATUSES: Final[tuple[str, ...]] = _field_values(Pack, "status")
PARCOURS_KINDS: Final[tuple[str, ...]] = get_args(Parcours)
TRIGGERS: Final[tuple[str, ...]] = get_args(Trigger)
CNDA_STATUSES: Final[tuple[str, ...]] = get_args(CndaStatus)
PROOF_STATUSES: Final[tuple[str, ...]] = get_args(ProofStatus)
LEVELS: Final[tuple[Level, ...]] = tuple(Level)
PROOF_KINDS: Final[tuple[ProofKind, ...]] = tuple(ProofKind)

# ---------------------------------------------------------------------------- requirements
REQ_STATUS = {"to-prove": "à prouver", "redeposit": "à redéposer", "acquired": "acquise", "inherited": "héritée",
              "not-applicable": "non applicable"}
#: (singular, plural) of each status, for counts (« 3 exigences acquises »).
REQ_STATUS_FORMS = {"to-prove": ("à prouver", "à prouver"), "acquired": ("acquise", "acquises"),
                    "inherited": ("héritée", "héritées"), "redeposit": ("à redéposer", "à redéposer"),
                    "not-applicable": ("non applicable", "non applicables")}
#: Column values of the evidence workbook.
REQ_STATUS_TITLE = capitalized(REQ_STATUS)
#: ``explain`` (CLI): what the status means for the editor.
REQ_STATUS_VERDICT: dict[str | None, str] = {
    None: "NE S'APPLIQUE PAS : hors du plan",
    "to-prove": "À PROUVER",
    "redeposit": "À REDÉPOSER : ses preuves sont à déposer à nouveau",
    "acquired": "ACQUISE : s'applique, mais rien à prouver",
    "inherited": "HÉRITÉE : s'applique, prouvée par l'éditeur d'origine",
    "not-applicable": "EXCLUE : une règle l'écarte du plan",
}
#: The requirements a ``set_status`` scope names.
STATUS_SCOPE = {"all": "toutes les exigences", "vague-1": "exigences de la Vague 1",
                "unmodified-areas": "domaines non modifiés", "modified-areas": "domaines modifiés",
                "changed-since-deposit": "preuves modifiées depuis leur dépôt",
                "audit-findings": "exigences signalées par l'audit"}

# ---------------------------------------------------------------------------- deadlines
DEADLINE_STATUS = {"passed": "dépassée", "due-today": "aujourd'hui", "soon": "proche", "upcoming": "à venir",
                   "unknown": "date inconnue"}
#: In the Markdown table, where the date column already says it is a date.
DEADLINE_STATUS_SHORT = {**DEADLINE_STATUS, "unknown": "inconnue"}
DEADLINE_BASIS = {"published": "date publiée", "estimated": "date estimée", "unknown": "date inconnue"}
#: In the Markdown table (column « Base »).
DEADLINE_BASIS_SHORT = {"published": "publiée", "estimated": "estimée", "unknown": "—"}
#: ``explain`` of a deadline: where an estimated date comes from.
DEADLINE_BASIS_EXPLAINED = {"published": "publiée", "estimated": "estimée (calculée depuis T0)",
                            "unknown": "inconnue"}

# ---------------------------------------------------------------------------- prerequisites, findings
PREREQUISITE = {"ok": "rempli", "missing": "manquant", "insufficient": "insuffisant", "unknown": "non renseigné"}
PREREQUISITE_MARKDOWN = {"ok": "✅ rempli", "missing": "❌ manquant", "insufficient": "⚠️ insuffisant",
                         "unknown": "❔ non renseigné"}
LEVEL = {"blocking": "Bloquant", "warning": "Attention", "info": "Information"}
LEVEL_MARKDOWN = {"blocking": "🔴 Bloquant", "warning": "🟠 Attention", "info": "ℹ️ Info"}
#: Section titles of the financing report (CLI).
LEVEL_TITLE = {"blocking": "Points bloquants (refus de l'ASP)", "warning": "Avertissements",
               "info": "Informations"}

# ---------------------------------------------------------------------------- solicitations
SOLICITATION = {"answered": "répondue", "pending": "en attente", "due-today": "réponse due aujourd'hui",
                "overdue": "en retard"}
#: The financing report (CLI), where an overdue answer must catch the eye.
SOLICITATION_REPORT = {"answered": "réponse envoyée", "pending": "en attente", "due-today": "à rendre aujourd'hui",
                       "overdue": "ÉCHÉANCE DÉPASSÉE"}

# ---------------------------------------------------------------------------- profils, parcours, packs
ORIGIN = {"general": "général", "declared": "déclaré", "rule": "déduit d'une règle"}
PARCOURS = {"mono-editeur": "mono-éditeur", "groupement": "groupement", "marque-blanche": "marque blanche"}
#: The plan's ``parcours.why``: what the parcours means.
PARCOURS_EXPLAINED = {
    "mono-editeur": "Mono-éditeur : une solution, un dossier",
    "groupement": "Groupement : plusieurs solutions d'un même éditeur, preuves transversales déposées une fois",
    "marque-blanche": "Marque blanche : solution référencée par un autre éditeur, reprise",
}
TRIGGER = {"initial": "premier référencement", "major-version": "version majeure",
           "referentiel-update": "évolution du référentiel", "audit": "audit"}
#: The plan's ``parcours.why``: which cycle the trigger opens.
TRIGGER_EXPLAINED = {
    "initial": "premier cycle (produit initial)",
    "major-version": "nouveau cycle : version majeure",
    "referentiel-update": "nouveau cycle : évolution des référentiels",
    "audit": "nouveau cycle : audit a posteriori",
}
PACK_STATUS = {"draft": "brouillon", "published": "publié"}
#: The profile's CNDA request status (reports, prerequisites, ``init``).
CNDA_STATUS = {"none": "aucune demande", "depose": "déposée", "pre-examen": "pré-examen",
               "en-cours": "en cours d'examen", "homologue": "homologuée"}
#: The same statuses as a ``cnda-status`` parameter value reads (« au moins « en cours » »).
CNDA_STATUS_SHORT = {**CNDA_STATUS, "en-cours": "en cours"}

# ---------------------------------------------------------------------------- proofs
PROOF_KIND = {
    ProofKind.VIDEO: "vidéo",
    ProofKind.SCREENSHOT: "capture d'écran",
    ProofKind.LOG: "log ou trace",
    ProofKind.FILE: "fichier",
    ProofKind.DOCUMENT: "document",
    ProofKind.REPORT: "rapport",
    ProofKind.COMPTE_RENDU: "compte-rendu",
    ProofKind.LINK: "lien",
    ProofKind.UNKNOWN: "nature non précisée",
}
#: The evidence workbook and the proof-file checks.
PROOF_KIND_EVIDENCE = {**PROOF_KIND, ProofKind.LOG: "log", ProofKind.UNKNOWN: "type non reconnu"}
#: The label a proof gets from a REM that gives it no text (REM import).
PROOF_KIND_TITLE = {**capitalized(PROOF_KIND), ProofKind.UNKNOWN: "Preuve"}
#: The status of a proof in the profile's ``[[proofs]]`` and the evidence workbook.
PROOF_STATUS = {"todo": "À faire", "collected": "Collectée", "deposited": "Déposée", "validated": "Validée",
                "rejected": "Rejetée"}
#: The proofs counted in one status (legend of the report's progress bars, done first).
PROOF_STATUS_COUNTED = {"validated": "validées", "deposited": "déposées", "collected": "collectées",
                        "rejected": "rejetées", "todo": "à faire"}
