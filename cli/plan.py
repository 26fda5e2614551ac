"""``segur-plan plan`` and ``segur-plan explain``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from segur_plan.engine.api import Explanation, ItemExplanation
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.common import Level
from segur_plan.engine.models.profile import SolutionProfile
from segur_plan.engine.render import RENDERERS, render_bytes
from segur_plan.engine.render.json_render import to_json
from segur_plan.engine.storage import is_stdout
from segur_plan.engine.vocabulary import REQ_STATUS_VERDICT

from .common import (
    EXIT_BLOCKING,
    backend_option,
    colour_wanted,
    engine,
    output_format,
    rem_option,
    report,
    resolve_today,
    today_option,
    write_output,
)

PROFILE = click.Path(path_type=Path, dir_okay=False)


def _load(path: Path) -> SolutionProfile:
    try:
        return load_profile(path)
    except SegurPlanError as exc:
        report(exc, str(path))


@click.command("plan")
@click.argument("profile", type=PROFILE)
@today_option
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default=None,
              help="Format du plan : text (résumé pour le terminal), json, md (Markdown), html (rapport "
                   "autonome, imprimable en A4) ou ics (échéances pour un agenda). Par défaut : celui de "
                   "l'extension de -o (.txt .json .md .html .ics), sinon text sur un terminal et json "
                   "quand la sortie est redirigée (scripts).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Fichier de sortie (« - » ou absent : la sortie standard). Un périphérique, un tube "
                   "nommé ou un dossier est refusé ; un lien symbolique est suivi.")
@click.option("--strict", is_flag=True, help="Code de sortie 1 si le plan contient un point bloquant.")
@rem_option
@backend_option
def plan_cmd(profile: Path, today: dt.date | None, fmt: str, output: Path | None, strict: bool,
             rem: Path | None, backend: str | None) -> None:
    """Calcule le plan de conformité du profil de solution PROFIL (fichier TOML).

    Avec --rem (ou [referencement] rem dans le profil), le catalogue vient du REM officiel
    téléchargé par l'éditeur : segur-plan plan profil.toml --rem REM-HOP-DPI-Va2.xlsx
    """
    try:
        result = engine(backend).plan_file(profile, today=resolve_today(today), rem=rem)
    except SegurPlanError as exc:
        report(exc, str(profile))
    fmt = output_format(fmt, output)
    if fmt == "text":
        write_output(RENDERERS["text"](result, colour=(output is None or is_stdout(output)) and colour_wanted()),
                     output)
    else:
        write_output(render_bytes(fmt, result), output)
    if strict and any(f.level == Level.BLOCKING for f in result.findings):
        raise SystemExit(EXIT_BLOCKING)



def _explanation_text(e: Explanation) -> str:
    lines = [f"{e.exigence_id} — {e.label}", f"Statut dans le plan : {REQ_STATUS_VERDICT[e.status]}"]
    if e.solution:
        lines.append(f"Solution : {e.solution}")
    lines.append(f"Source : {e.source}")
    if e.vague1_ids:
        lines.append(f"Identifiant{'s' if len(e.vague1_ids) > 1 else ''} Vague 1 : {', '.join(e.vague1_ids)}")
    lines += ["", "Ce qui a fixé ce statut :"]
    if e.decided_by:
        lines += [f"  - {r.message}" + (f"\n    source : {r.source}" if r.source else "") for r in e.decided_by]
    elif e.status == "to-prove":
        lines.append("  - aucune règle de statut : une exigence applicable est à prouver par défaut")
    else:
        lines.append("  - aucun profil actif ni règle ne l'exige")
    lines += ["", "Profils de l'exigence :"]
    lines += [f"  - {label} ({pid}) : {'actif' if active else 'inactif'}" for pid, label, active in e.profils]
    lines += ["", "Pourquoi elle est dans le plan :"]
    lines += [f"  - {r.message}" + (f"\n    source : {r.source}" if r.source else "") for r in e.reasons] or [
        "  - elle n'y est pas : aucun profil actif ni règle ne l'exige"]
    lines += ["", "Règles qui la concernent :"]
    lines += [f"  - {t.rule_id} : {'déclenchée' if t.fired else 'non déclenchée'} — {t.effect}\n"
              f"    {t.label}\n    source : {t.source}" for t in e.rules] or ["  - aucune"]
    return "\n".join(lines) + "\n"


_ITEM_KIND = {"deadline": "Échéance", "action": "Action", "prerequisite": "Prérequis"}


def _item_text(e: ItemExplanation) -> str:
    lines = [f"{_ITEM_KIND[e.kind]} {e.id} — {e.label}"]
    lines += [f"{what} : {value}" for what, value in e.facts]
    if e.source:
        lines.append(f"Source : {e.source}")
    return "\n".join(lines) + "\n"


@click.command("explain")
@click.argument("profile", type=PROFILE)
@click.argument("exigence_id", metavar="ID")
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--solution", default=None, help="Groupement : la solution à expliquer (défaut : la première).")
@rem_option
@backend_option
def explain_cmd(profile: Path, exigence_id: str, today: dt.date | None, fmt: str, solution: str | None,
                rem: Path | None, backend: str | None) -> None:
    """Explique ce que le plan du profil PROFIL a décidé pour ID, et pourquoi.

    ID est une exigence (son statut dans le plan et la règle qui l'a fixé, règle par règle), une
    échéance (sa date et sa base), une action (ce qui la bloque) ou un prérequis. Un identifiant
    inconnu est signalé avec les plus proches. Avec --rem, le catalogue vient du REM de l'éditeur.
    """
    loaded = _load(profile)
    try:
        result = engine(backend).explain_any(loaded, exigence_id, today=resolve_today(today), solution=solution,
                                             rem=rem, base_dir=profile.parent)
    except SegurPlanError as exc:
        report(exc, str(profile))
    if fmt == "json":
        from segur_plan.engine.documents import explanation, item_explanation

        click.echo(to_json(explanation(result) if isinstance(result, Explanation) else item_explanation(result)),
                   nl=False)
    elif isinstance(result, Explanation):
        click.echo(_explanation_text(result), nl=False)
    else:
        click.echo(_item_text(result), nl=False)
