"""Pack discovery and registration (pluggy), conda-style.

- Plugins come from the entry-point group ``segur_plan.packs`` (the built-in packs register
  there exactly like a third-party one) and from programmatic registration.
- A plugin that fails to import, a hook that raises, a pack that fails validation: recorded as
  *broken* with the reason, skipped; the other packs load.
- Local packs, without pip: the folders of ``SEGUR_PLAN_PACKS_PATH`` (separated by
  ``os.pathsep``) or of ``paths``, each holding a ``pack.toml`` or folders of them.
- Two packs with the same id: both refused, naming both origins (an error a user must settle:
  we cannot know which one they meant). A local pack with the id of an installed one is refused
  (naming both) unless its ``replaces`` names that id: it then replaces it.
"""

from __future__ import annotations

import importlib.metadata as md
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pluggy

from . import hookspecs
from .errors import DuplicatePackError, FieldProblem, PackError, SegurPlanError, UnknownPackError
from .models.pack import Pack
from .pack_loading import load_pack_file, pack_digest, resolve_pack
from .pack_validation import check_pack, compile_pack_rules
from .rules.conditions import suggest
from .rules.language import CompiledRule


@dataclass(frozen=True)
class PackEntry:
    """A loaded, resolved and validated pack with its provenance."""

    pack: Pack  # resolved against its socles
    origin: str
    sha256: str
    rules: tuple[CompiledRule, ...]


@dataclass(frozen=True)
class BrokenPack:
    origin: str
    reason: str
    pack_id: str | None = None
    problems: tuple[FieldProblem, ...] = ()


#: Folders of local packs, separated by ``os.pathsep`` (« : » on Linux and macOS, « ; » on Windows).
PACKS_PATH_ENV_VAR = "SEGUR_PLAN_PACKS_PATH"


def packs_path_from_env() -> tuple[Path, ...]:
    raw = os.environ.get(PACKS_PATH_ENV_VAR, "")
    return tuple(Path(p) for p in raw.split(os.pathsep) if p.strip())


@dataclass
class _Candidate:
    pack: Pack
    origin: str
    local: bool = False


def local_pack_files(folder: Path) -> list[Path]:
    """The ``pack.toml`` of ``folder`` and of its sub-folders (one level), in name order."""
    own = [folder / "pack.toml"] if (folder / "pack.toml").is_file() else []
    return own + sorted(p for p in folder.glob("*/pack.toml") if p.is_file())


def _local_files(paths: Sequence[Path], broken: list[BrokenPack]) -> list[Path]:
    """The ``pack.toml`` of the local folders (a missing or empty folder is reported)."""
    found: list[Path] = []
    for folder in paths:
        where = f"dossier local {folder}"
        if not folder.is_dir():
            broken.append(BrokenPack(where, f"dossier de packs introuvable ({PACKS_PATH_ENV_VAR} ou --packs-path)"))
            continue
        files = local_pack_files(folder)
        if not files:
            broken.append(BrokenPack(where, "aucun pack.toml dans ce dossier ni dans ses sous-dossiers"))
        found += files
    return found


def _candidates(sources: Sequence[tuple[str, object, bool]], broken: list[BrokenPack]) -> list[_Candidate]:
    """The packs of ``sources`` ((origin, pack.toml or Pack, local)), read and validated; a pack
    that fails is reported in ``broken``."""
    found: list[_Candidate] = []
    for origin, source, local in sources:
        try:
            pack = load_pack_file(source) if isinstance(source, str | Path) else source
            if not isinstance(pack, Pack):
                raise PackError(f"objet inattendu : {type(source).__name__}")
            found.append(_Candidate(pack, origin, local=local))
        except PackError as exc:
            broken.append(BrokenPack(origin, exc.message, problems=exc.problems))
    return found


def _broken_order(b: BrokenPack) -> tuple[str, str]:
    return (b.pack_id or "", b.origin)


def _settle(pack_id: str, found: list[_Candidate], broken: list[BrokenPack]) -> _Candidate | None:
    """The one candidate kept for ``pack_id`` (None: all refused, reasons in ``broken``)."""
    locals_ = [c for c in found if c.local]
    installed = [c for c in found if not c.local]
    for c in locals_:
        if c.pack.replaces is not None and c.pack.replaces != pack_id:
            broken.append(BrokenPack(c.origin, f"« replaces » vaut « {c.pack.replaces} » : un pack local ne "
                                               f"remplace que le pack installé de son identifiant ({pack_id})",
                                     pack_id))
            found.remove(c)
    locals_ = [c for c in found if c.local]
    if len(found) == 1:
        return found[0]
    if len(installed) > 1 or len(locals_) > 1:
        group = installed if len(installed) > 1 else locals_
        error = DuplicatePackError(pack_id, [c.origin for c in group])
        broken.extend(BrokenPack(c.origin, error.message, pack_id) for c in group)
        if len(installed) > 1:
            return None
        locals_ = []
    if not locals_:
        return installed[0] if installed else None
    local, other = locals_[0], installed[0]
    if local.pack.replaces == pack_id:
        return _Candidate(local.pack, f"{local.origin} (remplace {other.origin})", local=True)
    broken.append(BrokenPack(local.origin, (
        f"Le pack local « {pack_id} » ({local.origin}) a l'identifiant du pack installé par {other.origin} : "
        f"il est ignoré. Pour qu'il le remplace, ajoutez replaces = \"{pack_id}\" à son pack.toml ; "
        "sinon, changez son identifiant."), pack_id))
    return other


@dataclass
class PackRegistry:
    #: By pack id; from the cache, a mapping that builds each pack on first look-up.
    entries: Mapping[str, PackEntry] = field(default_factory=dict)
    broken: list[BrokenPack] = field(default_factory=list)

    # ------------------------------------------------------------------ construction

    @classmethod
    def discover(cls, plugins: Iterable[object] = (), *, entry_points: bool = True,
                 paths: Sequence[Path | str] | None = None) -> PackRegistry:
        """Load every pack from the installed entry points, from ``plugins`` and from the local
        folders ``paths`` (default: ``SEGUR_PLAN_PACKS_PATH``)."""
        pm = pluggy.PluginManager(hookspecs.PROJECT)
        pm.add_hookspecs(hookspecs)
        broken: list[BrokenPack] = []
        if entry_points:
            names: dict[int, tuple[str, str]] = {}  # a distribution's name and version, read once
            for ep in sorted(md.entry_points(group=hookspecs.ENTRY_POINT_GROUP), key=lambda e: e.name):
                origin = _origin(ep, names)
                try:
                    pm.register(ep.load(), name=origin)
                except Exception as exc:  # a broken third-party plugin must not stop the tool
                    broken.append(BrokenPack(origin, f"import impossible : {type(exc).__name__}: {exc}"))
        for plugin in plugins:
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            pm.register(plugin, name=f"{name} (enregistré par programme)")
        broken += _unknown_hooks(pm)
        sources: list[tuple[str, object, bool]] = []
        for impl in pm.hook.segur_plan_packs.get_hookimpls():
            try:
                given = cast("Iterable[object] | None", impl.function())  # pluggy: -> object
            except Exception as exc:
                broken.append(BrokenPack(impl.plugin_name, f"le hook a échoué : {type(exc).__name__}: {exc}"))
                continue
            sources += [(impl.plugin_name, source, False) for source in given or ()]
        folders = packs_path_from_env() if paths is None else tuple(Path(p) for p in paths)
        sources += [(f"dossier local {file.parent}", file, True) for file in _local_files(folders, broken)]
        return cls._load(sources, broken)

    @classmethod
    def _load(cls, sources: Sequence[tuple[str, object, bool]], broken: list[BrokenPack]) -> PackRegistry:
        """Read, resolve, check and compile the packs of ``sources``; from the validated-pack
        cache (:mod:`.pack_cache`) when they all are files unchanged since it was written."""

        def build() -> tuple[Mapping[str, PackEntry], list[BrokenPack]]:
            found: list[BrokenPack] = []
            built = cls.from_packs(_candidates(sources, found), found)
            return built.entries, built.broken

        files = [(origin, Path(source), local) for origin, source, local in sources if isinstance(source, str | Path)]
        if len(files) == len(sources):
            from .pack_cache import cached

            entries, loaded_broken = cached(files, build)
        else:
            entries, loaded_broken = build()
        return cls(entries, sorted([*broken, *loaded_broken], key=_broken_order))

    @classmethod
    def from_packs(cls, candidates: Sequence[_Candidate], broken: list[BrokenPack]) -> PackRegistry:
        by_id: dict[str, list[_Candidate]] = {}
        for candidate in candidates:
            by_id.setdefault(candidate.pack.id, []).append(candidate)
        unique: dict[str, _Candidate] = {}
        for pack_id, found in sorted(by_id.items()):
            kept = _settle(pack_id, found, broken)
            if kept is not None:
                unique[pack_id] = kept
        socles = {i: c.pack for i, c in unique.items() if c.pack.kind == "socle"}
        entries: dict[str, PackEntry] = {}
        registry = cls(entries, broken)
        for pack_id, candidate in unique.items():
            try:
                resolved = resolve_pack(candidate.pack, socles)
                problems = check_pack(resolved)
                if problems:
                    raise PackError(f"Pack {pack_id} incohérent", pack_id=pack_id, problems=problems)
                rules, _ = compile_pack_rules(resolved)
            except PackError as exc:
                registry.broken.append(BrokenPack(candidate.origin, exc.message, pack_id, exc.problems))
                continue
            entries[pack_id] = PackEntry(resolved, candidate.origin, pack_digest(resolved), tuple(rules))
        registry.broken.sort(key=_broken_order)
        return registry

    # ------------------------------------------------------------------ queries

    def kind(self, pack_id: str) -> str:
        """``socle`` or ``dsr``, without building the pack when it comes from the cache."""
        kind_of = getattr(self.entries, "kind_of", None)
        return kind_of(pack_id) if kind_of is not None else self.entries[pack_id].pack.kind

    def ids(self, *, include_socles: bool = False) -> list[str]:
        return sorted(i for i in self.entries if include_socles or self.kind(i) != "socle")

    def get(self, pack_id: str) -> PackEntry:
        entry = self.entries.get(pack_id)
        if entry is None:
            folded = {i.casefold(): i for i in self.entries}
            entry = self.entries.get(folded.get(pack_id.casefold(), ""))  # a lazy mapping: only this one
        if entry is None:
            for b in self.broken:
                if b.pack_id == pack_id:
                    raise SegurPlanError(f"Le pack « {pack_id} » est installé mais inutilisable : {b.reason}")
            raise UnknownPackError(pack_id, self.ids())
        return entry


def _unknown_hooks(pm: pluggy.PluginManager) -> list[BrokenPack]:
    """Plugins that implement a hook the contract does not define (a misspelled hook is ignored by
    pluggy: the pack would silently be missing)."""
    known = sorted(n for n in dir(hookspecs) if pm.parse_hookspec_opts(hookspecs, n) is not None)
    out = []
    for plugin_name, plugin in sorted(pm.list_name_plugin(), key=lambda np: np[0]):
        for attr in sorted(dir(plugin)):
            marked = pm.parse_hookimpl_opts(plugin, attr) is not None
            if attr in known or not (marked or attr.startswith(f"{hookspecs.PROJECT}_")):
                continue
            out.append(BrokenPack(plugin_name, f"hook inconnu « {attr} »{suggest(attr, known)} ; hooks du "
                                               f"contrat : {', '.join(known)}"))
    return out


def _origin(ep: md.EntryPoint, names: dict[int, tuple[str, str]]) -> str:
    dist = getattr(ep, "dist", None)
    if dist is not None:
        if id(dist) not in names:  # parsing METADATA costs a millisecond: once per distribution
            metadata = dist.metadata
            names[id(dist)] = (metadata["Name"], metadata["Version"])
        name, version = names[id(dist)]
        return f"{name} {version} (point d'entrée « {ep.name} »)"
    return f"point d'entrée « {ep.name} » ({ep.value})"
