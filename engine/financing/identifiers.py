"""Beneficiary identifiers: SIRET, FINESS and RPPS, checked the way the ASP's JSON expects them.

The identifier must be written compactly (digits only, no space or dot): the ASP JSON must match
its model exactly (seed 000), so ``"732 829 320 00074"`` is reported rather than cleaned.

- **SIRET** — 14 digits, validated by python-stdnum's ``stdnum.fr.siret``: Luhn key on the 14
  digits and on the SIREN (9 first), except La Poste (SIREN 356000000) whose establishments
  other than the head office 356 000 000 00048 use « sum of the 14 digits multiple of 5 ».
- **FINESS** — 9 characters: the département on 2 characters (``2A`` / ``2B`` for Corsica;
  ``97x`` overseas, ``98`` Mayotte), 6 more digits, then a key: the 9th character is the Luhn
  check digit of the 8 before it (``stdnum.luhn``; python-stdnum has no FINESS module).
  Structure: Health Data Hub, documentation SNDS, « Le numéro FINESS dans le SNDS » (9 caractères,
  8 sans clé + la clé, 2 premiers = département); Luhn key: issue 6, and every published FINESS
  we tried passes it (AP-HP 750712184, 010003820…). For Corsica (2A/2B) no source we trust says
  how the letters enter the key: the format is checked, the key is not (an info finding says so)
  rather than wrongly refusing a real Corsican establishment.
- **RPPS** — 11 digits, the last the Luhn check digit of the 10 others (``stdnum.luhn``;
  python-stdnum has no RPPS module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret
from stdnum.util import isdigits

LA_POSTE_SIREN = "356000000"
_FINESS_RE = re.compile(r"^(?:\d{2}|2A|2B)\d{7}$")

KIND_LABELS = {"siret": "SIRET", "finess": "FINESS", "rpps": "RPPS"}


@dataclass(frozen=True)
class IdCheck:
    """The verdict on one identifier; ``problem`` is French and quotes nothing (the caller does)."""

    valid: bool
    problem: str | None = None
    key_checked: bool = True


OK = IdCheck(True)


def _digits(value: str, length: int, label: str) -> IdCheck | None:
    if not isdigits(value):
        return IdCheck(False, f"le {label} ne doit contenir que des chiffres, sans espace ni séparateur")
    if len(value) != length:
        return IdCheck(False, f"le {label} compte {length} chiffres, pas {len(value)}")
    return None


def check_siret(value: str) -> IdCheck:
    """SIRET: 14 digits, Luhn (La Poste: sum of digits multiple of 5), via ``stdnum.fr.siret``.

    >>> check_siret("73282932000074").valid
    True
    >>> check_siret("73282932000075").problem
    'clé de contrôle invalide (formule de Luhn)'
    """
    bad = _digits(value, 14, "SIRET")
    if bad:
        return bad
    try:
        siret.validate(value)
    except InvalidChecksum:
        if value.startswith(LA_POSTE_SIREN):
            return IdCheck(False, "clé invalide : un SIRET de La Poste a une somme de chiffres multiple de 5")
        if not luhn.is_valid(value[:9]):
            return IdCheck(False, "SIREN (9 premiers chiffres) invalide : clé de Luhn fausse")
        return IdCheck(False, "clé de contrôle invalide (formule de Luhn)")
    except ValidationError as exc:  # pragma: no cover - format and length are checked above
        return IdCheck(False, f"SIRET invalide ({exc})")
    return OK


def check_finess(value: str) -> IdCheck:
    """FINESS: 9 characters, the 9th the Luhn key of the 8 before it (Corsica: format only).

    >>> check_finess("750712184").valid
    True
    >>> check_finess("750712185").problem
    'clé de contrôle invalide (formule de Luhn sur les 8 premiers chiffres)'
    """
    if len(value) != 9:
        return IdCheck(False, f"le FINESS compte 9 caractères, pas {len(value)}")
    if not _FINESS_RE.fullmatch(value):
        return IdCheck(False, "le FINESS s'écrit avec 9 chiffres (2A ou 2B en tête pour la Corse), "
                              "sans espace ni séparateur")
    if not isdigits(value):
        return IdCheck(True, key_checked=False)
    if not luhn.is_valid(value):
        return IdCheck(False, "clé de contrôle invalide (formule de Luhn sur les 8 premiers chiffres)")
    return OK


def check_rpps(value: str) -> IdCheck:
    """RPPS: 11 digits, the last the Luhn key of the 10 others.

    >>> check_rpps("10000000009").valid
    True
    >>> check_rpps("10000000008").valid
    False
    """
    bad = _digits(value, 11, "RPPS")
    if bad:
        return bad
    if not luhn.is_valid(value):
        return IdCheck(False, "clé de contrôle invalide (formule de Luhn)")
    return OK


_CHECKS = {"siret": check_siret, "finess": check_finess, "rpps": check_rpps}


def check_identifier(value: str, kind: str) -> IdCheck:
    """Dispatch on ``kind`` (``siret`` | ``finess`` | ``rpps``)."""
    return _CHECKS[kind](value)
