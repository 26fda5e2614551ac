"""What the command modules share: error mapping, dates, output, engine construction."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from segur_plan.engine.api import Engine
from segur_plan.engine.dates import today_in_paris
from segur_plan.engine.errors import InputError, SegurPlanError
from segur_plan.engine.registry import PACKS_PATH_ENV_VAR, packs_path_from_env
from segur_plan.engine.render import EXTENSIONS
from segur_plan.engine.rules import BACKENDS, ENV_VAR
from segur_plan.engine.storage import is_stdout, os_error_text, write_file

EXIT_OK, EXIT_BLOCKING, EXIT_BAD_INPUT = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(code)


def report(exc: SegurPlanError, file: str | None = None) -> NoReturn:
    """Print one French message (with the file and each faulty field) and exit 2."""
    if isinstance(exc, InputError) and exc.path is None and file:
        exc.path = file
    path = exc.path if isinstance(exc, InputError) else file
    where = f"{path} : " if path and path not in exc.message else ""
    fail(where + str(exc))


def quiet_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of a closed pipe
    raises nothing (the recipe of the Python documentation, « Note on SIGPIPE »)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (tests): nothing to flush later
        pass


class CliGroup(click.Group):
    """A group that turns the engine's errors into messages and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SegurPlanError as exc:
            report(exc)
        except BrokenPipeError:  # the reader went away (segur-plan … | head): stop quietly
            quiet_stdout()
            sys.exit(EXIT_BLOCKING)
        except OSError as exc:  # writing an output file, reading a folder…
            fail(os_error_text(exc))


class DateParam(click.ParamType):
    name = "AAAA-MM-JJ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"date invalide « {value} » : format attendu AAAA-MM-JJ", param, ctx)


DATE = DateParam()


def today_option(func: F) -> F:
    return click.option(
        "--today", type=DATE, default=None,
        help="Date de référence (AAAA-MM-JJ, Europe/Paris) ; par défaut, aujourd'hui à Paris.",
    )(func)


def backend_option(func: F) -> F:
    return click.option(
        "--backend", type=click.Choice(BACKENDS), default=None, envvar=ENV_VAR, show_envvar=True,
        help="Moteur de règles : durable-rules, natif, ou auto (durable-rules s'il est importable).",
    )(func)


def resolve_today(today: dt.date | None) -> dt.date:
    return today or today_in_paris()


#: Where the root option ``--packs-path`` keeps its folders (``ctx.meta`` of the root context).
PACKS_PATH_META = "segur_plan.packs_path"
PACKS_PATH_HELP = (f"Dossier de packs locaux (pack.toml, ou sous-dossiers qui en contiennent), sans pip ; "
                   f"répétable, s'ajoute à la variable {PACKS_PATH_ENV_VAR}.")


def packs_path() -> tuple[Path, ...]:
    """The folders of local packs: ``SEGUR_PLAN_PACKS_PATH``, then the root's ``--packs-path``."""
    ctx = click.get_current_context(silent=True)
    given = tuple(ctx.find_root().meta.get(PACKS_PATH_META, ())) if ctx is not None else ()
    return packs_path_from_env() + given


@functools.cache
def _engine(backend: str | None, paths: tuple[Path, ...]) -> Engine:
    return Engine(backend=backend, packs_path=paths)


def engine(backend: str | None = None) -> Engine:
    """The engine of this process (packs are discovered once per backend and packs path)."""
    return _engine(backend, packs_path())


def rem_option(func: F) -> F:
    return click.option(
        "--rem", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FICHIER.xlsx",
        help="REM officiel (.xlsx) téléchargé par l'éditeur : ses exigences, scénarios et preuves remplacent "
             "le catalogue du pack (règles, calendrier et parcours du pack restent). Remplace la clé "
             "referencement.rem du profil.",
    )(func)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def colour_wanted() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


def output_format(fmt: str | None, output: Path | None) -> str:
    """``--format`` when given; else the extension of ``-o``; else ``text`` on a terminal and
    ``json`` when the output is piped or redirected (what scripts rely on). A file without an
    extension gets JSON; an unknown extension is an error (``plan.htlm`` is a typo, not JSON)."""
    if fmt is not None:
        return fmt
    if output is not None and not is_stdout(output):
        if not output.suffix:
            return "json"
        found = EXTENSIONS.get(output.suffix.lower())
        if found is None:
            known = " ".join(sorted(EXTENSIONS))
            fail(f"{output} : extension « {output.suffix} » inconnue ; précisez --format "
                 f"ou utilisez l'une de : {known}")
        return found
    return "text" if stdout_is_terminal() else "json"


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write to ``output`` through the engine's one writer (UTF-8, atomic, never over a device,
    a pipe or a folder), or to stdout when ``output`` is None or ``-``."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")  # line endings kept (ICS: CRLF)
    if output is None or is_stdout(output):
        write_file("-", data, stdout=sys.stdout.buffer)
        return
    write_file(output, data)
    click.echo(f"Écrit : {output}", err=True)
