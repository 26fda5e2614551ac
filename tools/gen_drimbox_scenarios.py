"""Attach the scénarios and preuves of the older DRIMbox working file to the RAD-DRIMBOX catalogue.

Method
------
Inputs: the RAD-DRIMBOX catalogue written by ``tools/gen_draft_packs.py --rem DB`` (a TOML file,
read as is) and sheet "Exigences" of ``rem-drimbox-draft-older-layout.xlsx`` (ANS working file,
older REM layout). Columns are found by header name (spaces and non-breaking spaces stripped),
never by position, and only the columns in ``COLUMNS`` are kept: statement and scénario texts
are never read; a proof text is read only to infer its kind (``infer_proof_kind``) and a short
label of our own. No text of the file enters the repository.

1. Each sheet row's "N° exigence" is matched to a catalogue ID: same ID; else same ID once the
   prefix the draft export strips (``SC.``, métier prefixes) is removed on both sides, when that
   gives exactly one catalogue ID; else, for ``DB.X``, the catalogue ID ``DB/X`` but only when its
   Bloc and Fonction are the row's (clearly the same exigence). A filled "référence exigence
   socle" cell must agree. Unmatched rows are reported; their scénarios are left out.
2. Scénario and preuve IDs are copied as written, with the prefix the exigence lost restored
   (``DMP/AIRS.03.01`` under ``SC.DMP/AIRS.03`` → ``SC.DMP/AIRS.03.01``, as the sheet's own
   "référence cas de test" column writes it). A scénario must derive from its exigence (ID +
   "."), a preuve from its scénario: other cells (IDs of other exigences, malformed numbers,
   duplicates) are reported and skipped.
3. A row whose Profil is "DRIMbox Proxy" or "DRIMbox native" puts its exigence in that profil
   (the draft catalogue has no profil for these rows).

Output is deterministic: catalogue order, scénarios sorted by ID, preuves in column order. Usage::

    python tools/gen_drimbox_scenarios.py --catalogue /tmp/dbout/rad_drimbox/exigences.toml \\
        --xlsx ../shared/ans/rem-drimbox-draft-older-layout.xlsx \\
        --out packs/rad_drimbox/exigences.toml
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import tomli_w
from segur_plan.engine.models.common import ProofKind, fold, slugify
from segur_plan.engine.proof_kinds import infer_proof_kind

Row = dict[str, Any]  # a sheet row or a TOML entry
SHEET = "Exigences"
SOURCE_REF = "rem-drimbox-older"
COLUMNS = {"N° exigence", "N° scénario", "Profil", "Bloc", "Fonction", "référence exigence socle"}
COLUMNS |= {"référence cas de test"} | {
    f"{h} {k}" for h in ("N° preuve", "Preuve") for k in range(1, 11)
}
PREFIXES = ("SC.", "CH.", "DB.", "DPI.", "PFI.", "SGL.", "RIS.", "LGC.")  # FACTS §1.1
DRIMBOX_PROFILS = {"drimbox-proxy": "DRIMbox Proxy", "drimbox-native": "DRIMbox native"}
KIND_LABELS = {
    ProofKind.VIDEO: "Vidéo ou captures d'écran",
    ProofKind.SCREENSHOT: "Captures d'écran",
    ProofKind.LOG: "Message ou journal technique",
    ProofKind.FILE: "Fichier technique",
    ProofKind.REPORT: "Rapport",
    ProofKind.COMPTE_RENDU: "Compte-rendu",
    ProofKind.LINK: "Lien vers un rapport de test",
}
DOCUMENT_LABELS = (  # folded keyword -> label, first match wins
    ("homologation cnda", "Justificatif d'homologation CNDA"),
    ("attestation sur l honneur", "Attestation sur l'honneur"),
    ("test d intrusion", "Formulaire de test d'intrusion"),
    ("formulaire", "Formulaire"),
)
UNKNOWN_LABEL = "Pièce à préciser (nature non reconnue)"
DOCUMENT_LABEL = "Document justificatif"
CONDITIONAL = re.compile(r"^(\[si |cas 1|lorsque )")
HEADER = """\
# Pack RAD-DRIMBOX (REM DB): the catalogue of tools/gen_draft_packs.py (ANS draft export,
# itération #3) with the scénarios and preuves of the older DRIMbox working file attached by
# tools/gen_drimbox_scenarios.py. Do not edit by hand: fix a generator and run both again.
# IDs, short names and our own proof labels only (no statement or proof text).

"""


def clean(value: Any) -> str:
    """Cell text with normal and non-breaking spaces stripped ('' for an empty cell)."""
    return "" if value is None else str(value).replace("\u00a0", " ").strip()


def bare(exigence_id: str) -> str:
    """The ID without the prefix the draft export strips."""
    return next((exigence_id[len(p) :] for p in PREFIXES if exigence_id.startswith(p)), exigence_id)


def preuve_label(text: str, kind: ProofKind) -> str:
    """A short label of our own for a proof, from its kind and a few keywords."""
    folded = fold(re.sub(r"<[^>]+>", " ", text))
    if kind is ProofKind.DOCUMENT:
        label = next((lab for key, lab in DOCUMENT_LABELS if key in folded), DOCUMENT_LABEL)
    elif kind is ProofKind.UNKNOWN:
        label = "Engagement écrit" if "engagement ecrit" in folded else UNKNOWN_LABEL
    else:
        label = KIND_LABELS[kind]
    return label + (" (selon le cas)" if CONDITIONAL.match(folded) else "")


def read_rows(xlsx: Path) -> list[Row]:
    """Every data row as {header: cleaned text} plus its sheet row number."""
    sheet = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)[SHEET]
    rows = sheet.iter_rows(values_only=True)
    headers = [clean(h) for h in next(rows)]
    return [
        {"row": n, **{h: clean(v) for h, v in zip(headers, values, strict=False) if h in COLUMNS}}
        for n, values in enumerate(rows, start=2)
        if any(v is not None for v in values)
    ]


def match(row: Row, catalogue: dict[str, Row], by_bare: dict[str, list[str]]) -> str | None:
    """The catalogue ID of a sheet row's exigence, or None when it is not clearly the same."""
    old = row["N° exigence"]
    found: str | None = old if old in catalogue else None
    if found is None and len(by_bare.get(bare(old), [])) == 1:
        found = by_bare[bare(old)][0]
    if found is None and old.startswith("DB."):
        entry = catalogue.get("DB/" + old[3:])
        if entry and (entry.get("bloc"), entry.get("fonction")) == (row["Bloc"], row["Fonction"]):
            found = "DB/" + old[3:]
    socle_ref = row.get("référence exigence socle", "")
    if found and socle_ref and socle_ref != found:
        print(f"  ! ligne {row['row']}: {old} → {found} contredit par {socle_ref}")
        return None
    return found


def scenario(row: Row, ex_id: str, prefix: str, seen: set[str]) -> Row | None:
    """The scénario of a sheet row with its preuves; None (reported) when it does not derive."""
    source = {"ref": SOURCE_REF, "section": f"{SHEET}, ligne {row['row']}"}
    sc_id = prefix + row["N° scénario"]
    test_ref = row.get("référence cas de test", "")
    if not sc_id.startswith(ex_id + ".") or sc_id in seen or (test_ref and test_ref != sc_id):
        print(
            f"  ! ligne {row['row']}: scénario {sc_id} ignoré (ne dérive pas de {ex_id}, "
            f"doublon ou contredit par « {test_ref} »)"
        )
        return None
    seen.add(sc_id)
    preuves = []
    for k in range(1, 11):
        number, text = row.get(f"N° preuve {k}", ""), row.get(f"Preuve {k}", "")
        if not number and not text:
            continue
        p_id = prefix + number
        if not number or not p_id.startswith(sc_id + ".") or p_id in seen:
            print(f"  ! ligne {row['row']}: N° preuve {k} = {number!r} ignoré (hors {sc_id})")
            continue
        seen.add(p_id)
        kind = infer_proof_kind(text)
        label = preuve_label(text, kind)
        preuves.append({"id": p_id, "label": label, "kind": kind.value, "source": source})
    return {"id": sc_id, "preuves": preuves, "source": source}


def attach(catalogue: dict[str, Row], rows: list[Row]) -> list[str]:
    """Attach scénarios and DRIMbox profils to the catalogue in place; return the unmatched IDs."""
    by_bare: dict[str, list[str]] = {}
    for ex_id in catalogue:
        by_bare.setdefault(bare(ex_id), []).append(ex_id)
    unmatched: list[str] = []
    seen: set[str] = set()
    for row in rows:
        old = row.get("N° exigence", "")
        if not old:
            continue
        ex_id = match(row, catalogue, by_bare)
        if ex_id is None:
            has = " (avec scénario, laissé de côté)" if row.get("N° scénario") else ""
            unmatched.append(f"{old} (ligne {row['row']}){has}")
            continue
        entry = catalogue[ex_id]
        profil = slugify(row.get("Profil", ""))
        if profil in DRIMBOX_PROFILS:
            entry["profils"] = [profil]
            entry["note"] = (
                f"Profil « {DRIMBOX_PROFILS[profil]} » d'après le fichier de travail DRIMbox "
                f"(ancienne présentation, {SHEET}, ligne {row['row']}) ; "
                "absent du brouillon itération #3."
            )
        if row.get("N° scénario"):
            if not ex_id.endswith(old):
                unmatched.append(f"{old} (ligne {row['row']}) : préfixe non restituable")
                continue
            built = scenario(row, ex_id, ex_id[: len(ex_id) - len(old)], seen)
            if built is not None:
                entry.setdefault("scenarios", []).append(built)
    for entry in catalogue.values():
        if "scenarios" in entry:
            entry["scenarios"].sort(key=lambda s: s["id"])
    return unmatched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalogue", type=Path, required=True, help="gen_draft_packs output")
    parser.add_argument("--xlsx", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    entries = tomllib.loads(args.catalogue.read_text(encoding="utf-8"))["exigences"]
    catalogue = {e["id"]: e for e in entries}
    unmatched = attach(catalogue, read_rows(args.xlsx))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(HEADER + tomli_w.dumps({"exigences": entries}), encoding="utf-8")

    scenarios = [s for e in entries for s in e.get("scenarios", [])]
    kinds: dict[str, int] = {}
    for preuve in (p for s in scenarios for p in s["preuves"]):
        kinds[preuve["kind"]] = kinds.get(preuve["kind"], 0) + 1
    with_scenarios = sum("scenarios" in e for e in entries)
    print(
        f"exigences {len(entries)}, avec scénario {with_scenarios}, scénarios {len(scenarios)}, "
        f"preuves {sum(kinds.values())} {dict(sorted(kinds.items()))}"
    )
    print(f"IDs non rapprochés ({len(unmatched)}) : " + ", ".join(unmatched))


if __name__ == "__main__":
    main()
