"""What changed between two versions of a pack (``segur-plan packs diff OLD NEW``).

Both packs are compared as given (the caller resolves them against their socle first). Items are
matched by id in each family; a changed item lists its changed fields with the old and new values
as JSON. ``source``, ``reviewed``, ``t0_source`` and the pack's ``sources`` are provenance:
compared only with ``include_provenance``. A pack field of no family is compared whole, as
metadata. Every list is sorted, so the same two packs always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from .models.common import Out
from .models.pack import Pack
from .pack_loading import pack_digest

PACK_DIFF_SCHEMA_VERSION = 1
_PROVENANCE = ("source", "reviewed", "t0_source")


class PackVersionRef(Out):
    id: str
    version: str
    released: dt.date
    sha256: str


class FieldChange(Out):
    """One changed field; ``old``/``new`` are JSON values (``None`` when unset)."""

    field: str
    old: Any
    new: Any


class ItemChange(Out):
    """A changed item of a family and its changed fields, sorted by name."""

    id: str
    fields: list[FieldChange]


class FamilyDiff(Out):
    added: list[str] = []
    removed: list[str] = []
    changed: list[ItemChange] = []


class FamilyCounts(Out):
    added: int
    removed: int
    changed: int


class DiffCounts(Out):
    added: int
    removed: int
    changed: int
    metadata: int
    by_family: dict[str, FamilyCounts]


class PackDiff(Out):
    """The report of ``packs diff``: metadata changes, then one section per family.

    Ids: exigences, scénarios, preuves, profils and rules by id; deadlines as
    ``published:<id>``, ``generic:<id>`` and ``t0``; proof formats by kinds joined with ``+``;
    changelog entries by ISO date. A scénario also records its ``exigence``.
    """

    schema_version: int = PACK_DIFF_SCHEMA_VERSION
    old: PackVersionRef
    new: PackVersionRef
    include_provenance: bool
    metadata: list[FieldChange]
    exigences: FamilyDiff
    scenarios: FamilyDiff
    preuves: FamilyDiff
    profils: FamilyDiff
    rules: FamilyDiff
    deadlines: FamilyDiff
    proof_formats: FamilyDiff
    changelog: FamilyDiff
    counts: DiffCounts

    @property
    def is_empty(self) -> bool:
        return not self.metadata and not any(
            c.added or c.removed or c.changed for c in self.counts.by_family.values())


#: Families in report order: French label of one item, heading, grammatical gender.
FAMILIES: dict[str, tuple[str, str, str]] = {
    "exigences": ("Exigence", "Exigences", "f"), "scenarios": ("Scénario", "Scénarios", "m"),
    "preuves": ("Preuve", "Preuves", "f"), "profils": ("Profil", "Profils", "m"),
    "rules": ("Règle", "Règles", "f"), "deadlines": ("Échéance", "Échéances", "f"),
    "proof_formats": ("Format de preuve", "Formats de preuve", "m"),
    "changelog": ("Entrée d'historique", "Historique des versions", "f"),
}
_EXIGENCE = ("label", "profils", "nature", "perimetre", "section", "chapter", "bloc", "fonction",
             "critical", "criticality", "transversal", "draft_status", "note", "text_sha256")
_METADATA = ("id", "title", "version", "released", "status", "coverage", "uses", "kind",
             "couloir", "dsr", "vague")
#: Pack fields of the families above, or provenance; any other field is compared whole, as metadata.
_COVERED = {"schema_version", "sources", "reviewed", "profils", "exigences", "rules", "calendar",
            "generic_deadlines", "proof_formats", "changelog", *_METADATA}


def _fields(obj: BaseModel, names: Iterable[str], prov: bool = False) -> dict[str, Any]:
    """The JSON values of ``names`` (plus the provenance fields ``obj`` has, when ``prov``)."""
    dumped = obj.model_dump(mode="json")
    extra = [n for n in _PROVENANCE if n in dumped] if prov else []
    return {name: dumped[name] for name in (*names, *extra)}


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    return [FieldChange(field=k, old=old.get(k), new=new.get(k))
            for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]


def _family(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> FamilyDiff:
    changed = [ItemChange(id=key, fields=fields) for key in sorted(old.keys() & new.keys())
               if (fields := _changes(old[key], new[key]))]
    return FamilyDiff(added=sorted(new.keys() - old.keys()),
                      removed=sorted(old.keys() - new.keys()), changed=changed)


def _index(items: Iterable[Any], key: Callable[[Any], str],
           value: Callable[[Any], dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """id → compared fields; on a duplicate id the first occurrence wins."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out.setdefault(key(item), value(item))
    return out


def _snapshot(pack: Pack, prov: bool) -> dict[str, dict[str, dict[str, Any]]]:
    scenarios = [(e, s) for e in pack.exigences for s in e.scenarios]
    preuves = [p for _, s in scenarios for p in s.preuves]
    deadlines = _index(pack.calendar.published, lambda d: f"published:{d.id}",
                       lambda d: _fields(d, ("date", "time"), prov))
    deadlines |= _index(pack.generic_deadlines, lambda d: f"generic:{d.id}",
                        lambda d: _fields(d, ("label", "months", "months_latest"), prov))
    deadlines["t0"] = _fields(pack.calendar, ("t0",), prov)  # always there: None → date is a change
    return {
        "exigences": _index(pack.exigences, lambda e: e.id, lambda e: _fields(e, _EXIGENCE, prov)),
        "scenarios": _index(scenarios, lambda es: es[1].id, lambda es: {
            "exigence": es[0].id, "preuves": [p.id for p in es[1].preuves],
            **_fields(es[1], ("label", "text_sha256"), prov)}),
        "preuves": _index(preuves, lambda p: p.id, lambda p: _fields(p, ("label", "kind", "text_sha256"), prov)),
        "profils": _index(pack.profils, lambda p: p.id,
                          lambda p: _fields(p, ("label", "general", "aliases", "note"), prov)),
        "rules": _index(pack.rules, lambda r: r.id,
                        lambda r: _fields(r, ("label", "when", "then", "priority"), prov)),
        "deadlines": deadlines,
        "proof_formats": _index(pack.proof_formats, lambda f: "+".join(f.kinds), lambda f: _fields(
            f, ("label", "formats", "max_bytes", "note"), prov)),
        "changelog": _index(pack.changelog, lambda c: c.date.isoformat(),
                            lambda c: _fields(c, ("items", "note"), prov)),
    }


def _metadata(pack: Pack, prov: bool) -> dict[str, Any]:
    dumped = pack.model_dump(mode="json")
    others = {k: v if prov else _strip(v) for k, v in dumped.items() if k not in _COVERED}
    return {k: dumped[k] for k in _METADATA + (("reviewed", "sources") if prov else ())} | others


def _strip(value: Any) -> Any:
    """``value`` without the provenance keys nested in it."""
    if isinstance(value, list):
        return [_strip(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _PROVENANCE}
    return value


def _ref(pack: Pack) -> PackVersionRef:
    return PackVersionRef(id=pack.id, version=pack.version, released=pack.released,
                          sha256=pack_digest(pack))


def diff_packs(old: Pack, new: Pack, *, include_provenance: bool = False) -> PackDiff:
    """Added, removed and changed items of each family between two versions of a pack."""
    prov = include_provenance
    before, after = _snapshot(old, prov), _snapshot(new, prov)
    families = {name: _family(before[name], after[name]) for name in FAMILIES}
    by_family = {n: FamilyCounts(added=len(f.added), removed=len(f.removed), changed=len(f.changed))
                 for n, f in families.items()}
    metadata = _changes(_metadata(old, prov), _metadata(new, prov))
    totals = {k: sum(getattr(c, k) for c in by_family.values()) for k in FamilyCounts.model_fields}
    counts = DiffCounts(**totals, metadata=len(metadata), by_family=by_family)
    return PackDiff(old=_ref(old), new=_ref(new), include_provenance=include_provenance,
                    metadata=metadata, counts=counts, **families)


# ---------------------------------------------------------------- a new REM version

#: What makes an item of a REM "changed" for the editor's proofs (a new changelog entry): the
#: official text (compared by digest when both versions have one, else as written), and for an
#: exigence its profils, nature and criticité, for a preuve its kind. A scénario whose list of
#: preuves changed is not itself changed: the preuves added or removed are.
_REM_TEXT = {"exigences": "note", "scenarios": "label", "preuves": "label"}
_REM_FIELDS = {"exigences": ("profils", "nature", "critical", "criticality"), "scenarios": (),
               "preuves": ("kind",)}


def rem_changes(old: Pack, new: Pack) -> dict[str, list[str]]:
    """Exigences, scénarios and preuves added, removed or changed from ``old`` to ``new``
    (family → sorted IDs): the items of the changelog entry of a new REM version."""
    before, after = _snapshot(old, False), _snapshot(new, False)
    out: dict[str, list[str]] = {}
    for family, text in _REM_TEXT.items():
        a, b = before[family], after[family]
        ids = set(a.keys() ^ b.keys())
        for key in a.keys() & b.keys():
            x, y = a[key], b[key]
            if any(x[f] != y[f] for f in _REM_FIELDS[family]):
                ids.add(key)
            elif x.get("text_sha256") and y.get("text_sha256"):
                if x["text_sha256"] != y["text_sha256"]:
                    ids.add(key)
            elif x[text] != y[text]:
                ids.add(key)
        out[family] = sorted(ids)
    return out


# ---------------------------------------------------------------- French renderers

_FIELD_FR = {"label": "libellé", "critical": "critique", "kind": "type", "general": "général",
             "aliases": "alias", "when": "condition", "then": "conséquences", "time": "heure",
             "priority": "priorité", "months": "mois", "months_latest": "mois au plus tard",
             "max_bytes": "taille maximale (octets)", "items": "éléments", "title": "titre",
             "released": "date de version", "status": "statut", "coverage": "couverture",
             "reviewed": "revu le", "draft_status": "statut brouillon", "criticality": "criticité",
             "text_sha256": "empreinte du texte officiel"}


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _change(c: FieldChange) -> str:
    return f"{_FIELD_FR.get(c.field, c.field)} : {_value(c.old)} → {_value(c.new)}"


def _title(diff: PackDiff) -> str:
    return f"{diff.old.id} {diff.old.version} et {diff.new.id} {diff.new.version}"


def render_diff_text(diff: PackDiff) -> str:
    """One French line per changed item (metadata first, then family by family)."""
    if diff.is_empty:
        return f"Aucune différence entre {_title(diff)}.\n"
    lines = [f"Différences entre {_title(diff)} :"]
    lines += [f"Métadonnée modifiée : {_change(c)}" for c in diff.metadata]
    for name, (label, _, gender) in FAMILIES.items():
        family: FamilyDiff = getattr(diff, name)
        e = "e" if gender == "f" else ""  # accord : « Exigence ajoutée », « Profil ajouté »
        lines += [f"{label} ajouté{e} : {i}" for i in family.added]
        lines += [f"{label} supprimé{e} : {i}" for i in family.removed]
        lines += [f"{label} modifié{e} : {item.id} — "
                  + " ; ".join(map(_change, item.fields)) for item in family.changed]
    return "\n".join(lines) + "\n"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[(c if isinstance(c, str) else _value(c)).replace("|", "\\|").replace("\n", " ")
              for c in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in cells] + [""]


def render_diff_markdown(diff: PackDiff) -> str:
    """French Markdown report: a summary, then one heading and tables per changed family."""
    out = [f"# Différences entre {_title(diff)}", ""]
    if diff.is_empty:
        return "\n".join(out + [f"Aucune différence entre {_title(diff)}."]) + "\n"
    c = diff.counts
    out += [f"- Ancienne version : **{diff.old.id}** {diff.old.version} (du {diff.old.released})",
            f"- Nouvelle version : **{diff.new.id}** {diff.new.version} (du {diff.new.released})",
            f"- {c.added} ajout(s), {c.removed} suppression(s), {c.changed} modification(s), "
            f"{c.metadata} métadonnée(s) modifiée(s)", ""]
    if diff.metadata:
        out += ["## Métadonnées", ""]
        out += _table(["Champ", "Avant", "Après"],
                      [[_FIELD_FR.get(m.field, m.field), m.old, m.new] for m in diff.metadata])
    for name, (label, heading, gender) in FAMILIES.items():
        family: FamilyDiff = getattr(diff, name)
        if not (family.added or family.removed or family.changed):
            continue
        out += [f"## {heading}", ""]
        e = "e" if gender == "f" else ""
        for title, ids in ((f"Ajouté{e}s", family.added), (f"Supprimé{e}s", family.removed)):
            if ids:
                out += [f"{title} ({len(ids)}) : " + ", ".join(f"`{i}`" for i in ids), ""]
        if family.changed:
            out += _table([label, "Champ", "Avant", "Après"],
                          [[f"`{item.id}`", _FIELD_FR.get(f.field, f.field), f.old, f.new]
                           for item in family.changed for f in item.fields])
    return "\n".join(out).rstrip() + "\n"
