"""Turning the rows of a REM table into a DSR pack.

- Rows sharing an exigence ID are merged: profils united, scénarios and preuves merged by ID, the
  first row wins for the other fields. An empty Profil cell carries no information; an exigence
  without any profil is "general", and "general" absorbs the other profils.
- Scénario and preuve IDs must be one level below their parent (``X.NN`` → ``X.NN.01`` →
  ``X.NN.01.01``) once a leading ``SC.``/``CH.``/three-letter prefix is set aside; they are stored
  under the exigence's full ID so that the pack's nesting check holds. Other cells are reported.
- An unknown nature falls back on the statement (DOIT / PEUT), then on "exigence", with a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..models.common import fold, slugify
from ..models.pack import Exigence, Preuve, Profil, Scenario, SourceRef
from ..proof_kinds import infer_proof_kind
from ..vocabulary import PROOF_KIND_TITLE
from .layouts import NUMBERED_PROOFS, clean, nest
from .report import Skipped

SOURCE_KEY = "rem-import"
KIND_LABELS = PROOF_KIND_TITLE
NATURES = {"exigence": "exigence", "obligatoire": "exigence"} | {
    "preconisation": "preconisation",
    "preconisee": "preconisation",
}
_VA1 = re.compile(r"^va1\s+", re.IGNORECASE)
Ref = Callable[[int], SourceRef]


def digest(text: str) -> str | None:
    """SHA-256 of a cleaned official text (None when the cell is empty)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None


@dataclass
class ExigenceRows:
    """The rows of one exigence, accumulated."""

    id: str
    row: int
    cells: dict[str, str]
    profils: dict[str, str] = field(default_factory=dict)  # profil id → label as written
    natures: list[str] = field(default_factory=list)
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)


class Builder:
    """Accumulates rows (``add``) then builds exigences and profils."""

    def __init__(self, sheet: str, layout: str, reviewed: dt.date, statements: bool) -> None:
        self.sheet = sheet
        self.layout = layout
        self.reviewed = reviewed
        self.statements = statements
        self.exigences: dict[str, ExigenceRows] = {}
        self.profils: dict[str, dict[str, Any]] = {}  # id → first row, labels as written
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []

    def ref(self, row: int) -> SourceRef:
        return SourceRef(ref=SOURCE_KEY, section=f"{self.sheet}, ligne {row}")

    def skip(self, row: int, what: str, value: str, reason: str, parent: str = "") -> None:
        self.skipped.append(Skipped(row, what, value, reason, parent))

    def add(self, row: int, cells: dict[str, str], exigence_id: str) -> None:
        ex = self.exigences.setdefault(exigence_id, ExigenceRows(exigence_id, row, cells))
        for label in filter(None, (clean(p) for p in re.split(r"[,;\n]", cells.get("profil", "")))):
            base = _VA1.sub("", label)  # « va1 X » is the Vague 1 profil X
            pid = "general" if fold(base) == "general" else slugify(base)
            ex.profils.setdefault(pid, label)
            known = self.profils.setdefault(pid, {"row": row, "labels": []})
            if label not in known["labels"]:
                known["labels"].append(label)
        if cells.get("nature"):
            ex.natures.append(cells["nature"])
        self._scenario(ex, row, cells)

    def _scenario(self, ex: ExigenceRows, row: int, cells: dict[str, str]) -> None:
        proofs = [(cells.get(ik, ""), cells.get(tk, "")) for ik, _, tk, _ in NUMBERED_PROOFS]
        proofs.append((cells.get("proof_id", ""), cells.get("proof_text", "")))
        proofs = [(pid, text) for pid, text in proofs if pid or text]
        raw = cells.get("scenario_id", "")
        sid = nest(raw, ex.id) if raw else None
        if raw and sid is None:
            self.skip(row, "scénario", raw, "ne dérive pas de son exigence", ex.id)
        if sid is None:
            for pid, _ in proofs:
                self.skip(
                    row,
                    "preuve",
                    pid,
                    "pas de scénario valide sur la ligne" if pid else "sans numéro",
                )
            return
        label = cells.get("scenario_text") or None
        sc = ex.scenarios.setdefault(sid, {"row": row, "label": label, "preuves": {}})
        if sc["label"] is None and label:  # a later row of the scénario carries its text
            sc["label"] = label
        for pid, text in proofs:
            full = nest(pid, sid) if pid else None
            if full is None:
                reason = "ne dérive pas de son scénario" if pid else "sans numéro"
                self.skip(row, "preuve", pid, reason, sid)
            elif full not in sc["preuves"]:
                kind = infer_proof_kind(text)
                label = (text if self.statements else "") or KIND_LABELS[kind]
                sc["preuves"][full] = Preuve(id=full, label=label, kind=kind, text_sha256=digest(text),
                                             source=self.ref(row))

    # ------------------------------------------------------------ output

    def build_exigences(self) -> tuple[Exigence, ...]:
        return tuple(self._exigence(ex) for ex in self.exigences.values())

    def _exigence(self, ex: ExigenceRows) -> Exigence:
        cells = ex.cells
        section, chapter = cells.get("section") or None, cells.get("chapter") or None
        if self.layout == "draft" and section:  # « SSI/GEN_Exigences générales »
            parts = [p.strip() for p in re.split(r"_| - ", section, maxsplit=1)]
            section, chapter = parts[0] or None, (parts[1:] or [None])[0] or None
        label = next(v for v in (cells.get("fonction"), cells.get("bloc"), chapter, ex.id) if v)
        profils = set(ex.profils) or {"general"}
        evolution = cells.get("evolution", "")
        return Exigence(
            id=ex.id,
            profils=("general",) if "general" in profils else tuple(sorted(profils)),
            label=re.sub(r"^\d+(\.\d+)*\s*-\s*", "", label),
            section=section,
            chapter=chapter,
            bloc=cells.get("bloc") or None,
            fonction=cells.get("fonction") or None,
            nature=self._nature(ex),
            perimetre=self._perimetre(ex),
            critical=fold(cells.get("criticite", "")) == "critique",
            criticality=self._criticality(ex),
            draft_status=slugify(evolution) or None,
            scenarios=tuple(
                Scenario(
                    id=sid,
                    label=sc["label"] if self.statements else None,
                    preuves=tuple(sc["preuves"].values()),
                    text_sha256=digest(sc["label"] or ""),
                    source=self.ref(sc["row"]),
                )
                for sid, sc in ex.scenarios.items()
            ),
            note=(cells.get("statement") or None) if self.statements else None,
            text_sha256=digest(cells.get("statement", "")),
            source=self.ref(ex.row),
            reviewed=self.reviewed,
        )

    def _nature(self, ex: ExigenceRows) -> str:
        natures = [NATURES[fold(n)] for n in ex.natures if fold(n) in NATURES]
        if len(set(natures)) > 1:
            self.warnings.append(
                f"{ex.id} : natures différentes selon les lignes, « {natures[0]} » retenue"
            )
        if natures:
            return natures[0]
        words = set(re.findall(r"\b(doit|peut)\b", fold(ex.cells.get("statement", ""))))
        if words == {"peut"}:
            return "preconisation"
        if "doit" not in words:
            shown = f" « {ex.natures[0]} »" if ex.natures else ""
            self.warnings.append(
                f"{ex.id} : nature{shown} non reconnue, « exigence » retenue par défaut"
            )
        return "exigence"

    def _criticality(self, ex: ExigenceRows) -> str | None:
        value = slugify(ex.cells.get("criticite", ""))
        if value in ("mineure", "majeure", "critique", "non-definie"):
            return value
        if value:
            self.warnings.append(f"{ex.id} : criticité « {ex.cells['criticite']} » non reconnue")
        return None

    @staticmethod
    def _perimetre(ex: ExigenceRows) -> str:
        value = slugify(ex.cells.get("perimetre", ""))
        if value in ("vague-1", "vague-2"):
            return value
        return "vague-1" if "va1" in ex.id else "vague-2"

    def build_profils(self) -> tuple[Profil, ...]:
        known = {"general": {"row": 0, "labels": []}} | self.profils
        without = sum(not ex.profils for ex in self.exigences.values())
        if without:
            self.warnings.append(
                f"{without} exigence(s) sans profil : rattachée(s) au profil général"
            )
        return tuple(self._profil(pid, k) for pid, k in known.items())

    def _profil(self, pid: str, known: dict[str, Any]) -> Profil:
        labels = known["labels"]
        main = "Général" if pid == "general" else _VA1.sub("", labels[0])
        row = known["row"] or min(ex.row for ex in self.exigences.values())
        return Profil(
            id=pid,
            label=main,
            general=pid == "general",
            aliases=tuple(sorted({label for label in labels if label != main})),
            source=self.ref(row),
            reviewed=self.reviewed,
        )
