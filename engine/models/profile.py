"""The solution profile: what an editor declares about its solution (TOML input)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .common import Strict

PROFILE_SCHEMA_VERSION = 1

Parcours = Literal["mono-editeur", "groupement", "marque-blanche"]
Trigger = Literal["initial", "major-version", "referentiel-update", "audit"]
CndaStatus = Literal["none", "depose", "pre-examen", "en-cours", "homologue"]

#: Order of the CNDA request statuses; the candidature needs at least "pre-examen" (seed 003).
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


class Referencement(Strict):
    pack: str = Field(min_length=1, description="Identifiant du pack (DSR), ex. HOP-DPI")
    t0: dt.date | None = Field(
        default=None,
        description="Date de publication de l'arrêté SONS ; remplace celle du pack.",
    )
    parcours: Parcours = "mono-editeur"
    trigger: Trigger = "initial"
    already_referenced: tuple[str, ...] = Field(
        default=(), description='Vagues déjà obtenues, ex. ["vague-1"]'
    )


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
    solution: Solution
    referencement: Referencement
    profils: Profils = Profils()
    prerequisites: Prerequisites = Prerequisites()

    @model_validator(mode="after")
    def _strip_blank_identifiers(self) -> SolutionProfile:
        for name in ("cnda_nie", "cnda_nil"):
            value = getattr(self.prerequisites, name)
            if value is not None and not value.strip():
                raise ValueError(f"prerequisites.{name} est vide : retirez la clé ou renseignez-la")
        return self
