"""The coverage note of a draft DSR pack: what its catalogue holds, where from, what is missing.

Figures come from the generator's run (:class:`.ans_catalogue.PackCounts`); the sentences that
only one pack needs (calendar, profils, version history) are in :data:`EXTRA`. Documents are
cited by title, never by file name.
"""

from __future__ import annotations

from typing import Any

from .ans_catalogue import PackCounts

KIND_WORDS = {
    "video": ("vidéo ou démonstration", "vidéos ou démonstrations"),
    "capture": ("capture d'écran", "captures d'écran"),
    "document": ("document ou attestation", "documents ou attestations"),
    "lien": ("lien ou identifiant d'outil de test", "liens ou identifiants d'outil de test"),
    "log": ("message ou journal technique", "messages ou journaux techniques"),
    "fichier": ("fichier technique", "fichiers techniques"),
    "rapport": ("rapport", "rapports"),
    "compte-rendu": ("compte-rendu", "comptes-rendus"),
    "unknown": ("de nature non reconnue", "de nature non reconnue"),
}
_TO_SET = "renseignez referencement.t0 dans le profil pour les estimer (tableau générique du socle)"
EXTRA = {
    "HOP-DPI": (
        "SC.PSC.13 vient de la FAQ ANS (profil CIBA), hors brouillon.",
        "Calendrier publié par l'ASP : ouverture des demandes d'enrôlement le 20/06/2024 à 14 h, des "
        "demandes d'avance le 12/09/2024 à 14 h, date limite des demandes d'avance SONS DPI le 17/12/2025 "
        "à 12 h. Date de l'arrêté Vague 2 (T0) et autres échéances non publiées dans nos sources : " + _TO_SET + ".",
        "Historique des versions : celui de la FAQ ANS, rattaché à ce REM par déduction (voir les notes "
        "de l'historique).",
    ),
    "HOP-PFI": (
        "Profils : ceux du brouillon, plus « Plateau technique biologie et imagerie », profil Vague 1 du "
        "guide éditeur absent du brouillon.",
        "Calendrier publié par l'ASP : ouverture des demandes d'enrôlement le 20/06/2024 à 14 h, des "
        "demandes d'avance le 12/09/2024 à 14 h, date limite des demandes d'avance SONS PFI le 17/09/2025 "
        "à 12 h. Date de l'arrêté Vague 2 (T0) et autres échéances non publiées dans nos sources : " + _TO_SET + ".",
        "Historique des versions : celui de la FAQ ANS, rattaché à ce REM par déduction (voir les notes "
        "de l'historique).",
    ),
    "BIO-SGL": (
        "Calendrier Vague 2 (arrêté, échéances) : aucune date ANS ou ASP trouvée ; " + _TO_SET + ".",
        "Historique des versions : la FAQ ANS n'en publie aucun qui désigne clairement ce REM.",
    ),
    "RAD-RIS": (
        "Calendrier publié par l'ASP pour l'Imagerie : ouverture des demandes d'enrôlement le 15/05/2025 à "
        "14 h, du portail des demandes d'aide (avance) le 10/07/2025 à 14 h. Les échéances datées de la "
        "DRIMbox ne sont pas reprises, l'alignement du RIS n'étant pas explicite ; " + _TO_SET + ".",
        "Historique des versions : la FAQ ANS n'en publie aucun qui désigne clairement ce REM.",
    ),
    "MDV-LGC": (
        "Le REM-MDV-LGC-Va2 publié compterait 198 exigences selon une analyse tierce (non vérifié).",
        "Calendrier Vague 2 : aucune date publiée trouvée ; " + _TO_SET + ".",
        "Historique des versions : la FAQ ANS n'en publie aucun qui désigne clairement ce REM.",
    ),
    "RAD-DRIMBOX": (
        "Réel : le calendrier Vague 2 publié par l'ANS pour la DRIMbox (six échéances datées, 12 h) et "
        "les ouvertures publiées par l'ASP pour l'Imagerie (enrôlement le 15/05/2025 à 14 h, demandes "
        "d'aide le 10/07/2025 à 14 h).",
        "Les scénarios du fichier de travail DRIMbox antérieur (ancienne présentation du REM) sont "
        "remplacés par ceux de la pré-publication, plus récente.",
    ),
}


def plural(n: int, singular: str, plural_form: str) -> str:
    return f"{n} {singular if n in (0, 1) else plural_form}"


def _agreed(n: int, word: str) -> str:
    return word if n < 2 else word + "s"


def _differences(c: PackCounts) -> list[str]:
    """What the reconciliation changed, one clause each (optional ones only when they happened)."""
    parts = [
        f"{plural(c.added, 'exigence ajoutée', 'exigences ajoutées')} par la pré-publication",
        f"{plural(c.kept_absent, 'exigence absente', 'exigences absentes')} de la pré-publication "
        f"{_agreed(c.kept_absent, 'conservée')} de l'itération #3",
        f"{plural(c.kept_rework, 'exigence « à retravailler »', 'exigences « à retravailler »')} "
        f"{_agreed(c.kept_rework, 'conservée')} de l'itération #3",
        f"{plural(c.removed, 'obsolète retirée', 'obsolètes retirées')}",
    ]
    if c.kept_cited:
        parts.append(f"{plural(c.kept_cited, 'obsolète conservée', 'obsolètes conservées')} car "
                     f"{_agreed(c.kept_cited, 'citée')} par l'historique publié de la FAQ ANS")
    if c.renamed:
        parts.append(f"{plural(c.renamed, 'exigence renommée', 'exigences renommées')} (même identifiant "
                     "Squash, nom de la pré-publication retenu)")
    parts.append(plural(c.profils_fixed, "profil corrigé", "profils corrigés"))
    return parts


def coverage_text(pack_id: str, c: PackCounts) -> str:
    """The coverage note, one sentence per line."""
    kinds = ", ".join(plural(n, *KIND_WORDS[k]) for k, n in sorted(c.kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    without = c.exigences - c.with_scenarios
    lines = [
        "Catalogue de travail, à vérifier contre le REM publié par l'ANS : "
        f"{plural(c.exigences, 'exigence', 'exigences')} ({c.socle_refs} du socle SC.*, "
        f"{c.exigences - c.socle_refs} propres au REM).",
        f"Scénarios et preuves de la pré-publication ANS Vague 2 (lignes « Approuvée ») : "
        f"{plural(c.with_scenarios, 'exigence en a', 'exigences en ont')}, "
        f"{plural(c.scenarios, 'scénario', 'scénarios')}, {plural(c.preuves, 'preuve', 'preuves')} ({kinds}) ; "
        f"{plural(without, 'exigence reste', 'exigences restent')} sans scénario ni preuve dans nos sources.",
        "Rapprochement avec l'itération #3 (plus ancienne, la pré-publication l'emporte) : "
        + " ; ".join(_differences(c)) + ".",
    ]
    if c.carried:
        missing = (f", dont {c.carried_without_vague1} sans identifiant Vague 1 connu"
                   if c.carried_without_vague1 else "")
        lines.append(f"Vague 1 : {plural(c.carried, 'exigence reprise', 'exigences reprises')} (…/va1.NN) "
                     f"avec leurs identifiants Vague 1 (correspondance ANS Vague 1 → Vague 2){missing} ; une preuve "
                     "enregistrée sous un identifiant Vague 1 compte pour l'exigence Vague 2.")
    lines.append("Identifiants de scénario et de preuve : ceux de la pré-publication, préfixe de l'exigence "
                 "rétabli ; les numérotations qui ne dérivent pas de leur exigence sont écartées. Libellés "
                 "des preuves : les nôtres, d'après leur nature.")
    return "\n".join(lines + list(EXTRA.get(pack_id, ())))


def socle_coverage_text(socle: list[dict[str, Any]]) -> str:
    """The coverage note of the socle: its definitions and the scénarios shared by every REM."""
    shared = [e for e in socle if e.get("scenarios")]
    scenarios = [s for e in shared for s in e["scenarios"]]
    preuves = sum(len(s["preuves"]) for s in scenarios)
    return "\n".join((
        f"Définitions des {len(socle)} exigences socle (SC.*) des six REM sanitaires : celles de la "
        "pré-publication ANS Vague 2 (lignes « Approuvée ») quand elle les reprend, sinon celles de "
        "l'itération #3 ; identifiants et libellés courts seulement. Documents de travail, à vérifier "
        "contre les REM publiés.",
        f"Scénarios et preuves communs : {plural(len(shared), 'exigence socle porte', 'exigences socle portent')} "
        f"{plural(len(scenarios), 'scénario', 'scénarios')} et {plural(preuves, 'preuve', 'preuves')} identiques "
        "dans tous les REM qui les reprennent ; quand les REM diffèrent, chaque pack porte les siens.",
        "Tableau des formats de preuve du « Guide éditeur de référencement Ségur » (ANS) et calendrier "
        "générique de « Accompagnement des ENS sur un parcours de type Ségur » (ANS, août 2024).",
    ))
