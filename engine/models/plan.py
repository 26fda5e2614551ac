"""The compliance plan (output). Keys are a contract: portals and scripts rely on them."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from pydantic import Field

from .common import Level, Out, ProofKind, SharedOut

PLAN_SCHEMA_VERSION: Final = 1


class Reason(SharedOut):
    """Why something is in the plan: a profil, a rule, a parcours… and where that comes from."""

    kind: Literal["general", "declared", "profil", "rule", "parcours", "prerequisite", "calendar",
                  "changelog", "audit", "vague1"]
    ref: str
    message: str
    source: str | None = None


class RemRef(Out):
    """The REM spreadsheet whose catalogue replaced the pack's for this plan (``--rem``)."""

    file: str = Field(description="Nom du fichier REM (sans son dossier)")
    sha256: str = Field(description="SHA-256 du fichier")
    layout: str = Field(description="Format reconnu : published, convergence, older, draft…")
    sheet: str
    exigences: int
    scenarios: int
    preuves: int


class PackRef(Out):
    id: str
    version: str
    sha256: str = Field(description="SHA-256 du pack installé (règles, calendrier, parcours)")
    status: str = Field(description="Statut du catalogue utilisé (celui du REM avec --rem)")
    released: dt.date
    rem: RemRef | None = Field(default=None, description="REM de l'éditeur qui remplace le catalogue du pack")


class SolutionOut(Out):
    name: str
    editor: str | None = None
    version: str | None = None


class ParcoursOut(Out):
    kind: str
    trigger: str
    already_referenced: list[str]
    why: list[Reason]


class ProfilOut(Out):
    id: str
    label: str
    origin: Literal["general", "declared", "rule"]
    why: list[Reason]
    source: str


class ProofOut(SharedOut):
    id: str
    label: str
    kind: ProofKind
    formats: tuple[str, ...] = Field(description='Formats acceptés ; ["*"] = tout format ; vide = nature inconnue')
    max_bytes: int | None


class ProgressOut(SharedOut):
    total: int
    todo: int
    collected: int
    deposited: int
    validated: int
    rejected: int
    percent_deposited: float = Field(description="Part des preuves déposées ou validées, en %")
    percent_validated: float


class StepProgressOut(Out):
    step: str
    total: int
    done: int
    percent: float


class ScenarioOut(SharedOut):
    id: str
    label: str | None
    proofs: tuple[ProofOut, ...]


RequirementStatus = Literal["to-prove", "acquired", "inherited", "redeposit", "not-applicable"]


class RequirementOut(Out):
    id: str
    label: str
    profil: str
    profils: list[str]
    nature: str
    perimetre: str
    section: str | None
    chapter: str | None
    critical: bool
    transversal: bool
    vague1_ids: list[str] = Field(default_factory=list, description="Identifiants Vague 1 de l'exigence (vide : aucun)")
    why: list[Reason]
    source: str
    scenarios: tuple[ScenarioOut, ...]
    status: RequirementStatus = "to-prove"
    to_prove: bool = True
    progress: ProgressOut | None = Field(default=None, description="Avancement des preuves (exigences à prouver)")


class PrerequisiteOut(Out):
    id: str
    label: str
    status: Literal["ok", "missing", "insufficient", "unknown"]
    blocking: bool
    why: str
    source: str


DeadlineStatus = Literal["passed", "due-today", "soon", "upcoming", "unknown"]


class DeadlineOut(Out):
    id: str
    label: str
    date: dt.date | None
    latest: dt.date | None
    at: dt.datetime | None = Field(description="Échéance horodatée (Europe/Paris) si l'heure est publiée")
    basis: Literal["published", "estimated", "unknown"]
    status: DeadlineStatus
    days_left: int | None
    source: str


class ActionOut(Out):
    order: int
    id: str
    step: str
    label: str
    system: str | None = None
    due: dt.date | None
    refs: list[str]
    blocked_by: list[str] = Field(default_factory=list, description="Actions à faire d'abord ; vide = prête")
    blocked_reason: str | None = None
    note: str | None = None
    source: str | None = None


class FindingOut(Out):
    level: Level
    code: str
    message: str
    refs: list[str]


class SolutionPlanOut(Out):
    """Groupement: what is proven for one solution (the top-level list holds the shared part)."""

    name: str
    version: str | None = None
    profils: list[str]
    requirements: list[RequirementOut]


class SolicitationOut(Out):
    subject: str
    received: dt.datetime
    due: dt.datetime
    status: Literal["answered", "pending", "due-today", "overdue"]


class ProgressSummary(Out):
    overall: ProgressOut
    by_profil: dict[str, ProgressOut]
    by_step: list[StepProgressOut]


class Summary(Out):
    profils: int
    requirements: int
    to_prove: int
    scenarios: int
    proofs: int
    blocking: int
    warnings: int


class Plan(Out):
    schema_version: Literal[1] = PLAN_SCHEMA_VERSION
    today: dt.date
    solution: SolutionOut
    packs: list[PackRef]
    parcours: ParcoursOut
    profils: list[ProfilOut]
    requirements: list[RequirementOut]
    prerequisites: list[PrerequisiteOut]
    deadlines: list[DeadlineOut]
    actions: list[ActionOut]
    findings: list[FindingOut]
    solutions: list[SolutionPlanOut] = Field(default_factory=list)
    solicitations: list[SolicitationOut] = Field(default_factory=list)
    progress: ProgressSummary
    summary: Summary
