"""``segur-plan init``: write a first solution profile from questions, or from flags.

Every key a first plan needs is asked, in the order a person knows them (pack, solution, T0,
parcours, trigger, profils, CNDA, waves already obtained), unless its flag was given. Choices
ignore case and accents (« Mono editeur », « pré-examen », « hop dpi »); a wrong answer is
explained and asked again, the others are kept. The profile is written commented (tomlkit), through
the engine's one writer (``-o -`` prints it), and only once the engine accepts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
import tomlkit
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.models.common import fold
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.planner.context import resolve_declared
from segur_plan.engine.render.labels import PARCOURS, TRIGGER
from segur_plan.engine.storage import is_stdout, write_file
from segur_plan.engine.suggest import did_you_mean
from segur_plan.engine.vocabulary import CNDA_STATUS as CNDA_STATUS_LABEL

from .common import engine, fail

WAVES = {"vague-1": "Vague 1"}


class FoldedChoice(click.ParamType):
    """One value among ``choices`` (code → label), typed as the code or the label, case and
    accents ignored; a wrong value is refused with the possible ones (and the closest)."""

    name = "choix"

    def __init__(self, choices: dict[str, str]) -> None:
        self.choices = choices
        self.index = {fold(k): k for k in choices} | {fold(v): k for k, v in choices.items()}

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if value in self.choices:
            return str(value)
        found = self.index.get(fold(str(value)))
        if found is None:
            shown = ", ".join(f"{k} ({v})" if fold(k) != fold(v) else k for k, v in self.choices.items())
            self.fail(f"« {value} » n'est pas une réponse possible.{did_you_mean(str(value), self.index.values())}"
                      f" Réponses possibles : {shown}", param, ctx)
        return found


class OptionalDate(click.ParamType):
    name = "AAAA-MM-JJ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date | None:
        if value is None or isinstance(value, dt.date) or not str(value).strip():
            return value or None
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"date invalide « {value} » : format attendu AAAA-MM-JJ (ex. 2024-08-31)", param, ctx)


class ListOf(click.ParamType):
    """A comma-separated answer, each item checked by ``check`` (which raises SegurPlanError)."""

    name = "liste"

    def __init__(self, check: Callable[[tuple[str, ...]], tuple[str, ...]]) -> None:
        self.check = check

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        items = tuple(value) if isinstance(value, tuple) else tuple(
            p.strip() for p in str(value).split(",") if p.strip())
        try:
            return self.check(items)
        except SegurPlanError as exc:
            self.fail(str(exc), param, ctx)


PARCOURS_CHOICE = FoldedChoice(PARCOURS)
TRIGGER_CHOICE = FoldedChoice(TRIGGER)
CNDA_CHOICE = FoldedChoice(CNDA_STATUS_LABEL)
WAVE_CHOICE = FoldedChoice(WAVES)
YES_NO = FoldedChoice({"oui": "oui", "non": "non"})


class Asker:
    """Ask what a flag did not give (``--no-input``: never ask, keep the defaults)."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def __call__(self, value: Any, text: str, type: click.ParamType | None = None, default: Any = None) -> Any:
        if value is not None and value != () or not self.interactive:
            return value if value is not None and value != () else default
        shown = {"default": default, "show_default": True} if default not in (None, "", ()) else {
            "default": "", "show_default": False}
        answer = click.prompt(text, type=type, prompt_suffix=" : ", **shown)
        return answer if answer not in ("", ()) else default


def _check_pack(ids: Sequence[str]) -> FoldedChoice:
    return FoldedChoice({i: i for i in ids})


def _profils_checker(pack: Pack) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    return lambda items: resolve_declared(pack, items)


def _solutions_checker(items: tuple[str, ...]) -> tuple[str, ...]:
    if len(items) < 2 or len(set(items)) < len(items):
        raise SegurPlanError("un groupement décrit au moins deux solutions, de noms différents "
                             "(séparés par des virgules)")
    return items


def _areas_checker(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i.strip().upper() for i in items)


@click.command("init")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("profil.toml"),
              show_default=True, help="Fichier TOML à écrire (« - » : la sortie standard).")
@click.option("--pack", help="Identifiant du pack (DSR), ex. HOP-DPI (segur-plan packs list).")
@click.option("--name", help="Nom de la solution.")
@click.option("--editor", help="Nom de l'éditeur.")
@click.option("--version", "sol_version", help="Version de la solution.")
@click.option("--t0", type=OptionalDate(), help="Date de publication de l'arrêté SONS (AAAA-MM-JJ) ; "
              "sans elle, celle du pack.")
@click.option("--parcours", type=PARCOURS_CHOICE, help="mono-éditeur, groupement ou marque blanche.")
@click.option("--solution", "solutions", multiple=True,
              help="Groupement : nom d'une solution (répétable, deux au moins).")
@click.option("--original-editor", help="Marque blanche : éditeur de la solution d'origine.")
@click.option("--modified/--not-modified", default=None, help="Marque blanche : solution modifiée ou non.")
@click.option("--modified-area", "modified_areas", multiple=True,
              help="Marque blanche modifiée : code de section modifié, ex. DMP (répétable).")
@click.option("--trigger", type=TRIGGER_CHOICE, help="Entrée dans le cycle : initial, major-version, "
              "referentiel-update ou audit.")
@click.option("--profil", "profils", multiple=True, help="Profil optionnel implémenté (répétable ; "
              "identifiant, libellé ou alias, casse et accents ignorés).")
@click.option("--nie", help="Numéro NIE (CNDA).")
@click.option("--nil", help="Numéro NIL (CNDA).")
@click.option("--cnda-status", type=CNDA_CHOICE, help="Statut de la demande CNDA : none, depose, pre-examen, "
              "en-cours ou homologue.")
@click.option("--already-referenced", "waves", multiple=True, type=WAVE_CHOICE,
              help="Vague déjà obtenue (répétable), ex. vague-1.")
@click.option("--no-input", is_flag=True, help="Ne rien demander : les options absentes gardent leur défaut.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
def init_cmd(output: Path, pack: str | None, name: str | None, editor: str | None, sol_version: str | None,
             t0: dt.date | None, parcours: str | None, solutions: tuple[str, ...], original_editor: str | None,
             modified: bool | None, modified_areas: tuple[str, ...], trigger: str | None,
             profils: tuple[str, ...], nie: str | None, nil: str | None, cnda_status: str | None,
             waves: tuple[str, ...], no_input: bool, force: bool) -> None:
    """Crée un profil de solution (TOML commenté), en posant les questions dont les options
    manquent. Une réponse invalide est expliquée et redemandée."""
    if not is_stdout(output) and output.exists() and not force:
        fail(f"{output} existe déjà (utilisez --force pour le remplacer)")
    ask = Asker(not no_input)
    registry = engine().registry
    pack_type = _check_pack(registry.ids())
    if pack is not None:
        pack = _convert(pack_type, pack, "--pack")
    pack = ask(pack, "Pack (DSR) : " + ", ".join(registry.ids()), pack_type)
    name = ask(name, "Nom de la solution")
    if not name or not pack:
        fail("--name et --pack sont obligatoires avec --no-input")
    entry = registry.get(pack)
    editor = ask(editor, "Éditeur (vide : plus tard)")
    sol_version = ask(sol_version, "Version de la solution (vide : plus tard)")
    t0 = ask(t0, "Date de l'arrêté SONS, T0 (AAAA-MM-JJ ; vide : celle du pack)", OptionalDate())
    parcours = ask(parcours, "Parcours (mono-éditeur, groupement, marque blanche)", PARCOURS_CHOICE,
                   "mono-editeur")
    if parcours == "groupement":
        solutions = _convert(ListOf(_solutions_checker), solutions, "--solution") if solutions else solutions
        solutions = ask(solutions, f"Solutions du groupement (noms séparés par des virgules, dont « {name} »)",
                        ListOf(_solutions_checker))
        if not solutions:
            fail("un groupement décrit au moins deux solutions : --solution NOM, deux fois au moins")
    if parcours == "marque-blanche":
        original_editor = ask(original_editor, "Éditeur de la solution d'origine")
        if not original_editor:
            fail("--original-editor est obligatoire pour une marque blanche")
        if modified is None:
            modified = ask(None, "Solution modifiée par rapport à l'originale (oui/non)", YES_NO, "non") == "oui"
        if modified:
            modified_areas = ask(modified_areas, "Sections modifiées (codes séparés par des virgules, ex. INS, DMP)",
                                 ListOf(_areas_checker), ())
            modified_areas = _areas_checker(tuple(modified_areas))
    trigger = ask(trigger, "Entrée dans le cycle (initial, major-version, referentiel-update, audit)",
                  TRIGGER_CHOICE, "initial")
    optional = [p.label for p in entry.pack.profils if not p.general]
    profil_type = ListOf(_profils_checker(entry.pack))
    declared = _convert(profil_type, profils, "--profil") if profils else ()
    if not profils and ask.interactive and optional:
        click.echo("Profils optionnels possibles : " + " ; ".join(optional))
    declared = ask(declared, "Profils implémentés (séparés par des virgules, vide si aucun)", profil_type, ())
    nie = ask(nie, "NIE du CNDA (vide si pas encore obtenu)")
    nil = ask(nil, "NIL du CNDA (vide si pas encore obtenu)")
    cnda_status = ask(cnda_status, "Statut de la demande CNDA (none, depose, pre-examen, en-cours, homologue)",
                      CNDA_CHOICE, "none")
    if not waves and ask.interactive:
        answer = ask(None, "Vagues déjà obtenues (vide si aucune, ex. vague-1)", ListOf(
            lambda items: tuple(WAVE_CHOICE.convert(i, None, None) for i in items)), ())
        waves = tuple(answer)

    labels = {p.id: p.label for p in entry.pack.profils}
    doc = profile_document(
        name=name, editor=editor, version=sol_version, pack=entry.pack.id, t0=t0, parcours=parcours,
        solutions=solutions, original_editor=original_editor, modified=bool(modified),
        modified_areas=modified_areas, trigger=trigger, declared=[labels[i] for i in declared], nie=nie, nil=nil,
        cnda_status=cnda_status, waves=sorted(set(waves)))
    text = tomlkit.dumps(doc)
    parse_profile(tomlkit.parse(text).unwrap(), origin=str(output))  # never write what the engine refuses
    write_file(output, text.encode("utf-8"))
    if not is_stdout(output):
        click.echo(f"Profil écrit : {output}. Calculez son plan : segur-plan plan {output}", err=True)


def _convert(kind: click.ParamType, value: Any, flag: str) -> Any:
    """A flag's value checked like an answer; a wrong flag is a usage error (exit 2)."""
    try:
        return kind.convert(value, None, None)
    except click.BadParameter as exc:
        fail(f"{flag} : {exc.message}")


def profile_document(*, name: str, editor: str | None, version: str | None, pack: str, t0: dt.date | None,
                     parcours: str, solutions: Sequence[str], original_editor: str | None, modified: bool,
                     modified_areas: Sequence[str], trigger: str, declared: list[str], nie: str | None,
                     nil: str | None, cnda_status: str, waves: list[str]) -> tomlkit.TOMLDocument:
    """The commented profile (keys as documented by ``segur-plan schema profile``)."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Profil de solution segur-plan, écrit par « segur-plan init »."))
    doc.add(tomlkit.comment("Chaque clé est décrite par « segur-plan schema profile » ; le plan : segur-plan plan "
                            "FICHIER."))
    doc.add("schema_version", 1)
    if parcours == "groupement":
        group = tomlkit.aot()
        for solution_name in solutions:
            table = tomlkit.table()
            _add(table, "name", solution_name, "une solution du groupement (profils = [...] si les siens diffèrent)")
            if editor:
                table.add("editor", editor)
            if version:
                table.add("version", version)
            group.append(table)
        doc.add("solutions", group)
    else:
        solution = tomlkit.table()
        _add(solution, "name", name, "nom de la solution, tel qu'il figure au dossier")
        _optional(solution, "editor", editor, "raison sociale de l'éditeur", '"Éditeur SAS"')
        _optional(solution, "version", version, "version candidate au référencement", '"1.0"')
        doc.add("solution", solution)
    ref = tomlkit.table()
    _add(ref, "pack", pack, "le DSR visé (segur-plan packs list)")
    _optional(ref, "t0", t0, "publication de l'arrêté SONS : les échéances en découlent ; sans elle, celle du pack",
              "2024-08-31")
    _add(ref, "parcours", parcours, "mono-editeur | groupement | marque-blanche")
    _add(ref, "trigger", trigger, "initial | major-version | referentiel-update | audit")
    _add(ref, "already_referenced", waves, 'vagues déjà obtenues, ex. ["vague-1"]')
    doc.add("referencement", ref)
    if parcours == "marque-blanche":
        mb = tomlkit.table()
        _add(mb, "original_editor", original_editor or "", "éditeur de la solution référencée d'origine")
        _add(mb, "modified", modified, "la solution reprise est-elle modifiée ?")
        if modified:
            _add(mb, "modified_areas", list(modified_areas), 'codes de section modifiés, ex. ["INS", "DMP"]')
        doc.add("marque_blanche", mb)
    profils = tomlkit.table()
    _add(profils, "declared", declared, "profils optionnels implémentés (identifiants, libellés ou alias)")
    doc.add("profils", profils)
    pre = tomlkit.table()
    _optional(pre, "cnda_nie", nie, "numéro d'identification éditeur du CNDA", '"NIE-…"')
    _optional(pre, "cnda_nil", nil, "numéro d'identification logiciel du CNDA", '"NIL-…"')
    _add(pre, "cnda_request_status", cnda_status, "none | depose | pre-examen | en-cours | homologue")
    doc.add("prerequisites", pre)
    doc.add(tomlkit.nl())
    doc.add(tomlkit.comment("Où en est l'éditeur (facultatif) : [[proofs]] id, status, date ; [journey] done = [...]."))
    return doc


def _add(table: Any, key: str, value: Any, comment: str) -> None:
    item = tomlkit.item(value)
    item.comment(comment)
    table.add(key, item)


def _optional(table: Any, key: str, value: Any, comment: str, example: str) -> None:
    """The key with its comment, or a commented example to fill in later."""
    if value:
        _add(table, key, value, comment)
    else:
        table.add(tomlkit.comment(f"{key} = {example}  # {comment} (à renseigner)"))
