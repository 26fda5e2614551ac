"""Requirement statuses: what the editor must prove, given where it stands.

Rules decide *when* (conditions on the profile's facts, each citing its source); their
``set_status`` consequences name a status and a scope, computed here:

- every applicable requirement starts ``to-prove``; one excluded by a rule is ``not-applicable``;
- ``acquired`` and ``inherited`` are applied first, then ``redeposit``, which wins: a new
  obligation is never hidden by an older acquisition;
- ``keep_critical`` leaves the pack's critical exigences to prove.

``changed-since-deposit``: a deposited (or validated) preuve is touched by a changelog entry
dated after its deposit when the entry names the preuve itself, its scénario or its exigence
(IDs nest: X.NN → X.NN.01 → X.NN.01.01; compared without the SC./métier prefix), including a
deposited preuve the catalogue does not list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..ids import counts_for, nests_under, same
from ..models.pack import SetStatus
from ..models.plan import Reason, RequirementOut
from ..models.profile import ProofRecord
from .context import Context
from .facts import RuleOutcome

_ORDER = {"acquired": 0, "inherited": 0, "redeposit": 1}
_DEPOSITED = ("deposited", "validated")


@dataclass(frozen=True)
class Touch:
    """A deposited preuve changed by a later version of the référentiel."""

    requirement: str
    proof: str
    deposited: dt.date
    entry_date: dt.date
    item: str


def deposits(ctx: Context) -> list[ProofRecord]:
    """Deposited or validated proofs with a date, for this unit (groupement: its own and shared)."""
    return [p for p in ctx.profile.proofs
            if p.status in _DEPOSITED and p.date is not None and p.solution in (None, ctx.solution)]


def owner(requirements: list[RequirementOut], proof_id: str) -> tuple[RequirementOut, str] | None:
    """The requirement a deposited proof counts for, and the ID it counts under (a proof recorded
    under a Vague 1 ID counts under its Vague 2 equivalent)."""
    for req in requirements:
        target = counts_for(proof_id, req.id, req.vague1_ids)
        if target is not None:
            return req, target
    return None


def touches(ctx: Context, requirements: list[RequirementOut]) -> list[Touch]:
    found = []
    for proof in deposits(ctx):
        owned = owner(requirements, proof.id)
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


def _in_areas(section: str | None, areas: tuple[str, ...]) -> bool:
    return bool(section) and any(section == a or section.startswith(a + "/") for a in areas)  # type: ignore[union-attr]


def _scope(ctx: Context, action: SetStatus, reqs: list[RequirementOut],
           changed: list[Touch]) -> dict[str, list[Reason]]:
    """The requirements a consequence touches, with the scope-specific reason for each."""
    areas = ctx.profile.marque_blanche.modified_areas if ctx.profile.marque_blanche else ()
    if action.scope == "changed-since-deposit":
        out: dict[str, list[Reason]] = {}
        for t in changed:
            entry = next(c for c in ctx.pack.changelog if c.date == t.entry_date)
            out.setdefault(t.requirement, []).append(Reason(
                kind="changelog", ref=t.proof,
                message=(f"Preuve {t.proof} déposée le {t.deposited} ; la version du référentiel du "
                         f"{t.entry_date} modifie {t.item}"),
                source=ctx.cite(entry.source)))
        return out
    if action.scope == "audit-findings":
        out = {}
        for finding in ctx.profile.audit_findings:
            for r in reqs:
                if same(r.id, finding.requirement):
                    note = f" ({finding.note})" if finding.note else ""
                    out.setdefault(r.id, []).append(Reason(
                        kind="audit", ref=finding.requirement,
                        message=f"Signalée par l'audit a posteriori{note}", source=None))
        return out
    selected = {
        "all": lambda r: True,
        "vague-1": lambda r: r.perimetre == "vague-1",
        "unmodified-areas": lambda r: not _in_areas(r.section, areas),
        "modified-areas": lambda r: _in_areas(r.section, areas),
    }[action.scope]
    return {r.id: [] for r in reqs if selected(r)}


def apply_statuses(ctx: Context, reqs: list[RequirementOut], outcome: RuleOutcome) -> list[Touch]:
    """Set ``status``, ``to_prove`` and the reasons of each requirement in place."""
    changed = touches(ctx, reqs)
    by_id = {r.id: r for r in reqs}
    for rule, action in sorted(outcome.statuses, key=lambda ra: (_ORDER[ra[1].status], ra[0].id)):
        for req_id, extra in _scope(ctx, action, reqs, changed).items():
            req = by_id.get(req_id)
            if req is None or req.status == "not-applicable" or (action.keep_critical and req.critical):
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
