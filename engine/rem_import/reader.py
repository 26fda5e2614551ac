"""Reading the REM table of a workbook with openpyxl.

The workbook is opened in normal mode, not ``read_only``: read-only worksheets do not expose
``merged_cells``. Every cell of a merged range takes the value of its top-left cell, so an ID
merged over the rows of its scénarios applies to each of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import FieldProblem, PackError
from .layouts import HEADER_SCAN_ROWS, LAYOUTS, Layout, clean, header_key, match_layout


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


def _open(path: Path) -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl comes with the dev extra
        raise PackError("L'import d'un REM nécessite openpyxl (pip install openpyxl).") from exc
    if not path.is_file():
        raise PackError(f"Fichier REM introuvable : {path}", path=path)
    try:
        return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # not a workbook: zip, XML or key errors alike
        raise PackError(f"Fichier REM illisible ({path.name}) : {exc}", path=path) from exc


def _unknown(title: str, grid: list[list[Any]], scanned: list[list[str]]) -> FieldProblem:
    """The headers of a sheet that matches no layout: its fullest row among those scanned."""
    if not scanned:
        return FieldProblem(f"feuille « {title} »", "feuille vide")
    widest = max(range(len(scanned)), key=lambda n: sum(bool(k) for k in scanned[n]))
    headers = [h for h in (clean(v) for v in grid[widest]) if h]
    layout, _, missing = match_layout(scanned[widest])
    return FieldProblem(
        f"feuille « {title} »",
        f"en-têtes trouvés : {', '.join(headers) or 'aucun'} "
        f"(format le plus proche : {layout.label} ; il manque : {', '.join(missing)})",
    )


def read_table(path: Path) -> Table:
    """The first sheet whose header row (in its first rows) is that of a REM layout."""
    workbook = _open(path)
    found: list[Table] = []
    problems: list[FieldProblem] = []
    for ws in workbook.worksheets:
        grid = _grid(ws)
        scanned = [[header_key(v) for v in row] for row in grid[:HEADER_SCAN_ROWS]]
        hit = next(
            ((n, m) for n, keys in enumerate(scanned) if not (m := match_layout(keys))[2]), None
        )
        if hit is None:
            problems.append(_unknown(ws.title, grid, scanned))
            continue
        n, (layout, index, _) = hit
        rows, blank = [], 0
        for row_no, values in enumerate(grid[n + 1 :], start=n + 2):
            cells = {key: clean(values[i]) for key, i in index.items()}
            if any(cells.values()):
                rows.append((row_no, cells))
            else:
                blank += 1
        found.append(Table(ws.title, layout, n + 1, tuple(rows), blank))
    if not found:
        raise PackError(
            f"Format de REM non reconnu dans {path.name} : aucune feuille n'a les en-têtes "
            f"d'un des formats connus ({', '.join(layout.label for layout in LAYOUTS)}).",
            path=path,
            problems=problems,
        )
    return replace(found[0], other_sheets=tuple(t.sheet for t in found[1:]))
