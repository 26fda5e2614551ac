"""The pack: one référentiel (DSR + REM + calendar) as data, or a socle shared by several.

Every item that states a regulatory fact (profil, exigence, rule, date, format) carries a
``source`` (a key of ``Pack.sources`` plus the section it comes from) and a ``reviewed`` date, in
the manner of OpenFisca parameters: a reader can always go back to the document.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import Field, model_validator

from .common import Level, ProofKind, Strict

PACK_SCHEMA_VERSION: Final = 1


class SourceDoc(Strict):
    """A document a pack relies on."""

    title: str = Field(description="Titre du document tel qu'on le cite (éditeur, « titre », date)")
    url: str | None = Field(default=None, description="Adresse publique du document")
    kind: Literal["official", "ans-repo", "third-party", "draft", "seed"] = Field(default="official", description=(
        "Nature : official, ans-repo, third-party, draft, seed"
    ))
    published: dt.date | None = Field(default=None, description="Date de publication du document")
    note: str | None = Field(default=None, description="Remarque sur le document (statut, portée)")


class SourceRef(Strict):
    """Where one item comes from: a key of ``Pack.sources`` and the place in that document."""

    ref: str = Field(description="Clé d'un document de [sources]")
    section: str | None = Field(default=None, description="Section, page ou question du document")


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

    id: str = Field(description="Identifiant du profil (minuscules, tirets)")
    label: str = Field(description="Libellé du profil dans le REM")
    general: bool = Field(default=False, description="Profil général : s'applique toujours")
    aliases: tuple[str, ...] = Field(default=(), description="Autres noms du profil (Vague 1, brouillon)")
    note: str | None = Field(default=None, description="Remarque du rédacteur du pack")


#: SHA-256 of an official text (énoncé, scénario, preuve) that a pack imported from a REM does not
#: keep: a new REM version then still tells which texts changed (``packs import-rem --previous``).
TextDigest = Annotated[str | None, Field(default=None, pattern=r"^[0-9a-f]{64}$",
                                         description="SHA-256 du texte officiel (UTF-8)")]


class Preuve(Strict):
    id: str = Field(description="Identifiant de la preuve (dérive de celui du scénario)")
    label: str = Field(description="Libellé de la preuve")
    kind: ProofKind = Field(default=ProofKind.UNKNOWN, description=(
        "Nature de la preuve (video, capture, fichier, log, document, rapport, compte-rendu, lien)"
    ))
    text_sha256: TextDigest = Field(default=None, description="Empreinte SHA-256 du texte officiel de la preuve")
    source: SourceRef | None = Field(default=None, description="Source de la preuve")


class Scenario(Strict):
    id: str = Field(description="Identifiant du scénario (dérive de celui de l'exigence)")
    label: str | None = Field(default=None, description="Libellé du scénario")
    preuves: tuple[Preuve, ...] = Field(default=(), description="Preuves attendues pour ce scénario")
    text_sha256: TextDigest = Field(default=None, description="Empreinte SHA-256 du texte officiel du scénario")
    source: SourceRef | None = Field(default=None, description="Source du scénario")


Nature = Literal["exigence", "preconisation"]
Perimetre = Literal["vague-1", "vague-2"]
#: The REM's Criticité column (Squash MINOR / MAJOR / CRITICAL / UNDEFINED).
Criticality = Literal["mineure", "majeure", "critique", "non-definie"]


class Exigence(Strict):
    """One exigence of the catalogue.

    In a DSR pack an entry may be a *reference* to a socle exigence: it then carries only
    ``id``, ``profils`` (the profils are per REM) and what it overrides; the registry fills the
    rest from the socle the pack ``uses``.
    """

    id: str = Field(description="Identifiant de l'exigence dans le REM")
    profils: tuple[str, ...] = Field(default=("general",), description="Profils dont relève l'exigence")
    label: str | None = Field(default=None, description="Libellé court")
    section: str | None = Field(default=None, description="Section (ex. SSI/GEN, INS)")
    chapter: str | None = Field(default=None, description="Chapitre du REM")
    bloc: str | None = Field(default=None, description="Bloc du REM")
    fonction: str | None = Field(default=None, description="Fonction du REM")
    nature: Nature | None = Field(default=None, description="exigence ou preconisation")
    perimetre: Perimetre | None = Field(default=None, description="Périmètre : vague-1 ou vague-2")
    critical: bool = Field(default=False, description="Critique : reste à prouver même acquise en Vague 1")
    criticality: Criticality | None = Field(default=None, description="Criticité du REM (Mineure, Majeure, Critique)")
    transversal: bool = Field(default=False, description="Transversale : prouvée une fois pour un groupement")
    draft_status: str | None = Field(default=None, description="Statut dans le brouillon ANS")
    vague1_ids: tuple[str, ...] = Field(default=(), description=(
        "Identifiants Vague 1 de l'exigence dans ce DSR (DPI.ANN.01 pour SC.ANN/va1.01 dans HOP-DPI) : "
        "une preuve enregistrée sous l'un d'eux compte pour cette exigence"))
    scenarios: tuple[Scenario, ...] = Field(default=(), description="Scénarios de conformité")
    note: str | None = Field(default=None, description="Remarque du rédacteur du pack")
    text_sha256: TextDigest = Field(default=None, description="Empreinte SHA-256 de l'énoncé officiel")
    source: SourceRef | None = Field(default=None, description="Source de l'exigence")
    reviewed: dt.date | None = Field(default=None, description="Date de relecture contre la source")


# ---------------------------------------------------------------- rule consequences


class ActivateProfil(Strict):
    action: Literal["activate_profil"] = Field(description="Nom de l'action : activate_profil")
    profil: str = Field(description="Profil activé (identifiant d'un profil du pack)")


class RequireExigence(Strict):
    action: Literal["require_exigence"] = Field(description="Nom de l'action : require_exigence")
    exigence: str = Field(description="Exigence rendue applicable")


class ExcludeExigence(Strict):
    action: Literal["exclude_exigence"] = Field(description="Nom de l'action : exclude_exigence")
    exigence: str = Field(description="Exigence exclue (non applicable)")
    reason: str = Field(description="Pourquoi, en français")


class AddFinding(Strict):
    action: Literal["add_finding"] = Field(description="Nom de l'action : add_finding")
    level: Level = Field(description="Niveau : blocking, warning ou info")
    code: str = Field(description="Code stable du constat (MAJUSCULES)")
    message: str = Field(description="Message en français")
    refs: tuple[str, ...] = Field(default=(), description="Identifiants concernés (exigences, étapes…)")


class AddAction(Strict):
    action: Literal["add_action"] = Field(description="Nom de l'action : add_action")
    step: str = Field(description="Étape du parcours (A, B, C, 1 à 6)")
    label: str = Field(description="Action à mener, en français")
    due: str | None = Field(default=None, description=(
        "Échéance (identifiant du calendrier : dossier-administratif, dossier-complet, fin-echanges, avance, "
        "prestations, solde)"
    ))
    refs: tuple[str, ...] = Field(default=(), description="Identifiants concernés")


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
    action: Literal["set_status"] = Field(description="Nom de l'action : set_status")
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

    action: Literal["set_prerequisite"] = Field(description="Nom de l'action : set_prerequisite")
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
    """A condition on the facts and named engine consequences.

    ``when`` is a flat condition (``{"fact": "profil", "profil": "client-lourd"}``, see
    ``engine/rules/conditions.py``) or a durable-rules rule body without its ``run`` key
    (``{"all": [{"m": {"$and": [{"kind": "profil"}, {"profil": "client-lourd"}]}}]}``).
    """

    id: str = Field(description="Identifiant de la règle dans le pack")
    label: str = Field(description="Ce que dit la règle, en français")
    when: dict[str, Any] = Field(description=(
        "Condition : forme plate { fact = …, attribut = valeur } ou forme imbriquée durable-rules { all = [...] }"
    ))
    then: tuple[RuleAction, ...] = Field(
        min_length=1, description="Conséquences (au moins une) : activate_profil, require_exigence, exclude_exigence, "
                                  "add_finding, add_action, set_status, set_prerequisite")
    priority: int = Field(default=0, description="Ordre d'évaluation (la plus petite d'abord)")


# ---------------------------------------------------------------- calendar


DeadlineId = Literal[
    "dossier-administratif", "dossier-complet", "fin-echanges", "avance", "prestations", "solde"
]
#: The deadlines, in the order they fall (the generic table counts them from T0).
DEADLINE_IDS: tuple[DeadlineId, ...] = get_args(DeadlineId)
#: Openings published by the ASP (enrolment, avance requests): dates from which something can be
#: done, not deadlines; the plan shows them only when the pack publishes them.
OpeningId = Literal["ouverture-enrolement", "ouverture-avance"]
OPENING_IDS: tuple[OpeningId, ...] = get_args(OpeningId)
MilestoneId = DeadlineId | OpeningId


class PublishedDeadline(Sourced):
    """A date published for this DSR, with its hour when the source gives one (Europe/Paris)."""

    id: MilestoneId = Field(description="Jalon du calendrier (échéance, ou ouverture ASP)")
    date: dt.date = Field(description="Date publiée")
    time: dt.time | None = Field(default=None, description="Heure publiée (Europe/Paris), si la source la donne")
    label: str | None = Field(default=None, description="Libellé affiché à la place du libellé générique")


class GenericDeadline(Sourced):
    """A milestone of the generic table, counted in months from T0 (« Accompagnement des ENS sur un
    parcours de type Ségur »)."""

    id: DeadlineId = Field(description="Jalon du calendrier")
    label: str = Field(description="Libellé du jalon")
    months: int = Field(ge=0, description="Mois après T0 (date au plus tôt)")
    months_latest: int | None = Field(default=None, description="Mois après T0 de la date au plus tard (fourchette)")

    @model_validator(mode="after")
    def _range(self) -> GenericDeadline:
        if self.months_latest is not None and self.months_latest < self.months:
            raise ValueError("months_latest doit être supérieur ou égal à months")
        return self


class HistoricalDate(Sourced):
    """A dated fact of an earlier wave (e.g. a Vague 1 deadline): history for the reader, never a
    deadline of the plan."""

    id: str = Field(description="Identifiant du jalon historique")
    label: str = Field(description="Ce qui avait lieu à cette date")
    date: dt.date = Field(description="Date (historique, jamais une échéance du plan)")
    time: dt.time | None = Field(default=None, description="Heure publiée (Europe/Paris), si la source la donne")
    note: str | None = Field(default=None, description="Remarque du rédacteur du pack")


class Domain(Sourced):
    """A domain (field of activity) the DSR says the solution must cover, e.g. an ESSMS sector."""

    id: str = Field(description="Code du domaine (ex. PA, PH)")
    label: str = Field(description="Nom du domaine")
    note: str | None = Field(default=None, description="Remarque du rédacteur du pack")


class Calendar(Strict):
    t0: dt.date | None = Field(default=None, description="Date de l'arrêté SONS (T0)")
    t0_source: SourceRef | None = Field(default=None, description="Source de T0")
    published: tuple[PublishedDeadline, ...] = Field(default=(), description="Échéances publiées pour ce DSR")


class ProofFormat(ProofFormatRow, Sourced):
    """A row of the proof-format table given undated, with its own source (prefer the
    ``proof-formats`` parameter, whose values are dated)."""


class ChangelogEntry(Strict):
    """A dated version of the REM and the items it changed (IDs nest: X.NN → X.NN.01 → X.NN.01.01)."""

    date: dt.date = Field(description="Date de la version du REM")
    items: tuple[str, ...] = Field(default=(), description="Identifiants modifiés (exigences, scénarios, preuves)")
    added: tuple[str, ...] = Field(
        default=(), description="Ceux des éléments que cette version ajoute (packs import-rem --previous) : "
                                "une exigence ajoutée n'est pas acquise sans preuve déposée depuis")
    note: str | None = Field(default=None, description="Ce qui a changé")
    source: SourceRef = Field(description="Source de l'historique")


class Overlay(Sourced):
    """Flags set on some exigences by a pack author, with their own source (e.g. transversal)."""

    exigences: tuple[str, ...] = Field(min_length=1, description="Exigences concernées")
    transversal: bool | None = Field(default=None, description="Les marquer transversales")
    critical: bool | None = Field(default=None, description="Les marquer critiques")
    note: str | None = Field(default=None, description="Pourquoi")


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

    id: str = Field(description="Identifiant de l'étape")
    step: Literal["A", "B", "C", "1", "2", "3", "4", "5", "6"] = Field(description="Étape du parcours : A, B, C, 1 à 6")
    label: str = Field(description="Action, en français")
    system: str | None = Field(default=None, description="Outil ou portail utilisé")
    due: DeadlineId | None = Field(default=None, description="Jalon du calendrier qui la date")
    requires: tuple[str, ...] = Field(default=(), description="Étapes à faire avant (elles la bloquent)")
    after: tuple[str, ...] = Field(default=(), description="Étapes qui viennent simplement avant")
    done: DonePredicate | Condition | None = Field(
        default=None, description="Quand l'étape est faite : une condition (ou un nom historique : has-nie-nil, "
                                  "cnda-pre-examen, cnda-homologue, declared-done)")
    skip: tuple[SkipPredicate | Condition, ...] = Field(
        default=(), description="Quand l'étape ne s'applique pas : liste de conditions, l'une suffit (ou noms "
                                "historiques : inherited, already-referenced, no-financing)")
    note: str | None = Field(default=None, description="Conseil pratique, en français")

    @model_validator(mode="before")
    @classmethod
    def _one_skip(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("skip"), dict):
            return {**data, "skip": [data["skip"]]}
        return data


class Pack(Strict):
    schema_version: Literal[1] = Field(default=PACK_SCHEMA_VERSION, description="Version du format de pack (1)")
    id: str = Field(description="Identifiant du pack (ex. HOP-DPI)")
    replaces: str | None = Field(
        default=None, description="Pack local (SEGUR_PLAN_PACKS_PATH, --packs-path) qui remplace le pack "
                                  "installé du même identifiant ; vaut cet identifiant")
    kind: Literal["dsr", "socle"] = Field(default="dsr", description=(
        "dsr (un référentiel) ou socle (partagé par plusieurs)"
    ))
    title: str = Field(description="Titre")
    couloir: str | None = Field(default=None, description="Couloir (Hôpital, Biologie…)")
    dsr: str | None = Field(default=None, description="Code du DSR")
    vague: str | None = Field(default=None, description="Vague (1, 2)")
    version: str = Field(description="Version du pack")
    released: dt.date = Field(description="Date de publication du pack")
    status: Literal["draft", "published"] = Field(default="draft", description="draft ou published")
    coverage: str = Field(description="Ce que le pack couvre et ne couvre pas")
    reviewed: dt.date = Field(description="Date de relecture du pack")
    uses: tuple[str, ...] = Field(default=(), description="Socles utilisés (ex. [\"socle-segur\"])")
    sources: dict[str, SourceDoc] = Field(default={}, description="Documents cités, par clé")
    profils: tuple[Profil, ...] = Field(default=(), description="Profils du REM")
    exigences: tuple[Exigence, ...] = Field(default=(), description="Catalogue des exigences")
    rules: tuple[Rule, ...] = Field(default=(), description="Règles")
    calendar: Calendar = Field(default=Calendar(), description="Calendrier publié")
    vague1_dates: tuple[HistoricalDate, ...] = Field(
        default=(), description="Dates de la Vague 1 (historique, hors calendrier du plan)")
    domains: tuple[Domain, ...] = Field(default=(), description="Domaines couverts (ex. domaines ESSMS du DUI)")
    generic_deadlines: tuple[GenericDeadline, ...] = Field(default=(), description=(
        "Calendrier générique (mois après T0)"
    ))
    proof_formats: tuple[ProofFormat, ...] = Field(default=(), description=(
        "Tableau des formats non daté (préférer le paramètre proof-formats)"
    ))
    changelog: tuple[ChangelogEntry, ...] = Field(default=(), description="Historique des versions du REM")
    overlays: tuple[Overlay, ...] = Field(default=(), description="Marquages d'exigences (transversal, critique)")
    journey: tuple[JourneyStep, ...] = Field(default=(), description="Étapes du parcours")
    parameters: tuple[Parameter, ...] = Field(default=(), description="Paramètres datés et sourcés")
