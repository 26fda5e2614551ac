"""Reading TOML documents into models, with errors a French-speaking user can act on.

Every failure becomes a typed :class:`~segur_plan.engine.errors.InputError` naming the file and
the field (dotted path), never a traceback.
"""

from __future__ import annotations

import reprlib
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import FieldProblem, InputError, ProfileError
from .models.profile import SolutionProfile
from .storage import kind_of, os_reason
from .syntax import strip_bom, toml_error_text

M = TypeVar("M", bound=BaseModel)

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "string_type": "doit être une chaîne de caractères",
    "string_too_short": "ne doit pas être vide",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "bool_type": "doit être vrai ou faux (true/false)",
    "bool_parsing": "doit être vrai ou faux (true/false)",
    "date_type": "doit être une date (AAAA-MM-JJ)",
    "date_parsing": "doit être une date (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "doit être une date (AAAA-MM-JJ)",
    "date_from_datetime_inexact": "doit être une date sans heure (AAAA-MM-JJ)",
    "datetime_type": "doit être une date et heure (AAAA-MM-JJTHH:MM:SS+01:00)",
    "datetime_parsing": "doit être une date et heure (AAAA-MM-JJTHH:MM:SS+01:00)",
    "time_type": "doit être une heure (HH:MM)",
    "time_parsing": "doit être une heure (HH:MM)",
    "list_type": "doit être une liste",
    "tuple_type": "doit être une liste",
    "dict_type": "doit être une table",
    "model_type": "doit être une table",
    "model_attributes_type": "doit être une table",
    "too_short": "trop peu d'éléments",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "union_tag_invalid": "action inconnue",
    "union_tag_not_found": "clé « action » absente",
    "decimal_parsing": "doit être un montant décimal, ex. \"1500.00\"",
    "decimal_type": "doit être un montant décimal, ex. \"1500.00\"",
}


_SHORT = reprlib.Repr()  # bounded output, even on deeply nested inputs
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist = 2, 80, 80, 4


def _loc(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _field_names(model: Any, seen: set[Any] | None = None) -> set[str]:
    """Every field name (and alias) of ``model`` and of the models it contains."""
    seen = set() if seen is None else seen
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names |= {name, info.alias or name}
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            names |= _field_names(annotation, seen)
            stack.extend(getattr(annotation, "__args__", ()))
    return names


def problems_from_validation(error: ValidationError, model: Any = None) -> list[FieldProblem]:
    """Translate pydantic's errors into French problems located by dotted path; an unknown key
    names the closest known field of ``model``."""
    from .rules.conditions import suggest

    known = _field_names(model) if model is not None else set()
    problems = []
    for err in error.errors(include_url=False):
        kind = err["type"]
        if kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            text = f"valeur « {err.get('input')} » non autorisée ; attendu : {expected}"
        elif kind == "value_error":
            text = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind == "extra_forbidden":
            key = str(err["loc"][-1]) if err["loc"] else ""
            text = f"champ inconnu « {key} »{suggest(key, known)}"
        else:
            text = _MESSAGES.get(kind, err["msg"])
            if kind not in ("missing",) and "input" in err and not isinstance(err["input"], dict):
                text += f" (reçu : {_SHORT.repr(err['input'])})"
        # Discriminated unions add the tag to the location; users never wrote it.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(FieldProblem(_loc(loc), text))
    return problems


#: No profile, pack part or financing file comes near this; a device or a runaway file would.
MAX_DOCUMENT_BYTES = 20_000_000


def read_bytes(path: Path, error_type: type[InputError] = InputError, kind: str = "TOML",
               limit: int | None = None) -> bytes:
    """The bytes of a document file; a missing, special, oversized or unreadable file (or a path
    with a NUL byte) raises ``error_type`` before anything is read (``limit``: default
    ``MAX_DOCUMENT_BYTES``)."""
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise error_type(f"{path} est {kind_of(info.st_mode)}, pas un fichier {kind}", path=path)
        if info.st_size > limit:
            raise error_type(f"{path} dépasse {limit} octets", path=path)
        return path.read_bytes()
    except FileNotFoundError:
        raise error_type(f"Fichier introuvable : {path}", path=path) from None
    except OSError as exc:
        raise error_type(f"Lecture impossible de {path} : {os_reason(exc)}", path=path) from None
    except ValueError:  # a NUL byte in the path
        raise error_type(f"Chemin de fichier invalide : {str(path)!r}", path=path) from None


def read_text(path: Path, error_type: type[InputError] = InputError, kind: str = "TOML") -> str:
    """The UTF-8 text of a document file (see :func:`read_bytes` for the errors)."""
    raw = read_bytes(path, error_type, kind)
    try:
        return strip_bom(raw.decode("utf-8"))  # CRLF line ends are valid TOML and JSON already
    except UnicodeDecodeError as exc:
        raise error_type(f"{path} n'est pas encodé en UTF-8 (octet {exc.start})", path=path) from None


def read_toml(path: Path, error_type: type[InputError] = InputError) -> dict[str, Any]:
    """Parse a TOML file; unreadable, oversized or malformed files raise ``error_type``."""
    text = read_text(path, error_type, "TOML")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error_type(f"TOML mal formé dans {path} {toml_error_text(exc)}", path=path) from None
    except RecursionError:  # hundreds of nested arrays or tables
        raise error_type(f"TOML trop profondément imbriqué dans {path}", path=path) from None
    except ValueError:  # an integer of thousands of digits (Python's conversion limit)
        raise error_type(f"TOML invalide dans {path} : nombre trop long", path=path) from None


def validate(
    model: type[M],
    data: Mapping[str, Any],
    *,
    path: Path | str | None,
    what: str,
    error_type: type[InputError] = InputError,
) -> M:
    """Validate ``data`` against ``model``; errors name the file and every faulty field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = f" ({path})" if path else ""
        raise error_type(
            f"{what} invalide{where}", path=path, problems=problems_from_validation(exc, model)
        ) from None


def load_profile(path: Path | str) -> SolutionProfile:
    """Read a solution profile TOML file."""
    path = Path(path)
    data = read_toml(path, ProfileError)
    return validate(SolutionProfile, data, path=path, what="Profil de solution", error_type=ProfileError)


def parse_profile(data: Mapping[str, Any], *, origin: str = "<profil>") -> SolutionProfile:
    """Validate an already-parsed profile (JSON body, dict built by a portal)."""
    return validate(SolutionProfile, data, path=origin, what="Profil de solution", error_type=ProfileError)
