"""Reading the REM table of a workbook with openpyxl, from a file or from bytes (an upload).

The workbook is opened in normal mode, not ``read_only``: read-only worksheets do not expose
``merged_cells``. Every cell of a merged range takes the value of its top-left cell, so an ID
merged over the rows of its scénarios applies to each of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import Any

from ..errors import FieldProblem, PackError
from .layouts import HEADER_SCAN_ROWS, LAYOUTS, Layout, Match, clean, header_key, match_layout

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)


@dataclass(frozen=True)
class Table:
    sheet: str
    layout: Layout
    header_row: int
    rows: tuple[tuple[int, dict[str, str]], ...]  # (sheet row, column key → clean text)
    blank_rows: int
    other_sheets: tuple[str, ...] = ()  # further sheets that also match a layout (ignored)


def _grid(ws: Any) -> list[list[Any]]:
    """Cell values from row 1 and column A, merged ranges filled with their top-left value."""
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                grid[r][c] = top
    return grid


def _open(data: bytes, name: str) -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise PackError("L'import d'un REM nécessite openpyxl (pip install openpyxl).") from exc
    if data.startswith(_OLE):
        raise PackError(f"{name} est un classeur Excel 97-2003 (.xls), non pris en charge : "
                        "enregistrez-le au format .xlsx.", path=name)
    if not data.startswith(_ZIP):
        raise PackError(f"{name} n'est pas un tableur .xlsx (ni .xlsm) : téléchargez le REM au "
                        "format Excel depuis le Portail Industriels ou Convergence.", path=name)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # a zip that is no workbook: XML or key errors alike
        raise PackError(f"Fichier REM illisible ({name}) : classeur endommagé, chiffré ou qui "
                        f"n'est pas un tableur Excel ({type(exc).__name__}).", path=name) from exc


def _closest(grid: list[list[Any]], scanned: list[list[str]]) -> tuple[int, Match] | None:
    """The scanned row closest to a layout (fewest required headers missing)."""
    if not scanned:
        return None
    matches = [(n, match_layout(keys)) for n, keys in enumerate(scanned)]
    return min(matches, key=lambda nm: (len(nm[1].missing), -len(nm[1].index), nm[0]))


def _unknown(title: str, grid: list[list[Any]], closest: tuple[int, Match] | None) -> FieldProblem:
    """The headers of a sheet that matches no layout, the closest layout and what it misses."""
    if closest is None:
        return FieldProblem(f"feuille « {title} »", "feuille vide")
    n, match = closest
    headers = [h for h in (clean(v) for v in grid[n]) if h]
    if not match.index:  # no known header in the sheet: show its fullest row
        widest = max(range(min(len(grid), HEADER_SCAN_ROWS)), key=lambda r: sum(v is not None for v in grid[r]))
        headers = [h for h in (clean(v) for v in grid[widest]) if h]
    return FieldProblem(
        f"feuille « {title} »",
        f"en-têtes trouvés : {', '.join(headers) or 'aucun'} "
        f"(format le plus proche : {match.layout.label} ; il manque : {', '.join(match.missing)})",
    )


def _missing_message(name: str, best: tuple[str, Match] | None) -> str:
    formats = ", ".join(layout.label for layout in LAYOUTS)
    if best is None or not best[1].index:
        return (f"Format de REM non reconnu dans {name} : aucune feuille n'a les en-têtes d'un des "
                f"formats connus ({formats}).")
    sheet, match = best
    plural = "s" if len(match.missing) > 1 else ""
    columns = ", ".join(f"« {h} »" for h in match.missing)
    return (f"Format de REM non reconnu dans {name} : colonne{plural} obligatoire{plural} "
            f"absente{plural} {columns} (format le plus proche : {match.layout.label}, "
            f"feuille « {sheet} »). Formats connus : {formats}.")


def read_table_bytes(data: bytes, name: str) -> Table:
    """The first sheet whose header row (in its first rows) is that of a REM layout."""
    workbook = _open(data, name)
    found: list[Table] = []
    problems: list[FieldProblem] = []
    best: tuple[str, Match] | None = None
    for ws in workbook.worksheets:
        grid = _grid(ws)
        scanned = [[header_key(v) for v in row] for row in grid[:HEADER_SCAN_ROWS]]
        matches = [(n, match_layout(keys)) for n, keys in enumerate(scanned)]
        complete = [(n, m) for n, m in matches if m.complete]
        if not complete:
            closest = _closest(grid, scanned)
            problems.append(_unknown(ws.title, grid, closest))
            if closest is not None and (best is None or (len(closest[1].missing), -len(closest[1].index))
                                        < (len(best[1].missing), -len(best[1].index))):
                best = (ws.title, closest[1])
            continue
        # the first complete header row; on it, the most specific layout
        n, match = complete[0]
        layout, index = match.layout, match.index
        rows, blank = [], 0
        for row_no, values in enumerate(grid[n + 1 :], start=n + 2):
            cells = {key: clean(values[i]) if i < len(values) else "" for key, i in index.items()}
            if not any(cells.values()):
                blank += 1
                continue
            for expanded in layout.expand(cells) if layout.expand else [cells]:
                rows.append((row_no, expanded))
        found.append(Table(ws.title, layout, n + 1, tuple(rows), blank))
    if not found:
        raise PackError(_missing_message(name, best), path=name, problems=problems)
    return replace(found[0], other_sheets=tuple(t.sheet for t in found[1:]))
