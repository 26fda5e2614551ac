"""Shared building blocks of the pack, profile and plan models."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable.

    Validators are built on first use (``defer_build``): a plan whose packs come from the
    validated-pack cache unpickles them and never validates a pack model, so a one-shot
    command does not pay for building their schemas."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Out(BaseModel):
    """Base of every output model (plan records): unknown keys are errors too."""

    model_config = ConfigDict(extra="forbid")


class SharedOut(BaseModel):
    """Base of the output records that plans share: immutable (sequences are tuples), so that one
    record built once per pack (a scénario with its preuves, the reason « profil actif ») can be
    referenced by every plan of that pack instead of being rebuilt for each one. Their JSON is
    that of any record (a tuple is written as a list)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProofKind(StrEnum):
    """What a preuve is, as far as format and size limits are concerned (proof-format table of the
    « Guide éditeur de référencement Ségur »)."""

    VIDEO = "video"
    SCREENSHOT = "capture"
    LOG = "log"
    FILE = "fichier"
    DOCUMENT = "document"
    REPORT = "rapport"
    COMPTE_RENDU = "compte-rendu"
    LINK = "lien"
    UNKNOWN = "unknown"


class Level(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


LEVEL_ORDER = {Level.BLOCKING: 0, Level.WARNING: 1, Level.INFO: 2}


def fold(text: str) -> str:
    """Case- and accent-insensitive key: « Opérateur  Mailiz » → ``operateur mailiz``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\u00a0_\-']+", " ", stripped.casefold()).strip()


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 0 preuve », « 1 profil », « 2 profils » (French: 0 and 1 take the singular). Without
    ``plural_form``, every word of a short phrase takes an s (x after -au/-eu) up to the first
    particle: « exigence à prouver » → « exigences à prouver »."""
    if abs(count) < 2:
        return f"{count} {singular}"
    if plural_form is None:
        words, stop = [], False
        for word in singular.split(" "):
            stop = stop or word in _PARTICLES
            if stop or word.endswith(("s", "x", "z")) or not word[:1].isalpha():
                words.append(word)
            else:
                words.append(word + ("x" if word.endswith(("au", "eu")) else "s"))
        plural_form = " ".join(words)
    return f"{count} {plural_form}"


_PARTICLES = {"à", "de", "d'", "du", "des", "en", "au", "aux", "la", "le", "les", "et", "ou", "par", "sans", "avec",
              "dont", "sur"}


def slugify(text: str) -> str:
    """Stable identifier from a French label: « Client lourd » → ``client-lourd``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
