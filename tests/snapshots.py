"""Plan projections for snapshots a person can read.

A full plan (``model_dump(mode="json")``) repeats every label and source title; with the catalogues
it runs to thousands of lines per example, and nobody reads such a diff. The example tests snapshot
the full plan of two small examples only, and for the others this *projection*: what decides a plan
(ids, statuses, dates, counts), one line per item, so a diff names what changed:

- ``requirements``: ``ID status profil scenarios=N preuves=N [vague1=ID,…]``
- ``deadlines``: ``id date [at] basis status``
- ``actions``: ``order id step due [blocked_by=…]``
- ``findings``: ``level code refs=N``
- ``prerequisites``: ``id status [bloquant]``
- ``profils``: ``id origin``; ``parcours``: ``kind trigger [already_referenced]``
- ``packs``: ``id version status`` (not the sha256, which changes with every pack edit)
- ``progress`` (overall and by step) and ``summary``: the counts as they are.

It reads the JSON form of the plan, and reads with ``.get`` every key a newer plan may add or drop,
so the plan model can grow (a new field changes no projection until it is added here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from segur_plan.engine.models.plan import Plan

Json = Mapping[str, Any]


def _words(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p not in (None, "", [], ()))


def requirement_line(req: Json) -> str:
    """``ID status profil scenarios=N preuves=N vague1=…`` (Vague 1 IDs when the plan has them)."""
    scenarios = req.get("scenarios") or []
    proofs = sum(len(sc.get("proofs") or []) for sc in scenarios)
    vague1 = req.get("vague1_ids") or []
    return _words(req["id"], req.get("status"), req.get("profil"), f"scenarios={len(scenarios)}",
                  f"preuves={proofs}", f"vague1={','.join(vague1)}" if vague1 else None)


def deadline_line(d: Json) -> str:
    return _words(d["id"], d.get("date") or "sans-date", d.get("at"), d.get("basis"), d.get("status"))


def action_line(a: Json) -> str:
    blocked = a.get("blocked_by") or []
    return _words(a.get("order"), a["id"], a.get("step"), a.get("due") or "sans-date",
                  f"blocked_by={','.join(blocked)}" if blocked else None)


def project(plan: Plan | Json) -> dict[str, Any]:
    """The projection of ``plan`` (a Plan or its ``model_dump(mode="json")``), as JSON-ready data."""
    data: Json = plan.model_dump(mode="json") if isinstance(plan, Plan) else plan
    parcours = data.get("parcours") or {}
    progress = data.get("progress") or {}
    out: dict[str, Any] = {
        "today": data.get("today"),
        "packs": [_words(p["id"], p.get("version"), p.get("status"), "rem" if p.get("rem") else None)
                  for p in data.get("packs", [])],
        "parcours": _words(parcours.get("kind"), parcours.get("trigger"),
                           ",".join(parcours.get("already_referenced") or [])),
        "profils": [_words(p["id"], p.get("origin")) for p in data.get("profils", [])],
        "requirements": [requirement_line(r) for r in data.get("requirements", [])],
        "prerequisites": [_words(p["id"], p.get("status"), "bloquant" if p.get("blocking") else None)
                          for p in data.get("prerequisites", [])],
        "deadlines": [deadline_line(d) for d in data.get("deadlines", [])],
        "actions": [action_line(a) for a in data.get("actions", [])],
        "findings": [_words(f.get("level"), f.get("code"), f"refs={len(f.get('refs') or [])}")
                     for f in data.get("findings", [])],
        "progress": {
            "overall": progress.get("overall"),
            "by_step": [_words(s.get("step"), f"{s.get('done')}/{s.get('total')}")
                        for s in progress.get("by_step", [])],
        },
        "summary": data.get("summary"),
    }
    if data.get("solutions"):
        out["solutions"] = {
            s["name"]: {"profils": s.get("profils"),
                        "requirements": [requirement_line(r) for r in s.get("requirements", [])]}
            for s in data["solutions"]
        }
    if data.get("solicitations"):
        out["solicitations"] = [_words(s.get("status"), s.get("due")) for s in data["solicitations"]]
    return out
