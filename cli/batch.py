"""``segur-plan batch``: plan every profile of a folder, on all cores (engine side: engine/batch.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from segur_plan.engine.batch import (
    BATCH_FORMATS,
    SUMMARY_NAME,
    BatchResult,
    BatchSummary,
    find_profiles,
    renderer,
    run_batch,
)
from segur_plan.engine.errors import SegurPlanError

from .common import EXIT_BAD_INPUT, backend_option, packs_path, rem_option, report, resolve_today, today_option

HEADERS = ("profil", "pack", "exigences", "à prouver", "bloquants", "état")


def _interactive() -> bool:
    """A progress bar only on a terminal: none when stderr is piped or redirected."""
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Any]:
    if not _interactive():
        yield None
        return
    with click.progressbar(length=total, label="Planification", file=sys.stderr,
                           show_pos=True, show_eta=True) as bar:
        yield bar


def _cell(value: int | None) -> str:
    return "—" if value is None else str(value)


def summary_table(summary: BatchSummary) -> str:
    """The summary as a plain-text table (French headers), one row per profile, in file order."""
    rows = [(r.file, r.pack or "—", _cell(r.requirements), _cell(r.to_prove), _cell(r.blocking),
             "ok" if r.ok else "erreur") for r in summary.results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)]
    numeric = {2, 3, 4}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if i in numeric else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    out = [line(HEADERS), line(tuple("-" * w for w in widths))] + [line(row) for row in rows]
    n, errors = len(summary.results), len(summary.errors)
    out.append("")
    out.append(f"{n} profil{'s' if n > 1 else ''} : {n - errors} planifié{'s' if n - errors > 1 else ''}, "
               f"{errors} en erreur.")
    return "\n".join(out) + "\n"


@click.command("batch")
@click.argument("directory", metavar="DOSSIER", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help=f"Dossier de sortie (créé au besoin) : un plan par profil et {SUMMARY_NAME}.")
@today_option
@click.option("--format", "fmt", type=click.Choice(BATCH_FORMATS), default="json", show_default=True,
              help="Format des plans (html : si le moteur de rendu HTML est installé).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help=f"Nombre de processus de calcul ; par défaut, le nombre de cœurs ({os.cpu_count()}).")
@click.option("-r", "--recursive", is_flag=True, help="Parcourt aussi les sous-dossiers de DOSSIER.")
@rem_option
@backend_option
def batch_cmd(directory: Path, out_dir: Path, today: dt.date | None, fmt: str, jobs: int | None,
              recursive: bool, rem: Path | None, backend: str | None) -> None:
    """Calcule le plan de chaque profil *.toml de DOSSIER, sur tous les cœurs.

    Chaque plan est écrit dans le dossier de sortie sous le nom du profil (profil.toml donne
    profil.json, profil.md ou profil.html), identique à celui de « segur-plan plan » pour la même
    date. Un profil invalide est signalé (fichier et champ fautif) sans arrêter les autres. Un
    tableau récapitulatif (profil, pack, exigences, à prouver, bloquants, état) est affiché à la
    fin et écrit dans summary.json, dans l'ordre des noms de fichiers.

    \b
    Codes de sortie :
      0  tous les profils ont été planifiés ;
      2  au moins un profil est invalide (les autres sont planifiés quand même),
         ou bien le dossier, le format ou le moteur de règles est inutilisable.
    Les points bloquants d'un plan ne changent pas le code de sortie : voyez la
    colonne « bloquants » ou summary.json.
    """
    resolved = resolve_today(today)  # one date for the whole batch
    try:
        renderer(fmt)
        total = len(find_profiles(directory, recursive=recursive))
        with _progress(total) as bar:
            def advance(_: BatchResult) -> None:
                if bar is not None:
                    bar.update(1)

            summary = run_batch(directory, out_dir, today=resolved, fmt=fmt, jobs=jobs, recursive=recursive,
                                backend=backend, on_result=advance, rem=rem, packs_path=packs_path())
    except SegurPlanError as exc:
        report(exc)
    for result in summary.errors:
        click.echo(f"Erreur : {result.error_text()}", err=True)
    click.echo(summary_table(summary), nl=False)
    click.echo(f"Écrit : {out_dir / SUMMARY_NAME}", err=True)
    if summary.errors:
        raise SystemExit(EXIT_BAD_INPUT)
