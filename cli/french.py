"""click in French: its help frame, its usage errors and its prompts.

click marks every string it shows with gettext (``from gettext import gettext as _`` and
``ngettext`` in each of its modules). :func:`install` points those names, in click's modules
only, at the French catalogue below, renames the parameter types shown in help (``TEXT`` →
``TEXTE``…) and writes headings the French way (« Options : »). Nothing outside click changes:
the engine never imports this module.
"""

from __future__ import annotations

import importlib

import click
from click import formatting, types

#: click's messages (click 8.2 – 8.x), in French. Keys are click's own strings, unchanged.
CATALOGUE: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "(dynamic)": "(dynamique)",
    "Aborted!": "Interrompu.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Choice({choices})": "Choix({choices})",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Commands": "Commandes",
    "Confirm the action without prompting.": "Confirmer l'action sans la demander.",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Avertissement : la commande {name!r} est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Avertissement : {param_type} {name!r} est obsolète.{extra_message}",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Error: {message}": "Erreur : {message}",
    "Invalid start character for option ({option})": "Caractère initial invalide pour l'option ({option})",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Missing argument": "Argument manquant",
    "Missing command.": "Commande manquante.",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant(e)",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Options": "Options",
    "Positional arguments": "Arguments",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Usage:": "Utilisation :",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "argument": "l'argument",
    "default: {default}": "défaut : {default}",
    "deprecated": "obsolète",
    "directory": "dossier",
    "env var: {var}": "variable d'environnement : {var}",
    "file": "fichier",
    "option": "l'option",
    "parameter": "le paramètre",
    "path": "chemin",
    "required": "obligatoire",
    "unknown error": "erreur inconnue",
    "{editor}: Editing failed": "{editor} : échec de l'édition",
    "{editor}: Editing failed: {e}": "{editor} : échec de l'édition : {e}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas accessible en écriture.",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
}

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Vouliez-vous dire {possibility} ?", "(Vouliez-vous dire l'une de : {possibilities} ?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Argument en trop ({args})", "Arguments en trop ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("L'option {name!r} attend une valeur.", "L'option {name!r} attend {nargs} valeurs."),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Attend {nargs} valeurs, mais 1 seule a été donnée.", "Attend {nargs} valeurs, mais {len} ont été données."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} valeurs sont attendues, {len_value} a été donnée.",
         "{len_type} valeurs sont attendues, {len_value} ont été données."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} ne suit pas le format {format}.", "{value!r} ne suit aucun des formats {formats}."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} n'est pas {choice}.", "{value!r} n'est pas parmi {choices}."),
}

#: The names click shows for its parameter types (``--name TEXTE``, « n'est pas un entier valide »).
TYPE_NAMES = {"text": "texte", "integer": "entier", "float": "décimal", "boolean": "booléen",
              "integer range": "entier", "float range": "décimal", "datetime": "date et heure",
              "filename": "fichier", "uuid": "uuid"}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "shell_completion", "termui", "types",
            "utils", "_termui_impl")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    french = PLURALS.get((singular, plural))
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count < 2 else french[1]  # French: 0 and 1 take the singular


class FrenchHelpFormatter(formatting.HelpFormatter):
    """Headings with the French space before the colon: « Options : », « Commandes : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


_installed = False


def install() -> None:
    """Make click speak French in this process (idempotent)."""
    global _installed
    if _installed:
        return
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without this module
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for value in vars(types).values():
        if isinstance(value, types.ParamType) and value.name in TYPE_NAMES:
            value.name = TYPE_NAMES[value.name]
    for cls in (types.IntRange, types.FloatRange, types.IntParamType, types.FloatParamType, types.BoolParamType,
                types.StringParamType, types.DateTime, types.UUIDParameterType):
        if cls.name in TYPE_NAMES:
            cls.name = TYPE_NAMES[cls.name]
    click.Context.formatter_class = FrenchHelpFormatter
    _installed = True


#: How arguments are shown in usage lines (the parameter names stay English, as in the code).
ARGUMENT_NAMES = {"profile": "PROFIL", "file": "FICHIER", "what": "DOCUMENT", "pack_id": "PACK", "target": "CIBLE",
                  "name": "NOM", "old": "ANCIEN", "new": "NOUVEAU", "exigence_id": "ID", "directory": "DOSSIER",
                  "workbook": "CLASSEUR"}


def frenchify(command: click.Command) -> None:
    """French usage lines for ``command`` and every sub-command: « COMMANDE [ARGUMENTS]... »,
    arguments named in French unless a command gave its own metavar."""
    if isinstance(command, click.Group):
        command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for sub in command.commands.values():
            frenchify(sub)
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None and param.name in ARGUMENT_NAMES:
            param.metavar = ARGUMENT_NAMES[param.name]
