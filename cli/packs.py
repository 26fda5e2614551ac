"""``segur-plan packs …``: what is installed, and what each pack holds."""

from __future__ import annotations

from typing import Any

import click

from segur_plan.engine.registry import PackEntry, PackRegistry
from segur_plan.engine.render.json_render import to_json

from .common import CliGroup, engine


@click.group("packs", cls=CliGroup)
def packs_group() -> None:
    """Packs installés (un pack par DSR, plus le socle commun)."""


def _summary(entry: PackEntry) -> dict[str, Any]:
    pack = entry.pack
    return {
        "id": pack.id, "kind": pack.kind, "title": pack.title, "couloir": pack.couloir,
        "vague": pack.vague, "version": pack.version, "released": pack.released.isoformat(),
        "status": pack.status, "sha256": entry.sha256, "origin": entry.origin,
        "exigences": len(pack.exigences),
        "scenarios": sum(len(e.scenarios) for e in pack.exigences),
        "preuves": sum(len(s.preuves) for e in pack.exigences for s in e.scenarios),
        "rules": len(pack.rules),
        "profils": [{"id": p.id, "label": p.label, "general": p.general} for p in pack.profils],
        "coverage": pack.coverage,
    }


def _broken(registry: PackRegistry) -> list[dict[str, Any]]:
    return [{"origin": b.origin, "pack_id": b.pack_id, "reason": b.reason,
             "problems": [{"loc": p.loc, "message": p.message} for p in b.problems]} for b in registry.broken]


@packs_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Inclure les socles partagés.")
def list_cmd(fmt: str, show_all: bool) -> None:
    """Liste les packs installés, leur version et leurs profils."""
    registry = engine().registry
    entries = [registry.entries[i] for i in registry.ids(include_socles=show_all)]
    if fmt == "json":
        click.echo(to_json({"packs": [_summary(e) for e in entries], "broken": _broken(registry)}), nl=False)
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
        click.echo(to_json(_summary(entry) | {"pack": pack.model_dump(mode="json")}), nl=False)
        return
    out = [f"{pack.id} — {pack.title}", f"Version {pack.version} ({pack.status}), publiée le {pack.released}, "
           f"revue le {pack.reviewed}", f"Origine : {entry.origin}", f"SHA-256 : {entry.sha256}", "",
           "Couverture :", f"  {pack.coverage}", "", f"Profils ({len(pack.profils)}) :"]
    out += [f"  - {p.id} : {p.label}{' (général)' if p.general else ''}" for p in pack.profils]
    out += ["", f"Exigences : {len(pack.exigences)}", "", f"Règles ({len(pack.rules)}) :"]
    out += [f"  - {r.id} : {r.label}" for r in pack.rules]
    out += ["", "Calendrier publié :"]
    out += [f"  - {d.id} : {d.date}{' ' + d.time.strftime('%H:%M') if d.time else ''}" for d in pack.calendar.published] \
        or ["  - aucun (échéances estimées depuis T0)"]
    out += ["", f"Historique ({len(pack.changelog)} versions) :"]
    out += [f"  - {c.date} : {', '.join(c.items) or c.note or ''}" for c in pack.changelog]
    out += ["", "Sources :"]
    out += [f"  - {k} : {d.title}{' — ' + d.url if d.url else ''}" for k, d in sorted(pack.sources.items())]
    click.echo("\n".join(out))
