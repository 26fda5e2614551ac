"""``segur-plan packs …``: what is installed, and what each pack holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from segur_plan import __version__
from segur_plan.engine.documents import pack_detail, pack_list
from segur_plan.engine.errors import FieldProblem, PackError, SegurPlanError
from segur_plan.engine.models.common import plural
from segur_plan.engine.models.pack import ChangelogEntry, Pack, SourceRef
from segur_plan.engine.pack_diff import diff_packs, rem_changes, render_diff_markdown, render_diff_text
from segur_plan.engine.pack_loading import load_pack_file, resolve_pack
from segur_plan.engine.pack_validation import check_pack, check_review_dates, stale_items
from segur_plan.engine.pack_writing import dump_pack_toml
from segur_plan.engine.parameters import history as parameter_history
from segur_plan.engine.rem_import import SOURCE_KEY, import_rem_with_report
from segur_plan.engine.render.json_render import to_json
from segur_plan.engine.render.labels import PACK_STATUS
from segur_plan.engine.scaffold import scaffold_pack

from .common import (
    DATE,
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
    """Liste les packs installés, leur version, leurs profils et leur origine (distribution
    installée par pip, ou dossier local de SEGUR_PLAN_PACKS_PATH / --packs-path)."""
    registry = engine().registry
    entries = [registry.entries[i] for i in registry.ids(include_socles=show_all)]
    if fmt == "json":
        click.echo(to_json(pack_list(registry, include_socles=show_all)), nl=False)
        return
    for e in entries:
        p = e.pack
        click.echo(f"{p.id:<14} {p.version:<8} vague {p.vague or '—':<3} {PACK_STATUS.get(p.status, p.status):<9} "
                   f"{plural(len(p.exigences), 'exigence'):>14}  {plural(len(p.profils), 'profil'):>10}  {p.title}")
        click.echo(f"{'':<14} origine : {e.origin}")
    for b in registry.broken:
        click.echo(f"INUTILISABLE  {b.pack_id or '?'} ({b.origin}) : {b.reason}", err=True)
        for problem in b.problems:
            click.echo(f"    - {problem.text()}", err=True)


@packs_group.command("show")
@click.argument("pack_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_cmd(pack_id: str, fmt: str) -> None:
    """Affiche le contenu d'un pack : profils, règles, paramètres datés, calendrier, historique, sources."""
    entry = engine().registry.get(pack_id)
    pack = entry.pack
    if fmt == "json":
        click.echo(to_json(pack_detail(entry)), nl=False)
        return
    out = [f"{pack.id} — {pack.title}",
           f"Version {pack.version} ({PACK_STATUS.get(pack.status, pack.status)}), publiée le {pack.released}, "
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
    out += ["", f"Paramètres ({len(pack.parameters)}) :"]
    for param, rows in parameter_history(pack):
        out.append(f"  - {param.id} : {param.label} ({param.unit})")
        out += [f"      {since} : {value} — {source} (revu le {reviewed})" for since, value, source, reviewed in rows]
    out += ["", "Calendrier publié :"]
    published = [f"  - {d.id} : {d.date}{' ' + d.time.strftime('%H:%M') if d.time else ''}"
                 for d in pack.calendar.published]
    out += published or ["  - aucun (échéances estimées depuis T0)"]
    if pack.vague1_dates:
        out += ["", "Dates de la Vague 1 (historique, hors calendrier) :"]
        out += [f"  - {h.date}{' ' + h.time.strftime('%H:%M') if h.time else ''} : {h.label}"
                for h in pack.vague1_dates]
    out += ["", f"Historique ({plural(len(pack.changelog), 'version')}) :"]
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
            "errors": [p.as_dict() for p in errors],
            "stale": [p.as_dict() for p in old],
        }), nl=False)
    else:
        for p in errors:
            click.echo(f"ERREUR  {p.text()}")
        for p in old:
            click.echo(f"À REVOIR  {p.text()}")
        if pack is not None and not errors:
            click.echo(f"{pack.id} {pack.version} est valide ({where}) : {plural(len(pack.exigences), 'exigence')}, "
                       f"{plural(len(pack.profils), 'profil')}, {plural(len(pack.rules), 'règle')}.")
        if stale is not None:
            click.echo(f"{plural(len(old), 'élément revu', 'éléments revus')} il y a plus de {stale} jours.")
    if errors:
        click.echo(f"Pack invalide : {plural(len(errors), 'erreur')} ({where}).", err=True)
        raise SystemExit(EXIT_BAD_INPUT)


# ---------------------------------------------------------------------------------- import-rem


@packs_group.command("import-rem")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pack", "pack_id", required=True, help="Identifiant du pack à créer, ex. HOP-DPI.")
@click.option("--version", default=None,
              help="Version du pack créé (défaut : 0.1.0 ; avec --previous, la version suivante).")
@click.option("--rem", default=None, help="REM à retenir quand le fichier en contient plusieurs (ex. HOP-DPI).")
@click.option("--previous", type=click.Path(path_type=Path), default=None, metavar="ANCIEN/pack.toml",
              help="Pack de la version précédente du REM : le nouveau pack reprend son historique et y ajoute "
                   "une entrée datée de --released listant chaque exigence, scénario et preuve ajouté, supprimé "
                   "ou modifié (énoncé, profil, nature, criticité).")
@click.option("--released", type=DATE, default=None,
              help="Date de publication de cette version du REM (AAAA-MM-JJ ; défaut : --today).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Fichier pack.toml à écrire, ou dossier (défaut : ./<pack>/pack.toml).")
@click.option("--no-statements", is_flag=True, help="Ne pas reprendre les énoncés (libellés courts seulement).")
@click.option("--no-socle", is_flag=True,
              help="Ne pas s'appuyer sur le socle commun (règles de cycle, formats de preuve, parcours).")
@click.option("--replaces", is_flag=True,
              help="Le pack créé remplace le pack installé du même identifiant quand il est chargé depuis "
                   "SEGUR_PLAN_PACKS_PATH ou --packs-path (clé replaces du pack.toml).")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@today_option
def import_rem_cmd(file: Path, pack_id: str, version: str | None, rem: str | None, previous: Path | None,
                   released: dt.date | None, output: Path | None, no_statements: bool, no_socle: bool,
                   replaces: bool, force: bool, today: dt.date | None) -> None:
    """Construit un pack à partir d'un tableur REM officiel (.xlsx), colonnes repérées par leur nom.

    \b
    Exemples :
      segur-plan packs import-rem REM-HOP-DPI-Va2.xlsx --pack HOP-DPI-REM -o ~/packs/hop-dpi-rem
      segur-plan packs import-rem REM-v2.xlsx --pack HOP-DPI-REM --previous ~/packs/hop-dpi-rem/pack.toml \\
          --released 2025-06-30 -o ~/packs/hop-dpi-rem --force
    Placez le dossier dans SEGUR_PLAN_PACKS_PATH (ou --packs-path) pour planifier avec ce pack.
    """
    day = resolve_today(today)
    old = load_pack_file(previous / "pack.toml" if previous is not None and previous.is_dir() else previous) \
        if previous is not None else None
    if old is not None and old.id != pack_id:
        fail(f"--pack {pack_id} mais le pack précédent ({previous}) est {old.id} : l'historique d'un pack "
             "ne passe pas à un autre identifiant")
    result = import_rem_with_report(file, pack_id=pack_id, version=version or _next_version(old),
                                    released=released or day, reviewed=day, rem=rem,
                                    include_statements=not no_statements)
    pack = result.pack
    socle = "socle-segur"
    if not no_socle and socle in engine().registry.entries:
        pack = pack.model_copy(update={"uses": (socle,)})
    if replaces:
        pack = pack.model_copy(update={"replaces": pack_id})
    summary = ""
    if old is not None:
        pack, summary = with_new_version(pack, old, released or day, file.name)
    target = output or Path(pack_id.lower()) / "pack.toml"
    if target.is_dir() or target.suffix != ".toml":
        target = target / "pack.toml"
    if target.exists() and not force:
        fail(f"{target} existe déjà (utilisez --force pour le remplacer)")
    header = (f"Pack importé de {file.name} par segur-plan {__version__} le {day}.\n"
              "Contient les énoncés du fichier officiel : ne le publiez pas sans en avoir le droit."
              if not no_statements else f"Pack importé de {file.name} le {day} (sans énoncés).")
    write_output(dump_pack_toml(pack, header), target)
    click.echo(result.report.summary(), err=True)
    if summary:
        click.echo(summary, err=True)


def _next_version(old: Pack | None) -> str:
    """0.1.0 for a first import; after ``old``, its next minor version (1.4.2 → 1.5.0)."""
    if old is None:
        return "0.1.0"
    parts = old.version.split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        return ".".join([parts[0], str(int(parts[1]) + 1), *("0" for _ in parts[2:])])
    return f"{old.version}.1"


def _item_ids(pack: Pack) -> set[str]:
    """The IDs of a pack's exigences, scénarios and preuves."""
    return {i for e in pack.exigences
            for i in (e.id, *(s.id for s in e.scenarios), *(p.id for s in e.scenarios for p in s.preuves))}


def with_new_version(pack: Pack, old: Pack, released: dt.date, file: str) -> tuple[Pack, str]:
    """``pack`` with ``old``'s metadata and changelog plus the entry of this REM version."""
    if any(c.date == released for c in old.changelog):
        fail(f"l'historique de {old.id} {old.version} a déjà une entrée datée du {released} : "
             "choisissez la date de cette version du REM avec --released")
    if released <= old.released:
        click.echo(f"Attention : --released {released} ne suit pas la version précédente ({old.released}).",
                   err=True)
    changes = rem_changes(old, pack)
    items = tuple(sorted({i for ids in changes.values() for i in ids}))
    before, after = _item_ids(old), _item_ids(pack)
    counts = ", ".join(f"{len(ids)} {label}" for label, ids in zip(("exigence(s)", "scénario(s)", "preuve(s)"),
                                                                    changes.values(), strict=True))
    entry = ChangelogEntry(
        date=released, items=items, added=tuple(i for i in items if i in after and i not in before),
        note=f"Nouvelle version du REM ({file}) : {counts} ajouté(e)s, supprimé(e)s ou modifié(e)s depuis "
             f"la version {old.version}.",
        source=SourceRef(ref=SOURCE_KEY, section=f"{file}, comparé à {old.id} {old.version}"))
    carried = {k: getattr(old, k) for k in ("title", "couloir", "dsr", "vague", "replaces") if getattr(old, k)}
    if carried.get("title", "").startswith("REM importé de"):
        carried.pop("title")
    history = tuple(sorted((*old.changelog, entry), key=lambda c: c.date))
    sources = {k: v for k, v in old.sources.items() if any(c.source.ref == k for c in old.changelog)}
    new = pack.model_copy(update={**carried, "changelog": history, "sources": sources | dict(pack.sources)})
    problems = check_pack(new) if not new.uses else []
    if problems:  # pragma: no cover - the changelog cites its own source
        raise PackError("Le pack produit est incohérent.", pack_id=new.id, problems=problems)
    lines = [f"Historique : entrée du {released}, {len(items)} élément(s) modifié(s) ({counts})."]
    names = {"exigences": "exigences", "scenarios": "scénarios", "preuves": "preuves"}
    lines += [f"  {names[family]} : {', '.join(ids)}" for family, ids in changes.items() if ids]
    return new, "\n".join(lines)


# ---------------------------------------------------------------------------------- new


@packs_group.command("new")
@click.argument("name")
@click.option("--id", "pack_id", default=None, help="Identifiant du pack (défaut : NOM en majuscules).")
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
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Fichier de sortie (« - » ou absent : la sortie standard).")
def diff_cmd(old: str, new: str, fmt: str, provenance: bool, output: Path | None) -> None:
    """Compare deux versions d'un pack (chemins de pack.toml, ou ID / ID@VERSION installé)."""
    diff = diff_packs(_load_target(old)[0], _load_target(new)[0], include_provenance=provenance)
    text = {"text": render_diff_text, "md": render_diff_markdown,
            "json": lambda d: to_json(d.model_dump(mode="json"))}[fmt](diff)
    write_output(text, output)
