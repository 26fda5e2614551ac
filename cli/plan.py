"""``segur-plan plan`` and ``segur-plan explain``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from segur_plan.engine.api import Explanation
from segur_plan.engine.documents import explanation
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.common import Level
from segur_plan.engine.models.profile import SolutionProfile
from segur_plan.engine.render import RENDERERS
from segur_plan.engine.render.json_render import to_json

from .common import (
    EXIT_BLOCKING,
    backend_option,
    engine,
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
@click.option("--format", "fmt", type=click.Choice(list(RENDERERS)), default="json", show_default=True,
              help="Format du plan : json, md (Markdown), html (rapport autonome, imprimable en A4) "
                   "ou ics (échéances pour un agenda).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Fichier de sortie (sinon la sortie standard).")
@click.option("--strict", is_flag=True, help="Code de sortie 1 si le plan contient un point bloquant.")
@backend_option
def plan_cmd(profile: Path, today: dt.date | None, fmt: str, output: Path | None, strict: bool,
             backend: str | None) -> None:
    """Calcule le plan de conformité du profil de solution PROFILE (fichier TOML)."""
    try:
        result = engine(backend).plan_file(profile, today=resolve_today(today))
    except SegurPlanError as exc:
        report(exc, str(profile))
    write_output(RENDERERS[fmt](result), output)
    if strict and any(f.level == Level.BLOCKING for f in result.findings):
        raise SystemExit(EXIT_BLOCKING)


def _explanation_text(e: Explanation) -> str:
    verdict = "S'APPLIQUE" if e.applicable else ("EXCLUE" if e.excluded else "NE S'APPLIQUE PAS")
    lines = [f"{e.exigence_id} — {e.label}", f"Verdict : {verdict}", f"Source : {e.source}"]
    if e.vague1_ids:
        lines.append(f"Identifiant{'s' if len(e.vague1_ids) > 1 else ''} Vague 1 : {', '.join(e.vague1_ids)}")
    lines += ["", "Profils de l'exigence :"]
    lines += [f"  - {label} ({pid}) : {'actif' if active else 'inactif'}" for pid, label, active in e.profils]
    lines += ["", "Raisons :"]
    lines += [f"  - {r.message}\n    source : {r.source}" for r in e.reasons] or [
        "  - aucune : aucun profil actif ni règle ne l'exige"]
    lines += ["", "Règles qui la concernent :"]
    lines += [f"  - {t.rule_id} : {'déclenchée' if t.fired else 'non déclenchée'} — {t.effect}\n"
              f"    {t.label}\n    source : {t.source}" for t in e.rules] or ["  - aucune"]
    return "\n".join(lines) + "\n"


@click.command("explain")
@click.argument("profile", type=PROFILE)
@click.argument("exigence_id")
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--solution", default=None, help="Groupement : la solution à expliquer (défaut : la première).")
@backend_option
def explain_cmd(profile: Path, exigence_id: str, today: dt.date | None, fmt: str, solution: str | None,
                backend: str | None) -> None:
    """Explique, règle par règle, pourquoi EXIGENCE_ID s'applique ou non au profil PROFILE."""
    loaded = _load(profile)
    try:
        result = engine(backend).explain(loaded, exigence_id, today=resolve_today(today), solution=solution)
    except SegurPlanError as exc:
        report(exc, str(profile))
    if fmt == "json":
        click.echo(to_json(explanation(result)), nl=False)
    else:
        click.echo(_explanation_text(result), nl=False)
