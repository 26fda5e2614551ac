"""``segur-plan init``: write a solution profile from prompts or from flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
import tomli_w
from segur_plan.engine.loading import parse_profile
from segur_plan.engine.models.profile import CNDA_STATUS_RANK
from segur_plan.engine.planner.context import resolve_declared

from .common import DATE, engine, fail


def _ask(value: Any, text: str, interactive: bool, **kwargs: Any) -> Any:
    if value is not None or not interactive:
        return value
    return click.prompt(text, **kwargs)


@click.command("init")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=Path("profil.toml"),
              show_default=True, help="Fichier TOML à écrire.")
@click.option("--name", help="Nom de la solution.")
@click.option("--editor", help="Nom de l'éditeur.")
@click.option("--version", "sol_version", help="Version de la solution.")
@click.option("--pack", help="Identifiant du pack (DSR), ex. HOP-DPI.")
@click.option("--t0", type=DATE, help="Date de publication de l'arrêté SONS (AAAA-MM-JJ).")
@click.option("--parcours", type=click.Choice(["mono-editeur", "groupement", "marque-blanche"]))
@click.option("--trigger", type=click.Choice(["initial", "major-version", "referentiel-update", "audit"]))
@click.option("--profil", "profils", multiple=True, help="Profil optionnel implémenté (répétable).")
@click.option("--nie", help="Numéro NIE (CNDA).")
@click.option("--nil", help="Numéro NIL (CNDA).")
@click.option("--cnda-status", type=click.Choice(list(CNDA_STATUS_RANK)), help="Statut de la demande CNDA.")
@click.option("--no-input", is_flag=True, help="Ne rien demander : les options manquantes gardent leur défaut.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
def init_cmd(output: Path, name: str | None, editor: str | None, sol_version: str | None, pack: str | None,
             t0: dt.date | None, parcours: str | None, trigger: str | None, profils: tuple[str, ...],
             nie: str | None, nil: str | None, cnda_status: str | None, no_input: bool, force: bool) -> None:
    """Crée un profil de solution (TOML), en posant les questions manquantes."""
    if output.exists() and not force:
        fail(f"{output} existe déjà (utilisez --force pour le remplacer)")
    interactive = not no_input
    registry = engine().registry
    name = _ask(name, "Nom de la solution", interactive)
    editor = _ask(editor, "Éditeur", interactive, default="", show_default=False) or None
    pack = _ask(pack, "Pack (DSR)", interactive, type=click.Choice(registry.ids()))
    if not name or not pack:
        fail("--name et --pack sont obligatoires avec --no-input")
    entry = registry.get(pack)
    optional = [p.label for p in entry.pack.profils if not p.general]
    if not profils and interactive and optional:
        click.echo("Profils optionnels possibles : " + " ; ".join(optional))
        answer = click.prompt("Profils implémentés (séparés par des virgules, vide si aucun)", default="",
                              show_default=False)
        profils = tuple(p.strip() for p in answer.split(",") if p.strip())
    declared = resolve_declared(entry.pack, profils)
    labels = {p.id: p.label for p in entry.pack.profils}
    nie = _ask(nie, "NIE (CNDA, vide si pas encore obtenu)", interactive, default="", show_default=False) or None
    nil = _ask(nil, "NIL (CNDA, vide si pas encore obtenu)", interactive, default="", show_default=False) or None
    cnda_status = _ask(cnda_status, "Statut de la demande CNDA", interactive,
                       type=click.Choice(list(CNDA_STATUS_RANK)), default="none")

    data: dict[str, Any] = {"schema_version": 1, "solution": {"name": name}}
    if editor:
        data["solution"]["editor"] = editor
    if sol_version:
        data["solution"]["version"] = sol_version
    data["referencement"] = {"pack": entry.pack.id, "parcours": parcours or "mono-editeur",
                             "trigger": trigger or "initial", "already_referenced": []}
    if t0:
        data["referencement"]["t0"] = t0
    data["profils"] = {"declared": [labels[i] for i in declared]}
    data["prerequisites"] = {"cnda_request_status": cnda_status or "none"}
    if nie:
        data["prerequisites"]["cnda_nie"] = nie
    if nil:
        data["prerequisites"]["cnda_nil"] = nil
    parse_profile(data, origin=str(output))  # never write a profile the engine would refuse
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(tomli_w.dumps(data), encoding="utf-8")
    click.echo(f"Profil écrit : {output}", err=True)
