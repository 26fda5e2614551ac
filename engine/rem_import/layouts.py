"""Cell cleaning, ID nesting and the REM layouts, recognised by header name.

Built-in layouts: the published REM (34 columns), the Convergence export (one row per preuve, in
its current form with Périmètre, Profil historique, Criticité and Ordre, and in its older form with
Statut publication instead), the older REM layout and the Vague 2 concertation draft
(``export_final``). A column the importer can do without is optional: only the columns that carry
an exigence's identity, its profils and its preuves are required.

Registration point: a module that reads another family of sheets (the ANS draft exports with
several preuves in one cell, ``ans_drafts.py``) calls :func:`register_layout` when it is imported;
``rem_import/__init__.py`` imports it when it exists. A layout's ``expand`` turns one sheet row
into the rows the builder understands (one per preuve, say).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models.common import fold

HEADER_SCAN_ROWS = 30
#: (id key, id header, text key, text header) of the ten numbered preuve columns.
NUMBERED_PROOFS = tuple(
    (f"proof_id_{k}", f"N° preuve {k}", f"proof_text_{k}", f"Preuve {k}") for k in range(1, 11)
)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def clean(value: Any) -> str:
    """Cell text: HTML tags and entities removed (escaped tags too), whitespace folded,
    "---" placeholders → ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _TAG.sub(" ", str(value))
    text = html.unescape(text)
    if "<" in text:  # « &lt;p&gt;texte&lt;/p&gt; »: tags written as entities
        text = _TAG.sub(" ", text)
    text = " ".join(text.split())  # str.split() also splits on U+00A0
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


Row = dict[str, str]


@dataclass(frozen=True)
class Layout:
    id: str
    label: str
    status: str  # status of the imported pack
    columns: tuple[Column, ...]
    #: One sheet row → the rows the builder reads (None: the row as it is).
    expand: Callable[[Row], list[Row]] | None = None

    def has(self, key: str) -> bool:
        return any(c.key == key for c in self.columns)


def _c(key: str, header: str, required: bool = True, prefix: bool = False) -> Column:
    return Column(key, header, required, prefix)


_PROOF_COLUMNS = tuple(
    col
    for k, (ik, ih, tk, th) in enumerate(NUMBERED_PROOFS)
    for col in (_c(ik, ih, k == 0), _c(tk, th, k == 0))
)
_SCENARIO = (_c("scenario_id", "N° scénario"), _c("scenario_text", "Scénario de conformité", False))
_HEAD = (
    _c("perimetre", "Périmètre", False),
    _c("id", "ID"),
    _c("chapter", "Chapitre", False),
    _c("fonction", "Fonction", False),
    _c("statement", "Exigence"),
    _c("comment", "Commentaire", False),
)
_TAIL = (
    _c("publication", "Statut publication", False),
    _c("criticite", "Criticité", False),
    _c("order", "Ordre", False),
)

LAYOUTS: list[Layout] = [
    Layout("published", "REM publié", "published", (
        *_HEAD, _c("nature", "Nature de l'exigence", False), _c("profil", "Profil"), *_SCENARIO,
        *_PROOF_COLUMNS, *_TAIL, _c("previous", "VA N-1", False),
    )),
    Layout("convergence", "export Convergence", "published", (
        *_HEAD, _c("profil", "Profil"), *_SCENARIO, _c("proof_id", "N° preuve"),
        _c("proof_text", "Preuve"), _c("nature", "Nature de l'exigence", False),
        _c("previous", "Profil historique", False), *_TAIL,
    )),
    Layout("older", "REM ancien format", "draft", (
        _c("conditional", "Exigence conditionnelle", False, prefix=True), _c("profil", "Profil"),
        _c("section", "ID Section", False), _c("chapter", "Section", False),
        _c("bloc", "Bloc", False), _c("fonction", "Fonction", False),
        _c("nature", "Nature de l'exigence", False), _c("id", "N° exigence"),
        _c("statement", "Énoncé de l'exigence", prefix=True), *_SCENARIO, *_PROOF_COLUMNS,
    )),
    Layout("draft", "brouillon de concertation", "draft", (
        _c("rem", "REM"), _c("id", "ID Exigence"), _c("profil", "Profil"),
        _c("section", "Section (Domaine)", False), _c("bloc", "Bloc", False),
        _c("fonction", "Fonction", False), _c("nature", "Nature de l'exigence", prefix=True),
        _c("evolution", "Evolution"),
        _c("statement", "Enoncé de l'exigence", required=False, prefix=True),
        _c("socle_id", "VERIF: Id exigence socle", required=False),
    )),
]  # fmt: skip


def register_layout(layout: Layout) -> None:
    """Add a layout (after the built-in ones; a layout of the same id is replaced)."""
    LAYOUTS[:] = [known for known in LAYOUTS if known.id != layout.id] + [layout]


def layout_by_id(layout_id: str) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.id == layout_id), None)


@dataclass(frozen=True)
class Match:
    """How a header row fits a layout: column indexes (first match wins), required headers missing."""

    layout: Layout
    index: dict[str, int]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def match_layout(keys: list[str]) -> Match:
    """The layout closest to a header row: fewest required headers missing, then most headers
    recognised (a complete match with more columns is the more specific layout)."""
    best: Match | None = None
    for layout in LAYOUTS:
        index: dict[str, int] = {}
        for col in layout.columns:
            found = next((i for i, k in enumerate(keys) if col.matches(k)), None)
            if found is not None and found not in index.values():
                index[col.key] = found
        missing = tuple(c.header for c in layout.columns if c.required and c.key not in index)
        if best is None or (len(missing), -len(index)) < (len(best.missing), -len(best.index)):
            best = Match(layout, index, missing)
    assert best is not None
    return best
