"""Models that describe the response documents in the OpenAPI document.

The documents themselves come from ``segur_plan.engine.documents``, shared with the CLI's JSON
output; these models only describe their shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from segur_plan.engine.documents import explanation, pack_detail, pack_list, pack_summary
from segur_plan.engine.models.plan import Reason
from segur_plan.engine.models.profile import SolutionProfile

from .problems import FieldError

__all__ = ["explanation", "pack_detail", "pack_list", "pack_summary"]


# ------------------------------------------------------------------------------ OpenAPI models


class RemUpload(BaseModel):
    """Le REM officiel de l'éditeur (.xlsx), joint au profil et encodé en base64."""

    filename: str = Field("rem.xlsx", description="Nom du fichier (affiché dans le plan), ex. REM-HOP-DPI-Va2.xlsx")
    content_base64: str = Field(description="Contenu du classeur .xlsx, encodé en base64 (RFC 4648)")


class PlanRequest(BaseModel):
    """Corps JSON de ``POST /v1/plan`` avec un REM : le profil et le REM dont le catalogue remplace celui
    du pack (le profil seul reste accepté)."""

    profile: SolutionProfile
    rem: RemUpload | None = None


class ExplainRequest(BaseModel):
    """Corps JSON de ``POST /v1/explain`` : le profil et l'exigence à expliquer."""

    profile: SolutionProfile
    exigence_id: str = Field(min_length=1, description="Identifiant de l'exigence, ex. SC.PSC.13")
    rem: RemUpload | None = None


class ExigenceProfil(BaseModel):
    id: str
    label: str
    active: bool = Field(description="Le profil est actif pour cette solution")


class RuleTraceOut(BaseModel):
    id: str
    label: str
    fired: bool = Field(description="La règle s'est déclenchée pour ce profil")
    effect: str
    source: str


class ExplanationOut(BaseModel):
    """Pourquoi une exigence s'applique ou non, règle par règle."""

    exigence_id: str
    label: str
    applicable: bool
    excluded: bool
    source: str
    profils: list[ExigenceProfil]
    reasons: list[Reason]
    rules: list[RuleTraceOut]


class ProfilSummary(BaseModel):
    id: str
    label: str
    general: bool


class PackSummary(BaseModel):
    """Un pack installé (comme ``segur-plan packs list --format json``)."""

    id: str
    kind: str = Field(description="dsr ou socle")
    title: str
    couloir: str | None
    vague: str | None
    version: str
    released: dt.date
    status: str = Field(description="draft ou published")
    sha256: str
    origin: str = Field(description="Distribution et point d'entrée qui fournissent le pack")
    exigences: int
    scenarios: int
    preuves: int
    rules: int
    profils: list[ProfilSummary]
    coverage: str = Field(description="Ce que couvrent les sources du pack, et ce qu'elles ne couvrent pas")


class BrokenPackOut(BaseModel):
    origin: str
    pack_id: str | None
    reason: str
    problems: list[FieldError]


class PackList(BaseModel):
    packs: list[PackSummary]
    broken: list[BrokenPackOut] = Field(description="Packs installés mais inutilisables, avec la raison")


class PackDetail(PackSummary):
    """Un pack installé et son contenu complet (comme ``segur-plan packs show --format json``)."""

    pack: dict[str, Any] = Field(description="Le pack résolu : profils, exigences, règles, calendrier, sources…")


class Health(BaseModel):
    status: str = Field(description="ok")
    version: str = Field(description="Version de segur-plan")
    backend: str = Field(description="Moteur de règles utilisé (durable ou native)")
    packs: int = Field(description="Nombre de packs DSR utilisables")
