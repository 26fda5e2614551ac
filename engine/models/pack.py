"""The pack: one référentiel (DSR + REM + calendar) as data, or a socle shared by several.

Every item that states a regulatory fact (profil, exigence, rule, date, format) carries a
``source`` (a key of ``Pack.sources`` plus the section it comes from) and a ``reviewed`` date, in
the manner of OpenFisca parameters: a reader can always go back to the document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from .common import Level, ProofKind, Strict

PACK_SCHEMA_VERSION = 1


class SourceDoc(Strict):
    """A document a pack relies on."""

    title: str
    url: str | None = None
    kind: Literal["official", "ans-repo", "third-party", "draft", "seed"] = "official"
    published: dt.date | None = None
    note: str | None = None


class SourceRef(Strict):
    """Where one item comes from: a key of ``Pack.sources`` and the place in that document."""

    ref: str
    section: str | None = None


class Sourced(Strict):
    source: SourceRef = Field(description="Document d'où vient l'élément : clé de [sources] et section")
    reviewed: dt.date = Field(description="Date à laquelle l'élément a été relu contre sa source")


# ---------------------------------------------------------------- parameters

#: How a parameter's value reads: ``hours``, ``days`` (calendar days), ``working-days`` (jours
#: ouvrés), ``count``; ``month-day`` (« MM-JJ », in the year of the date concerned);
#: ``cnda-status`` (a status of the CNDA request); ``proof-formats`` (the table of formats).
ParameterUnit = Literal["hours", "days", "working-days", "count", "month-day", "cnda-status", "proof-formats"]


class ProofFormatRow(Strict):
    """One row of the proof-format table (a value of the ``proof-formats`` parameter)."""

    kinds: tuple[ProofKind, ...] = Field(description="Natures de preuve concernées (video, capture, fichier…)")
    label: str = Field(description="Libellé de la ligne du tableau")
    formats: tuple[str, ...] = Field(default=(), description='Formats acceptés ; ["*"] ou vide : tout format')
    max_bytes: int = Field(gt=0, description="Taille maximale en octets")
    note: str | None = Field(default=None, description="Lecture retenue quand la source est ambiguë")


class ParameterValue(Sourced):
    """The value a parameter takes from one date on, with its source and review date."""

    value: int | str | tuple[ProofFormatRow, ...] = Field(
        description="La valeur (nombre, texte « MM-JJ », statut CNDA ou tableau de formats selon l'unité)")
    note: str | None = Field(default=None, description="Précision de lecture (arrondi, interprétation)")

    @model_validator(mode="before")
    @classmethod
    def _no_bool(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), bool):
            raise ValueError("value ne peut pas être un booléen")
        return data


class Parameter(Strict):
    """A dated, sourced regulatory value (in the manner of OpenFisca parameters).

    ``values`` maps the date a value takes effect (AAAA-MM-JJ, inclusive) to that value; the value
    in force on a date is the one with the latest effective date on or before it. A DSR pack may
    declare the same ``id`` with later dates: its values extend the socle's history.
    """

    id: str = Field(description="Identifiant stable, ex. « pilots-required »")
    label: str = Field(description="Ce que la valeur règle, en français")
    unit: ParameterUnit = Field(description="Unité : hours, days, working-days, count, month-day, cnda-status, "
                                            "proof-formats")
    description: str | None = Field(default=None, description="Comment le moteur applique la valeur")
    values: dict[dt.date, ParameterValue] = Field(
        min_length=1, description="Valeurs par date d'effet : « AAAA-MM-JJ » = { value, source, reviewed }")


class Profil(Sourced):
    """A part of a REM that applies only when the solution has that feature.

    ``general`` profils always apply. ``aliases`` are the other names the profil is known by
    (Vague 1 names, draft names); a profile may declare a profil by id, label or alias.
    """

    id: str
    label: str
    general: bool = False
    aliases: tuple[str, ...] = ()
    note: str | None = None


class Preuve(Strict):
    id: str
    label: str
    kind: ProofKind = ProofKind.UNKNOWN
    source: SourceRef | None = None


class Scenario(Strict):
    id: str
    label: str | None = None
    preuves: tuple[Preuve, ...] = ()
    source: SourceRef | None = None


Nature = Literal["exigence", "preconisation"]
Perimetre = Literal["vague-1", "vague-2"]


class Exigence(Strict):
    """One exigence of the catalogue.

    In a DSR pack an entry may be a *reference* to a socle exigence: it then carries only
    ``id``, ``profils`` (the profils are per REM) and what it overrides; the registry fills the
    rest from the socle the pack ``uses``.
    """

    id: str
    profils: tuple[str, ...] = ("general",)
    label: str | None = None
    section: str | None = None
    chapter: str | None = None
    bloc: str | None = None
    fonction: str | None = None
    nature: Nature | None = None
    perimetre: Perimetre | None = None
    critical: bool = False
    transversal: bool = False
    draft_status: str | None = None
    scenarios: tuple[Scenario, ...] = ()
    note: str | None = None
    source: SourceRef | None = None
    reviewed: dt.date | None = None


# ---------------------------------------------------------------- rule consequences


class ActivateProfil(Strict):
    action: Literal["activate_profil"]
    profil: str


class RequireExigence(Strict):
    action: Literal["require_exigence"]
    exigence: str


class ExcludeExigence(Strict):
    action: Literal["exclude_exigence"]
    exigence: str
    reason: str


class AddFinding(Strict):
    action: Literal["add_finding"]
    level: Level
    code: str
    message: str
    refs: tuple[str, ...] = ()


class AddAction(Strict):
    action: Literal["add_action"]
    step: str
    label: str
    due: str | None = None
    refs: tuple[str, ...] = ()


RequirementStatus = Literal["to-prove", "acquired", "inherited", "redeposit", "not-applicable"]

#: Which applicable requirements a ``set_status`` consequence touches (computed by the planner):
#: ``all``; ``vague-1`` (perimetre vague-1); ``unmodified-areas`` / ``modified-areas`` (sections
#: outside / inside ``marque_blanche.modified_areas``); ``changed-since-deposit`` (a deposited
#: preuve, or its scénario or exigence, changed in a changelog entry dated after the deposit);
#: ``audit-findings`` (the exigences listed in ``[[audit_findings]]``).
StatusScope = Literal["all", "vague-1", "unmodified-areas", "modified-areas", "changed-since-deposit",
                      "audit-findings"]


#: A condition in the condition language: flat (``{ fact = "solution", trigger = "audit" }``) or, for
#: rules, nested durable-rules (``{ all = [...] }``). See ``engine/rules/conditions.py``.
Condition = dict[str, Any]


class SetStatus(Strict):
    action: Literal["set_status"]
    status: Literal["acquired", "inherited", "redeposit"] = Field(description="Statut donné aux exigences visées")
    scope: StatusScope | Condition = Field(
        description="Exigences visées : un nom (all, vague-1, unmodified-areas, modified-areas, "
                    "changed-since-deposit, audit-findings) ou une condition sur le fait « requirement »")
    keep_critical: bool = Field(default=False, description="Les exigences critiques restent à prouver")
    reason: str = Field(description="Pourquoi, en français (repris dans le « why » de chaque exigence)")


class SetPrerequisite(Strict):
    """One row of the plan's prerequisites, set when the rule's condition holds.

    ``label`` and ``why`` may name attributes of the ``solution`` fact (``{cnda_nie}``) and the
    value in force of a parameter (``{param:cnda-min-status}``). When several rules set the same
    prerequisite, the first in pack order wins (a DSR pack's own rules come before the socle's).
    """

    action: Literal["set_prerequisite"]
    prerequisite: str = Field(description="Identifiant de la ligne, ex. « cnda-request »")
    label: str = Field(description="Libellé du prérequis (peut citer {attribut} et {param:id})")
    status: Literal["ok", "missing", "insufficient", "unknown"] = Field(description="État du prérequis")
    blocking: bool = Field(default=False, description="Bloque la candidature (constat bloquant)")
    warning: bool = Field(default=False, description="Non bloquant mais signalé par un avertissement")
    why: str = Field(description="Pourquoi, en français (peut citer {attribut} et {param:id})")


RuleAction = Annotated[
    ActivateProfil | RequireExigence | ExcludeExigence | AddFinding | AddAction | SetStatus | SetPrerequisite,
    Field(discriminator="action"),
]


class Rule(Sourced):
    """A rule in the durable-rules JSON ruleset language, with named engine consequences.

    ``when`` is a durable-rules rule body without its ``run`` key, e.g.
    ``{"all": [{"m": {"$and": [{"kind": "profil"}, {"profil": "client-lourd"}]}}]}``.
    """

    id: str
    label: str
    when: dict[str, Any]
    then: tuple[RuleAction, ...] = Field(min_length=1)
    priority: int = 0


# ---------------------------------------------------------------- calendar


DeadlineId = Literal[
    "dossier-administratif", "dossier-complet", "fin-echanges", "avance", "prestations", "solde"
]
DEADLINE_IDS: tuple[str, ...] = DeadlineId.__args__  # type: ignore[attr-defined]


class PublishedDeadline(Sourced):
    """A date published for this DSR, with its hour when the source gives one (Europe/Paris)."""

    id: DeadlineId
    date: dt.date
    time: dt.time | None = None


class GenericDeadline(Sourced):
    """A milestone of the generic table, counted in months from T0 (seed 000)."""

    id: DeadlineId
    label: str
    months: int = Field(ge=0)
    months_latest: int | None = None

    @model_validator(mode="after")
    def _range(self) -> GenericDeadline:
        if self.months_latest is not None and self.months_latest < self.months:
            raise ValueError("months_latest doit être supérieur ou égal à months")
        return self


class Calendar(Strict):
    t0: dt.date | None = None
    t0_source: SourceRef | None = None
    published: tuple[PublishedDeadline, ...] = ()


class ProofFormat(Sourced):
    """Accepted formats and size limit for proofs of some kinds (seed 002 table)."""

    kinds: tuple[ProofKind, ...]
    label: str
    formats: tuple[str, ...] = ()  # empty = any format
    max_bytes: int = Field(gt=0)
    note: str | None = None


class ChangelogEntry(Strict):
    """A dated version of the REM and the items it changed (IDs nest: X.NN → X.NN.01 → X.NN.01.01)."""

    date: dt.date
    items: tuple[str, ...] = ()
    note: str | None = None
    source: SourceRef


class Overlay(Sourced):
    """Flags set on some exigences by a pack author, with their own source (e.g. transversal)."""

    exigences: tuple[str, ...] = Field(min_length=1)
    transversal: bool | None = None
    critical: bool | None = None
    note: str | None = None


#: Facts of the profile that tell whether a journey step is done (evaluated by the planner).
DonePredicate = Literal["has-nie-nil", "cnda-pre-examen", "cnda-homologue", "declared-done"]
#: Situations in which a journey step does not apply.
SkipPredicate = Literal["inherited", "already-referenced", "no-financing"]


class JourneyStep(Sourced):
    """One step of the référencement journey (seed 000), as an action of the plan.

    ``requires``: steps that must be done first (they block it: ``blocked_by``); ``after``:
    steps that merely come before it. A step is done when its ``done`` predicate holds, or when
    the profile lists it in ``[journey] done``.
    """

    id: str
    step: Literal["A", "B", "C", "1", "2", "3", "4", "5", "6"]
    label: str
    system: str | None = None
    due: DeadlineId | None = None
    requires: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    done: DonePredicate | Condition | None = Field(
        default=None, description="Quand l'étape est faite : une condition (ou un nom historique : has-nie-nil, "
                                  "cnda-pre-examen, cnda-homologue, declared-done)")
    skip: tuple[SkipPredicate | Condition, ...] = Field(
        default=(), description="Quand l'étape ne s'applique pas : liste de conditions, l'une suffit (ou noms "
                                "historiques : inherited, already-referenced, no-financing)")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_skip(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("skip"), dict):
            return {**data, "skip": [data["skip"]]}
        return data


class Pack(Strict):
    schema_version: Literal[1] = PACK_SCHEMA_VERSION
    id: str
    kind: Literal["dsr", "socle"] = "dsr"
    title: str
    couloir: str | None = None
    dsr: str | None = None
    vague: str | None = None
    version: str
    released: dt.date
    status: Literal["draft", "published"] = "draft"
    coverage: str
    reviewed: dt.date
    uses: tuple[str, ...] = ()
    sources: dict[str, SourceDoc] = {}
    profils: tuple[Profil, ...] = ()
    exigences: tuple[Exigence, ...] = ()
    rules: tuple[Rule, ...] = ()
    calendar: Calendar = Calendar()
    generic_deadlines: tuple[GenericDeadline, ...] = ()
    proof_formats: tuple[ProofFormat, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    journey: tuple[JourneyStep, ...] = ()
    parameters: tuple[Parameter, ...] = ()
