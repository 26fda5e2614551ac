"""Consistency checks of a resolved pack, beyond what its schema says.

Used when packs load (an inconsistent pack is skipped as broken) and by ``packs validate``.
Each problem is located by a dotted path, in French.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .errors import FieldProblem
from .ids import nests_under
from .models.pack import (
    DEADLINE_IDS,
    OPENING_IDS,
    ActivateProfil,
    AddAction,
    ExcludeExigence,
    Pack,
    PublishedDeadline,
    RequireExigence,
    Rule,
    SetPrerequisite,
    SetStatus,
    SourceRef,
)
from .parameters import check_parameters
from .rules.conditions import suggest
from .rules.language import SCOPE_KINDS, SOLUTION_ATTRIBUTES, CompiledRule, compile_rule

#: Historic journey predicate names, each the condition it always meant.
NAMED_CONDITIONS: dict[str, dict[str, Any] | None] = {
    "has-nie-nil": {"fact": "solution", "has_nie": True, "has_nil": True},
    "cnda-pre-examen": {"fact": "solution", "cnda_request_status": {"gte": {"param": "cnda-min-status"}}},
    "cnda-homologue": {"fact": "solution", "cnda_request_status": "homologue"},
    "declared-done": None,  # only the profile's [journey] done marks it
    "inherited": {"fact": "solution", "mb_modified": False},
    "already-referenced": {"fact": "solution", "trigger": {"not": "initial"}},
    "no-financing": {"fact": "solution", "financing": False},
}
#: Historic ``set_status`` scope names, each a condition on the requirement facts.
NAMED_SCOPES: dict[str, dict[str, Any]] = {
    "all": {"fact": "requirement"},
    "vague-1": {"fact": "requirement", "perimetre": "vague-1"},
    "unmodified-areas": {"fact": "requirement", "modified_area": False},
    "modified-areas": {"fact": "requirement", "modified_area": True},
    "changed-since-deposit": {"fact": "requirement", "changed_since_deposit": True},
    "audit-findings": {"fact": "requirement", "audit_finding": True},
}


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def _sources(pack: Pack) -> Iterable[tuple[str, SourceRef | None]]:
    yield "calendar.t0_source", pack.calendar.t0_source
    for i, d in enumerate(pack.calendar.published):
        yield f"calendar.published[{i}]", d.source
    for i, g in enumerate(pack.generic_deadlines):
        yield f"generic_deadlines[{i}]", g.source
    for i, h in enumerate(pack.vague1_dates):
        yield f"vague1_dates[{i}]", h.source
    for i, m in enumerate(pack.domains):
        yield f"domains[{i}]", m.source
    for i, f in enumerate(pack.proof_formats):
        yield f"proof_formats[{i}]", f.source
    for i, c in enumerate(pack.changelog):
        yield f"changelog[{i}]", c.source
    for i, o in enumerate(pack.overlays):
        yield f"overlays[{i}]", o.source
    for i, step in enumerate(pack.journey):
        yield f"journey[{i}]", step.source
    for i, profil in enumerate(pack.profils):
        yield f"profils[{i}]", profil.source
    for i, r in enumerate(pack.rules):
        yield f"rules[{i}]", r.source
    for i, param in enumerate(pack.parameters):
        for day, value in param.values.items():
            yield f"parameters[{i}] ({param.id}).values.{day.isoformat()}", value.source
    for i, e in enumerate(pack.exigences):
        yield f"exigences[{i}]", e.source
        for j, s in enumerate(e.scenarios):
            yield f"exigences[{i}].scenarios[{j}]", s.source
            for k, p in enumerate(s.preuves):
                yield f"exigences[{i}].scenarios[{j}].preuves[{k}]", p.source


def rule_key(pack: Pack, rule: Rule) -> str:
    """The key a pack rule runs under in a backend (packs are merged: ``PACK.rule``)."""
    return f"{pack.id}.{rule.id}"


def rules_by_key(pack: Pack) -> dict[str, Rule]:
    return {rule_key(pack, rule): rule for rule in pack.rules}


def journey_conditions(pack: Pack) -> list[tuple[str, str, dict[str, Any]]]:
    """(rule key, location, flat condition) of every journey ``done`` / ``skip`` condition.

    They run through the rule backend with the pack's rules: a key that fires means the condition
    holds. Historic predicate names stand for the conditions of :data:`NAMED_CONDITIONS`.
    """
    out = []
    for i, step in enumerate(pack.journey):
        items: list[tuple[str, str | dict[str, Any]]] = [("done", step.done)] if step.done is not None else []
        items += [(f"skip.{j}", c) for j, c in enumerate(step.skip)]
        for what, condition in items:
            resolved = NAMED_CONDITIONS[condition] if isinstance(condition, str) else condition
            if resolved is not None:
                out.append((condition_key(pack, step.id, what), f"journey[{i}].{what.split('.')[0]}", resolved))
    return out


def condition_key(pack: Pack, step_id: str, what: str) -> str:
    """The backend key of a journey condition (``PACK.journey:STEP:done``)."""
    return f"{pack.id}.journey:{step_id}:{what}"


def scope_condition(scope: str | dict[str, Any]) -> dict[str, Any]:
    return NAMED_SCOPES[scope] if isinstance(scope, str) else scope


def compile_scopes(pack: Pack) -> tuple[dict[tuple[str, int], CompiledRule], list[FieldProblem]]:
    """The ``set_status`` scopes as compiled conditions on ``requirement`` facts, by (rule id, index)."""
    out, problems = {}, []
    params = {p.id for p in pack.parameters}
    for i, rule in enumerate(pack.rules):
        for j, action in enumerate(rule.then):
            if isinstance(action, SetStatus):
                result, found = compile_rule(f"{rule.id}:{j}", scope_condition(action.scope), 0,
                                             f"rules[{i}].then[{j}].scope", SCOPE_KINDS, params)
                problems.extend(found)
                if result is not None:
                    out[(rule.id, j)] = result
    return out, problems


_RULE_PARAMS: dict[int, tuple[Pack, dict[str, set[str]]]] = {}


def rule_params(pack: Pack) -> dict[str, set[str]]:
    """Parameter ids each rule's condition uses, by rule id (compiled once per pack object)."""
    cached = _RULE_PARAMS.get(id(pack))
    if cached is None or cached[0] is not pack:
        keys = {rule_key(pack, r): r.id for r in pack.rules}
        found = {keys[c.key]: c.params for c in compile_pack_rules(pack)[0] if c.key in keys}
        cached = _RULE_PARAMS[id(pack)] = (pack, found)
    return cached[1]


def compile_pack_rules(pack: Pack) -> tuple[list[CompiledRule], list[FieldProblem]]:
    """The pack's rules and journey conditions, linted, ready for a backend."""
    compiled, problems = [], []
    params = {p.id for p in pack.parameters}
    items = [(rule_key(pack, rule), rule.when, rule.priority, f"rules[{i}]") for i, rule in enumerate(pack.rules)]
    items += [(key, condition, 0, loc) for key, loc, condition in journey_conditions(pack)]
    for key, when, priority, where in items:
        result, found = compile_rule(key, when, priority, where, params=params)
        problems.extend(found)
        if result is not None:
            compiled.append(result)
    return compiled, problems


def check_pack(pack: Pack) -> list[FieldProblem]:
    """Every problem found in a (resolved) pack; empty when it can be used."""
    problems: list[FieldProblem] = []
    add = problems.append

    for loc, ref in _sources(pack):
        if ref is not None and ref.ref not in pack.sources:
            add(FieldProblem(f"{loc}.source", f"source « {ref.ref} » absente de [sources]"))

    profil_ids = {p.id for p in pack.profils}
    exigence_ids = {e.id for e in pack.exigences}
    for what, ids in (
        ("profils", [p.id for p in pack.profils]),
        ("exigences", [e.id for e in pack.exigences]),
        ("rules", [r.id for r in pack.rules]),
        ("scénarios", [s.id for e in pack.exigences for s in e.scenarios]),
        ("preuves", [p.id for e in pack.exigences for s in e.scenarios for p in s.preuves]),
    ):
        for dup in _duplicates(ids):
            add(FieldProblem(what, f"identifiant « {dup} » en double"))

    if pack.kind == "dsr" and not any(p.general for p in pack.profils):
        add(FieldProblem("profils", "aucun profil général (general = true)"))

    for i, e in enumerate(pack.exigences):
        loc = f"exigences[{i}] ({e.id})"
        if pack.kind == "dsr":
            missing = [f for f in ("label", "nature", "perimetre", "source", "reviewed") if getattr(e, f) is None]
            if missing:
                add(FieldProblem(loc, f"champ(s) manquant(s) après résolution du socle : {', '.join(missing)}"))
            for profil in e.profils:
                if profil not in profil_ids:
                    add(FieldProblem(f"{loc}.profils", f"profil « {profil} » non défini"))
        for s in e.scenarios:
            if not nests_under(s.id, e.id):
                add(FieldProblem(f"{loc}.scenarios", f"le scénario « {s.id} » ne dérive pas de l'exigence"))
            for p in s.preuves:
                if not nests_under(p.id, s.id):
                    add(FieldProblem(f"{loc}.scenarios", f"la preuve « {p.id} » ne dérive pas du scénario {s.id}"))

    _, rule_problems = compile_pack_rules(pack)
    problems.extend(rule_problems)
    problems.extend(compile_scopes(pack)[1])
    problems.extend(check_parameters(pack))
    for i, rule in enumerate(pack.rules):
        for j, action in enumerate(rule.then):
            loc = f"rules[{i}].then[{j}]"
            if isinstance(action, ActivateProfil) and action.profil not in profil_ids:
                add(FieldProblem(loc, f"profil « {action.profil} » non défini"))
            if isinstance(action, RequireExigence | ExcludeExigence) and action.exigence not in exigence_ids:
                add(FieldProblem(loc, f"exigence « {action.exigence} » absente du catalogue"))
            if isinstance(action, AddAction) and action.due is not None and action.due not in DEADLINE_IDS:
                add(FieldProblem(loc, f"échéance « {action.due} » inconnue"))
            if isinstance(action, SetPrerequisite):
                problems.extend(_placeholder_problems(pack, loc, action.label + " " + action.why))

    for i, overlay in enumerate(pack.overlays):
        for exigence_id in overlay.exigences:
            if exigence_id not in exigence_ids:
                add(FieldProblem(f"overlays[{i}]", f"exigence « {exigence_id} » absente du catalogue"))
    problems.extend(_check_journey(pack))

    published = [d.id for d in pack.calendar.published]
    for dup in _duplicates(published):
        add(FieldProblem("calendar.published", f"échéance « {dup} » en double"))
    series: tuple[str, ...]
    for series in (DEADLINE_IDS, OPENING_IDS):  # each series in the order it falls
        dated = sorted((d for d in pack.calendar.published if d.id in series), key=lambda d: series.index(d.id))
        problems.extend(_order(dated))
    generic = sorted(pack.generic_deadlines, key=lambda d: DEADLINE_IDS.index(d.id))
    for earlier, later in zip(generic, generic[1:], strict=False):
        if later.months < earlier.months:
            add(FieldProblem("generic_deadlines", f"« {later.id} » tombe avant « {earlier.id} »"))
    if pack.calendar.t0 is not None and pack.calendar.t0_source is None:
        add(FieldProblem("calendar.t0", "date T0 sans source (t0_source)"))
    return problems


def _placeholder_problems(pack: Pack, loc: str, text: str) -> list[FieldProblem]:
    params = {p.id for p in pack.parameters}
    out = []
    for match in re.finditer(r"\{(param:)?([^{}]*)\}", text):
        is_param, name = bool(match.group(1)), match.group(2)
        known = params if is_param else set(SOLUTION_ATTRIBUTES)
        if name not in known:
            what = "paramètre" if is_param else "attribut du fait solution"
            out.append(FieldProblem(loc, f"{what} « {name} » inconnu dans « {{{match.group(0)[1:-1]}}} »"
                                         f"{suggest(name, known)}"))
    return out


def reviewed_items(pack: Pack) -> Iterable[tuple[str, str, dt.date | None]]:
    """(location, label, reviewed) of every dated item of a pack."""
    yield "pack", pack.id, pack.reviewed
    for i, p in enumerate(pack.profils):
        yield f"profils[{i}]", p.id, p.reviewed
    for i, e in enumerate(pack.exigences):
        yield f"exigences[{i}]", e.id, e.reviewed
    for i, r in enumerate(pack.rules):
        yield f"rules[{i}]", r.id, r.reviewed
    for i, d in enumerate(pack.calendar.published):
        yield f"calendar.published[{i}]", d.id, d.reviewed
    for i, g in enumerate(pack.generic_deadlines):
        yield f"generic_deadlines[{i}]", g.id, g.reviewed
    for i, h in enumerate(pack.vague1_dates):
        yield f"vague1_dates[{i}]", h.id, h.reviewed
    for i, m in enumerate(pack.domains):
        yield f"domains[{i}]", m.id, m.reviewed
    for i, f in enumerate(pack.proof_formats):
        yield f"proof_formats[{i}]", f.label, f.reviewed
    for i, o in enumerate(pack.overlays):
        yield f"overlays[{i}]", ", ".join(o.exigences), o.reviewed
    for i, j in enumerate(pack.journey):
        yield f"journey[{i}]", j.id, j.reviewed
    for i, param in enumerate(pack.parameters):
        for day, value in param.values.items():
            yield f"parameters[{i}].values.{day.isoformat()}", param.id, value.reviewed


def check_review_dates(pack: Pack, today: dt.date) -> list[FieldProblem]:
    """Review dates in the future are errors: nobody reviewed a source on a day to come."""
    return [FieldProblem(loc, f"« {label} » revu le {day}, date future")
            for loc, label, day in reviewed_items(pack) if day is not None and day > today]


def stale_items(pack: Pack, today: dt.date, days: int) -> list[FieldProblem]:
    """Items whose review is older than ``days`` days (or missing) on ``today``."""
    limit = today - dt.timedelta(days=days)
    out = []
    for loc, label, day in reviewed_items(pack):
        if day is None:
            out.append(FieldProblem(loc, f"« {label} » sans date de revue"))
        elif day < limit:
            out.append(FieldProblem(loc, f"« {label} » revu le {day} ({(today - day).days} jours)"))
    return out


def _order(dated: list[PublishedDeadline]) -> list[FieldProblem]:
    return [FieldProblem("calendar.published", f"« {after.id} » tombe avant « {before.id} »")
            for before, after in zip(dated, dated[1:], strict=False) if after.date < before.date]


def _check_journey(pack: Pack) -> list[FieldProblem]:
    problems = [FieldProblem("journey", f"étape « {d} » en double") for d in _duplicates(s.id for s in pack.journey)]
    ids = {s.id for s in pack.journey}
    edges: dict[str, set[str]] = {}
    for i, step in enumerate(pack.journey):
        for ref in (*step.requires, *step.after):
            if ref not in ids:
                problems.append(FieldProblem(f"journey[{i}] ({step.id})", f"étape « {ref} » inconnue"))
        edges[step.id] = {r for r in (*step.requires, *step.after) if r in ids}
    # Kahn's algorithm: whatever remains belongs to a cycle.
    remaining = dict(edges)
    while True:
        ready = [s for s, deps in remaining.items() if not deps & remaining.keys()]
        if not ready:
            break
        for s in ready:
            del remaining[s]
    if remaining:
        problems.append(FieldProblem("journey", f"dépendances circulaires entre : {', '.join(sorted(remaining))}"))
    return problems
