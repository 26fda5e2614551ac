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
    source: SourceRef
    reviewed: dt.date


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
    #: Vague 1 IDs of this exigence for this DSR (``DPI.ANN.01`` for ``SC.ANN/va1.01`` in HOP-DPI):
    #: a proof recorded under one of them counts for this exigence.
    vague1_ids: tuple[str, ...] = ()
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


class SetStatus(Strict):
    action: Literal["set_status"]
    status: Literal["acquired", "inherited", "redeposit"]
    scope: StatusScope
    keep_critical: bool = Field(default=False, description="Les exigences critiques restent à prouver")
    reason: str


RuleAction = Annotated[
    ActivateProfil | RequireExigence | ExcludeExigence | AddFinding | AddAction | SetStatus,
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
#: The deadlines, in the order they fall (the generic table counts them from T0).
DEADLINE_IDS: tuple[str, ...] = DeadlineId.__args__  # type: ignore[attr-defined]
#: Openings published by the ASP (enrolment, avance requests): dates from which something can be
#: done, not deadlines; the plan shows them only when the pack publishes them.
OpeningId = Literal["ouverture-enrolement", "ouverture-avance"]
OPENING_IDS: tuple[str, ...] = OpeningId.__args__  # type: ignore[attr-defined]
MilestoneId = DeadlineId | OpeningId


class PublishedDeadline(Sourced):
    """A date published for this DSR, with its hour when the source gives one (Europe/Paris)."""

    id: MilestoneId
    date: dt.date
    time: dt.time | None = None
    label: str | None = None  # shown instead of the generic label (openings have none)


class GenericDeadline(Sourced):
    """A milestone of the generic table, counted in months from T0 (« Accompagnement des ENS sur un
    parcours de type Ségur »)."""

    id: DeadlineId
    label: str
    months: int = Field(ge=0)
    months_latest: int | None = None

    @model_validator(mode="after")
    def _range(self) -> GenericDeadline:
        if self.months_latest is not None and self.months_latest < self.months:
            raise ValueError("months_latest doit être supérieur ou égal à months")
        return self


class HistoricalDate(Sourced):
    """A dated fact of an earlier wave (e.g. a Vague 1 deadline): history for the reader, never a
    deadline of the plan."""

    id: str
    label: str
    date: dt.date
    time: dt.time | None = None
    note: str | None = None


class Domain(Sourced):
    """A domain (field of activity) the DSR says the solution must cover, e.g. an ESSMS sector."""

    id: str
    label: str
    note: str | None = None


class Calendar(Strict):
    t0: dt.date | None = None
    t0_source: SourceRef | None = None
    published: tuple[PublishedDeadline, ...] = ()


class ProofFormat(Sourced):
    """Accepted formats and size limit for proofs of some kinds (table of the « Guide éditeur de
    référencement Ségur »)."""

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
    """One step of the référencement journey (« Accompagnement des ENS sur un parcours de type
    Ségur »), as an action of the plan.

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
    done: DonePredicate | None = None
    skip: tuple[SkipPredicate, ...] = ()
    note: str | None = None


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
    vague1_dates: tuple[HistoricalDate, ...] = Field(
        default=(), description="Dates de la Vague 1 (historique, hors calendrier du plan)")
    domains: tuple[Domain, ...] = ()
    generic_deadlines: tuple[GenericDeadline, ...] = ()
    proof_formats: tuple[ProofFormat, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    journey: tuple[JourneyStep, ...] = ()
