"""Entry point of the ``segur-plan`` command: a thin shell over the engine."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from segur_plan import __version__
from segur_plan.engine.financing import FinancingFile
from segur_plan.engine.models import Pack, Plan, SolutionProfile
from segur_plan.engine.render.json_render import to_json

from .batch import batch_cmd
from .common import PACKS_PATH_HELP, PACKS_PATH_META, CliGroup
from .financing import financing_group
from .french import frenchify
from .init import init_cmd
from .packs import packs_group
from .plan import explain_cmd, plan_cmd
from .proofs import proofs_group
from .serve import serve_cmd


@click.group(cls=CliGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="segur-plan", message="%(prog)s %(version)s",
                      help="Affiche la version et quitte.")
@click.option("--packs-path", "packs_path", multiple=True, metavar="DOSSIER",
              type=click.Path(path_type=Path, file_okay=False), help=PACKS_PATH_HELP)
@click.pass_context
def main(ctx: click.Context, packs_path: tuple[Path, ...]) -> None:
    """Plan de conformité pour le référencement Ségur (ANS) et son financement SONS.

    Décrivez votre solution dans un profil TOML (segur-plan init), puis calculez son plan
    (segur-plan plan profil.toml). Codes de sortie : 0 ok, 1 point bloquant avec --strict,
    2 entrée invalide.

    Packs locaux sans pip : --packs-path DOSSIER ou la variable SEGUR_PLAN_PACKS_PATH. REM
    officiel de l'éditeur : plan PROFIL --rem REM.xlsx ou [referencement] rem = "REM.xlsx".
    """
    ctx.meta[PACKS_PATH_META] = packs_path


SCHEMAS = {"profile": SolutionProfile, "plan": Plan, "pack": Pack, "financing": FinancingFile}


@main.command("schema")
@click.argument("what", type=click.Choice(list(SCHEMAS)))
def schema_cmd(what: str) -> None:
    """Affiche le schéma JSON du profil de solution, du plan ou d'un pack."""
    click.echo(to_json(SCHEMAS[what].model_json_schema()), nl=False)


main.add_command(plan_cmd)
main.add_command(explain_cmd)
main.add_command(packs_group)
main.add_command(init_cmd)
main.add_command(serve_cmd)
main.add_command(financing_group)
main.add_command(proofs_group)
main.add_command(batch_cmd)
frenchify(main)  # argument names and usage line in French, for every command added above


_QUOTED = re.compile(r"'([^'\s]+)'")


def _guillemets(message: str) -> str:
    """click quotes values as Python does ('PROFIL', '--bogus'); French quotes with « »."""
    return _QUOTED.sub(r"« \1 »", message)


def run(argv: list[str] | None = None) -> None:
    """Console-script entry: French usage errors, exit codes 0 / 1 / 2, never a traceback."""
    try:
        main.main(args=argv, prog_name="segur-plan", standalone_mode=False)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "segur-plan"
        click.echo(f"Erreur : {_guillemets(exc.format_message())}\nAide : {command} --help", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"Erreur : {_guillemets(exc.format_message())}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":  # pragma: no cover
    run()
