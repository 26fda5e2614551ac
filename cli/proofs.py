"""``segur-plan proofs …``: pre-deposit checks of proof files and the tracking workbook.

``segur_plan.engine.evidence`` is imported inside the commands: the other commands' cold start
does not pay for it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.common import plural
from segur_plan.engine.models.profile import SolutionProfile
from segur_plan.engine.render.json_render import to_json

from .common import EXIT_BLOCKING, CliGroup, engine, fail, rem_option, report, resolve_today, today_option

PROFILE = click.Path(path_type=Path, dir_okay=False)


def _on_terminal() -> bool:
    """A progress bar only on a terminal: none when stderr is piped or redirected."""
    return sys.stderr.isatty()


def _load(path: Path) -> SolutionProfile:
    try:
        return load_profile(path)
    except SegurPlanError as exc:
        report(exc, str(path))


@click.group("proofs", cls=CliGroup)
def proofs_group() -> None:
    """Preuves : vérification des fichiers avant dépôt, classeur de suivi (export, import)."""


@proofs_group.command("check")
@click.argument("profile", type=PROFILE)
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None, metavar="DOSSIER",
              help="Dossier des preuves : fichiers nommés d'après leur numéro (SSI_GEN.18.01.02.pdf, "
                   "SC.DMP_AIRS.03.01.01--capture.png) ; les chemins relatifs du profil y sont résolus.")
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@rem_option
def check_cmd(profile: Path, directory: Path | None, today: dt.date | None, fmt: str, rem: Path | None) -> None:
    """Vérifie les fichiers de preuve avant dépôt : emplacement, format par le contenu, taille,
    numéro de preuve, doublons. Code 1 si un fichier serait refusé, 2 si l'entrée est invalide."""
    from segur_plan.engine.evidence import check_proofs, count_files, render_text

    solution = _load(profile)
    if directory is not None and not directory.is_dir():
        fail(f"Dossier introuvable : {directory}")
    plan = engine().plan(solution, today=resolve_today(today), rem=rem, base_dir=profile.parent)
    root = directory if directory is not None else profile.parent
    if directory is not None and _on_terminal():
        total = count_files(directory)
        with click.progressbar(length=total, label="Vérification des fichiers", file=sys.stderr,
                               update_min_steps=max(1, total // 200)) as bar:
            result = check_proofs(plan, solution, root=root, scan=True, on_entry=lambda: bar.update(1))
    else:
        result = check_proofs(plan, solution, root=root, scan=directory is not None)
    click.echo(to_json(result.as_dict()) if fmt == "json" else render_text(result), nl=False)
    if result.refused:
        raise SystemExit(EXIT_BLOCKING)


@proofs_group.command("export")
@click.argument("profile", type=PROFILE)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              metavar="FICHIER.xlsx|.csv", help="Classeur à écrire : .xlsx (Excel) ou .csv (« ; », UTF-8).")
@today_option
@rem_option
def export_cmd(profile: Path, output: Path, today: dt.date | None, rem: Path | None) -> None:
    """Écrit le classeur de suivi des preuves : une ligne par preuve, statut, fichier, date, échéance."""
    from segur_plan.engine.evidence import export_workbook

    if output.suffix.lower() not in (".xlsx", ".csv"):
        fail(f"{output} : extension attendue .xlsx ou .csv")
    solution = _load(profile)
    plan = engine().plan(solution, today=resolve_today(today), rem=rem, base_dir=profile.parent)
    rows = export_workbook(plan, solution, output)
    click.echo(f"Écrit : {output} ({plural(rows, 'ligne')})", err=True)


@proofs_group.command("import")
@click.argument("profile", type=PROFILE)
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False), metavar="FICHIER.xlsx|.csv")
@click.option("--dry-run", is_flag=True, help="Afficher les changements sans modifier le profil.")
def import_cmd(profile: Path, workbook: Path, dry_run: bool) -> None:
    """Reporte les statuts, dates, fichiers et notes du classeur dans les [[proofs]] du profil,
    sans toucher au reste du fichier (commentaires compris)."""
    from segur_plan.engine.evidence import import_workbook

    _load(profile)
    result = import_workbook(profile, workbook, dry_run=dry_run)
    for change in result.changes:
        click.echo(change.describe())
    tail = f" ; {plural(result.unchanged, 'ligne inchangée', 'lignes inchangées')}"
    if result.skipped:
        tail += (f", {plural(result.skipped, 'preuve', 'preuves')} « À faire » sans fichier ni date "
                 f"{'non ajoutée' if result.skipped < 2 else 'non ajoutées'}")
    if not result.changes:
        click.echo(f"Aucun changement{tail}.")
    elif dry_run:
        click.echo(f"{plural(len(result.changes), 'changement')}{tail}. --dry-run : {profile} n'est pas modifié.")
    else:
        click.echo(f"{plural(len(result.changes), 'changement écrit', 'changements écrits')} dans {profile}{tail}.")
