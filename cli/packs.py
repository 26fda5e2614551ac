"""``segur-plan packs …``: what is installed, and what each pack holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from segur_plan import __version__
from segur_plan.engine.documents import pack_detail, pack_list
from segur_plan.engine.errors import FieldProblem, PackError, SegurPlanError
from segur_plan.engine.models.pack import Pack
from segur_plan.engine.pack_diff import diff_packs, render_diff_markdown, render_diff_text
from segur_plan.engine.pack_loading import load_pack_file, resolve_pack
from segur_plan.engine.pack_validation import check_pack, check_review_dates, stale_items
from segur_plan.engine.pack_writing import dump_pack_toml
from segur_plan.engine.rem_import import import_rem_with_report
from segur_plan.engine.render.json_render import to_json
from segur_plan.engine.scaffold import scaffold_pack

from .common import (
    EXIT_BAD_INPUT,
    CliGroup,
    engine,
    fail,
    resolve_today,
    today_option,
    write_output,
)


@click.group("packs", cls=CliGroup)
def packs_group() -> None:
    """Packs installés (un pack par DSR, plus le socle commun)."""


@packs_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Inclure les socles partagés.")
def list_cmd(fmt: str, show_all: bool) -> None:
    """Liste les packs installés, leur version et leurs profils."""
    registry = engine().registry
    entries = [registry.entries[i] for i in registry.ids(include_socles=show_all)]
    if fmt == "json":
        click.echo(to_json(pack_list(registry, include_socles=show_all)), nl=False)
        return
    for e in entries:
        p = e.pack
        click.echo(f"{p.id:<14} {p.version:<8} vague {p.vague or '—':<3} {p.status:<9} "
                   f"{len(p.exigences):>4} exigences  {len(p.profils):>2} profils  {p.title}")
    for b in registry.broken:
        click.echo(f"INUTILISABLE  {b.pack_id or '?'} ({b.origin}) : {b.reason}", err=True)
        for problem in b.problems:
            click.echo(f"    - {problem.loc} : {problem.message}", err=True)


@packs_group.command("show")
@click.argument("pack_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_cmd(pack_id: str, fmt: str) -> None:
    """Affiche le contenu d'un pack : profils, règles, calendrier, historique, sources."""
    entry = engine().registry.get(pack_id)
    pack = entry.pack
    if fmt == "json":
        click.echo(to_json(pack_detail(entry)), nl=False)
        return
    out = [f"{pack.id} — {pack.title}", f"Version {pack.version} ({pack.status}), publiée le {pack.released}, "
           f"revue le {pack.reviewed}", f"Origine : {entry.origin}", f"SHA-256 : {entry.sha256}", "",
           "Couverture :", f"  {pack.coverage}", "", f"Profils ({len(pack.profils)}) :"]
    out += [f"  - {p.id} : {p.label}{' (général)' if p.general else ''}" for p in pack.profils]
    scenarios = [s for e in pack.exigences for s in e.scenarios]
    out += ["", f"Exigences : {len(pack.exigences)} ({len(scenarios)} scénarios, "
            f"{sum(len(s.preuves) for s in scenarios)} preuves)"]
    if pack.domains:
        out += ["", "Domaines :"] + [f"  - {d.id} : {d.label}" for d in pack.domains]
    out += ["", f"Règles ({len(pack.rules)}) :"]
    out += [f"  - {r.id} : {r.label}" for r in pack.rules]
    out += ["", "Calendrier publié :"]
    published = [f"  - {d.id} : {d.date}{' ' + d.time.strftime('%H:%M') if d.time else ''}"
                 for d in pack.calendar.published]
    out += published or ["  - aucun (échéances estimées depuis T0)"]
    if pack.vague1_dates:
        out += ["", "Dates de la Vague 1 (historique, hors calendrier) :"]
        out += [f"  - {h.date}{' ' + h.time.strftime('%H:%M') if h.time else ''} : {h.label}"
                for h in pack.vague1_dates]
    out += ["", f"Historique ({len(pack.changelog)} versions) :"]
    out += [f"  - {c.date} : {', '.join(c.items) or c.note or ''}" for c in pack.changelog]
    out += ["", "Sources :"]
    out += [f"  - {k} : {d.title}{' — ' + d.url if d.url else ''}" for k, d in sorted(pack.sources.items())]
    click.echo("\n".join(out))


# ---------------------------------------------------------------------------------- validate


def _load_target(target: str) -> tuple[Pack, str]:
    """A pack given as a path (pack.toml or its folder) or as an installed id."""
    path = Path(target)
    if path.exists():
        file = path / "pack.toml" if path.is_dir() else path
        registry = engine().registry
        socles = {i: e.pack for i, e in registry.entries.items() if e.pack.kind == "socle"}
        return resolve_pack(load_pack_file(file), socles), str(file)
    registry = engine().registry
    pack_id, _, version = target.partition("@")
    entry = registry.get(pack_id)
    if version and entry.pack.version != version:
        raise SegurPlanError(f"Le pack installé {entry.pack.id} est en version {entry.pack.version}, "
                             f"pas {version} : donnez le chemin de l'autre version.")
    return entry.pack, entry.origin


@packs_group.command("validate")
@click.argument("target")
@click.option("--stale", type=click.IntRange(min=0), default=None, metavar="JOURS",
              help="Lister aussi les éléments revus il y a plus de JOURS jours.")
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate_cmd(target: str, stale: int | None, today: dt.date | None, fmt: str) -> None:
    """Vérifie un pack (chemin de pack.toml ou identifiant installé) : schéma, identifiants,
    références, règles, sources, dates. Code 2 en cas d'erreur."""
    day = resolve_today(today)
    try:
        pack, where = _load_target(target)
        errors = check_pack(pack) + check_review_dates(pack, day)
    except PackError as exc:
        pack, where, errors = None, exc.path or target, list(exc.problems) or [FieldProblem("", exc.message)]
    old = stale_items(pack, day, stale) if pack is not None and stale is not None else []
    if fmt == "json":
        click.echo(to_json({
            "target": target, "origin": where, "valid": not errors,
            "pack": {"id": pack.id, "version": pack.version} if pack else None,
            "errors": [{"loc": p.loc, "message": p.message} for p in errors],
            "stale": [{"loc": p.loc, "message": p.message} for p in old],
        }), nl=False)
    else:
        for p in errors:
            click.echo(f"ERREUR  {p.loc} : {p.message}" if p.loc else f"ERREUR  {p.message}")
        for p in old:
            click.echo(f"À REVOIR  {p.loc} : {p.message}")
        if pack is not None and not errors:
            click.echo(f"{pack.id} {pack.version} est valide ({where}) : {len(pack.exigences)} exigences, "
                       f"{len(pack.profils)} profils, {len(pack.rules)} règles.")
        if stale is not None:
            click.echo(f"{len(old)} élément(s) revu(s) il y a plus de {stale} jours.")
    if errors:
        click.echo(f"Pack invalide : {len(errors)} erreur(s) ({where}).", err=True)
        raise SystemExit(EXIT_BAD_INPUT)


# ---------------------------------------------------------------------------------- import-rem


@packs_group.command("import-rem")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--pack", "pack_id", required=True, help="Identifiant du pack à créer, ex. HOP-DPI.")
@click.option("--version", default="0.1.0", show_default=True, help="Version du pack créé.")
@click.option("--rem", default=None, help="REM à retenir quand le fichier en contient plusieurs (ex. HOP-DPI).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Fichier pack.toml à écrire, ou dossier (défaut : ./<pack>/pack.toml).")
@click.option("--no-statements", is_flag=True, help="Ne pas reprendre les énoncés (libellés courts seulement).")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@today_option
def import_rem_cmd(file: Path, pack_id: str, version: str, rem: str | None, output: Path | None,
                   no_statements: bool, force: bool, today: dt.date | None) -> None:
    """Construit un pack à partir d'un tableur REM officiel (.xlsx), colonnes repérées par leur nom."""
    day = resolve_today(today)
    result = import_rem_with_report(file, pack_id=pack_id, version=version, released=day, reviewed=day,
                                    rem=rem, include_statements=not no_statements)
    target = output or Path(pack_id.lower()) / "pack.toml"
    if target.is_dir() or target.suffix != ".toml":
        target = target / "pack.toml"
    if target.exists() and not force:
        fail(f"{target} existe déjà (utilisez --force pour le remplacer)")
    header = (f"Pack importé de {file.name} par segur-plan {__version__} le {day}.\n"
              "Contient les énoncés du fichier officiel : ne le publiez pas sans en avoir le droit."
              if not no_statements else f"Pack importé de {file.name} le {day} (sans énoncés).")
    write_output(dump_pack_toml(result.pack, header), target)
    click.echo(result.report.summary(), err=True)


# ---------------------------------------------------------------------------------- new


@packs_group.command("new")
@click.argument("name")
@click.option("--id", "pack_id", default=None, help="Identifiant du pack (défaut : NAME en majuscules).")
@click.option("-d", "--dir", "target_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Dossier où créer la distribution.")
@click.option("--no-socle", is_flag=True, help="Ne pas s'appuyer sur le socle commun (socle-segur).")
@today_option
def new_cmd(name: str, pack_id: str | None, target_dir: Path, no_socle: bool, today: dt.date | None) -> None:
    """Crée le squelette d'une distribution de pack autonome (pyproject, pack.toml, test)."""
    files = scaffold_pack(name, target_dir, pack_id=pack_id, today=resolve_today(today), uses_socle=not no_socle,
                          taken_ids=engine().registry.ids(include_socles=True))
    for file in files:
        click.echo(f"Créé : {file}")
    root = min(files, key=lambda f: len(f.parts)).parent  # the distribution's own folder
    click.echo(f"Installez-le avec : pip install -e {root}", err=True)


# ---------------------------------------------------------------------------------- diff


@packs_group.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--provenance", is_flag=True, help="Signaler aussi les changements de sources et de dates de revue.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None)
def diff_cmd(old: str, new: str, fmt: str, provenance: bool, output: Path | None) -> None:
    """Compare deux versions d'un pack (chemins de pack.toml, ou ID / ID@VERSION installé)."""
    diff = diff_packs(_load_target(old)[0], _load_target(new)[0], include_provenance=provenance)
    text = {"text": render_diff_text, "md": render_diff_markdown,
            "json": lambda d: to_json(d.model_dump(mode="json"))}[fmt](diff)
    write_output(text, output)
