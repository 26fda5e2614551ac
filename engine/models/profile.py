"""The solution profile: what an editor declares about its solution (TOML input)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, Field, model_validator

from .common import Strict

#: Dates of the Ségur programme fall in this window; anything outside is a typing error, and
#: refusing it here keeps month and hour arithmetic away from the calendar's limits.
PLAUSIBLE_YEARS = range(2000, 2101)


def _plausible(value: dt.date) -> dt.date:
    if value.year not in PLAUSIBLE_YEARS:
        raise ValueError(f"date hors de la période plausible ({PLAUSIBLE_YEARS.start}–{PLAUSIBLE_YEARS.stop - 1})")
    return value


SegurDate = Annotated[dt.date, AfterValidator(_plausible)]
SegurDateTime = Annotated[dt.datetime, AfterValidator(_plausible)]

PROFILE_SCHEMA_VERSION: Final = 1

Parcours = Literal["mono-editeur", "groupement", "marque-blanche"]
Trigger = Literal["initial", "major-version", "referentiel-update", "audit"]
CndaStatus = Literal["none", "depose", "pre-examen", "en-cours", "homologue"]

#: Order of the CNDA request statuses; the minimum the candidature needs is the pack parameter
#: ``cnda-min-status``.
CNDA_STATUS_RANK: dict[str, int] = {
    "none": 0,
    "depose": 1,
    "pre-examen": 2,
    "en-cours": 3,
    "homologue": 4,
}


class Solution(Strict):
    name: str = Field(min_length=1)
    editor: str | None = None
    version: str | None = None


class SolutionEntry(Solution):
    """One solution of a groupement; ``profils`` defaults to the profile's ``[profils] declared``."""

    profils: tuple[str, ...] | None = None


class MarqueBlanche(Strict):
    original_editor: str = Field(min_length=1, description="Éditeur de la solution référencée d'origine")
    modified: bool = False
    modified_areas: tuple[str, ...] = Field(
        default=(), description='Codes de section modifiés, ex. ["INS", "DMP"] (DMP couvre DMP/CONF…)'
    )


ProofStatus = Literal["todo", "collected", "deposited", "validated", "rejected"]


class ProofRecord(Strict):
    id: str = Field(min_length=1, description="Numéro de preuve, ex. SSI/GEN.18.01.02")
    status: ProofStatus = "todo"
    date: SegurDate | None = Field(default=None, description="Date du statut (dépôt, validation…)")
    file: str | None = None
    solution: str | None = Field(default=None, description="Groupement : solution concernée")
    note: str | None = None


class AuditFinding(Strict):
    requirement: str = Field(min_length=1)
    note: str | None = None


class AnsRequest(Strict):
    received: SegurDateTime = Field(description="Horodatage de la sollicitation (sans fuseau : Europe/Paris)")
    subject: str = ""
    answered: bool = False


class Journey(Strict):
    done: tuple[str, ...] = Field(default=(), description="Étapes du parcours déjà faites (identifiants)")


class Referencement(Strict):
    pack: str = Field(min_length=1, description="Identifiant du pack (DSR), ex. HOP-DPI")
    t0: SegurDate | None = Field(
        default=None,
        description="Date de publication de l'arrêté SONS ; remplace celle du pack.",
    )
    parcours: Parcours = "mono-editeur"
    trigger: Trigger = "initial"
    already_referenced: tuple[str, ...] = Field(
        default=(), description='Vagues déjà obtenues, ex. ["vague-1"]'
    )
    financing: bool = Field(default=True, description="L'éditeur demande le financement SONS (ASP)")
    cycle_start: SegurDate | None = Field(
        default=None, description="Ouverture du nouveau cycle : les preuves déposées avant ne comptent plus")
    rem: str | None = Field(
        default=None, min_length=1,
        description="REM officiel (.xlsx) téléchargé par l'éditeur, chemin relatif au profil : ses exigences, "
                    "scénarios et preuves remplacent le catalogue du pack (règles, calendrier et parcours restent)")


class Profils(Strict):
    declared: tuple[str, ...] = Field(
        default=(),
        description="Profils optionnels implémentés (id, libellé ou alias ; casse et accents ignorés)",
    )


class Prerequisites(Strict):
    cnda_nie: str | None = Field(default=None, description="Numéro d'identification éditeur (CNDA)")
    cnda_nil: str | None = Field(default=None, description="Numéro d'identification logiciel (CNDA)")
    cnda_request_status: CndaStatus = "none"
    insi: bool | None = None
    dmp: bool | None = None


class SolutionProfile(Strict):
    schema_version: Literal[1] = PROFILE_SCHEMA_VERSION
    solution: Solution | None = None
    solutions: tuple[SolutionEntry, ...] = ()
    referencement: Referencement
    profils: Profils = Profils()
    prerequisites: Prerequisites = Prerequisites()
    marque_blanche: MarqueBlanche | None = None
    proofs: tuple[ProofRecord, ...] = ()
    audit_findings: tuple[AuditFinding, ...] = ()
    ans_requests: tuple[AnsRequest, ...] = ()
    journey: Journey = Journey()
    financing_file: str | None = Field(
        default=None, description="Dossier de financement (TOML ou JSON), chemin relatif au profil")

    @model_validator(mode="after")
    def _coherent(self) -> SolutionProfile:
        for name in ("cnda_nie", "cnda_nil"):
            value = getattr(self.prerequisites, name)
            if value is not None and not value.strip():
                raise ValueError(f"prerequisites.{name} est vide : retirez la clé ou renseignez-la")
        parcours = self.referencement.parcours
        if self.solution is None and not self.solutions:
            raise ValueError("décrivez la solution dans [solution] (ou [[solutions]] pour un groupement)")
        if self.solution is not None and self.solutions:
            raise ValueError("[solution] et [[solutions]] s'excluent : gardez l'un des deux")
        if parcours == "groupement" and len(self.solutions) < 2:
            raise ValueError("un groupement décrit au moins deux solutions dans [[solutions]]")
        if self.solutions and parcours != "groupement":
            raise ValueError('[[solutions]] est réservé au parcours "groupement"')
        names = [s.name for s in self.solutions]
        if len(set(names)) != len(names):
            raise ValueError("deux solutions du groupement portent le même nom")
        if (parcours == "marque-blanche") != (self.marque_blanche is not None):
            raise ValueError('[marque_blanche] va avec parcours = "marque-blanche" (et lui seul)')
        unknown = sorted({p.solution for p in self.proofs if p.solution and p.solution not in names})
        if unknown:
            raise ValueError(f"preuves rattachées à des solutions inconnues : {', '.join(unknown)}")
        return self

    @property
    def title(self) -> str:
        """The solution's name, or the group's names."""
        if self.solution is not None:
            return self.solution.name
        return "Groupement : " + ", ".join(s.name for s in self.solutions)
