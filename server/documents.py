"""Request bodies: JSON or TOML chosen by Content-Type, decoded with French error messages.

Decoding runs in the worker threads (with the plan), never on the event loop.
"""

from __future__ import annotations

import json
import tomllib
from typing import Any

from segur_plan.engine.syntax import json_error_text, strip_bom, toml_error, where

from .problems import invalid_input, unsupported_media_type

#: Accepted Content-Types, JSON first; "; charset=utf-8" is allowed, any other charset is refused.
JSON_TYPES = ("application/json",)
TOML_TYPES = ("application/toml", "text/x-toml")
ACCEPTED = JSON_TYPES + TOML_TYPES


def document_kind(content_type: str | None) -> str:
    """``"json"`` or ``"toml"`` for an accepted Content-Type; 415 otherwise."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media not in ACCEPTED or (charset is not None and charset not in ("utf-8", "utf8")):
        raise unsupported_media_type(content_type, ACCEPTED)
    return "json" if media in JSON_TYPES else "toml"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constante {name} interdite en JSON")


def decode(kind: str, body: bytes) -> dict[str, Any]:
    """The document as a dict; malformed or non-object documents raise a 422 problem."""
    if not body.strip():
        raise invalid_input("Le corps de la requête est vide : envoyez un profil de solution (JSON ou TOML).")
    try:
        text = strip_bom(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise invalid_input(f"Le corps de la requête n'est pas encodé en UTF-8 (octet {exc.start}).") from None
    return _json(text) if kind == "json" else _toml(text)


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise invalid_input(f"JSON mal formé {json_error_text(exc)}.") from None
    except RecursionError:
        raise invalid_input("JSON mal formé : imbrication trop profonde.") from None
    except ValueError as exc:  # NaN/Infinity (ours, in French), integers too long to convert
        reason = str(exc) if str(exc).startswith("constante") else "nombre trop long"
        raise invalid_input(f"JSON invalide : {reason}.") from None
    if not isinstance(data, dict):
        raise invalid_input(f"Le corps JSON doit être un objet (le profil de solution), pas {_json_type(data)}.")
    try:  # "\udc80" escapes decode to lone surrogates, which no UTF-8 response could carry back
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_input("JSON invalide : caractère Unicode isolé (demi-code de substitution).") from None
    return data


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "un tableau"
    if isinstance(value, str):
        return "une chaîne"
    if isinstance(value, bool) or value is None:
        return f"la valeur {json.dumps(value)}"
    return "un nombre"


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, col = toml_error(exc)
        raise invalid_input(f"TOML mal formé{where(line, col)} : {message}.") from None
    except RecursionError:
        raise invalid_input("TOML mal formé : imbrication trop profonde.") from None
    except ValueError:  # integers too long to convert
        raise invalid_input("TOML invalide : nombre trop long.") from None

