"""Requirement statuses: what the editor must prove, given where it stands.

Rules decide *when* (conditions on the profile's facts, each citing its source); their
``set_status`` consequences name a status and a scope: a condition on ``requirement`` facts (or
a historic scope name, see ``pack_validation.NAMED_SCOPES``), evaluated here:

- every applicable requirement starts ``to-prove``; one excluded by a rule is ``not-applicable``;
- ``acquired`` and ``inherited`` are applied first, then ``redeposit``, which wins: a new
  obligation is never hidden by an older acquisition;
- ``keep_critical`` leaves the pack's critical exigences to prove;
- ``acquired`` never applies to a requirement that a changelog entry dated D lists as added
  (``added``: the exigence itself, or one of its scénarios or preuves), unless one of its proofs
  was deposited on or after D: what did not exist cannot have been proven.

``changed-since-deposit``: a deposited (or validated) preuve is touched by a changelog entry
dated after its deposit when the entry names the preuve itself, its scénario or its exigence
(IDs nest: X.NN → X.NN.01 → X.NN.01.01; compared without the SC./métier prefix), including a
deposited preuve the catalogue does not list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..ids import nests_under, same
from ..models.plan import Reason, RequirementOut
from ..pack_validation import compile_scopes
from ..rules.base import Fact
from ..rules.language import CompiledRule
from ..rules.native import matches
from .context import Context
from .facts import RuleOutcome
from .records import Owners, deposits

_ORDER = {"acquired": 0, "inherited": 0, "redeposit": 1}


@dataclass(frozen=True)
class Touch:
    """A deposited preuve changed by a later version of the référentiel."""

    requirement: str
    proof: str
    deposited: dt.date
    entry_date: dt.date
    item: str


def owners_in(ctx: Context, requirements: list[RequirementOut]) -> Owners[RequirementOut]:
    """The :class:`.records.Owners` of the unit's requirement list, shared by everything that asks
    it of the same list during the plan (statuses, then findings)."""
    cache: dict[int, Owners[RequirementOut]] = ctx.scratch.setdefault("owners", {})
    found = cache.get(id(requirements))
    if found is None or found.requirements is not requirements:
        found = cache[id(requirements)] = Owners(requirements, ctx.proof_index)
    return found


def touches(ctx: Context, requirements: list[RequirementOut]) -> list[Touch]:
    if not ctx.pack.changelog:
        return []
    found = []
    owner_of = owners_in(ctx, requirements)
    for proof in deposits(ctx):
        owned = owner_of(proof.id)
        if owned is None:
            continue
        req, proof_id = owned
        for entry in ctx.pack.changelog:
            if entry.date <= proof.date:  # type: ignore[operator]
                continue
            for item in entry.items:
                if same(item, proof_id) or nests_under(proof_id, item):
                    found.append(Touch(req.id, proof.id, proof.date, entry.date, item))  # type: ignore[arg-type]
    return sorted(found, key=lambda t: (t.requirement, t.proof, t.entry_date, t.item))


def added_since(ctx: Context, requirements: list[RequirementOut]) -> dict[str, tuple[dt.date, str]]:
    """Requirement id → (entry date, item) for the requirements a version added to, that no
    deposit dated on or after that version covers."""
    out: dict[str, tuple[dt.date, str]] = {}
    records = deposits(ctx)
    for entry in sorted(ctx.pack.changelog, key=lambda c: c.date):
        for item in entry.added:
            req = next((r for r in requirements if same(r.id, item) or nests_under(item, r.id)), None)
            if req is None or req.id in out:
                continue
            if not any(nests_under(p.id, req.id) and p.date >= entry.date for p in records):  # type: ignore[operator]
                out[req.id] = (entry.date, item)
    return out


def _in_areas(section: str | None, areas: tuple[str, ...]) -> bool:
    return bool(section) and any(section == a or section.startswith(a + "/") for a in areas)  # type: ignore[union-attr]


def requirement_fact(ctx: Context, req: RequirementOut, changed: set[str], audited: set[str]) -> Fact:
    """What a scope condition may test of one applicable requirement (see ``SCOPE_KINDS``)."""
    areas = ctx.profile.marque_blanche.modified_areas if ctx.profile.marque_blanche else ()
    fact: Fact = {"kind": "requirement", "id": req.id, "profil": req.profil, "nature": req.nature,
                  "perimetre": req.perimetre, "critical": req.critical, "transversal": req.transversal,
                  "modified_area": _in_areas(req.section, areas), "changed_since_deposit": req.id in changed,
                  "audit_finding": req.id in audited}
    if req.section:
        fact["section"] = req.section
    return fact


def _extra_reasons(ctx: Context, req_id: str, changed: list[Touch]) -> dict[str, list[Reason]]:
    """Reasons a requirement carries when it was changed since its deposit or flagged by an audit."""
    out: dict[str, list[Reason]] = {"changed_since_deposit": [], "audit_finding": []}
    for t in changed:
        if t.requirement != req_id:
            continue
        entry = next(c for c in ctx.pack.changelog if c.date == t.entry_date)
        out["changed_since_deposit"].append(Reason(
            kind="changelog", ref=t.proof,
            message=(f"Preuve {t.proof} déposée le {t.deposited} ; la version du référentiel du "
                     f"{t.entry_date} modifie {t.item}"),
            source=ctx.cite(entry.source)))
    for finding in ctx.profile.audit_findings:
        if same(req_id, finding.requirement):
            note = f" ({finding.note})" if finding.note else ""
            out["audit_finding"].append(Reason(kind="audit", ref=finding.requirement,
                                               message=f"Signalée par l'audit a posteriori{note}", source=None))
    return out


def _scope(ctx: Context, rule_id: str, index: int, reqs: list[RequirementOut],
           changed: list[Touch]) -> dict[str, list[Reason]]:
    """The requirements a consequence's scope condition selects, with the reasons specific to it.

    The scope is a condition on ``requirement`` facts, evaluated here in plain Python (the
    catalogue is never pushed through the rule engine) by the native evaluator of the language.
    """
    condition = compiled_scopes(ctx)[(rule_id, index)].bind(ctx.parameters.value_of(ctx.today))
    ((_, expr),) = condition.patterns
    changed_ids = {t.requirement for t in changed}
    audited = {r.id for r in reqs if any(same(r.id, f.requirement) for f in ctx.profile.audit_findings)}
    tested = attributes_tested(expr)
    out: dict[str, list[Reason]] = {}
    for req in reqs:
        if matches(expr, requirement_fact(ctx, req, changed_ids, audited), {}):
            extra = _extra_reasons(ctx, req.id, changed) if tested & {"changed_since_deposit", "audit_finding"} else {}
            out[req.id] = [r for key in sorted(tested & extra.keys()) for r in extra[key]]
    return out


def compiled_scopes(ctx: Context) -> dict[tuple[str, int], CompiledRule]:
    """The pack's compiled scopes (compiled once per pack, kept with it)."""
    found: dict[tuple[str, int], CompiledRule] | None = ctx.memo.get("scopes")
    if found is None:
        found = ctx.memo["scopes"] = compile_scopes(ctx.pack)[0]
    return found


def attributes_tested(expr: object) -> set[str]:
    """Attribute names an expression tests."""
    if isinstance(expr, dict):
        out: set[str] = set()
        for key, value in expr.items():
            if key in ("$and", "$or"):
                for sub in value:
                    out |= attributes_tested(sub)
            elif key.startswith("$"):
                out |= set(value)
            else:
                out.add(key)
        return out
    return set()


def apply_statuses(ctx: Context, reqs: list[RequirementOut], outcome: RuleOutcome) -> list[Touch]:
    """Set ``status``, ``to_prove`` and the reasons of each requirement in place."""
    changed = touches(ctx, reqs)
    fresh = added_since(ctx, reqs)
    by_id = {r.id: r for r in reqs}
    for rule, action in sorted(outcome.statuses, key=lambda ra: (_ORDER[ra[1].status], ra[0].id)):
        index = rule.then.index(action)
        for req_id, extra in _scope(ctx, rule.id, index, reqs, changed).items():
            req = by_id.get(req_id)
            if req is None or req.status == "not-applicable" or (action.keep_critical and req.critical):
                continue
            if action.status == "acquired" and req_id in fresh:
                day, item = fresh[req_id]
                entry = next(c for c in ctx.pack.changelog if c.date == day)
                req.why.append(Reason(
                    kind="changelog", ref=item,
                    message=f"{item} ajouté par la version du référentiel du {day} : à prouver, pas acquis",
                    source=ctx.cite(entry.source)))
                continue
            if req.status == "redeposit" and action.status != "redeposit":
                continue
            req.status = action.status
            req.why.append(Reason(kind="rule", ref=rule.id, message=f"Règle « {rule.id} » : {action.reason}",
                                  source=ctx.cite(rule.source)))
            req.why.extend(extra)
    for req in reqs:
        req.to_prove = req.status in ("to-prove", "redeposit")
    return changed
