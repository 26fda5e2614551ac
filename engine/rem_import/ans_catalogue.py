"""Draft catalogues of the six DSR packs from the ANS draft workbooks (:mod:`.ans_drafts`).

Rules, in order (each decision the sources leave open is reported, never guessed):

1. **Itération #3** (``export_final``): "Obsolète" rows are left out; the canonical ID is
   "VERIF: Id exigence socle" when filled, else "ID Exigence"; rows of one REM sharing an ID are
   merged (first row wins, profils united, "general" absorbs the others).
2. **Pré-publication** (both ``prepub*`` sheets, ``Approuvée`` rows only): the ID is "reference
   socle" when filled, else ``SC.`` + "reference" when that is a socle exigence, else the métier
   ID (``DPI.`` + reference…; DRIMbox short refs ``CO.48`` → ``DB/CO.48``). The pré-publication is
   newer than itération #3 and wins: its profils replace the older ones ("profils corrigés"), an
   exigence it approves that itération #3 lacks is added, one it only marks "Obsolète" is
   removed; one it does not approve (absent, or "A retravailler") is kept from itération #3.
   The same requirement renamed between the two drafts (same Squash ID, "VERIF: Id squash" /
   "id exigence", e.g. ``RIS.CRR/va1.01`` → ``RIS.CRI/va1.01``) is one exigence: the
   pré-publication's name and status win. A published source beats both drafts: an exigence
   that the pack's own version history (ANS FAQ, 2024) cites is kept even when the
   pré-publication marks it "Obsolète", with a note.
3. **Scénarios and preuves**: "ref scenario" must be one level below "reference" (``X.NN`` →
   ``X.NN.01``) and each preuve ID one level below its scénario; they are restated under the
   exigence's full ID (``SC.`` restored, ``DB/`` for DRIMbox). Other cells are reported and left
   out. A preuve's kind comes from :func:`engine.proof_kinds.infer_proof_kind`, its label from
   its kind (our words, :func:`.ans_drafts.preuve_label`).
4. **Socle exigences shared by several REMs** get one definition in the socle. Their scénarios
   go in that definition when every REM that has some has the same ones (same IDs, kinds and
   labels): the REMs then inherit them, including a REM that keeps the exigence from
   itération #3 only. When REMs disagree, each pack carries its own and the socle none.
5. **Vague 1 IDs** of a carried exigence (``…/va1.NN``) come from the crosswalk
   (``DSR_all_modified``, ``update_old_ref``) and from "reference vague1" of
   ``prepub_avec_scenarios``, prefixed with the DSR's Vague 1 code (``SGL`` for BIO); they are
   per pack (a socle exigence has one Vague 1 ID per DSR).
6. **PHA-LGO and MS-DUI** have no Vague 2 REM in any source. Their catalogue is the socle
   MSSanté items ``SC.MSS/va1.*`` whose Vague 1 origins the ANS notes name as ``LGO.MSS.*`` /
   ``DUI.MSS.*`` (crosswalk workbook, ``db_REQUIREMENT``): references to the socle, marked
   ``draft_status = "inference"``, with those Vague 1 IDs and a note saying that their reuse by
   the Vague 2 REM is an inference.
7. **Review dates**: an entry identical (review date aside) to the one already in the pack keeps
   its date; a new or changed entry gets ``reviewed`` (the day a person checks the output).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..ids import nests_under, same
from ..models.common import fold, slugify
from .ans_drafts import APPROVED, OBSOLETE, DraftWorkbooks, Row, derive, proof, proof_items, vague1_refs, vague2_refs

Entry = dict[str, Any]
IT3_KEY, PREPUB_KEY, CROSSWALK_KEY = "rem-va2-draft-it3", "rem-va2-prepub", "rem-va1-va2-crosswalk"
NATURES = {"Obligatoire": "exigence", "Préconisée": "preconisation"}
SECTION_SEPARATOR = re.compile(r"_| - ")  # « SSI/GEN_Exigences… »; a few cells use " - "
# Spelling variants and truncated labels: slug of the label's start → profil id.
PROFIL_PREFIXES = {
    "general": "general",
    "equipement-mobile": "equipements-mobiles",
    "equipements-mobiles": "equipements-mobiles",
    "prestations-hebergement-des-donnees-de-s": "prestations-hds",
    "prestations-hds": "prestations-hds",
    "prestations-d-hebergement-ou-saas": "prestations-hebergement-saas",
    "prestations-de-telemaintenance-et-de-tel": "prestations-telemaintenance",
    "authentification-electronique-unipersonn": "authentification-rpps-rang-scm",
    "envoi-manuel-par-mss-au-ps-demandeur": "envoi-manuel-mss",
}
NO_PROFIL_NOTE = "profil absent du brouillon : traité comme Général"
CITED_NOTE = ("marquée obsolète par la pré-publication (2023) pour ce REM, mais citée par l'historique des "
              "versions publié par la FAQ ANS : conservée de l'itération #3")


@dataclass(frozen=True)
class Target:
    """One DSR pack and its codes in the three workbooks."""

    pack_id: str
    folder: str
    it3_rem: str
    prepub_rem: str
    vague1: str | None  # DSR code of the Vague 1 IDs (« SGL » for BIO)
    prefix: str  # prefix of its métier IDs: « DPI. », « DB/ »


TARGETS = (
    Target("HOP-DPI", "hop_dpi", "HOP-DPI", "DPI", "DPI", "DPI."),
    Target("HOP-PFI", "hop_pfi", "HOP-PFI", "PFI", "PFI", "PFI."),
    Target("BIO-SGL", "bio_sgl", "BIO", "BIO", "SGL", "SGL."),
    Target("RAD-RIS", "rad_ris", "RIS", "RIS", "RIS", "RIS."),
    Target("MDV-LGC", "mdv_lgc", "LGC", "LGC", "LGC", "LGC."),
    Target("RAD-DRIMBOX", "rad_drimbox", "DB", "DB", None, "DB/"),
)


@dataclass
class PackCounts:
    """What the reconciliation did for one pack (the coverage note quotes it)."""

    exigences: int = 0
    socle_refs: int = 0
    with_scenarios: int = 0
    scenarios: int = 0
    preuves: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    from_prepub: int = 0
    added: int = 0
    kept_absent: int = 0
    kept_rework: int = 0
    removed: int = 0
    kept_cited: int = 0
    renamed: int = 0
    profils_fixed: int = 0
    carried: int = 0
    carried_without_vague1: int = 0


#: Packs without a Vague 2 REM: (Vague 1 code of their origins, folder, file written).
CARRIED_OVER = {"PHA-LGO": ("LGO", "pha_lgo", "exigences.toml"), "MS-DUI": ("DUI", "ms_dui", "exigences_mss.toml")}
CARRIED_NOTE = (
    "Inférence, non publiée : exigence socle Vague 2 dont l'ANS note l'origine Vague 1 {origins} ; "
    "aucun REM {pack} Vague 2 ne figure dans nos sources, la reprise de cette exigence par ce REM "
    "est donc présumée. Scénarios et preuves affichés : ceux du socle (pré-publication sanitaire), "
    "à titre indicatif."
)


@dataclass
class Catalogues:
    socle: list[Entry]
    packs: dict[str, list[Entry]]
    counts: dict[str, PackCounts]
    report: list[str]
    carried_over: dict[str, list[Entry]] = field(default_factory=dict)


def profil_ids(cell: str) -> set[str]:
    """Profil ids of a Profil cell (« va1 X » is the Vague 1 profil X; variants merged)."""
    ids: set[str] = set()
    for label in filter(None, (part.strip() for part in re.split(r"[,\n]", cell))):
        slug = slugify(re.sub(r"^va1\s+", "", label, flags=re.IGNORECASE))
        ids.add(next((v for k, v in PROFIL_PREFIXES.items() if slug.startswith(k)), slug))
    return ids


def _profils(ids: set[str], empty: bool) -> list[str]:
    return ["general"] if empty or "general" in ids or not ids else sorted(ids)


def _src(key: str, row: Row) -> dict[str, str]:
    return {"ref": key, "section": f"feuille {row.sheet}, ligne {row.row}"}


def _label(text: str) -> str:
    return re.sub(r"^\d+(\.\d+)*\s*-\s*", "", text)


def _it3_definition(row: Row, canonical: str) -> Entry:
    c = row.cells
    section, chapter = (SECTION_SEPARATOR.split(c["section"], maxsplit=1) + [""])[:2]
    return {
        "label": _label(c["fonction"] or c["bloc"] or canonical), "section": section.strip(),
        "chapter": chapter.strip(), "bloc": c["bloc"], "fonction": c["fonction"],
        "nature": NATURES[c["nature"]], "perimetre": "vague-1" if "va1" in canonical else "vague-2",
    }  # fmt: skip


def _prepub_definition(row: Row, canonical: str, nature: str | None) -> Entry:
    c = row.cells
    if nature is None:
        words = set(re.findall(r"\b(doit|peut)\b", row.statement))
        nature = "preconisation" if words == {"peut"} else "exigence"
    section = c.get("section_id") or canonical.split(".")[0].split("/")[0]
    return {
        "label": _label(c["fonction"] or c["bloc"] or canonical), "section": section,
        "chapter": c["section"], "bloc": c["bloc"], "fonction": c["fonction"], "nature": nature,
        "perimetre": "vague-1" if "va1" in canonical else "vague-2",
    }  # fmt: skip


def _drop_empty(entry: Entry) -> Entry:
    return {k: v for k, v in entry.items() if v not in ("", None, [], ())}


class Reconciler:
    """Builds the catalogues; ``report`` collects what was left out and why (French)."""

    def __init__(self, books: DraftWorkbooks, reviewed: dt.date, previous: dict[str, dict[str, Entry]],
                 cited: dict[str, set[str]]) -> None:
        self.books = books
        self.cited = cited  # pack id → IDs its published version history names
        self.reviewed = reviewed
        self.previous = previous  # pack id or "socle" → exigence id → entry as last written
        self.report: list[str] = []
        live = [r for r in books.it3 if r.cells["evolution"] != "Obsolète"]
        self.it3 = {t.pack_id: [r for r in live if r.cells["rem"] == t.it3_rem] for t in TARGETS}
        self.it3_socle: dict[str, Row] = {}
        for row in sorted(live, key=lambda r: (r.cells["rem"], r.row)):
            canonical = row.cells["socle_id"] or row.cells["id"]
            if canonical.startswith("SC.") and canonical not in self.it3_socle:
                self.it3_socle[canonical] = row
        self.socle_ids = set(self.it3_socle) | {
            r.cells["socle_ref"] for r in books.prepub if r.cells.get("socle_ref", "").startswith("SC.")
        }

    # ------------------------------------------------------------ IDs

    def canonical(self, target: Target, row: Row, it3_ids: set[str]) -> str:
        ref, socle_ref = row.cells["ref"], row.cells.get("socle_ref", "")
        if socle_ref.startswith("SC."):
            return socle_ref
        if "SC." + ref in self.socle_ids:
            return "SC." + ref
        for candidate in (ref, target.prefix + ref):
            if candidate in it3_ids:
                return candidate
        return ref if ref.startswith(target.prefix) else target.prefix + ref

    # ------------------------------------------------------------ itération #3

    def _it3_entries(self, target: Target) -> dict[str, dict[str, Any]]:
        merged: dict[str, dict[str, Any]] = {}
        for row in self.it3[target.pack_id]:
            canonical = row.cells["socle_id"] or row.cells["id"]
            ids = profil_ids(row.cells["profil"])
            item = merged.setdefault(canonical, {"first": row, "profils": set(), "empty": 0})
            item["profils"] |= ids
            item["empty"] += not ids
        for item in merged.values():
            explicit = item["profils"]
            item["note"] = NO_PROFIL_NOTE if item["empty"] and "general" not in explicit else None
            item["profils"] = _profils(explicit, bool(item["empty"]))
        return merged

    # ------------------------------------------------------------ pré-publication

    def _scenarios(self, target: Target, canonical: str, rows: list[Row]) -> list[Entry]:
        scenarios: dict[str, Entry] = {}
        seen: set[str] = set()
        for row in rows:
            raw_sc, cell = row.cells.get("scenario", ""), row.cells.get("preuve", "")
            where = f"{target.pack_id}, feuille {row.sheet}, ligne {row.row}"
            if not raw_sc:
                if cell.strip():
                    self.report.append(f"{where} : preuves sans scénario pour {canonical}, écartées")
                continue
            sc_id = derive(raw_sc, row.cells["ref"], canonical)
            if sc_id is None:
                self.report.append(f"{where} : scénario « {raw_sc} » ne dérive pas de {canonical}, écarté")
                continue
            scenario = scenarios.setdefault(sc_id, {"id": sc_id, "preuves": [], "source": _src(PREPUB_KEY, row)})
            items, stray = proof_items(cell)
            for line in stray:
                self.report.append(f"{where} : ligne de preuve sans identifiant écartée ({line[:30]}…)")
            for raw_p, text in items:
                p_id = derive(raw_p, raw_sc, sc_id)
                if p_id is None or p_id in seen:
                    why = "en double" if p_id else f"ne dérive pas de {sc_id}"
                    self.report.append(f"{where} : preuve « {raw_p} » {why}, écartée")
                    continue
                seen.add(p_id)
                item = proof(p_id, text)
                scenario["preuves"].append({"id": p_id, "label": item.label, "kind": item.kind.value,
                                            "source": _src(PREPUB_KEY, row)})
        return [scenarios[k] for k in sorted(scenarios)]

    # ------------------------------------------------------------ one pack

    def pack(self, target: Target) -> tuple[dict[str, Entry], dict[str, list[Entry]], PackCounts]:
        """Entries (without review dates) and the scénarios of each exigence, per ID."""
        counts = PackCounts()
        it3 = self._it3_entries(target)
        grouped: dict[str, dict[str, list[Row]]] = {}
        for row in (r for r in self.books.prepub if r.cells["rem"] == target.prepub_rem):
            canonical = self.canonical(target, row, set(it3))
            status = fold(row.cells["arbitrage"]).replace(" ", "-")
            grouped.setdefault(canonical, {}).setdefault(status, []).append(row)
        entries: dict[str, Entry] = {}
        scenarios: dict[str, list[Entry]] = {}
        renamed = self._renamed(target, it3, grouped)
        for ex_id in sorted(set(it3) | set(grouped)):
            rows = grouped.get(ex_id, {})
            if ex_id in renamed and not rows:
                new_id = renamed[ex_id]
                if set(grouped[new_id]) & {APPROVED, OBSOLETE}:  # the new name decides
                    counts.renamed += 1
                    self.report.append(f"{target.pack_id} : {ex_id} renommée {new_id} par la pré-publication "
                                       "(même identifiant Squash), ancien nom écarté")
                    continue
            approved = rows.get(APPROVED, [])
            if approved:
                counts.from_prepub += 1
                ids: set[str] = set()
                empty = False
                for row in approved:
                    found = profil_ids(row.cells["profil"])
                    ids |= found
                    empty = empty or not found
                profils = _profils(ids, empty)
                if ex_id not in it3:
                    counts.added += 1
                elif profils != it3[ex_id]["profils"]:
                    counts.profils_fixed += 1
                first = approved[0]
                nature = NATURES[it3[ex_id]["first"].cells["nature"]] if ex_id in it3 else None
                entry: Entry = {"id": ex_id, "profils": profils}
                if not ex_id.startswith("SC."):
                    entry |= _prepub_definition(first, ex_id, nature)
                elif nature is not None and ex_id in self.it3_socle:
                    socle_nature = NATURES[self.it3_socle[ex_id].cells["nature"]]
                    entry["nature"] = nature if nature != socle_nature else None
                entry |= {"draft_status": "approuvee", "source": _src(PREPUB_KEY, first)}
                scenarios[ex_id] = self._scenarios(target, ex_id, approved)
                entries[ex_id] = entry
            elif ex_id in it3 and set(rows) == {OBSOLETE} and not self._cited(target, ex_id):
                counts.removed += 1
            elif ex_id in it3:
                obsolete = set(rows) == {OBSOLETE}
                if obsolete:
                    counts.kept_cited += 1
                elif rows:
                    counts.kept_rework += 1
                else:
                    counts.kept_absent += 1
                item = it3[ex_id]
                first = item["first"]
                entry = {"id": ex_id, "profils": item["profils"]}
                if ex_id.startswith("SC."):
                    nature = NATURES[first.cells["nature"]]
                    entry["nature"] = nature if nature != NATURES[self.it3_socle[ex_id].cells["nature"]] else None
                else:
                    entry |= _it3_definition(first, ex_id)
                note = item["note"]
                if obsolete:
                    note = "; ".join(filter(None, (note, CITED_NOTE)))
                entry |= {"draft_status": slugify(first.cells["evolution"]), "note": note,
                          "source": _src(IT3_KEY, first)}
                entries[ex_id] = entry
        return entries, scenarios, counts

    def _renamed(self, target: Target, it3: dict[str, dict[str, Any]],
                 grouped: dict[str, dict[str, list[Row]]]) -> dict[str, str]:
        """Itération #3 ID → pré-publication ID of the same Squash requirement, when they differ."""
        by_squash = {row.cells.get("squash"): ex_id for ex_id, rows in grouped.items()
                     for group in rows.values() for row in group if row.cells.get("squash")}
        renamed = {}
        for ex_id, item in it3.items():
            new_id = by_squash.get(item["first"].cells.get("squash") or None)
            if new_id is not None and new_id != ex_id:
                renamed[ex_id] = new_id
        return renamed

    def _cited(self, target: Target, ex_id: str) -> bool:
        return any(same(item, ex_id) or nests_under(item, ex_id) for item in self.cited.get(target.pack_id, ()))

    # ------------------------------------------------------------ crosswalk

    def vague1(self, target: Target, ids: set[str]) -> dict[str, set[str]]:
        """Exigence ID of the pack → its Vague 1 IDs."""
        found: dict[str, set[str]] = {}
        if target.vague1 is None:
            return found

        def resolve(ref: str) -> str | None:
            return next((c for c in (ref, "SC." + ref, target.prefix + ref) if c in ids), None)

        def add(v2: str, v1: str, where: str) -> None:
            ex_id = resolve(v2)
            if ex_id is None:
                if "/va1." in v2:
                    self.report.append(f"{target.pack_id}, {where} : {v1} → {v2} absent du catalogue")
                return
            found.setdefault(ex_id, set()).add(v1)

        for row in self.books.crosswalk:
            for v1 in vague1_refs(row.cells["v1"]):
                if v1.split(".")[0] != target.vague1:
                    continue
                for v2 in vague2_refs(row.cells["v2"]):
                    add(v2, v1, f"feuille {row.sheet}, ligne {row.row}")
        for row in self.books.prepub:
            if row.cells["rem"] != target.prepub_rem or fold(row.cells["arbitrage"]) != APPROVED:
                continue
            for v1 in vague1_refs(row.cells.get("vague1", "")):
                full = v1 if v1.split(".")[0] == target.vague1 else f"{target.vague1}.{v1}"
                add(self.canonical(target, row, ids), full, f"feuille {row.sheet}, ligne {row.row}")
        return found

    # ------------------------------------------------------------ socle

    def socle_definition(self, ex_id: str) -> tuple[Entry, str]:
        """The socle definition of ``ex_id``: from the pré-publication when it approves it."""
        rows = sorted((r for r in self.books.prepub
                       if r.cells.get("socle_ref") == ex_id and fold(r.cells["arbitrage"]) == APPROVED),
                      key=lambda r: (r.cells["rem"], r.sheet, r.row))
        old = self.it3_socle.get(ex_id)
        nature = NATURES[old.cells["nature"]] if old else None
        if rows:
            definition = _prepub_definition(rows[0], ex_id, nature)
            return {"id": ex_id, **definition, "source": _src(PREPUB_KEY, rows[0])}, PREPUB_KEY
        assert old is not None
        return {"id": ex_id, **_it3_definition(old, ex_id), "source": _src(IT3_KEY, old)}, IT3_KEY


def carried_over(books: DraftWorkbooks, pack_id: str, socle_ids: set[str], reviewed: dt.date,
                 previous: dict[str, Entry]) -> tuple[list[Entry], list[str]]:
    """The socle references of a pack without Vague 2 REM (rule 6), and what was left out."""
    code = CARRIED_OVER[pack_id][0]
    entries, report = [], []
    for row in sorted(books.origins, key=lambda r: r.cells["ref"]):
        origins = [o for o in row.cells["origins"].split() if o.startswith(code + ".")]
        if not origins:
            continue
        ex_id = row.cells["ref"]
        if ex_id not in socle_ids:
            report.append(f"{pack_id} : {ex_id} (origine {', '.join(origins)}) absent du socle, écarté")
            continue
        entry = {"id": ex_id, "profils": ["general"], "draft_status": "inference", "vague1_ids": origins,
                 "note": CARRIED_NOTE.format(origins=", ".join(origins), pack=pack_id),
                 "source": {"ref": CROSSWALK_KEY,
                            "section": f"feuille {row.sheet}, ligne {row.row} (origines Vague 1 de {ex_id})"}}
        entries.append(_dated(entry, previous, reviewed))
    return entries, report


def _content(scenarios: list[Entry]) -> list[tuple[str, tuple[tuple[str, str, str], ...]]]:
    return [(s["id"], tuple((p["id"], p["kind"], p["label"]) for p in s["preuves"])) for s in scenarios]


def _dated(entry: Entry, previous: dict[str, Entry], reviewed: dt.date) -> Entry:
    """``entry`` with its review date: the previous one when nothing else changed."""
    entry = _drop_empty(entry)
    old = previous.get(entry["id"])
    if old is not None and {k: v for k, v in old.items() if k != "reviewed"} == entry:
        return entry | {"reviewed": old["reviewed"]}
    return entry | {"reviewed": reviewed}


def build_catalogues(books: DraftWorkbooks, reviewed: dt.date,
                     previous: dict[str, dict[str, Entry]] | None = None,
                     cited: dict[str, set[str]] | None = None) -> Catalogues:
    """Socle and pack catalogues (TOML-ready dicts) from the draft workbooks; see the module rules.

    ``previous``: pack id (or "socle") → the entries last written, for review dates; ``cited``:
    pack id → the IDs its published version history names (rule 2)."""
    rec = Reconciler(books, reviewed, previous or {}, cited or {})
    built = {t.pack_id: rec.pack(t) for t in TARGETS}
    # Scénarios of a socle exigence go to the socle when every pack that has some agrees.
    variants: dict[str, list[tuple[str, list[Entry]]]] = {}
    for pack_id, (_, scenarios, _) in built.items():
        for ex_id, items in scenarios.items():
            if ex_id.startswith("SC.") and items:
                variants.setdefault(ex_id, []).append((pack_id, items))
    shared = {ex_id: v[0][1] for ex_id, v in variants.items() if len({repr(_content(s)) for _, s in v}) == 1}
    socle_ids = sorted(set(rec.it3_socle) | {i for e, _, _ in built.values() for i in e if i.startswith("SC.")})
    socle = []
    for ex_id in socle_ids:
        definition, _ = rec.socle_definition(ex_id)
        definition["scenarios"] = shared.get(ex_id, [])
        socle.append(_dated(definition, rec.previous.get("socle", {}), reviewed))
    socle_scenarios = {e["id"]: e.get("scenarios", []) for e in socle}
    packs: dict[str, list[Entry]] = {}
    counts: dict[str, PackCounts] = {}
    for target in TARGETS:
        entries, scenarios, c = built[target.pack_id]
        vague1 = rec.vague1(target, set(entries))
        out = []
        for ex_id, entry in entries.items():
            own = [] if ex_id in shared else scenarios.get(ex_id, [])
            entry = entry | {"vague1_ids": sorted(vague1.get(ex_id, ())), "scenarios": own}
            keys = list(entry)  # vague1_ids and scénarios after the definition, note and source last
            order = [k for k in keys if k not in ("note", "source")] + [k for k in ("note", "source") if k in keys]
            out.append(_dated({k: entry[k] for k in order}, rec.previous.get(target.pack_id, {}), reviewed))
            effective = own or socle_scenarios.get(ex_id, [])
            c.exigences += 1
            c.socle_refs += ex_id.startswith("SC.")
            c.with_scenarios += bool(effective)
            c.scenarios += len(effective)
            c.preuves += sum(len(s["preuves"]) for s in effective)
            c.kinds.update(p["kind"] for s in effective for p in s["preuves"])
            if "/va1." in ex_id:
                c.carried += 1
                c.carried_without_vague1 += not vague1.get(ex_id)
        packs[target.pack_id] = out
        counts[target.pack_id] = c
    for pack_id in counts:
        rec.report += [f"{pack_id} : {e['id']} reprise de la Vague 1 sans identifiant Vague 1 dans les sources"
                       for e in packs[pack_id] if "/va1." in e["id"] and not e.get("vague1_ids")]
    result = Catalogues(socle, packs, counts, rec.report)
    for pack_id in CARRIED_OVER:
        carried, report = carried_over(books, pack_id, set(socle_ids), reviewed, rec.previous.get(pack_id, {}))
        result.carried_over[pack_id] = carried
        result.report += report
    return result
