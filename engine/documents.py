"""Machine documents shared by the CLI (``--format json``) and the HTTP service: packs and
explanations, in one shape (and key order) so that a portal gets the same JSON from both."""

from __future__ import annotations

from typing import Any

from .api import Explanation, ItemExplanation
from .registry import PackEntry, PackRegistry


def pack_summary(entry: PackEntry) -> dict[str, Any]:
    pack = entry.pack
    return {
        "id": pack.id, "kind": pack.kind, "title": pack.title, "couloir": pack.couloir,
        "vague": pack.vague, "version": pack.version, "released": pack.released.isoformat(),
        "status": pack.status, "sha256": entry.sha256, "origin": entry.origin,
        "exigences": len(pack.exigences),
        "scenarios": sum(len(e.scenarios) for e in pack.exigences),
        "preuves": sum(len(s.preuves) for e in pack.exigences for s in e.scenarios),
        "rules": len(pack.rules),
        "profils": [{"id": p.id, "label": p.label, "general": p.general} for p in pack.profils],
        "coverage": pack.coverage,
    }


def pack_list(registry: PackRegistry, include_socles: bool) -> dict[str, Any]:
    entries = [registry.entries[i] for i in registry.ids(include_socles=include_socles)]
    broken = [{"origin": b.origin, "pack_id": b.pack_id, "reason": b.reason,
               "problems": [p.as_dict() for p in b.problems]} for b in registry.broken]
    return {"packs": [pack_summary(e) for e in entries], "broken": broken}


def pack_detail(entry: PackEntry) -> dict[str, Any]:
    return pack_summary(entry) | {"pack": entry.pack.model_dump(mode="json")}


def explanation(result: Explanation) -> dict[str, Any]:
    return {
        "exigence_id": result.exigence_id, "label": result.label, "applicable": result.applicable,
        "excluded": result.excluded, "source": result.source, "vague1_ids": list(result.vague1_ids),
        "profils": [{"id": i, "label": lbl, "active": a} for i, lbl, a in result.profils],
        "reasons": [r.model_dump(mode="json") for r in result.reasons],
        "rules": [{"id": t.rule_id, "label": t.label, "fired": t.fired, "effect": t.effect,
                   "source": t.source} for t in result.rules],
        "status": result.status,
        "decided_by": [r.model_dump(mode="json") for r in result.decided_by],
        "solution": result.solution,
    }


def item_explanation(result: ItemExplanation) -> dict[str, Any]:
    return {"kind": result.kind, "id": result.id, "label": result.label,
            "facts": [{"what": what, "value": value} for what, value in result.facts], "source": result.source}
