"""Import of an official REM spreadsheet (.xlsx) as a DSR pack.

Columns are found by header name (case, accents, spaces, non-breaking spaces and HTML set
aside), never by position, in the first sheet whose header row (searched in its first 30 rows)
is that of a known layout: published REM, older REM, Convergence export (one row per preuve, with
or without Périmètre) or the Vague 2 concertation draft (several REMs in one sheet, chosen with
``rem``; "Obsolète" rows left out). See :mod:`.layouts` for the columns (and how another reader
registers its layouts), :mod:`.reader` for merged cells, :mod:`.cache` for the cache by SHA-256
and :mod:`.build` for how rows become items.

Statement texts (énoncés, scénarios, preuves) enter the pack only with ``include_statements``;
the pack is built in memory and this module never writes it anywhere.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from pathlib import Path
from typing import Required, TypedDict, Unpack

from ..errors import PackError
from ..models.common import fold
from ..models.pack import Pack, SourceDoc
from ..pack_validation import check_pack
from .build import SOURCE_KEY, Builder
from .cache import RemSource, load_table
from .layouts import LAYOUTS, Layout, clean, header_key, nest, register_layout
from .reader import Table
from .report import ImportReport, ImportResult, Skipped

# The ANS draft exports (pré-publication sheets: several preuves in one cell) have their own
# reader, ans_drafts.py, which registers its layouts with register_layout() when imported.
if importlib.util.find_spec(f"{__name__}.ans_drafts") is not None:
    importlib.import_module(f"{__name__}.ans_drafts")

__all__ = [
    "LAYOUTS",
    "SOURCE_KEY",
    "ImportReport",
    "ImportResult",
    "Layout",
    "RemSource",
    "Skipped",
    "clean",
    "header_key",
    "import_rem",
    "import_rem_with_report",
    "nest",
    "register_layout",
]


class ImportOptions(TypedDict, total=False):
    """The options of an import (see :func:`build_import`)."""

    pack_id: Required[str]
    version: str
    released: Required[dt.date]
    reviewed: Required[dt.date]
    rem: str | None
    include_statements: bool


def import_rem(path: Path | str | RemSource, **options: Unpack[ImportOptions]) -> Pack:
    """The pack of a REM spreadsheet (see :func:`import_rem_with_report` for the counts)."""
    return import_rem_with_report(path, **options).pack


def rems_in(table: Table) -> list[str]:
    """The REMs a multi-REM sheet holds (the draft's REM column), sorted."""
    return sorted({cells["rem"] for _, cells in table.rows if cells.get("rem")})


def _choose_rem(table: Table, rem: str | None, name: str, warnings: list[str]) -> None:
    path = name
    rems = rems_in(table)
    if rem is None and len(rems) > 1:
        raise PackError(
            f"{name} contient plusieurs REM ({', '.join(rems)}) : précisez lequel importer.",
            path=path,
        )
    if rem is not None and not table.layout.has("rem"):
        warnings.append(
            f"ce format n'a pas de colonne REM : « {rem} » n'a pas servi à choisir les lignes"
        )
    elif rem is not None and fold(rem) not in {fold(r) for r in rems}:
        raise PackError(
            f"Aucune ligne du REM « {rem} » dans {name} ; REM présents : {', '.join(rems)}.",
            path=path,
        )


def import_rem_with_report(path: Path | str | RemSource, **options: Unpack[ImportOptions]) -> ImportResult:
    """Import a REM spreadsheet as a DSR pack, with counts and the rows or cells left out.

    Raises :class:`PackError` (French) when the file is unreadable, matches no layout (the
    headers found are listed per sheet), holds several REMs and ``rem`` is not given, or yields
    no exigence. The table read from the file is cached by the file's SHA-256 (:mod:`.cache`).
    """
    source = path if isinstance(path, RemSource) else RemSource.from_path(path)
    return build_import(load_table(source), source.name, **options)


def build_import(
    table: Table,
    name: str,
    *,
    pack_id: str,
    version: str = "0.1.0",
    released: dt.date,
    reviewed: dt.date,
    rem: str | None = None,
    include_statements: bool = True,
) -> ImportResult:
    """The pack of a REM table already read (``name``: the file's name, for messages)."""
    path = name
    builder = Builder(table.sheet, table.layout.id, reviewed, include_statements)
    builder.warnings += [
        f"autre feuille au format REM ignorée : « {s} »" for s in table.other_sheets
    ]
    _choose_rem(table, rem, name, builder.warnings)
    for row, cells in table.rows:
        exigence_id = cells.get("socle_id") or cells.get("id", "")
        if rem is not None and "rem" in cells and fold(cells["rem"]) != fold(rem):
            builder.skip(row, "ligne", exigence_id, "autre REM")
        elif fold(cells.get("evolution", "")) == "obsolete":
            builder.skip(row, "ligne", exigence_id, "exigence obsolète")
        elif not exigence_id:
            builder.skip(row, "ligne", "", "sans identifiant d'exigence")
        else:
            builder.add(row, cells, exigence_id)
    if not builder.exigences:
        raise PackError(
            f"Aucune exigence importée de {name} (feuille « {table.sheet} ») : "
            f"{len(table.rows)} ligne(s) sous les en-têtes, aucune avec un identifiant d'exigence.", path=path
        )

    exigences = builder.build_exigences()
    profils = builder.build_profils()
    counts = (
        len(exigences),
        sum(len(e.scenarios) for e in exigences),
        sum(len(s.preuves) for e in exigences for s in e.scenarios),
    )
    report = ImportReport(
        name, table.sheet, table.layout.id, table.layout.label, table.header_row,
        len(table.rows), table.blank_rows, *counts, tuple(builder.skipped), tuple(builder.warnings),
    )  # fmt: skip
    coverage = (
        f"Import automatique de « {name} » (feuille « {table.sheet} », format "
        f"{table.layout.label}{f', REM {rem}' if rem else ''}) : {counts[0]} exigences, "
        f"{counts[1]} scénarios de conformité, {counts[2]} preuves ; "
        f"{report.rows_skipped} lignes écartées."
        + ("" if include_statements else " Énoncés non repris : libellés courts seulement.")
        + (" Ce format ne contient ni scénario ni preuve." if table.layout.id == "draft" else "")
    )
    pack = Pack(
        id=pack_id,
        title=f"REM importé de {name}" + (f" ({rem})" if rem else ""),
        dsr=rem,
        version=version,
        released=released,
        status="published" if table.layout.status == "published" else "draft",
        coverage=coverage,
        reviewed=reviewed,
        sources={SOURCE_KEY: SourceDoc(
            title=f"Import de {name}",
            kind="official" if table.layout.status == "published" else "draft",
        )},
        profils=profils,
        exigences=exigences,
    )
    problems = check_pack(pack)
    if problems:  # pragma: no cover - a guard: the builder nests IDs and defines every profil
        raise PackError(
            f"Le pack importé de {name} est incohérent.",
            pack_id=pack_id,
            path=path,
            problems=problems,
        )
    return ImportResult(pack, report)
