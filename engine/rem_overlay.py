"""Planning against the editor's own REM: its catalogue replaces the pack's, the rest stays.

``overlay_rem(entry, source)`` reads the REM (cached by SHA-256, :mod:`.rem_import.cache`) and
returns the pack entry to plan with:

- exigences, scénarios and preuves: the REM's (statement texts included: they come from the
  editor's own file and only reach the editor's own plan);
- profils: the pack's. Each REM profil is matched to a pack profil by id, label or alias, case
  and accents ignored (``va1 X`` is X); a REM profil the pack does not know is added as it is
  written (so that it can be declared) and reported;
- rules, calendar, changelog, overlays, proof formats and journey: the pack's. An exigence the
  pack's rules or overlays cite is looked up in the REM by number (``SC.PSC.01`` is ``PSC.01``)
  and the citation follows the REM's spelling; one the REM lacks is reported;
- findings (French) say what replaced what and what does not fit.

The overlay of one (pack, file) pair is computed once per process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import PackError
from .ids import same
from .models.common import Level, fold, slugify
from .models.pack import ExcludeExigence, Exigence, Overlay, Pack, Profil, RequireExigence, Rule, SourceDoc
from .models.plan import FindingOut, RemRef
from .pack_loading import apply_overlays
from .registry import PackEntry
from .rem_import import SOURCE_KEY, RemSource, build_import
from .rem_import.cache import load_table
from .rem_import.report import ImportResult

_VA1 = "va1 "
_BY_DESIGN = ("autre REM", "exigence obsolète")
_OVERLAYS = 32


@dataclass(frozen=True)
class RemOverlay:
    entry: PackEntry  # the pack with the REM's catalogue
    ref: RemRef
    findings: tuple[FindingOut, ...]


def _rem_selector(pack: Pack, rems: list[str], name: str) -> str | None:
    """In a sheet holding several REMs (the draft), the one of this pack (by DSR or id)."""
    if len(rems) <= 1:
        return None
    wanted = {fold(v) for v in (pack.dsr, pack.id) if v}
    wanted |= {fold(part) for v in (pack.dsr, pack.id) if v for part in v.split("-")}
    chosen = [r for r in rems if fold(r) in wanted]
    if len(chosen) != 1:
        raise PackError(f"{name} contient plusieurs REM ({', '.join(rems)}) et aucun n'est celui du pack "
                        f"{pack.id} : importez-le avec « packs import-rem --rem ».", path=name)
    return chosen[0]


def _names(profil: Profil) -> list[str]:
    names = [profil.id, profil.label, *profil.aliases]
    return names + [n[len(_VA1):] for n in names if fold(n).startswith(_VA1)]


def _match_profils(pack: Pack, imported: Pack) -> tuple[dict[str, str], list[Profil]]:
    """REM profil id → pack profil id, and the REM profils the pack does not know."""
    index: dict[str, str] = {}
    for profil in pack.profils:
        for name in _names(profil):
            index.setdefault(fold(name), profil.id)
            index.setdefault(slugify(name), profil.id)
    general = next((p.id for p in pack.profils if p.general), "general")
    mapping: dict[str, str] = {}
    unknown: list[Profil] = []
    taken = {p.id for p in pack.profils}
    for profil in imported.profils:
        if profil.general:
            mapping[profil.id] = general
            continue
        hit = next((index[k] for n in _names(profil) for k in (fold(n), slugify(n)) if k in index), None)
        if hit is None:
            new_id = profil.id if profil.id not in taken else f"rem-{profil.id}"
            taken.add(new_id)
            unknown.append(profil.model_copy(update={"id": new_id}))
            hit = new_id
        mapping[profil.id] = hit
    return mapping, unknown


def _profils(exigence: Exigence, mapping: dict[str, str], general: str) -> tuple[str, ...]:
    mapped = list(dict.fromkeys(mapping.get(p, p) for p in exigence.profils))
    return (general,) if general in mapped else tuple(mapped)


def _citations(pack: Pack) -> Iterable[tuple[str, str]]:
    """(exigence id, who cites it) for the pack's rules and overlays."""
    for rule in pack.rules:
        for action in rule.then:
            if isinstance(action, RequireExigence | ExcludeExigence):
                yield action.exigence, f"règle « {rule.id} »"
    for overlay in pack.overlays:
        for exigence_id in overlay.exigences:
            yield exigence_id, "surcouche du pack"


def _rename(pack: Pack, renamed: dict[str, str]) -> tuple[tuple[Rule, ...], tuple[Overlay, ...]]:
    def action(a: object) -> object:
        if isinstance(a, RequireExigence | ExcludeExigence) and a.exigence in renamed:
            return a.model_copy(update={"exigence": renamed[a.exigence]})
        return a

    rules = tuple(r.model_copy(update={"then": tuple(action(a) for a in r.then)}) for r in pack.rules)
    overlays = tuple(o.model_copy(update={"exigences": tuple(renamed.get(e, e) for e in o.exigences)})
                     for o in pack.overlays)
    return rules, overlays


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _findings(pack: Pack, result: ImportResult, source: RemSource, unknown: list[Profil],
              used: dict[str, int], missing: dict[str, list[str]]) -> list[FindingOut]:
    r = result.report
    out = [FindingOut(level=Level.INFO, code="REM_CATALOGUE", refs=[source.name], message=(
        f"Catalogue lu dans le REM « {source.name} » ({r.layout_label}, feuille « {r.sheet} ») : "
        f"{_plural(r.exigences, 'exigence')}, {_plural(r.scenarios, 'scénario')}, {_plural(r.preuves, 'preuve')}. "
        f"Profils, règles, calendrier, historique et parcours : pack {pack.id} {pack.version}."))]
    for profil in unknown:
        n = used.get(profil.id, 0)
        out.append(FindingOut(level=Level.WARNING, code="REM_PROFIL_UNKNOWN", refs=[profil.id], message=(
            f"Profil du REM inconnu du pack {pack.id} : « {profil.label} » ({_plural(n, 'exigence')}). "
            f"Il est repris tel quel : déclarez-le dans [profils] declared si la solution l'implémente.")))
    for exigence_id, who in sorted(missing.items()):
        out.append(FindingOut(level=Level.WARNING, code="REM_EXIGENCE_MISSING", refs=[exigence_id], message=(
            f"Exigence {exigence_id} citée par le pack {pack.id} ({', '.join(who)}) absente du REM "
            f"« {source.name} » : vérifiez son numéro dans le REM publié.")))
    # rows of another REM of a multi-REM sheet and withdrawn exigences are left out by design
    skipped = {k: n for k, n in r.skipped_by_reason().items() if k[1] not in _BY_DESIGN}
    if skipped:
        n = sum(skipped.values())
        s = "s" if n > 1 else ""
        detail = " ; ".join(f"{what} : {why} × {count}" for (what, why), count in skipped.items())
        out.append(FindingOut(level=Level.WARNING, code="REM_ROWS_SKIPPED", refs=[source.name], message=(
            f"{n} ligne{s} ou cellule{s} du REM « {source.name} » non reprise{s} ({detail}) : "
            "« segur-plan packs import-rem » en donne le détail, ligne par ligne.")))
    return out


def _build(entry: PackEntry, source: RemSource, inherited: tuple[Overlay, ...]) -> RemOverlay:
    # the socles' overlays were applied to their definitions only: they now apply to the REM's
    pack = entry.pack.model_copy(update={"overlays": entry.pack.overlays + inherited})
    table = load_table(source)
    selector = _rem_selector(pack, sorted({c["rem"] for _, c in table.rows if c.get("rem")}), source.name)
    result = build_import(table, source.name, pack_id=pack.id, version=pack.version, released=pack.released,
                          reviewed=pack.reviewed, rem=selector, include_statements=True)
    imported = result.pack
    mapping, unknown = _match_profils(pack, imported)
    general = next((p.id for p in pack.profils if p.general), "general")
    exigences = tuple(e.model_copy(update={"profils": _profils(e, mapping, general)}) for e in imported.exigences)
    used: dict[str, int] = {}
    for e in exigences:
        for p in e.profils:
            used[p] = used.get(p, 0) + 1
    rem_ids = [e.id for e in exigences]
    renamed: dict[str, str] = {}
    missing: dict[str, list[str]] = {}
    for cited, who in _citations(pack):
        if cited in rem_ids:
            continue
        hit = next((i for i in rem_ids if same(i, cited)), None)
        if hit is not None:
            renamed[cited] = hit
        elif who not in missing.setdefault(cited, []):
            missing[cited].append(who)
    rules, overlays = _rename(pack, renamed)
    doc = imported.sources[SOURCE_KEY]
    sources = dict(pack.sources) | {SOURCE_KEY: SourceDoc(
        title=f"REM « {source.name} » fourni par l'éditeur", kind=doc.kind,
        note=f"SHA-256 {source.sha256}")}
    report = result.report
    overlaid = apply_overlays(pack.model_copy(update={
        "exigences": exigences, "profils": pack.profils + tuple(unknown), "rules": rules,
        "overlays": overlays, "sources": sources, "status": imported.status,
        "coverage": f"{imported.coverage} Profils, règles, calendrier, historique et parcours du pack "
                    f"{pack.id} {pack.version}.",
    }))
    ref = RemRef(file=source.name, sha256=source.sha256, layout=report.layout, sheet=report.sheet,
                 exigences=report.exigences, scenarios=report.scenarios, preuves=report.preuves)
    return RemOverlay(
        entry=PackEntry(overlaid, f"{entry.origin} + REM {source.name}", entry.sha256, entry.rules),
        ref=ref, findings=tuple(_findings(pack, result, source, unknown, used, missing)))


class _Cache:
    def __init__(self) -> None:
        self.items: OrderedDict[tuple[str, str], RemOverlay] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, entry: PackEntry, source: RemSource, inherited: tuple[Overlay, ...]) -> RemOverlay:
        key = (entry.sha256, source.sha256)
        with self.lock:
            hit = self.items.get(key)
        if hit is None:
            hit = _build(entry, source, inherited)
            with self.lock:
                self.items[key] = hit
                while len(self.items) > _OVERLAYS:
                    self.items.popitem(last=False)
        return hit


_CACHE = _Cache()


def overlay_rem(entry: PackEntry, source: RemSource, socle_overlays: tuple[Overlay, ...] = ()) -> RemOverlay:
    """The pack entry of ``entry`` with the catalogue of the REM ``source`` (see module docstring);
    ``socle_overlays``: the overlays of the socles the pack uses (its resolved form lacks them)."""
    return _CACHE.get(entry, source, socle_overlays)
