"""French labels for the codes a plan carries, and French plurals: one place for every renderer."""

from __future__ import annotations

from ..models.common import ProofKind, plural
from ..models.profile import CNDA_STATUS_LABEL

REQ_STATUS = {"to-prove": "à prouver", "redeposit": "à redéposer", "acquired": "acquise", "inherited": "héritée",
              "not-applicable": "non applicable"}
PACK_STATUS = {"draft": "brouillon", "published": "publié"}
PREREQUISITE = {"ok": "rempli", "missing": "manquant", "insufficient": "insuffisant", "unknown": "non renseigné"}
SOLICITATION = {"answered": "répondue", "pending": "en attente", "due-today": "réponse due aujourd'hui",
                "overdue": "en retard"}
ORIGIN = {"general": "général", "declared": "déclaré", "rule": "déduit d'une règle"}
PARCOURS = {"mono-editeur": "mono-éditeur", "groupement": "groupement", "marque-blanche": "marque blanche"}
TRIGGER = {"initial": "premier référencement", "major-version": "version majeure",
           "referentiel-update": "évolution du référentiel", "audit": "audit"}
LEVEL = {"blocking": "Bloquant", "warning": "Attention", "info": "Information"}
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
#: The profil every pack applies to all solutions (id ``general``), as users read it.
GENERAL_PROFIL = "Général"

__all__ = ["CNDA_STATUS_LABEL", "GENERAL_PROFIL", "LEVEL", "ORIGIN", "PACK_STATUS", "PARCOURS", "PREREQUISITE",
           "PROOF_KIND", "REQ_STATUS", "SOLICITATION", "TRIGGER", "formats_text", "plural", "size_text"]


def formats_text(formats: list[str]) -> str:
    if not formats:
        return "à préciser"
    if formats == ["*"]:
        return "tout format"
    return ", ".join(formats)


def size_text(max_bytes: int | None) -> str:
    """« 50 Mo », « 1,5 Go », « — » (decimal units, as the ANS writes them)."""
    if max_bytes is None:
        return "—"
    for unit, size in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if max_bytes >= size:
            value = max_bytes / size
            text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{text} {unit}"
    return f"{max_bytes} octets"
