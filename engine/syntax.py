"""French messages for TOML and JSON syntax errors, with the line and column: one table for the
CLI, the Python API and the HTTP service."""

from __future__ import annotations

import json
import re
import tomllib

JSON_MESSAGES = (
    ("Expecting value", "valeur attendue"),
    ("Expecting property name enclosed in double quotes", "nom de clé entre guillemets doubles attendu"),
    ("Expecting ',' delimiter", "virgule attendue"),
    ("Expecting ':' delimiter", "deux-points attendu"),
    ("Unterminated string starting at", "chaîne non terminée"),
    ("Invalid control character at", "caractère de contrôle interdit dans une chaîne"),
    ("Invalid \\escape", "séquence d'échappement invalide"),
    ("Invalid \\uXXXX escape", "séquence \\uXXXX invalide"),
    ("Extra data", "données en trop après le document"),
)

TOML_MESSAGES = (
    ("Invalid value", "valeur invalide"),
    ("Invalid statement", "instruction invalide"),
    ("Expected '=' after a key in a key/value pair", "« = » attendu après la clé"),
    ("Cannot overwrite a value", "clé définie deux fois"),
    ("Cannot declare", "table déclarée deux fois"),
    ("Cannot mutate immutable namespace", "table en ligne ou tableau déjà défini : impossible de la compléter"),
    ("Cannot redefine namespace", "table redéfinie"),
    ("Duplicate inline table key", "clé répétée dans une table en ligne"),
    ("Unclosed array", "tableau non fermé"),
    ("Unclosed inline table", "table en ligne non fermée"),
    ("Unterminated string", "chaîne non terminée"),
    ("Unescaped '\\' in a string", "barre oblique inverse « \\ » non échappée dans une chaîne"),
    ("Escaped character is not a Unicode scalar value", "caractère échappé invalide"),
    ("Invalid hex value", "valeur hexadécimale invalide"),
    ("Invalid initial character for a key part", "caractère invalide au début d'une clé"),
    ("Expected newline or end of document after a statement", "fin de ligne attendue après l'instruction"),
    ("Expected ']]' at the end of an array declaration", "« ]] » attendu à la fin de la déclaration"),
    ("Expected ']' at the end of a table declaration", "« ] » attendu à la fin de la déclaration de table"),
    ("Expected", "caractère attendu manquant"),
    ("Found invalid character", "caractère invalide"),
    ("Illegal character", "caractère interdit"),
    ("Invalid date or datetime", "date ou date-heure invalide"),
)

_TOML_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def french(message: str, table: tuple[tuple[str, str], ...]) -> str:
    for english, translated in table:
        if message.startswith(english):
            return translated
    return message


def toml_error(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """(French message, line, column) of a TOML syntax error; line None: at the end of the document."""
    message = str(exc)
    match = _TOML_WHERE.search(message)
    line = col = None
    if match:
        message = message[: match.start()]
        if match[1]:
            line, col = int(match[1]), int(match[2])
    return french(message, TOML_MESSAGES), line, col


def where(line: int | None, col: int | None) -> str:
    """`` (ligne 3, colonne 7)`` or `` (en fin de document)``."""
    return f" (ligne {line}, colonne {col})" if line is not None else " (en fin de document)"


def toml_error_text(exc: tomllib.TOMLDecodeError) -> str:
    """``(ligne 3, colonne 7) : valeur invalide``."""
    message, line, col = toml_error(exc)
    return f"{where(line, col).strip()} : {message}"


def json_error_text(exc: json.JSONDecodeError) -> str:
    return f"(ligne {exc.lineno}, colonne {exc.colno}) : {french(exc.msg, JSON_MESSAGES)}"


def strip_bom(text: str) -> str:
    """A UTF-8 byte order mark (Windows editors write one) is not part of the document."""
    return text.removeprefix("\ufeff")
