"""Shared building blocks of the pack, profile and plan models."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base of every input model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Out(BaseModel):
    """Base of every output model (plan records): unknown keys are errors too."""

    model_config = ConfigDict(extra="forbid")


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


def slugify(text: str) -> str:
    """Stable identifier from a French label: « Client lourd » → ``client-lourd``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
