"""Reading a pack from TOML files, and resolving a DSR pack against the socle it uses."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .errors import FieldProblem, PackError
from .loading import read_toml, validate
from .models.pack import Exigence, Pack
from .parameters import merge_parameters
from .rules.conditions import suggest

#: Keys whose arrays may be split across the files named by ``include``.
_MERGEABLE = ("profils", "exigences", "rules", "changelog", "generic_deadlines", "proof_formats",
              "overlays", "journey", "parameters")


def load_pack_file(path: Path | str) -> Pack:
    """Read ``pack.toml`` and the files it ``include``s (paths relative to it)."""
    path = Path(path)
    data = read_toml(path, PackError)
    includes = data.pop("include", [])
    if not isinstance(includes, list):
        raise PackError(f"« include » doit être une liste de fichiers ({path})", path=path)
    origins: dict[str, list[tuple[int, str]]] = {}  # key → (first index, file) of each included part
    for name in includes:
        part_path = path.parent / str(name)
        part = read_toml(part_path, PackError)
        for key, value in part.items():
            if key not in _MERGEABLE or not isinstance(value, list):
                raise PackError(
                    f"{part_path} : seules les listes {', '.join(_MERGEABLE)} "
                    f"peuvent être incluses (clé « {key} »{suggest(key, _MERGEABLE)})",
                    path=part_path,
                )
            items = data.setdefault(key, [])
            origins.setdefault(key, []).append((len(items), str(part_path)))
            items.extend(value)
    try:
        return validate(Pack, data, path=path, what="Pack", error_type=PackError)
    except PackError as exc:
        if not origins:
            raise
        located = [_locate(p, origins) for p in exc.problems]
        raise PackError(exc.message, path=exc.path, problems=located) from None


def _locate(problem: FieldProblem, origins: dict[str, list[tuple[int, str]]]) -> FieldProblem:
    """« rules[31].whne » → « prerequisites.toml : rules[3].whne » when item 31 came from an include."""
    match = re.match(r"^(\w+)\[(\d+)\](.*)$", problem.loc)
    if not match or match.group(1) not in origins:
        return problem
    key, index, rest = match.group(1), int(match.group(2)), match.group(3)
    parts = [(start, file) for start, file in origins[key] if start <= index]
    if not parts:
        return problem
    start, file = parts[-1]
    return FieldProblem(f"{file} : {key}[{index - start}]{rest}", problem.message)


def pack_digest(pack: Pack) -> str:
    """SHA-256 of the pack's canonical JSON: the provenance a plan records."""
    canonical = json.dumps(pack.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def apply_overlays(pack: Pack) -> Pack:
    """Set the flags of the pack's overlays (transversal, critical) on the exigences they name."""
    if not pack.overlays:
        return pack
    flags: dict[str, dict[str, bool]] = {}
    for overlay in pack.overlays:
        values = {k: v for k in ("transversal", "critical") if (v := getattr(overlay, k)) is not None}
        for exigence_id in overlay.exigences:
            flags.setdefault(exigence_id, {}).update(values)
    exigences = tuple(e.model_copy(update=flags[e.id]) if e.id in flags else e for e in pack.exigences)
    return pack.model_copy(update={"exigences": exigences})


def resolve_pack(pack: Pack, socles: dict[str, Pack]) -> Pack:
    """Fill a DSR pack from the socles it ``uses``.

    Exigence entries that only reference a socle exigence get its definition (the pack's own
    non-default values win: profils are always the pack's); socle rules, proof formats, generic
    deadlines and sources are added. Missing socles or references are :class:`PackError`.
    """
    if not pack.uses:
        return apply_overlays(pack)
    problems: list[FieldProblem] = []
    definitions: dict[str, Exigence] = {}
    sources = dict(pack.sources)
    rules = list(pack.rules)
    formats = list(pack.proof_formats)
    generic = list(pack.generic_deadlines)
    journey = list(pack.journey)
    parameters = list(pack.parameters)
    for socle_id in pack.uses:
        socle = socles.get(socle_id)
        if socle is None:
            problems.append(FieldProblem("uses", f"socle « {socle_id} » introuvable"))
            continue
        for key, doc in socle.sources.items():
            if key in sources and sources[key] != doc:
                problems.append(FieldProblem(f"sources.{key}", f"diffère de la source du socle {socle_id}"))
            sources.setdefault(key, doc)
        definitions.update({e.id: e for e in apply_overlays(socle).exigences})
        rules.extend(socle.rules)
        parameters, clashes = merge_parameters(parameters, socle.parameters, socle_id)
        problems.extend(clashes)
        if not pack.journey:
            journey.extend(socle.journey)
        if not pack.proof_formats:
            formats.extend(socle.proof_formats)
        if not pack.generic_deadlines:
            generic.extend(socle.generic_deadlines)
    exigences = []
    for index, entry in enumerate(pack.exigences):
        base = definitions.get(entry.id)
        if base is None:
            exigences.append(entry)
            continue
        own = entry.model_dump(exclude_unset=True, exclude_defaults=True)
        merged = base.model_dump(exclude_unset=True) | own | {"profils": entry.profils}
        try:
            exigences.append(Exigence.model_validate(merged))
        except ValueError as exc:  # pragma: no cover - both halves were valid already
            problems.append(FieldProblem(f"exigences[{index}]", str(exc)))
    if problems:
        raise PackError(f"Pack {pack.id} : socle non résolu", pack_id=pack.id, problems=problems)
    resolved = pack.model_copy(
        update={
            "sources": sources,
            "exigences": tuple(exigences),
            "rules": tuple(rules),
            "proof_formats": tuple(formats),
            "generic_deadlines": tuple(generic),
            "journey": tuple(journey),
            "parameters": tuple(parameters),
        }
    )
    return apply_overlays(resolved)
