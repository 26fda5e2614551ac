"""Entry point of the ``segur-plan`` command: a thin shell over the engine."""

from __future__ import annotations

import gc
import importlib
import re
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import click
from segur_plan import __version__

from .common import PACKS_PATH_HELP, PACKS_PATH_META, CliGroup
from .french import frenchify

#: Each command → the module of its group and its name there: the module is imported only when
#: the command runs (or its help is shown), so ``plan`` never imports the HTTP service, batch,
#: financing, openpyxl… (click's "lazy loading of subcommands", with the mapping as registry).
LAZY_COMMANDS = {
    "plan": ("plan", "plan_cmd"),
    "explain": ("plan", "explain_cmd"),
    "packs": ("packs", "packs_group"),
    "init": ("init", "init_cmd"),
    "serve": ("serve", "serve_cmd"),
    "financing": ("financing", "financing_group"),
    "proofs": ("proofs", "proofs_group"),
    "batch": ("batch", "batch_cmd"),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """``Group.commands`` whose commands are imported on first look-up (then made French by
    :func:`.french.frenchify`); names, membership and ``add_command`` need no import."""

    def __init__(self, lazy: dict[str, tuple[str, str]], loaded: MutableMapping[str, click.Command]) -> None:
        self._lazy = {name: where for name, where in lazy.items() if name not in loaded}
        self._loaded: dict[str, click.Command] = dict(loaded)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attr = self._lazy[name]
            command: click.Command = getattr(importlib.import_module(f"{__package__}.{module}"), attr)
            frenchify(command)
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._lazy.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._lazy and name not in self._loaded:
            raise KeyError(name)
        self._lazy.pop(name, None)
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._loaded) + [n for n in self._lazy if n not in self._loaded])

    def __len__(self) -> int:
        return len(set(self._loaded) | set(self._lazy))


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


#: The documents ``segur-plan schema`` describes: (module, model).
SCHEMAS = {"profile": ("segur_plan.engine.models.profile", "SolutionProfile"),
           "plan": ("segur_plan.engine.models.plan", "Plan"),
           "pack": ("segur_plan.engine.models.pack", "Pack"),
           "financing": ("segur_plan.engine.financing.models", "FinancingFile")}


@main.command("schema")
@click.argument("what", type=click.Choice(list(SCHEMAS)))
def schema_cmd(what: str) -> None:
    """Affiche le schéma JSON du profil de solution, du plan ou d'un pack."""
    from segur_plan.engine.render.json_render import to_json

    module, name = SCHEMAS[what]
    model = getattr(importlib.import_module(module), name)
    click.echo(to_json(model.model_json_schema()), nl=False)


frenchify(main)  # argument names and usage line in French (the lazy commands: when they load)
main.commands = LazyCommands(LAZY_COMMANDS, main.commands)


_QUOTED = re.compile(r"'([^'\s]+)'")


def _guillemets(message: str) -> str:
    """click quotes values as Python does ('PROFIL', '--bogus'); French quotes with « »."""
    return _QUOTED.sub(r"« \1 »", message)


def run(argv: list[str] | None = None) -> None:
    """Console-script entry: French usage errors, exit codes 0 / 1 / 2, never a traceback.

    As the process's entry (``argv`` None), the objects alive are moved out of the garbage
    collector's reach (:func:`gc.freeze`) after the imports and again before exiting: the
    collector then never traverses the modules and packs, which live until the process ends
    anyway (a third of the CPU of a short ``plan`` went to collecting them at exit).
    """
    entry = argv is None
    if entry:
        gc.freeze()
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
    finally:
        if entry:
            gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
