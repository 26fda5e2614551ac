"""What an import did: counts, rows and cells left out (and why), warnings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..models.pack import Pack


@dataclass(frozen=True)
class Skipped:
    """A row or cell left out of the pack. ``what`` is "ligne", "scénario" or "preuve"."""

    row: int
    what: str
    value: str
    reason: str
    parent: str = ""  # the exigence or scénario a scénario or preuve was checked against


@dataclass(frozen=True)
class ImportReport:
    file: str
    sheet: str
    layout: str  # "published", "convergence", "older" or "draft"
    layout_label: str
    header_row: int
    rows_read: int  # non-blank rows under the header
    blank_rows: int
    exigences: int
    scenarios: int
    preuves: int
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def rows_skipped(self) -> int:
        return sum(s.what == "ligne" for s in self.skipped)

    def skipped_by_reason(self) -> dict[tuple[str, str], int]:
        """(what, reason) → count, in order of first occurrence."""
        return dict(Counter((s.what, s.reason) for s in self.skipped))

    def summary(self) -> str:
        """A few French lines for a CLI."""
        lines = [
            f"{self.file}, feuille « {self.sheet} » : {self.layout_label}, "
            f"en-têtes en ligne {self.header_row}",
            f"  lignes lues {self.rows_read} (vides {self.blank_rows}), "
            f"lignes écartées {self.rows_skipped}",
            f"  exigences {self.exigences}, scénarios {self.scenarios}, preuves {self.preuves}",
        ]
        lines += [
            f"  écarté ({what}) : {why} × {n}"
            for (what, why), n in self.skipped_by_reason().items()
        ]
        lines += [f"  attention : {w}" for w in self.warnings]
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    pack: Pack
    report: ImportReport
