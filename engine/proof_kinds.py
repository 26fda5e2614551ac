"""Inferring a preuve's kind from its description, as written in a REM.

REM proof descriptions start with what the file is ("Vidéo…", "Démonstration (vidéo ou copies
d'écran)…", "Log…", "Capture d'écran…", "Justificatif de l'homologation CNDA…", "Attestation sur
l'honneur…", "Rapport…", "Compte-rendu…", "Lien…"). The first matching pattern wins, in the order
below (most specific first); anything else is ``unknown`` rather than a guess.
"""

from __future__ import annotations

import re

from .models.common import ProofKind, fold

_PATTERNS: tuple[tuple[str, ProofKind], ...] = (
    # Test-tool evidence first: a link to (or the execution ID of) a report in a test space —
    # Gazelle « [INTEROP] », the CI-SIS interoperability space, the MSSanté editor test tool.
    (r"\binterop\b|\bgazelle\b|\blien permanent\b|\bmss lps segur|\bexecution du cas de test", ProofKind.LINK),
    # Written evidence whose text may also mention a demo or a report: pen-test form, CNDA or DMP
    # homologation / authorisation, sworn statement, declaration.
    (r"\btest d intrusion|\bhomologation\b|\bagrement cnda|\bautorisation (cnda|d acces)", ProofKind.DOCUMENT),
    (r"\bsur l honneur\b|\battestation\b|\bdeclaration\b", ProofKind.DOCUMENT),
    (r"\bvideo", ProofKind.VIDEO),
    (r"\bdemonstration\b", ProofKind.VIDEO),
    (r"\bcaptures? d ?ecran|\bcopies? d ?ecran|\bcapture\b", ProofKind.SCREENSHOT),
    (r"\bcomptes? rendus?\b", ProofKind.COMPTE_RENDU),
    (r"\blien\b|\burl\b", ProofKind.LINK),
    (r"\brapports?\b", ProofKind.REPORT),
    (r"\blogs?\b|\btraces?\b|\bjournal\b|\bmessage (soap|hl7|http)|\brequete\b", ProofKind.LOG),
    (r"\bsource smtp\b|\bmessager? smtp\b", ProofKind.LOG),
    (r"\bdump\b|\btbb\b|\bfichiers?\b|\bextraits? (de|du)\b|\bextractions?\b|\bscan\b|\barchive\b|\bzip\b",
     ProofKind.FILE),
    (r"\bjustificatif|\battestation|\bformulaire|\bdocument|\blettre|\bcertificat|\bpdf\b", ProofKind.DOCUMENT),
    # Written statements: a description of a process, a history, a written commitment.
    (r"\b(description|historique|processus)\b|\bengagement ecrit", ProofKind.DOCUMENT),
    # Security documentation: PSSI, plan d'assurance sécurité, flow matrix, procedures, lists.
    (r"\bpssi\b|\bplan d assurance|\bmatrice\b|\bprocedure\b|\bliste\b|\blibrairies\b|\btableau\b",
     ProofKind.DOCUMENT),
)
_COMPILED = tuple((re.compile(p), kind) for p, kind in _PATTERNS)


def infer_proof_kind(description: str | None) -> ProofKind:
    """The kind of a preuve from its French description; ``unknown`` when unsure."""
    if not description:
        return ProofKind.UNKNOWN
    text = fold(re.sub(r"<[^>]+>", " ", description))
    for pattern, kind in _COMPILED:
        if pattern.search(text):
            return kind
    return ProofKind.UNKNOWN
