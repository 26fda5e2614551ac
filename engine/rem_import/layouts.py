"""Cell cleaning, ID nesting and the four REM layouts, recognised by header name."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from ..models.common import fold

HEADER_SCAN_ROWS = 30
#: (id key, id header, text key, text header) of the ten numbered preuve columns.
NUMBERED_PROOFS = tuple(
    (f"proof_id_{k}", f"N° preuve {k}", f"proof_text_{k}", f"Preuve {k}") for k in range(1, 11)
)


def clean(value: Any) -> str:
    """Cell text: HTML tags and entities removed, whitespace folded, "---" placeholders → ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"</?[A-Za-z][^<>]*>", " ", str(value))
    text = " ".join(html.unescape(text).split())  # str.split() also splits on U+00A0
    return "" if re.fullmatch(r"[-–—]+", text) else text


def header_key(value: Any) -> str:
    """Comparable form of a header: « N°\u00a0Preuve 1 » → ``n preuve 1``."""
    return re.sub(r"[^a-z0-9]+", " ", fold(clean(value))).strip()


def strip_prefix(item_id: str) -> str:
    """``SC.SSI/GEN.18`` → ``SSI/GEN.18``, also for ``CH.`` and ``DPI.``-like prefixes."""
    return re.sub(r"^(?:SC|CH|[A-Z]{3})\.(?=[A-Za-z])", "", item_id)


def nest(child: str, parent: str) -> str | None:
    """``child`` under ``parent``'s full ID when it is exactly one level below it, else None.

    ``nest("SSI/GEN.18.01", "SC.SSI/GEN.18")`` → ``SC.SSI/GEN.18.01``;
    ``nest("PSC.01.01.02", "PSC.01.02")`` → None.
    """
    for c, p in ((child, parent), (strip_prefix(child), strip_prefix(parent))):
        rest = c[len(p) :] if c.startswith(p) else ""
        if re.fullmatch(r"\.[A-Za-z0-9]+", rest):
            return parent + rest
    return None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True
    prefix: bool = False  # the header may go on: « Énoncé de l'exigence (DOIT) ou … »

    def matches(self, key: str) -> bool:
        own = header_key(self.header)
        return key == own or (self.prefix and key.startswith(own + " "))


@dataclass(frozen=True)
class Layout:
    id: str
    label: str
    status: str  # status of the imported pack
    columns: tuple[Column, ...]

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def _c(key: str, header: str, required: bool = True, prefix: bool = False) -> Column:
    return Column(key, header, required, prefix)


_PROOF_COLUMNS = tuple(
    col
    for k, (ik, ih, tk, th) in enumerate(NUMBERED_PROOFS)
    for col in (_c(ik, ih, k == 0), _c(tk, th, k == 0))
)
_SCENARIO = (_c("scenario_id", "N° scénario"), _c("scenario_text", "Scénario de conformité"))
_HEAD = (
    _c("perimetre", "Périmètre"),
    _c("id", "ID"),
    _c("chapter", "Chapitre"),
    _c("fonction", "Fonction"),
    _c("statement", "Exigence"),
)

LAYOUTS = (
    Layout("published", "REM publié", "published", (
        *_HEAD, _c("nature", "Nature de l'exigence"), _c("profil", "Profil"), *_SCENARIO,
        *_PROOF_COLUMNS, _c("criticite", "Criticité", False),
    )),
    Layout("convergence", "export Convergence", "published", (
        *_HEAD, _c("profil", "Profil"), *_SCENARIO, _c("proof_id", "N° preuve"),
        _c("proof_text", "Preuve"), _c("nature", "Nature de l'exigence", False),
        _c("criticite", "Criticité", False),
    )),
    Layout("older", "REM ancien format", "draft", (
        _c("profil", "Profil"), _c("section", "ID Section"), _c("chapter", "Section"),
        _c("bloc", "Bloc"), _c("fonction", "Fonction"), _c("nature", "Nature de l'exigence"),
        _c("id", "N° exigence"), _c("statement", "Énoncé de l'exigence", prefix=True),
        *_SCENARIO, *_PROOF_COLUMNS,
    )),
    Layout("draft", "brouillon de concertation", "draft", (
        _c("rem", "REM"), _c("id", "ID Exigence"), _c("profil", "Profil"),
        _c("section", "Section (Domaine)"), _c("bloc", "Bloc"), _c("fonction", "Fonction"),
        _c("nature", "Nature de l'exigence", prefix=True), _c("evolution", "Evolution"),
        _c("statement", "Enoncé de l'exigence", required=False, prefix=True),
        _c("socle_id", "VERIF: Id exigence socle", required=False),
    )),
)  # fmt: skip


def match_layout(keys: list[str]) -> tuple[Layout, dict[str, int], list[str]]:
    """The layout closest to a header row: its column indexes (first match wins) and the
    required headers it misses (none when the row is that layout's header)."""
    best: tuple[Layout, dict[str, int], list[str]] | None = None
    for layout in LAYOUTS:
        index: dict[str, int] = {}
        for col in layout.columns:
            found = next((i for i, k in enumerate(keys) if col.matches(k)), None)
            if found is not None:
                index[col.key] = found
        missing = [c.header for c in layout.columns if c.required and c.key not in index]
        if best is None or len(missing) < len(best[2]):
            best = (layout, index, missing)
    assert best is not None
    return best
