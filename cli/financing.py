"""``segur-plan financing check`` and ``segur-plan financing schema``.

Exit codes of ``check``: 0 when nothing blocks, 1 when the ASP would refuse a request (a blocking
finding), 2 for a bad input (unreadable file, invalid field, unknown pack…).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from segur_plan.engine.errors import SegurPlanError
from segur_plan.engine.financing import FinancingFile, check_financing, load_financing, parameters_for
from segur_plan.engine.financing.checks import euros, fr_date
from segur_plan.engine.financing.report import FinancingReport
from segur_plan.engine.loading import load_profile
from segur_plan.engine.models.common import Level, plural
from segur_plan.engine.render.json_render import to_json
from segur_plan.engine.vocabulary import LEVEL_TITLE, SOLICITATION_REPORT

from .common import EXIT_BLOCKING, CliGroup, engine, report, resolve_today, today_option

FILE = click.Path(path_type=Path, dir_okay=False)



@click.group("financing", cls=CliGroup)
def financing_group() -> None:
    """Financement SONS (ASP) : vérifie avance, solde et annulations avant le dépôt."""


def _plan_dates(profile_path: Path, today: dt.date) -> tuple[str, dt.date | None, dt.date | None]:
    """(pack, dossier-complet deadline, avance deadline) from the profile's plan."""
    try:
        profile = load_profile(profile_path)
        plan = engine().plan(profile, today=today)
    except SegurPlanError as exc:
        report(exc, str(profile_path))
    dates = {d.id: d.date for d in plan.deadlines}
    return profile.referencement.pack, dates.get("dossier-complet"), dates.get("avance")


def render_text(result: FinancingReport, source: str) -> str:
    """The report for a terminal, in French."""
    verdict = "RECEVABLE" if result.accepted else f"REFUSÉ ({plural(result.summary.blocking, 'point bloquant')})"
    lines = [f"Fichier de financement : {source} (dispositif {result.pack}, au {fr_date(result.today)})",
             f"Verdict : {verdict}"]
    for level in Level:
        group = [f for f in result.findings if f.level == level]
        if not group:
            continue
        lines += ["", f"{LEVEL_TITLE[level]} :"]
        for f in group:
            lines.append(f"  - [{f.code}] {f.message}")
            if f.refs:
                lines.append(f"    réf. : {', '.join(f.refs)}")
    if result.soldes:
        lines += ["", "Soldes :"]
        for s in result.soldes:
            if s.avance is None:
                lines.append(f"  - {s.request} : aucune avance dans le fichier, périmètre non comparé")
                continue
            parts = [f"avance {s.avance}"]
            if s.removed:
                parts.append(f"retirés : {', '.join(s.removed)}")
            if s.added:
                parts.append(f"ajoutés : {', '.join(s.added)}")
            if s.merged:
                parts.append(f"fusions/scissions : {', '.join(s.merged)}")
            note = "" if s.compensation_complete else " (incomplète)"
            parts.append(f"compensation : {euros(s.compensation)}{note}")
            lines.append(f"  - {s.request} : {' ; '.join(parts)}")
    if result.cancellations:
        lines += ["", "Annulations :"]
        for c in result.cancellations:
            lines.append(f"  - {c.request} ({fr_date(c.date)}) : cas {c.case} — {c.outcome}")
            lines.append(f"    à envoyer : {' ; '.join(c.send)}")
            if c.repay is not None:
                lines.append(f"    à rembourser : {euros(c.repay)}")
            if c.settle_at_solde is not None:
                lines.append(f"    régularisé au solde : {euros(c.settle_at_solde)}")
    if result.contestations:
        lines += ["", "Contestations :"]
        for k in result.contestations:
            lines.append(f"  - {k.request} : reçue le {fr_date(k.received)}, réponse due le {fr_date(k.due)} "
                         f"({SOLICITATION_REPORT[k.status]})")
    return "\n".join(lines) + "\n"


@financing_group.command("check")
@click.argument("file", type=FILE)
@click.option("--profile", "profile_path", type=FILE, default=None,
              help="Profil de solution (TOML) : son dispositif et les dates de son plan (dossier complet, "
                   "date limite des avances) complètent la vérification.")
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format du rapport.")
def check_cmd(file: Path, profile_path: Path | None, today: dt.date | None, fmt: str) -> None:
    """Vérifie le fichier de financement FICHIER (TOML ou JSON) comme le ferait l'ASP.

    Code de sortie : 0 rien de bloquant, 1 une demande serait refusée, 2 entrée invalide.
    """
    day = resolve_today(today)
    try:
        financing = load_financing(file)
    except SegurPlanError as exc:
        report(exc, str(file))
    pack_id = complete = deadline = None
    if profile_path is not None:
        pack_id, complete, deadline = _plan_dates(profile_path, day)
    result = check_financing(financing, today=day, pack_id=pack_id, complete_dossier_date=complete,
                             avance_deadline=deadline, parameters=parameters_for(engine().registry, financing.pack))
    click.echo(to_json(result.model_dump(mode="json")) if fmt == "json" else render_text(result, str(file)),
               nl=False)
    if not result.accepted:
        raise SystemExit(EXIT_BLOCKING)


@financing_group.command("schema")
@click.argument("what", type=click.Choice(["file", "report"]), default="file")
def schema_cmd(what: str) -> None:
    """Affiche le schéma JSON du fichier de financement (file) ou du rapport de vérification (report)."""
    schema = (FinancingFile.model_json_schema() if what == "file"
              else FinancingReport.model_json_schema(mode="serialization"))
    click.echo(to_json(schema), nl=False)
