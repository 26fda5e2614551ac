"""Evidence: the proof files and their tracking, around a computed plan.

- :mod:`.naming`: the file-naming convention that ties a file to its proof ID;
- :mod:`.formats`: content sniffing (first bytes only) and the formats each kind accepts;
- :mod:`.catalogue`: the proofs a plan expects, per requirement and solution;
- :mod:`.files`: pre-deposit checks of the files (``segur-plan proofs check``);
- :mod:`.workbook`: the tracking workbook, .xlsx or .csv (``proofs export``) and reading it back;
- :mod:`.profile_update`: applying a workbook to the profile's ``[[proofs]]`` (``proofs import``).

Every function takes a :class:`~segur_plan.engine.models.plan.Plan` (computed by any
:class:`~segur_plan.engine.api.Engine`, so tests and portals inject their own packs) or plain
paths; none imports click. The third-party libraries (puremagic, openpyxl, tomlkit) are imported
on first use.
"""

from __future__ import annotations

from .catalogue import ExpectedProof, ProofIndex
from .files import CheckReport, FileCheck, Problem, check_proofs, count_files, render_text
from .naming import proof_key, read_id
from .profile_update import Change, ImportResult, apply_changes, import_workbook, plan_changes
from .workbook import ExportRow, SheetRow, export_rows, export_workbook, read_workbook, render_csv, render_xlsx

__all__ = [
    "Change", "CheckReport", "ExpectedProof", "ExportRow", "FileCheck", "ImportResult", "Problem", "ProofIndex",
    "SheetRow", "apply_changes", "check_proofs", "count_files", "export_rows", "export_workbook",
    "import_workbook", "plan_changes", "proof_key", "read_id", "read_workbook", "render_csv", "render_text",
    "render_xlsx",
]
